/*
id: gcp.custom_role_changed
version: 1
title: GCP custom IAM role created, changed or deleted
pack: privileged
families:
- gcp
severity: medium
category: PC
detects: Successful CreateRole, UpdateRole, DeleteRole and UndeleteRole calls on custom IAM roles (project or
  organization level), with the permissions the request sets.
why: Adding a permission to a custom role silently extends the access of everyone who holds it, without a new role
  binding to review (PCI 10.2.1.5, SOC 2 CC6.3).
controls:
  iso27001:
  - A.8.15
  - A.5.18
  soc2:
  - CC6.1
  - CC6.3
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - CM-5
params: []
false_positives:
- Role definitions maintained as code and applied by a reviewed pipeline.
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
- role_title
- update_mask
- included_permissions
references:
- Panther GCP.IAM.CustomRoleChanges
- ../shared/docs/controls.md §2.5
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND (service = 'iam.googleapis.com' AND status = 'success' AND regexp_matches(activity, '\.(CreateRole|UpdateRole|DeleteRole|UndeleteRole)$'))
),
d AS (SELECT *, coalesce(pp->'$.request', try_cast((pp->>'$.requestJson') AS JSON)) AS req FROM g)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
       req->>'$.role.title' AS role_title,
       coalesce(req->>'$.updateMask', req->>'$.update_mask') AS update_mask,
       nullif(array_to_string(list_concat(json_extract_string(req, '$.role.includedPermissions[*]'), json_extract_string(req, '$.role.included_permissions[*]')), ', '), '') AS included_permissions
FROM d
ORDER BY time, event_id
