/*
id: github.security_feature_disabled
version: 1
title: GitHub secret scanning, push protection, Dependabot or Advanced Security disabled or bypassed
pack: privileged
families:
- github
severity: high
category: LT
detects: Code-security features switched off for a repository, an organization, an enterprise or their new
  repositories - secret scanning and its push protection (including custom patterns), Dependabot alerts and security
  updates, vulnerability alerts, GitHub Advanced Security - and push protection bypassed for a detected secret
  (secret_scanning_push_protection.bypass). Matched on the action names GitHub uses for these features.
why: These controls detect leaked credentials and vulnerable dependencies; disabling them removes detection that the
  vulnerability-management and key-management controls rely on (PCI 6.3 / 10.7.2, SOC 2 CC7.1).
controls:
  iso27001:
  - A.8.15
  - A.8.8
  soc2:
  - CC7.1
  - CC7.2
  pci:
  - 10.7.2
  nist:
  - SI-4
  - AU-12
params: []
false_positives:
- Disabling a feature on archived or test repositories; licence changes approved by the security team.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
references:
- Panther GitHub.Advanced.Security.Change
- Sigma github_secret_scanning_feature_disabled
- Sigma github_push_protection_disabled
- ../shared/docs/controls.md §2.6
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target
FROM events
WHERE source_family = 'github'
  AND time >= $period_start AND time < $period_end
  AND regexp_matches(activity, '(secret_scanning|push_protection|dependabot|advanced_security|vulnerability_alerts)')
  AND (regexp_matches(activity, '(^|[._])disabled?($|[._])') OR activity = 'secret_scanning_push_protection.bypass')
ORDER BY time, event_id
