/*
id: aws.root_console_login_failed
version: 1
title: Failed AWS root user console sign-in
pack: privileged
families:
- aws_cloudtrail
severity: high
category: FP
detects: Failed attempts to sign in to the console as the account root user.
why: Failed root sign-ins are either an attacker guessing the most powerful credential or an administrator who lost
  it; both need follow-up.
controls:
  iso27001:
  - A.8.15
  - A.8.16
  soc2:
  - CC7.2
  pci:
  - 10.2.1.4
  nist:
  - AU-12
  - AC-7
params: []
false_positives:
- A legitimate owner mistyping the password during break-glass use.
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
- Panther AWS.Console.RootLoginFailed
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'ConsoleLogin' AND actor_type = 'Root' AND (ewb_json(raw)->>'$.responseElements.ConsoleLogin') = 'Failure')
ORDER BY time, event_id
