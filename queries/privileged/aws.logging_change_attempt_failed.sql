/*
id: aws.logging_change_attempt_failed
version: 1
title: Failed attempt to stop, change or delete logging or keys
pack: privileged
families:
- aws_cloudtrail
severity: high
category: FP
detects: Failed calls that would have stopped, narrowed or deleted logging, detectors or KMS keys.
why: A refused attempt to switch off the audit trail shows intent and an identity probing its limits; the successful
  ones are in the neighbouring queries.
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
- Misconfigured automation calling the API with wrong names.
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
references: []
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (status = 'failure' AND activity IN ('StopLogging','DeleteTrail','UpdateTrail','PutEventSelectors','StopConfigurationRecorder','DeleteConfigurationRecorder','DeleteDeliveryChannel','DeleteDetector','DisableSecurityHub','DeleteFlowLogs','DeleteResolverQueryLogConfig','DisableKey','ScheduleKeyDeletion','PutBucketLogging','DeleteLogGroup'))
ORDER BY time, event_id
