/*
id: windows.computer_account_created
version: 1
title: Computer account created
pack: privileged
families:
- windows
severity: medium
category: AL
detects: Computer accounts created in the domain (4741), flagging those created by an ordinary user through
  SeMachineAccountPrivilege (the machine account quota) and trust or domain-controller accounts.
why: Any domain user may create up to ten computer accounts by default; attackers use them for resource-based
  constrained delegation and sAMAccountName-spoofing attacks, so each one should trace to a domain join.
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
- Domain joins by the helpdesk or deployment accounts.
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
- target_sid
- uac
- via_machine_account_quota
- dns_host_name
references:
- ../shared/docs/controls.md §2.2
*/
-- UserAccountControl codes: %%2087 workstation trust, %%2088 server (domain controller) trust, %%2086 interdomain
-- trust, %%2082 password not required.
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       nullif(fields['TargetSid'], '-') AS target_sid,
       nullif(trim(regexp_replace(coalesce(fields['UserAccountControl'], ''), '\s+', ' ', 'g')), '') AS uac,
       coalesce(fields['PrivilegeList'], '') ILIKE '%SeMachineAccountPrivilege%' AS via_machine_account_quota,
       nullif(fields['DnsHostName'], '-') AS dns_host_name
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND event_code = '4741'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
