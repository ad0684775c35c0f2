/*
id: aws.cloudtrail_stopped_or_deleted
version: 1
title: CloudTrail logging stopped or trail deleted
pack: privileged
families:
- aws_cloudtrail
severity: critical
category: LT
detects: 'Successful StopLogging and DeleteTrail calls (failed attempts: aws.logging_change_attempt_failed).'
why: Stopping the audit trail removes the evidence of everything that follows (PCI 10.2.1.6, CIS AWS 3.5).
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
params: []
false_positives:
- Decommissioning a duplicate trail after a documented migration.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- region
- activity
- target
- status
- error_code
references:
- Panther AWS.CloudTrail.Stopped
- Sigma aws_cloudtrail_disable_logging
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'cloudtrail.amazonaws.com' AND activity IN ('StopLogging','DeleteTrail') AND status = 'success')
ORDER BY time, event_id
