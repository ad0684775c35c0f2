/*
id: windows.user_account_created
version: 1
title: Windows user account created
pack: privileged
families:
- windows
severity: medium
category: AL
detects: Creation of user accounts (4720); computer accounts ending with $ included (they are a known persistence
  trick).
why: New accounts must trace to approved requests (PCI 10.2.1.5, SOC 2 CC6.2).
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
- Provisioning systems creating accounts from approved tickets.
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
- sam_account_name
references:
- Sigma win_security_user_creation
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, fields['SamAccountName'] AS sam_account_name
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code = '4720')
ORDER BY time, event_id
