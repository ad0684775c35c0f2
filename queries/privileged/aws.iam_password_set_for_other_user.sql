/*
id: aws.iam_password_set_for_other_user
version: 1
title: Console password set for another user without forcing a reset
pack: privileged
families:
- aws_cloudtrail
severity: high
category: CC
detects: One identity creating or changing another user's console password without requiring the user to change
  it at next sign-in.
why: 'Whoever sets a password the owner does not have to change can sign in as that user: a takeover path and a
  break in accountability.'
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
- Initial passwords for new users where the reset is enforced by policy elsewhere.
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
- Panther AWS.User.Login.Profile.Modified
- Panther AWS.CloudTrail.LoginProfileCreatedOrModified
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'iam.amazonaws.com' AND activity IN ('CreateLoginProfile','UpdateLoginProfile') AND status = 'success' AND (ewb_json(raw)->>'$.requestParameters.userName') IS NOT NULL AND (ewb_json(raw)->>'$.requestParameters.userName') <> coalesce(actor_user, '') AND coalesce((ewb_json(raw)->>'$.requestParameters.passwordResetRequired'), 'false') <> 'true')
ORDER BY time, event_id
