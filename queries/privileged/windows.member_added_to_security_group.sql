/*
id: windows.member_added_to_security_group
version: 1
title: Member added to a security-enabled group
pack: privileged
families:
- windows
severity: high
category: PG
detects: Members added to security-enabled global (4728), local (4732) and universal (4756) groups; built-in administrator
  groups flagged.
why: Group membership is how Windows privileges are granted; additions to Administrators, Domain Admins or Enterprise
  Admins are the most sensitive change (PCI 10.2.1.5).
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
- Onboarding automation.
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
- group_name
- member
- admin_group
references:
- Sigma win_security_user_added_to_local_administrators
- Sigma win_security_member_added_security_enabled_global_group
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, fields['TargetUserName'] AS group_name, coalesce(fields['MemberName'], fields['MemberSid']) AS member, (fields['TargetSid'] IN ('S-1-5-32-544') OR fields['TargetSid'] LIKE '%-512' OR fields['TargetSid'] LIKE '%-519' OR fields['TargetSid'] LIKE '%-518' OR fields['TargetUserName'] ILIKE 'Administr%' OR fields['TargetUserName'] ILIKE '%Admins') AS admin_group
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code IN ('4728', '4732', '4756'))
ORDER BY time, event_id
