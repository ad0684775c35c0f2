/*
id: aws.s3_bucket_policy_changed
version: 1
title: S3 bucket policy, ACL or replication changed
pack: privileged
families:
- aws_cloudtrail
severity: medium
category: NE
detects: Changes to who can reach S3 buckets and where their data goes (CIS AWS 3.8).
why: Bucket policy and ACL changes are how data becomes public.
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
- Bucket set-up by deployment pipelines.
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
- Panther AWS.S3.BucketPolicyModified
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (service = 's3.amazonaws.com' AND activity IN ('PutBucketAcl','PutBucketPolicy','PutBucketCors','PutBucketLifecycle','PutBucketReplication','DeleteBucketPolicy','DeleteBucketCors','DeleteBucketLifecycle','DeleteBucketReplication','PutBucketOwnershipControls') AND status = 'success')
ORDER BY time, event_id
