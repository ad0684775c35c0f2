/*
id: aws.mfa_device_removed
version: 1
title: MFA device deactivated or deleted
pack: privileged
families:
- aws_cloudtrail
severity: medium
category: CC
detects: Deactivation or deletion of IAM MFA devices.
why: Removing MFA weakens authentication for that identity and is a step attackers take before using stolen passwords.
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
- Device replacement (a new device is enabled shortly after).
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
references: []
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'iam.amazonaws.com' AND activity IN ('DeactivateMFADevice','DeleteVirtualMFADevice') AND status = 'success')
ORDER BY time, event_id
