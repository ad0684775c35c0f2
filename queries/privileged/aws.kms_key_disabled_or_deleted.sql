/*
id: aws.kms_key_disabled_or_deleted
version: 1
title: KMS key disabled or scheduled for deletion
pack: privileged
families:
- aws_cloudtrail
severity: high
category: KM
detects: Disabling or scheduling deletion of customer-managed KMS keys (CIS AWS 3.7).
why: Data encrypted under a deleted key is lost; disabling keys can be sabotage or ransom.
controls:
  iso27001:
  - A.8.24
  - A.8.15
  soc2:
  - CC6.1
  pci:
  - 10.2.1.7
  nist:
  - SC-12
params: []
false_positives:
- Key rotation retiring old keys after re-encryption.
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
- Panther AWS.KMS.CustomerManagedKeyLoss
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 'kms.amazonaws.com' AND activity IN ('DisableKey','ScheduleKeyDeletion') AND status = 'success')
ORDER BY time, event_id
