/*
id: aws.iam_group_membership_added
version: 1
title: IAM user added to a group
pack: privileged
families:
- aws_cloudtrail
severity: medium
category: PG
detects: Users added to IAM groups (and so to the groups policies).
why: Group membership is how privileges are usually granted; additions must match approved requests.
controls:
  iso27001:
  - A.8.15
  - A.5.18
  soc2:
  - CC6.2
  - CC6.3
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - AU-12
params: []
false_positives:
- Onboarding automation.
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
  AND (service = 'iam.amazonaws.com' AND activity = 'AddUserToGroup' AND status = 'success')
ORDER BY time, event_id
