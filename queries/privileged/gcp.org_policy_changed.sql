/*
id: gcp.org_policy_changed
version: 1
title: GCP organization policy changed
pack: privileged
families:
- gcp
severity: high
category: PC
detects: Successful creation, update and deletion of organization policies and custom constraints (Organization Policy
  API v2), and SetOrgPolicy / ClearOrgPolicy calls of the Resource Manager v1 API, at organization, folder or project
  level, with the requested policy.
why: Organization policies are the preventive guardrails (e.g. no external sharing, no service-account keys, allowed
  regions, domain-restricted sharing); relaxing one removes a control for everything below it (SOC 2 CC6.1, PCI
  10.2.1.7).
controls:
  iso27001:
  - A.8.15
  - A.8.9
  soc2:
  - CC6.1
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - CM-5
  - AU-12
params: []
false_positives:
- Project-level exceptions granted through a documented exception process.
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
- policy_name
- requested_policy
references:
- ../shared/docs/controls.md §2.5
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND status = 'success'
    AND ((service = 'orgpolicy.googleapis.com' AND regexp_matches(activity, '(CreatePolicy|UpdatePolicy|DeletePolicy|CreateCustomConstraint|UpdateCustomConstraint|DeleteCustomConstraint)$'))
         OR (service = 'cloudresourcemanager.googleapis.com' AND regexp_matches(activity, '(SetOrgPolicy|ClearOrgPolicy)$')))
),
d AS (SELECT *, coalesce(pp->'$.request', try_cast((pp->>'$.requestJson') AS JSON)) AS req FROM g)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
       coalesce(req->>'$.policy.name', req->>'$.policy.constraint', req->>'$.customConstraint.name', req->>'$.constraint', req->>'$.name', target) AS policy_name,
       coalesce(req->'$.policy', req->'$.customConstraint')::VARCHAR AS requested_policy
FROM d
ORDER BY time, event_id
