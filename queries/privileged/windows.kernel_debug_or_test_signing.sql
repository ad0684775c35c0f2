/*
id: windows.kernel_debug_or_test_signing
version: 1
title: Boot loaded with kernel debugging, test signing or integrity checks off
pack: privileged
families:
- windows
severity: high
category: PC
detects: Boot configuration data loaded (4826) with kernel debugging, hypervisor debugging, test signing, flight
  signing or disabled integrity checks turned on (%%1842 = Yes).
why: These boot options let unsigned drivers load and the kernel be controlled by a debugger, which disables the
  integrity protections the other controls rely on (rootkits, driver-based tampering with logging).
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC6.1
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - AU-12
  - CM-5
params: []
false_positives:
- Driver development and crash-analysis machines configured for debugging.
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
- options_on
references:
- Microsoft Learn, 4826(S) Boot Configuration Data loaded
*/
WITH b AS (
  SELECT *, list_filter(['KernelDebug', 'HypervisorDebug', 'TestSigning', 'FlightSigning', 'DisableIntegrityChecks'],
                        lambda k: fields[k] IN ('%%1842', 'Yes')) AS on_list
  FROM events
  WHERE source_family = 'windows'
    AND time >= $period_start AND time < $period_end
    AND event_code = '4826'
    AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
)
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       array_to_string(on_list, ', ') AS options_on
FROM b
WHERE len(on_list) > 0
ORDER BY time, event_id
