/*
id: windows.domain_policy_changed
version: 1
title: Domain password, lockout or Kerberos policy changed by an account
pack: privileged
families:
- windows
severity: medium
category: PC
detects: Domain policy changes (4739 - password, lockout and machine-account-quota settings) and Kerberos policy
  changes (4713) made by an account other than the local SYSTEM (which only re-applies policy at refresh).
why: Weakening the password or lockout policy, or raising the machine account quota, lowers the bar for every other
  control; such changes need a change record (SOC 2 CC6.1).
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC6.1
  - CC7.2
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - CM-5
params: []
false_positives:
- Planned policy changes by domain administrators.
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
- policy_changed
- changed_settings
references:
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- The settings that changed are the policy fields whose value is not "-" (4739 writes "-" for unchanged ones).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       nullif(fields['DomainPolicyChanged'], '-') AS policy_changed,
       nullif(array_to_string(list_filter(['MinPasswordAge', 'MaxPasswordAge', 'ForceLogoff', 'LockoutThreshold', 'LockoutObservationWindow',
         'LockoutDuration', 'PasswordProperties', 'MinPasswordLength', 'PasswordHistoryLength', 'MachineAccountQuota', 'MixedDomainMode',
         'DomainBehaviorVersion', 'OemInformation', 'KerberosPolicyChange'],
         lambda k: coalesce(fields[k], '-') NOT IN ('-', '')), ', '), '') AS changed_settings
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4739' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4713' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
  AND coalesce(fields['SubjectUserSid'], '') <> 'S-1-5-18'
ORDER BY time, event_id
