/*
id: aws.iam_login_profile_changed
version: 1
title: Console password created, changed or removed
pack: privileged
families:
- aws_cloudtrail
severity: medium
category: CC
detects: Changes to IAM users console passwords (login profiles).
why: Password changes made by another principal can hand over an account (PCI 10.2.1.5).
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
- Helpdesk password resets with passwordResetRequired set.
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
- Panther AWS.IAM.LoginProfileCreatedOrModified
- Sigma aws_update_login_profile
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'iam.amazonaws.com' AND activity IN ('CreateLoginProfile','UpdateLoginProfile','DeleteLoginProfile','ChangePassword') AND status = 'success')
ORDER BY time, event_id
