/*
id: github.audit_log_streaming_changed
version: 1
title: GitHub audit log streaming paused, changed or removed
pack: privileged
families:
- github
severity: critical
category: LT
detects: Changes to an enterprise's or organization's audit log stream other than its creation or a connection check
  (audit_log_streaming.update - which includes pausing and re-pointing the stream - audit_log_streaming.destroy and
  any other audit_log_streaming action).
why: GitHub keeps the audit log for 180 days (Git events for 7 days); the stream is what carries it into
  long-term retention. Pausing, redirecting or removing it is a logging gap (PCI 10.2.1.6, 10.3.3, 10.7.2).
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
- Rotating the stream's storage credentials (an update) or a planned SIEM migration.
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
- ../shared/docs/controls.md §2.6
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target
FROM events
WHERE source_family = 'github'
  AND time >= $period_start AND time < $period_end
  AND (activity LIKE 'audit_log_streaming.%' AND activity NOT IN ('audit_log_streaming.create', 'audit_log_streaming.check'))
ORDER BY time, event_id
