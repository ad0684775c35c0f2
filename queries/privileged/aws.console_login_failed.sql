/*
id: aws.console_login_failed
version: 1
title: Failed AWS console sign-ins
pack: privileged
families:
- aws_cloudtrail
severity: low
category: FP
detects: Failed console sign-in attempts by any identity.
why: PCI DSS 10.2.1.4 requires invalid logical access attempts to be logged and reviewed; bursts indicate password
  guessing.
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
- Users mistyping passwords; expired passwords.
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
- Sigma aws_cloudtrail_console_login_failed_authentication
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'ConsoleLogin' AND (ewb_json(raw)->>'$.responseElements.ConsoleLogin' = 'Failure' OR (ewb_json(raw)->>'$.errorMessage') = 'Failed authentication'))
ORDER BY time, event_id
