/*
id: windows.user_account_created
version: 2
title: Windows user account created
pack: privileged
families:
- windows
severity: medium
category: AL
detects: Creation of user accounts (4720), with the account control flags; names ending with $ (posing as computer
  accounts, a known persistence trick) are flagged.
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
- actor_type
- target
- src_ip
- status
- sam_account_name
- target_sid
- uac
- computer_like_name
references:
- Sigma win_security_user_creation
- ../shared/docs/controls.md §2.2
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       coalesce(nullif(fields['SamAccountName'], '-'), fields['TargetUserName']) AS sam_account_name,
       nullif(fields['TargetSid'], '-') AS target_sid,
       nullif(trim(regexp_replace(coalesce(fields['UserAccountControl'], ''), '\s+', ' ', 'g')), '') AS uac,
       coalesce(nullif(fields['SamAccountName'], '-'), fields['TargetUserName'], '') LIKE '%$' AS computer_like_name
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND event_code = '4720'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
