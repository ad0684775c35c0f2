/*
id: aws.security_group_open_to_world
version: 1
title: Security group opened to the whole internet
pack: privileged
families:
- aws_cloudtrail
severity: high
category: NE
detects: Ingress rules allowing any IPv4 or IPv6 address.
why: Exposing ports to 0.0.0.0/0 is the most common cause of cloud breaches; each must be justified.
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
- Public load balancers on 80/443.
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
- Sigma aws_cloudtrail_security_group_change_ingress_egress
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity IN ('AuthorizeSecurityGroupIngress','ModifySecurityGroupRules') AND status = 'success' AND (raw LIKE '%"cidrIp":"0.0.0.0/0"%' OR raw LIKE '%"cidrIpv6":"::/0"%' OR raw LIKE '%"CidrIpv4":"0.0.0.0/0"%'))
ORDER BY time, event_id
