/*
id: aws.iam_role_trust_changed
version: 1
title: IAM role trust policy changed
pack: privileged
families:
- aws_cloudtrail
severity: high
category: PG
detects: Changes to who may assume an IAM role.
why: Editing a trust policy can grant a role to outside accounts or principals (a backdoor role).
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
- Cross-account access set up through change management.
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
- Panther AWS.IAM.BackdoorRole
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'iam.amazonaws.com' AND activity = 'UpdateAssumeRolePolicy' AND status = 'success')
ORDER BY time, event_id
