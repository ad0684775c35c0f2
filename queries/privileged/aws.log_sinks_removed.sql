/*
id: aws.log_sinks_removed
version: 1
title: Other AWS log sources removed or disabled
pack: privileged
families:
- aws_cloudtrail
severity: high
category: LT
detects: Deletion of VPC flow logs, Route 53 resolver query logging, CloudWatch log groups and S3 server access
  logging.
why: Each of these is a log source an investigation may depend on (PCI 10.2.1.6, 10.7).
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
- Clean-up of test resources; retention changes approved by the log owner.
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
- Panther AWS.VPC.FlowLogsDeleted
- Panther AWS.CloudTrail.DNSLogsDeleted
- Panther AWS.S3.DisableBucketLogging
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (status = 'success' AND (activity IN ('DeleteFlowLogs','DeleteResolverQueryLogConfig','DisassociateResolverQueryLogConfig','DeleteLogGroup','DeleteLogStream') OR (activity = 'PutBucketLogging' AND (ewb_json(raw)->>'$.requestParameters.BucketLoggingStatus') IS NOT NULL AND (ewb_json(raw)->>'$.requestParameters.BucketLoggingStatus.LoggingEnabled') IS NULL)))
ORDER BY time, event_id
