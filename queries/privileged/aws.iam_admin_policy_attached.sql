/*
id: aws.iam_admin_policy_attached
version: 1
title: AdministratorAccess policy attached
pack: privileged
families:
- aws_cloudtrail
severity: high
category: PG
detects: Attachment of the AWS-managed AdministratorAccess policy to a user, role or group.
why: Granting full administrator rights is the most consequential privilege change in an AWS account.
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
- Break-glass roles set up through change management.
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
- policy_arn
references:
- Panther AWS.IAM.AttachAdminUserPolicy
- Panther AWS.IAM.AttachAdminRolePolicy
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code, (ewb_json(raw)->>'$.requestParameters.policyArn') AS policy_arn
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy') AND (ewb_json(raw)->>'$.requestParameters.policyArn') LIKE '%/AdministratorAccess')
ORDER BY time, event_id
