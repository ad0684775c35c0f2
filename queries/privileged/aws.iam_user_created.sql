/*
id: aws.iam_user_created
version: 1
title: IAM user created
pack: privileged
families:
- aws_cloudtrail
severity: medium
category: AL
detects: Creation of IAM users.
why: New identities must trace to an approved access request (SOC 2 CC6.2, PCI 10.2.1.5).
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
- Provisioning pipelines creating users from approved tickets.
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
- Panther AWS.IAM.CreateUser
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'iam.amazonaws.com' AND activity = 'CreateUser')
ORDER BY time, event_id
