/*
id: okta.support_access
version: 1
title: Okta Support access granted, or credentials reset by Okta Support
pack: privileged
families:
- okta
severity: high
category: BG
detects: An administrator granting, extending or starting Okta Support impersonation access
  (user.session.impersonation.grant / extend / initiate), and password resets, MFA factor changes, org factor
  deactivations or MFA bypasses performed by the Okta system principal with no user agent, no geolocation and
  transaction id "unknown" (the footprint of an Okta Support back-end action). Attempts Okta recorded as failed are
  left out.
why: Vendor support access is privileged third-party access to the tenant and must be requested, approved and time
  bound (ISO 27001 A.5.19-A.5.22, PCI 10.2.1.2); a credential reset by support is how a social-engineered support
  case turns into account takeover.
controls:
  iso27001:
  - A.8.15
  - A.8.2
  - A.5.19
  soc2:
  - CC6.3
  - CC9.2
  pci:
  - 10.2.1.2
  - 10.2.1.5
  nist:
  - AC-6(9)
  - AU-12
params: []
false_positives:
- Support cases opened by the customer, with the grant matching the case.
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
- kind
references:
- Panther Okta.Support.Access
- Panther Okta.Support.Reset
- ../shared/docs/controls.md §2.3
*/
WITH o AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent, fields['transaction_id'] AS transaction_id,
         ewb_okta_event(raw) AS ev
  FROM events
  WHERE source_family = 'okta'
    AND time >= $period_start AND time < $period_end
    AND status IS DISTINCT FROM 'failure'
    AND (activity IN ('user.session.impersonation.grant', 'user.session.impersonation.extend', 'user.session.impersonation.initiate')
         OR (activity IN ('user.account.reset_password', 'user.mfa.factor.update', 'system.mfa.factor.deactivate', 'user.mfa.attempt_bypass')
             AND actor_user = 'system@okta.com'))
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
       CASE WHEN activity LIKE 'user.session.impersonation.%' THEN 'support access granted or used' ELSE 'credential changed by Okta Support' END AS kind
FROM o
WHERE activity LIKE 'user.session.impersonation.%'
   OR (transaction_id = 'unknown' AND user_agent IS NULL AND (ev->>'$.client.geographicalContext.country') IS NULL)
ORDER BY time, event_id
