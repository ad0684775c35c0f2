/*
id: aws.security_group_changed
version: 1
title: Security group rules changed
pack: privileged
families:
- aws_cloudtrail
severity: medium
category: NE
detects: Changes to EC2 security groups (CIS AWS 3.10).
why: Security groups are the network boundary of workloads; changes should follow change management.
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
- Auto-scaling and deployment tooling.
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
- open_to_world
references:
- Panther AWS.EC2.SecurityGroupModified
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code, (raw LIKE '%0.0.0.0/0%' OR raw LIKE '%::/0%') AS open_to_world
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity IN ('AuthorizeSecurityGroupIngress','AuthorizeSecurityGroupEgress','RevokeSecurityGroupIngress','RevokeSecurityGroupEgress','CreateSecurityGroup','DeleteSecurityGroup','ModifySecurityGroupRules') AND status = 'success')
ORDER BY time, event_id
