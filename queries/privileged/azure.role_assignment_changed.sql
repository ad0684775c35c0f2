/*
id: azure.role_assignment_changed
version: 1
title: Azure RBAC role assignment or custom role definition changed
pack: privileged
families:
- azure
severity: high
category: PG
detects: Successful Azure RBAC role assignments created or deleted (Microsoft.Authorization/roleAssignments/write,
  /delete) and custom role definitions created, changed or deleted (roleDefinitions/write, /delete), with the role
  assigned, its scope (root, management group, subscription, resource group, resource) and whether the role is a
  privileged built-in role (Owner, Contributor, User Access Administrator, Role Based Access Control Administrator,
  Security Admin, Key Vault Administrator, Storage Blob Data Owner, Virtual Machine Administrator Login; empty when the record does not name the role).
why: Role assignments are how Azure grants rights over subscriptions and resources; Owner, Contributor and User Access
  Administrator at subscription or management-group scope are the most consequential grants, and a changed custom role
  silently widens every assignment that uses it (PCI 10.2.1.5).
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
- Infrastructure-as-code pipelines (Terraform, Bicep) and Privileged Identity Management creating and removing
  assignments as part of approved changes.
- Azure services (Defender for Cloud, Azure Lighthouse onboarding) assigning their own roles.
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
- change
- role_definition_id
- role_name
- privileged_role
- scope
- scope_level
references:
- ../shared/docs/controls.md §2.4
- Sigma azure_granting_permission_detection
- Panther Azure.MonitorActivity.RoleAssignment.PrivilegedOrElevated (narrower, with elevate access)
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  CASE WHEN lower(activity) LIKE '%roleassignments/write' OR lower(activity) = 'create role assignment' THEN 'role assignment created'
       WHEN lower(activity) LIKE '%roleassignments/delete' OR lower(activity) = 'delete role assignment' THEN 'role assignment deleted'
       WHEN lower(activity) LIKE '%roledefinitions/delete' OR lower(activity) = 'delete custom role definition' THEN 'custom role deleted'
       ELSE 'custom role created or changed' END AS change,
  role_definition_id,
  CASE role_definition_id
    WHEN '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' THEN 'Owner'
    WHEN 'b24988ac-6180-42a0-ab88-20f7382dd24c' THEN 'Contributor'
    WHEN '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9' THEN 'User Access Administrator'
    WHEN 'f58310d9-a9f6-439a-9e8d-f62e7b41a168' THEN 'Role Based Access Control Administrator'
    WHEN 'fb1c8493-542b-48eb-b624-b4c8fea62acd' THEN 'Security Admin'
    WHEN '00482a5a-887f-4fb3-b363-3b7fe8e74483' THEN 'Key Vault Administrator'
    WHEN 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' THEN 'Storage Blob Data Owner'
    WHEN '1c0163c0-47e6-4577-8991-ea5c82e286e4' THEN 'Virtual Machine Administrator Login'
    WHEN 'acdd72a7-3385-48ef-bd42-f606fba81ae7' THEN 'Reader'
  END AS role_name,
  role_definition_id IN ('8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168', 'fb1c8493-542b-48eb-b624-b4c8fea62acd',
    '00482a5a-887f-4fb3-b363-3b7fe8e74483', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b', '1c0163c0-47e6-4577-8991-ea5c82e286e4') AS privileged_role,
  scope,
  CASE WHEN scope IS NULL THEN NULL
       WHEN scope IN ('', '/') THEN 'root (tenant)'
       WHEN regexp_matches(scope, '(?i)/providers/Microsoft\.Management/managementGroups/[^/]+$') THEN 'management group'
       WHEN regexp_matches(scope, '(?i)^/subscriptions/[^/]+$') THEN 'subscription'
       WHEN regexp_matches(scope, '(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+$') THEN 'resource group'
       ELSE 'resource' END AS scope_level
FROM (
  SELECT *,
    -- The assigned role: the roleDefinitions/<guid> path in the request or response body (the caller's own role in
    -- identity.authorization.evidence is a bare id and is not matched); for a role definition, its own id.
    nullif(lower(regexp_extract(raw, '(?i)roleDefinitions/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})', 1)), '') AS role_definition_id,
    -- An assignment's resource id is its scope followed by /providers/Microsoft.Authorization/roleAssignments/<id>.
    CASE WHEN regexp_matches(target, '(?i)/providers/Microsoft\.Authorization/roleAssignments/')
      THEN regexp_extract(target, '(?i)^(.*)/providers/Microsoft\.Authorization/roleAssignments/', 1) END AS scope
  FROM events
  WHERE source_family = 'azure'
    AND time >= $period_start AND time < $period_end
    AND (lower(activity) IN ('microsoft.authorization/roleassignments/write', 'microsoft.authorization/roleassignments/delete',
                             'microsoft.authorization/roledefinitions/write', 'microsoft.authorization/roledefinitions/delete',
                             'create role assignment', 'delete role assignment',
                             'create or update custom role definition', 'delete custom role definition')
         AND status = 'success')
) e
ORDER BY time, event_id
