/*
id: entra.user_created_or_deleted
version: 3
title: Entra user account created, invited, deleted or restored
pack: privileged
families:
- entra
- m365
severity: medium
category: AL
detects: Successful user lifecycle changes in Microsoft Entra ID ("Add user", "Invite external user", "Delete user",
  "Hard delete user", "Restore user"), from the Entra audit log and its copy in the Microsoft 365 unified audit log.
why: Account creation and removal is the population auditors sample to test joiner / leaver controls; accounts created
  and deleted within a short window, or guests invited by unexpected users, deserve a closer look (PCI 10.2.1.5).
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
  - AU-12
params: []
false_positives:
- HR-driven provisioning (Entra Connect, SCIM, lifecycle workflows) creating and removing accounts in bulk.
columns:
- event_id
- time
- source_family
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- status
- change
references:
- ../shared/docs/controls.md §2.4
- Sigma azure_ad_account_created_deleted
*/
SELECT event_id, time, source_family, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  CASE lower(rtrim(activity, '. ')) WHEN 'add user' THEN 'created' WHEN 'invite external user' THEN 'guest invited'
       WHEN 'delete user' THEN 'deleted' WHEN 'hard delete user' THEN 'permanently deleted' ELSE 'restored' END AS change
FROM events
WHERE source_family IN ('entra', 'm365')
  AND time >= $period_start AND time < $period_end
  AND lower(rtrim(activity, '. ')) IN ('add user', 'invite external user', 'delete user', 'hard delete user', 'restore user')
  AND status = 'success'
ORDER BY time, event_id
