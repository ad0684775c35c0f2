/*
id: gcp.org_or_folder_iam_policy_changed
version: 1
title: IAM policy changed on a GCP organization or folder
pack: privileged
families:
- gcp
severity: high
category: PG
detects: Successful SetIamPolicy calls on an organization or folder (or recorded in an organization's or folder's audit
  log), with the role bindings the change added and removed.
why: Roles granted at organization or folder level are inherited by every project below; one binding there can give
  access to the whole estate (PCI 10.2.1.5, CIS GCP 1.x).
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
- Infrastructure-as-code pipelines (e.g. Terraform) applying reviewed organization policy; check user_agent and the
  change record.
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
- level
- bindings_added
- bindings_removed
references:
- Panther GCP.IAM.OrgFolderIAMChanges
- ../shared/docs/controls.md §2.5
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND (activity ILIKE '%SetIamPolicy' AND status = 'success'
         AND (regexp_matches(coalesce(target, ''), '^(organizations|folders)/[^/]+$')
              OR cloud_account LIKE 'organizations/%' OR cloud_account LIKE 'folders/%'))
),
d AS (
  SELECT *, json_extract(coalesce(pp->'$.serviceData', pp->'$.servicedata_v1_iam'), '$.policyDelta.bindingDeltas[*]') AS deltas FROM g
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
       CASE WHEN coalesce(target, cloud_account) LIKE 'folders/%' THEN 'folder' ELSE 'organization' END AS level,
       nullif(array_to_string(list_transform(list_filter(deltas, lambda x: (x->>'$.action') = 'ADD'), lambda x: (x->>'$.role') || ' ' || coalesce(x->>'$.member', '?')), '; '), '') AS bindings_added,
       nullif(array_to_string(list_transform(list_filter(deltas, lambda x: (x->>'$.action') = 'REMOVE'), lambda x: (x->>'$.role') || ' ' || coalesce(x->>'$.member', '?')), '; '), '') AS bindings_removed
FROM d
ORDER BY time, event_id
