/*
id: windows.service_installed
version: 2
title: Service installed
pack: privileged
families:
- windows
severity: medium
category: SO
detects: New services installed (Security 4697, System 7045), with the image path, start type and service account.
why: Installing a service runs code as SYSTEM; it is a common persistence and lateral-movement step (PsExec, remote
  service creation) and loads kernel drivers (PCI 10.2.1.7).
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - AU-12
  - CM-5
params: []
false_positives:
- Software installs and updates.
- One installation can appear twice, as 4697 and 7045.
columns:
- event_id
- time
- host
- service
- event_code
- activity
- actor_user
- actor_domain
- actor_type
- target
- src_ip
- status
- service_name
- image_path
- start_type
- service_account
references:
- Sigma win_security_service_installation_by_unusal_client
- Sigma win_system_service_install_uncommon
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       fields['ServiceName'] AS service_name, coalesce(fields['ImagePath'], fields['ServiceFileName']) AS image_path,
       coalesce(fields['StartType'], fields['ServiceStartType']) AS start_type,
       coalesce(fields['AccountName'], fields['ServiceAccount']) AS service_account
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4697' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '7045' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND ((event_code = '4697' AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing'))
    OR (event_code = '7045' AND (service = 'System' OR fields['Provider'] = 'Service Control Manager')))
ORDER BY time, event_id
