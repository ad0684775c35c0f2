/*
id: aws.cloudtrail_changed
version: 1
title: CloudTrail trail configuration changed
pack: privileged
families:
- aws_cloudtrail
severity: high
category: LT
detects: Changes to what a trail records or where it delivers.
why: Narrowing event selectors or redirecting delivery creates silent logging gaps.
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
- Planned changes to data-event selectors.
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
- Sigma aws_cloudtrail_disable_logging
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'cloudtrail.amazonaws.com' AND activity IN ('UpdateTrail','PutEventSelectors','PutInsightSelectors','DeleteEventDataStore','UpdateEventDataStore','StopEventDataStoreIngestion') AND status = 'success')
ORDER BY time, event_id
