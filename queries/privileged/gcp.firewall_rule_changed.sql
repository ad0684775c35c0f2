/*
id: gcp.firewall_rule_changed
version: 1
title: GCP firewall rule created, changed or deleted
pack: privileged
families:
- gcp
severity: medium
category: NE
detects: Successful creation, change and deletion of VPC firewall rules (compute.firewalls insert/patch/update/delete),
  firewall-policy rules (firewallPolicies, networkFirewallPolicies, regionNetworkFirewallPolicies) and App Engine
  firewall ingress rules.
why: Firewall rules are the network boundary of workloads; every change should trace to change management (PCI
  10.2.1.7, 1.2; CIS GCP 3.6/3.7). Rules opened to the whole internet are listed by gcp.firewall_open_to_world.
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
- GKE and other managed services creating their own firewall rules (actor is a Google service agent).
- Infrastructure-as-code deployments.
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
references:
- Panther GCP.Firewall.Rule.Created
- Panther GCP.Firewall.Rule.Modified
- Panther GCP.Firewall.Rule.Deleted
- Sigma gcp_firewall_rule_modified_or_deleted
- ../shared/docs/controls.md §2.5
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent
FROM events
WHERE source_family = 'gcp'
  AND time >= $period_start AND time < $period_end
  AND (status = 'success'
       AND regexp_matches(activity, '(\.compute\.firewalls\.(insert|patch|update|delete)|\.compute\.(firewallPolicies|networkFirewallPolicies|regionNetworkFirewallPolicies)\.(addRule|patchRule|removeRule)|\.Firewall\.(Create|Update|Delete|BatchUpdate)[A-Za-z]*)$'))
ORDER BY time, event_id
