/*
id: windows.service_installed
version: 1
title: Service installed
pack: privileged
families:
- windows
severity: medium
category: SO
detects: New services installed (Security 4697, System 7045), with the image path.
why: Installing a service runs code as SYSTEM; it is a common persistence and lateral-movement step (PsExec).
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
columns:
- event_id
- time
- host
- service
- event_code
- activity
- actor_user
- actor_domain
- target
- src_ip
- status
- service_name
- image_path
references:
- Sigma win_security_service_installation_by_unusal_client
- Sigma win_system_service_install_uncommon
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, fields['ServiceName'] AS service_name, coalesce(fields['ImagePath'], fields['ServiceFileName']) AS image_path
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND ((service = 'Security' AND event_code = '4697') OR (service = 'System' AND event_code = '7045'))
ORDER BY time, event_id
