/*
id: okta.log_stream_or_hook_changed
version: 1
title: Okta log stream or event hook deactivated, deleted or changed
pack: privileged
families:
- okta
severity: critical
category: LT
detects: Okta Log Streaming destinations (to a SIEM or Amazon EventBridge) deactivated, deleted or updated
  (system.log_stream.lifecycle.*), and event hooks deactivated, deleted or updated (event_hook.*). Attempts Okta
  recorded as failed are left out.
why: Okta keeps its System Log for 90 days only; the stream is what carries evidence into long-term retention. Turning
  it off or redirecting it is a logging gap (PCI 10.2.1.6, 10.3.3, 10.7.2).
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-5
  cis:
  - '8.2'
  - '8.9'
params: []
false_positives:
- SIEM migrations where a new stream is created and activated just before the old one is removed.
- Okta deactivating a stream itself after repeated delivery failures (actor system@okta.com).
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- status
references:
- ../shared/docs/controls.md §2.3
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status
FROM events
WHERE source_family = 'okta'
  AND time >= $period_start AND time < $period_end
  AND (category = 'audit_logging' AND status IS DISTINCT FROM 'failure'
       AND regexp_matches(activity, '^(system\.)?(log_stream|event_hook)\..*(deactivate|deactivated|delete|deleted|update|updated)$'))
ORDER BY time, event_id
