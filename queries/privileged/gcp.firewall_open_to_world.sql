/*
id: gcp.firewall_open_to_world
version: 1
title: GCP firewall rule opened to the whole internet
pack: privileged
families:
- gcp
severity: high
category: NE
detects: Successful creation or change of an ingress VPC firewall rule or firewall-policy rule whose source ranges
  include 0.0.0.0/0 or ::/0 and that allows traffic (rules that only deny, and rules created disabled, are left out).
why: Exposing ports to any address on the internet is a common cause of cloud breaches (PCI 1.3, 10.2.1.7; CIS GCP
  3.6/3.7 for SSH and RDP); each such rule needs a documented business reason.
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
- Public load balancers and web front ends on 80/443.
- A patch that only changes the source ranges of an existing deny rule (the log does not repeat the rule's action).
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- status
- user_agent
- source_ranges
- allowed
references:
- Sigma gcp_firewall_rule_modified_or_deleted
- ../shared/docs/controls.md §2.5
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND (status = 'success'
         AND regexp_matches(activity, '(\.compute\.firewalls\.(insert|patch|update)|\.compute\.(firewallPolicies|networkFirewallPolicies|regionNetworkFirewallPolicies)\.(addRule|patchRule))$'))
),
d AS (SELECT *, coalesce(pp->'$.request', try_cast((pp->>'$.requestJson') AS JSON)) AS req FROM g),
r AS (
  SELECT *, list_concat(json_extract_string(req, '$.sourceRanges[*]'), json_extract_string(req, '$.match.srcIpRanges[*]')) AS ranges FROM d
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
       array_to_string(ranges, ', ') AS source_ranges,
       coalesce(req->'$.alloweds', req->'$.allowed', req->'$.match.layer4Configs')::VARCHAR AS allowed
FROM r
WHERE list_has_any(ranges, ['0.0.0.0/0', '::/0'])
  AND upper(coalesce(req->>'$.direction', 'INGRESS')) = 'INGRESS'
  AND coalesce(req->>'$.disabled', 'false') <> 'true'
  AND coalesce(json_array_length(coalesce(req->'$.denieds', req->'$.denied')), 0) = 0
  AND lower(coalesce(req->>'$.action', 'allow')) = 'allow'
ORDER BY time, event_id
