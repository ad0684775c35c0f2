/*
id: gcp.logging_sink_or_bucket_deleted
version: 1
title: Cloud Logging sink or log bucket deleted
pack: privileged
families:
- gcp
severity: critical
category: LT
detects: Successful DeleteSink and DeleteBucket calls on the Cloud Logging configuration API.
why: Deleting a sink stops audit logs from reaching the archive or SIEM; deleting a bucket destroys the logs it holds
  (after 7 days). Either removes evidence the audit relies on (PCI 10.2.1.6, 10.3, 10.7.2; CIS GCP 2.2).
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  - 12.4.2
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
- Decommissioning a project or a duplicate sink after a documented logging migration.
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
- user_agent
references:
- Panther GCP.Log.Bucket.Or.Sink.Deleted
- ../shared/docs/controls.md §2.5
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent
FROM events
WHERE source_family = 'gcp'
  AND time >= $period_start AND time < $period_end
  AND (service = 'logging.googleapis.com' AND status = 'success'
       AND regexp_matches(activity, 'ConfigServiceV\d\.Delete(Sink|Bucket)$'))
ORDER BY time, event_id
