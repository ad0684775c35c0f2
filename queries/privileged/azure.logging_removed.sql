/*
id: azure.logging_removed
version: 1
title: Azure diagnostic setting, log profile or Log Analytics workspace deleted
pack: privileged
families:
- azure
severity: critical
category: LT
detects: Successful deletions of what exports and keeps Azure logs, that is diagnostic settings of any resource, of the
  subscription or of Entra ID (Microsoft.Insights/diagnosticSettings/delete, microsoft.aadiam/diagnosticSettings/delete),
  the legacy Activity Log profile (Microsoft.Insights/logProfiles/delete) and Log Analytics workspaces
  (Microsoft.OperationalInsights/workspaces/delete).
why: Deleting a diagnostic setting stops the export of a log stream and deleting a workspace destroys the logs kept in
  it; both remove the evidence of what follows (PCI 10.2.1.6, 10.7.2; CIS Azure 5.1).
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-5
  cis:
  - '8.2'
params: []
false_positives:
- Decommissioning a resource together with its diagnostic setting, or replacing a setting by a new one under a
  documented change.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- region
- activity
- target
- status
- error_code
references:
- ../shared/docs/controls.md §2.4
- Panther Azure.MonitorActivity.DiagnosticSettings.Deleted
- Panther Azure.MonitorActivity.LogAnalyticsWorkspace.Deleted
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'azure'
  AND time >= $period_start AND time < $period_end
  AND (status = 'success'
       AND (lower(activity) IN ('microsoft.insights/diagnosticsettings/delete', 'microsoft.aadiam/diagnosticsettings/delete',
                                'microsoft.insights/logprofiles/delete', 'microsoft.operationalinsights/workspaces/delete')
            -- resource-scoped form some exports write: <provider>/<type>/providers/microsoft.insights/diagnosticSettings/delete
            OR lower(activity) LIKE '%/providers/microsoft.insights/diagnosticsettings/delete'))
ORDER BY time, event_id
