/*
id: gcp.vpc_flow_logs_disabled
version: 1
title: VPC flow logs disabled on a GCP subnet
pack: privileged
families:
- gcp
severity: high
category: LT
detects: Successful subnetwork patches that turn VPC flow logs off (request enableFlowLogs = false or logConfig.enable
  = false).
why: Flow logs are the network evidence for investigations; switching them off is a logging gap (PCI 10.2.1.6,
  10.7.2; CIS GCP 3.8).
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-5
  cis:
  - '8.2'
params: []
false_positives:
- Cost-driven changes on non-production subnets approved by the log owner.
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
- user_agent
references:
- Panther GCP.VPC.Flow.Logs.Disabled
- ../shared/docs/controls.md §2.5
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND (status = 'success' AND activity LIKE '%.compute.subnetworks.patch')
),
d AS (SELECT *, coalesce(pp->'$.request', try_cast((pp->>'$.requestJson') AS JSON)) AS req FROM g)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, user_agent
FROM d
WHERE (req->>'$.enableFlowLogs') = 'false' OR (req->>'$.logConfig.enable') = 'false'
ORDER BY time, event_id
