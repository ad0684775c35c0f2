/*
id: gcp.privileged_role_granted
version: 1
title: Owner, editor, admin or impersonation role granted in GCP
pack: privileged
families:
- gcp
severity: high
category: PG
detects: IAM policy changes on any resource (organization, folder, project, bucket, service account, key...) that add
  a binding to roles/owner, roles/editor, any predefined role whose name contains "admin", or the service-account
  impersonation roles (iam.serviceAccountTokenCreator, iam.serviceAccountUser, iam.workloadIdentityUser); and
  project ownership invitations. One row per call, with the privileged bindings added.
why: These roles give administrative control or let the grantee act as a service account; each grant must trace to an
  approved access request (PCI 10.2.1.5, SOC 2 CC6.3). Custom roles are not judged here (see gcp.custom_role_changed).
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
  - AC-6
  - AU-12
params: []
false_positives:
- Break-glass or platform-team grants made through change management.
- Google-managed service agents granted *.admin or *.serviceAgent roles when an API is enabled.
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
- privileged_bindings_added
references:
- ../shared/docs/controls.md §2.5
- Panther GCP.Permissions.Granted.to.Create.or.Manage.Service.Account.Key
- Panther GCP.Project.ExternalUserOwnershipInvite
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND status = 'success'
    AND (activity ILIKE '%SetIamPolicy' OR activity ILIKE '%setIamPermissions' OR activity = 'InsertProjectOwnershipInvite')
),
d AS (
  SELECT *,
         CASE WHEN activity = 'InsertProjectOwnershipInvite'
              THEN ['roles/owner ' || coalesce(coalesce(pp->'$.request', try_cast((pp->>'$.requestJson') AS JSON))->>'$.member', '?')]
              ELSE list_transform(
                     list_filter(json_extract(coalesce(pp->'$.serviceData', pp->'$.servicedata_v1_iam'), '$.policyDelta.bindingDeltas[*]'),
                       lambda x: (x->>'$.action') = 'ADD'
                         AND ((x->>'$.role') IN ('roles/owner', 'roles/editor', 'roles/iam.serviceAccountTokenCreator', 'roles/iam.serviceAccountUser', 'roles/iam.workloadIdentityUser')
                              OR ((x->>'$.role') LIKE 'roles/%' AND lower(x->>'$.role') LIKE '%admin%'))),
                     lambda x: (x->>'$.role') || ' ' || coalesce(x->>'$.member', '?')) END AS granted
  FROM g
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
       array_to_string(granted, '; ') AS privileged_bindings_added
FROM d
WHERE len(granted) > 0
ORDER BY time, event_id
