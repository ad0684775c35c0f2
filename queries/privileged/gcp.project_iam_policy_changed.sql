/*
id: gcp.project_iam_policy_changed
version: 1
title: IAM policy changed on a GCP project
pack: privileged
families:
- gcp
severity: medium
category: PG
detects: Successful SetIamPolicy calls on a project itself (not on a resource inside it), with the role bindings the
  change added and removed.
why: The project IAM policy decides who administers everything in the project; each change should trace to an
  approved access request (PCI 10.2.1.5, SOC 2 CC6.2/CC6.3).
controls:
  iso27001:
  - A.8.15
  - A.5.18
  soc2:
  - CC6.2
  - CC6.3
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - AU-12
params: []
false_positives:
- Google-managed service agents added by Google when an API is enabled (actor ends in gserviceaccount.com).
- Infrastructure-as-code pipelines applying reviewed changes.
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
- bindings_added
- bindings_removed
references:
- ../shared/docs/controls.md §2.5
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND (activity ILIKE '%SetIamPolicy' AND status = 'success' AND service = 'cloudresourcemanager.googleapis.com'
         AND regexp_matches(coalesce(target, ''), '^projects/[^/]+$'))
),
d AS (
  SELECT *, json_extract(coalesce(pp->'$.serviceData', pp->'$.servicedata_v1_iam'), '$.policyDelta.bindingDeltas[*]') AS deltas FROM g
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
       nullif(array_to_string(list_transform(list_filter(deltas, lambda x: (x->>'$.action') = 'ADD'), lambda x: (x->>'$.role') || ' ' || coalesce(x->>'$.member', '?')), '; '), '') AS bindings_added,
       nullif(array_to_string(list_transform(list_filter(deltas, lambda x: (x->>'$.action') = 'REMOVE'), lambda x: (x->>'$.role') || ' ' || coalesce(x->>'$.member', '?')), '; '), '') AS bindings_removed
FROM d
ORDER BY time, event_id
