/*
id: aws.leave_organization
version: 1
title: Account attempted to leave the AWS Organization
pack: privileged
families:
- aws_cloudtrail
severity: high
category: PC
detects: LeaveOrganization calls, successful or not.
why: Leaving the organization removes service control policies and central logging at once.
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - AU-12
params: []
false_positives:
- Planned account transfers.
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
- Panther AWS.CloudTrail.AttemptToLeaveOrg
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'LeaveOrganization')
ORDER BY time, event_id
