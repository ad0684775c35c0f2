/*
id: aws.cloudtrail_mgmt_events_excluded
version: 1
title: CloudTrail management events excluded
pack: privileged
families:
- aws_cloudtrail
severity: high
category: LT
detects: Event selector changes that stop management (write) events from being recorded.
why: Management events are the control-plane audit trail; excluding them blinds every privileged-activity test.
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
- Secondary trails meant only for data events.
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
- Panther AWS.CloudTrail.EventSelectorsDisabled
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'PutEventSelectors' AND status = 'success' AND (raw LIKE '%"includeManagementEvents":false%' OR raw LIKE '%"includeManagementEvents": false%' OR raw LIKE '%"readWriteType":"ReadOnly"%'))
ORDER BY time, event_id
