/*
id: azure.elevate_access
version: 1
title: Global Administrator elevated access to all Azure subscriptions
pack: privileged
families:
- azure
- entra
severity: critical
category: BG
detects: A directory Global Administrator giving themselves User Access Administrator at root scope ("/") over every
  subscription and management group, as recorded in the Azure Activity Log (Microsoft.Authorization/elevateAccess/action,
  succeeded) or in the Entra audit log ("User has elevated their access to User Access Administrator for their Azure
  Resources"; failed records excluded).
why: Elevation turns tenant administration into control of every Azure resource and is meant for break-glass recovery
  only; each use should match a documented emergency and be reversed (PCI 10.2.1.2).
controls:
  iso27001:
  - A.8.15
  - A.8.2
  iso27017:
  - 12.4.3
  soc2:
  - CC6.3
  - CC7.2
  pci:
  - 10.2.1.2
  nist:
  - AU-12
  - AC-6(9)
  cis:
  - '8.5'
params: []
false_positives:
- A documented recovery of a subscription whose owners left the organisation.
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
references:
- ../shared/docs/controls.md §2.4
- Panther Azure.Audit.ElevateUserAccessAdministrator
- Sigma azure_subscription_permissions_elevation_via_activitylogs
*/
SELECT event_id, time, source_family, actor_user, actor_type, src_ip, cloud_account, activity, target, status
FROM events
WHERE source_family IN ('azure', 'entra')
  AND time >= $period_start AND time < $period_end
  AND ((source_family = 'azure' AND lower(activity) = 'microsoft.authorization/elevateaccess/action' AND status = 'success')
    OR (source_family = 'entra' AND activity LIKE 'User has elevated their access to User Access Administrator%'
        AND coalesce(status, 'success') = 'success'))
ORDER BY time, event_id
