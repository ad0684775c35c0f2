/*
id: github.ip_allow_list_changed
version: 1
title: GitHub IP allow list disabled or changed
pack: privileged
families:
- github
severity: medium
category: NE
detects: The organization or enterprise IP allow list enabled or disabled (also for installed GitHub Apps), and entries
  created, updated or deleted (ip_allow_list.*, ip_allow_list_entry.*).
why: The allow list restricts access to corporate networks; disabling it or adding a broad entry opens the
  organization to sign-ins and token use from anywhere (SOC 2 CC6.6).
controls:
  iso27001:
  - A.8.15
  - A.8.20
  soc2:
  - CC6.6
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - SC-7
  - AU-12
params: []
false_positives:
- Adding the egress addresses of a new office or CI provider through change management.
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
- Panther GitHub.Org.IpAllowlist
- ../shared/docs/controls.md §2.6
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target
FROM events
WHERE source_family = 'github'
  AND time >= $period_start AND time < $period_end
  AND (activity LIKE 'ip_allow_list.%' OR activity LIKE 'ip_allow_list_entry.%')
ORDER BY time, event_id
