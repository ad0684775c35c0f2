/*
id: okta.mfa_factor_reset_or_deactivated
version: 1
title: Okta user MFA factor reset, deactivated or suspended
pack: privileged
families:
- okta
severity: medium
category: CC
detects: A user's MFA factors reset all at once (user.mfa.factor.reset_all), or one factor deactivated or suspended
  (user.mfa.factor.deactivate, user.mfa.factor.suspend), by the user or by an administrator; self_service tells
  which. Attempts Okta recorded as failed are left out.
why: Removing a user's factors lets whoever holds the password enrol a new factor; help-desk resets are a known
  social-engineering path to account takeover (PCI 10.2.1.5, 8.4).
controls:
  iso27001:
  - A.8.15
  - A.5.18
  soc2:
  - CC6.2
  - CC6.3
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - IA-5
  - AU-12
params: []
false_positives:
- Users replacing a lost or new phone (a new factor is enrolled shortly after).
- Help-desk resets performed after documented identity verification.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- status
- reason
- self_service
references:
- Panther Okta.User.MFA.Reset.All
- Panther Okta.User.MFA.Reset.Single
- Panther Okta.User.MFA.Factor.Suspend
- Sigma okta_mfa_reset_or_deactivated
- ../shared/docs/controls.md §2.3
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
       fields['outcome_reason'] AS reason,
       coalesce(lower(actor_user) = lower(target), false) AS self_service
FROM events
WHERE source_family = 'okta'
  AND time >= $period_start AND time < $period_end
  AND (activity IN ('user.mfa.factor.reset_all', 'user.mfa.factor.deactivate', 'user.mfa.factor.suspend') AND status IS DISTINCT FROM 'failure')
ORDER BY time, event_id
