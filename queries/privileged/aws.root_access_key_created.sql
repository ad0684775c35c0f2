/*
id: aws.root_access_key_created
version: 1
title: Access key created for the AWS root user
pack: privileged
families:
- aws_cloudtrail
severity: critical
category: CC
detects: Creation of programmatic access keys for the account root user.
why: Root access keys give unrestricted, long-lived API access to the whole account; CIS AWS 1.4 requires that none
  exist.
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
- 'None expected: AWS recommends never creating root access keys.'
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
- Panther AWS.CloudTrail.RootAccessKeyCreated
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (actor_type = 'Root' AND activity = 'CreateAccessKey' AND status = 'success' AND (ewb_json(raw)->>'$.requestParameters.userName') IS NULL)
ORDER BY time, event_id
