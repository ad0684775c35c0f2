/*
id: okta.org_mfa_factor_deactivated
version: 1
title: Okta MFA factor or authenticator deactivated for the whole org
pack: privileged
families:
- okta
severity: high
category: PC
detects: An MFA factor type (Classic Engine, system.mfa.factor.deactivate) or an authenticator (Identity Engine,
  security.authenticator.lifecycle.deactivate) switched off for the entire Okta org. Attempts Okta recorded as failed
  are left out.
why: Deactivating a factor org-wide weakens authentication for every user at once and may leave users with no second
  factor (PCI 8.4, SOC 2 CC6.1).
controls:
  iso27001:
  - A.8.15
  - A.8.5
  soc2:
  - CC6.1
  - CC7.2
  pci:
  - 10.2.1.5
  nist:
  - IA-2
  - CM-5
  - AU-12
params: []
false_positives:
- Retiring a weak factor (e.g. SMS) after users have moved to a stronger one.
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
references:
- Panther Okta.Global.MFA.Disabled
- ../shared/docs/controls.md §2.3
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status
FROM events
WHERE source_family = 'okta'
  AND time >= $period_start AND time < $period_end
  AND (activity IN ('system.mfa.factor.deactivate', 'security.authenticator.lifecycle.deactivate') AND status IS DISTINCT FROM 'failure')
ORDER BY time, event_id
