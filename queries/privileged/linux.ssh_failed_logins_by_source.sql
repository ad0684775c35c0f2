/*
id: linux.ssh_failed_logins_by_source
version: 1
title: Failed SSH logins per source address
pack: privileged
families:
- linux
severity: low
category: FP
detects: Failed SSH authentication, invalid users and refused connections, grouped per host, source address and
  user.
why: Failed access attempts must be logged and reviewed (PCI 10.2.1.4); many failures from one address is password
  guessing.
controls:
  iso27001:
  - A.8.15
  - A.8.16
  soc2:
  - CC7.2
  pci:
  - 10.2.1.4
  nist:
  - AU-12
  - AC-7
params:
- name: min_failures
  type: integer
  default: 5
  description: Groups with fewer failures than this are not reported.
false_positives:
- Internet-facing hosts see constant background scanning; judge by volume and success afterwards.
columns:
- event_id
- first_time
- last_time
- host
- src_ip
- actor_user
- failures
- later_success
references:
- Wazuh 5710
- Wazuh 5716
- Wazuh 5720
*/
WITH f AS (
  SELECT * FROM events
  WHERE source_family = 'linux' AND time >= $period_start AND time < $period_end
    AND activity IN ('ssh_login', 'ssh_invalid_user', 'ssh_max_auth_attempts', 'ssh_preauth_disconnect') AND status = 'failure'
)
SELECT arg_min(f.event_id, f.time) AS event_id, min(f.time) AS first_time, max(f.time) AS last_time, f.host, f.src_ip, f.actor_user,
       count(*) AS failures,
       EXISTS (SELECT 1 FROM events s WHERE s.source_family = 'linux' AND s.activity = 'ssh_login' AND s.status = 'success'
               AND s.host = f.host AND s.src_ip = f.src_ip AND s.time > min(f.time)) AS later_success
FROM f
GROUP BY f.host, f.src_ip, f.actor_user
HAVING count(*) >= $min_failures
ORDER BY failures DESC, f.host, f.src_ip
