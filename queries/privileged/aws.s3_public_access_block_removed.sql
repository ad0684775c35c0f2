/*
id: aws.s3_public_access_block_removed
version: 1
title: S3 Block Public Access removed
pack: privileged
families:
- aws_cloudtrail
severity: high
category: NE
detects: Removal of S3 Block Public Access at bucket or account level.
why: Block Public Access is the guard-rail that keeps buckets private regardless of policies.
controls:
  iso27001:
  - A.8.15
  - A.8.20
  soc2:
  - CC6.6
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - SC-7
  - AU-12
params: []
false_positives:
- Buckets serving public websites by design.
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
  AND (status = 'success' AND (service = 's3.amazonaws.com' AND activity IN ('DeleteBucketPublicAccessBlock', 'DeleteAccountPublicAccessBlock') OR service = 's3-control.amazonaws.com' AND activity = 'DeleteAccountPublicAccessBlock'))
ORDER BY time, event_id
