/*
id: okta.identity_provider_changed
version: 1
title: Okta identity provider created, changed or removed
pack: privileged
families:
- okta
severity: high
category: PC
detects: External identity providers (SAML / OIDC / social IdPs) created, updated, activated, deactivated or deleted in
  Okta (system.idp.lifecycle.*). Attempts Okta recorded as failed are left out.
why: A rogue identity provider lets its owner sign in as any routed user without their password or MFA - a known
  persistence technique after an admin compromise (SOC 2 CC6.1, PCI 10.2.1.5).
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
- Federation set up for an acquisition or a partner, documented in change management.
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
- Panther Okta.Identity.Provider.Created.Modified
- Sigma okta_identity_provider_created
- ../shared/docs/controls.md §2.3
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status
FROM events
WHERE source_family = 'okta'
  AND time >= $period_start AND time < $period_end
  AND (activity LIKE 'system.idp.lifecycle.%' AND status IS DISTINCT FROM 'failure')
ORDER BY time, event_id
