/*
id: aws.root_console_login
version: 1
title: AWS root user console sign-in
pack: privileged
families:
- aws_cloudtrail
severity: high
category: BG
detects: Successful sign-ins to the AWS console with the account root user.
why: The root user bypasses IAM permissions; best practice (CIS AWS 1.7) is to lock it away and use it only for
  a handful of account tasks, so every use needs a reason on file.
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
- Documented break-glass procedures and the few tasks only root can do (closing the account, changing support plans).
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
- mfa_used
references:
- Panther AWS.Console.RootLogin
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code, (ewb_json(raw)->>'$.additionalEventData.MFAUsed') AS mfa_used
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'ConsoleLogin' AND actor_type = 'Root' AND (ewb_json(raw)->>'$.responseElements.ConsoleLogin') = 'Success')
ORDER BY time, event_id
