/*
id: aws.iam_access_key_for_other_user
version: 1
title: Access key created for another IAM user
pack: privileged
families:
- aws_cloudtrail
severity: high
category: CC
detects: A principal creating an access key for a different IAM user.
why: Creating keys for someone else is a classic persistence technique and breaks individual accountability.
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
- Administrators rotating keys for service accounts on request.
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
- Panther AWS.IAM.UserKeyCreated
- Sigma aws_iam_backdoor_users_keys
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'iam.amazonaws.com' AND activity = 'CreateAccessKey' AND status = 'success' AND (ewb_json(raw)->>'$.requestParameters.userName') IS NOT NULL AND coalesce(ewb_json(raw)->>'$.userIdentity.arn', '') NOT LIKE '%/' || (ewb_json(raw)->>'$.requestParameters.userName'))
ORDER BY time, event_id
