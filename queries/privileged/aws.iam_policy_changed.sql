/*
id: aws.iam_policy_changed
version: 1
title: IAM policy changed or attached
pack: privileged
families:
- aws_cloudtrail
severity: medium
category: PC
detects: Creation, change, attachment and detachment of IAM policies (CIS AWS 3.4).
why: Policy changes alter who may do what; each should trace to an approved change.
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC6.1
  - CC7.2
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - CM-5
params: []
false_positives:
- Infrastructure-as-code deployments applying reviewed changes.
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
- Panther AWS.IAM.PolicyModified
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code, coalesce(ewb_json(raw)->>'$.requestParameters.policyArn', (ewb_json(raw)->>'$.requestParameters.policyName')) AS policy_arn
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'iam.amazonaws.com' AND activity IN ('PutUserPolicy','PutRolePolicy','PutGroupPolicy','DeleteUserPolicy','DeleteRolePolicy','DeleteGroupPolicy','CreatePolicy','DeletePolicy','CreatePolicyVersion','DeletePolicyVersion','SetDefaultPolicyVersion','AttachUserPolicy','DetachUserPolicy','AttachRolePolicy','DetachRolePolicy','AttachGroupPolicy','DetachGroupPolicy') AND status = 'success')
ORDER BY time, event_id
