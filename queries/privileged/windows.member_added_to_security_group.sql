/*
id: windows.member_added_to_security_group
version: 2
title: Member added to a security-enabled group
pack: privileged
families:
- windows
severity: high
category: PG
detects: Members added to security-enabled global (4728), local (4732) and universal (4756) groups; built-in and
  domain administrative groups flagged.
why: Group membership is how Windows privileges are granted; additions to Administrators, the operator groups, Domain,
  Enterprise or Schema Admins, the key admins or DnsAdmins are the most sensitive change (PCI 10.2.1.5).
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
- actor_type
- target
- src_ip
- status
- group_name
- group_sid
- member
- admin_group
references:
- Sigma win_security_user_added_to_local_administrators
- Sigma win_security_member_added_security_enabled_global_group
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- Administrative groups (Microsoft "Appendix B: Privileged Accounts and Groups in Active Directory"): builtin
-- Administrators, Account/Server/Print/Backup Operators (S-1-5-32-544, -548..-551); domain RIDs 512 Domain Admins,
-- 518 Schema Admins, 519 Enterprise Admins, 520 Group Policy Creator Owners, 526 Key Admins, 527 Enterprise Key Admins;
-- and by name DnsAdmins, Administrators and *Admins. A local group's member has no name (MemberName "-"): its SID is shown.
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       fields['TargetUserName'] AS group_name, fields['TargetSid'] AS group_sid,
       coalesce(nullif(fields['MemberName'], '-'), nullif(fields['MemberSid'], '-')) AS member,
       (fields['TargetSid'] IN ('S-1-5-32-544', 'S-1-5-32-548', 'S-1-5-32-549', 'S-1-5-32-550', 'S-1-5-32-551')
        OR regexp_matches(coalesce(fields['TargetSid'], ''), '^S-1-5-21-.*-(512|518|519|520|526|527)$')
        OR fields['TargetUserName'] ILIKE 'Administr%' OR fields['TargetUserName'] ILIKE '%Admins') AS admin_group
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4728' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4732' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4756' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
