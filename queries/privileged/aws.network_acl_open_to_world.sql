/*
id: aws.network_acl_open_to_world
version: 1
title: Network ACL allows inbound traffic from anywhere
pack: privileged
families:
- aws_cloudtrail
severity: high
category: NE
detects: Network ACL entries that allow inbound traffic from any address.
why: NACLs are a subnet-level boundary; an allow-all inbound entry removes it.
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
- Public subnets by design.
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
- Panther AWS.EC2.NetworkACLPermissiveEntry
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity IN ('CreateNetworkAclEntry','ReplaceNetworkAclEntry') AND status = 'success' AND (ewb_json(raw)->>'$.requestParameters.cidrBlock') = '0.0.0.0/0' AND (ewb_json(raw)->>'$.requestParameters.ruleAction') = 'allow' AND (ewb_json(raw)->>'$.requestParameters.egress') = 'false')
ORDER BY time, event_id
