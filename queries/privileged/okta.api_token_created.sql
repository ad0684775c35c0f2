/*
id: okta.api_token_created
version: 1
title: Okta API token created
pack: privileged
families:
- okta
severity: high
category: CC
detects: Okta API tokens created (system.api_token.create); the token's name is the target. Attempts Okta recorded as
  failed are left out.
why: An API token carries the privileges of the administrator who created it and is not bound to MFA; it is a durable
  credential that outlives the session and is a favoured persistence method (PCI 10.2.1.5).
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
- Tokens for approved integrations (SIEM, provisioning), created by their service owner.
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
- Panther Okta.APIKeyCreated
- Sigma okta_api_token_created
- ../shared/docs/controls.md §2.3
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status
FROM events
WHERE source_family = 'okta'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'system.api_token.create' AND status IS DISTINCT FROM 'failure')
ORDER BY time, event_id
