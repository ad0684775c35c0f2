/*
id: aws.root_activity
version: 1
title: AWS root user activity (write actions)
pack: privileged
families:
- aws_cloudtrail
severity: high
category: BG
detects: Successful non-read-only API calls made with the root user credentials (not on its behalf by an AWS service).
why: Root actions cannot be limited by IAM policy; changes made as root should be rare, justified and reviewed.
controls:
  iso27001:
  - A.8.15
  - A.8.2
  iso27017:
  - 12.4.3
  soc2:
  - CC6.3
  - CC7.2
  pci:
  - 10.2.1.2
  nist:
  - AU-12
  - AC-6(9)
  cis:
  - '8.5'
params: []
false_positives:
- Account-closure and billing tasks that require root.
- Console sign-in housekeeping performed as root right after a documented break-glass login.
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
- Panther AWS.Root.Activity
- Sigma aws_root_account_usage
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (actor_type = 'Root' AND status = 'success' AND (ewb_json(raw)->>'$.userIdentity.invokedBy') IS NULL AND coalesce(ewb_json(raw)->>'$.eventType', '') <> 'AwsServiceEvent' AND coalesce(ewb_json(raw)->>'$.readOnly', 'false') <> 'true' AND activity <> 'CreateServiceLinkedRole')
ORDER BY time, event_id
