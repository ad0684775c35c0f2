/*
id: okta.admin_role_granted
version: 1
title: Okta administrator role granted to a user or group
pack: privileged
families:
- okta
severity: high
category: PG
detects: Administrator roles assigned in Okta - to a user (user.account.privilege.grant), to a group
  (group.privilege.grant) or as a custom-role binding to a resource set (iam.resourceset.bindings.add) - with the
  privileges granted; super_admin marks Super Administrator grants. Attempts Okta recorded as failed are left out.
why: Okta administrators control sign-on for every connected application; each admin grant must trace to an approved
  request (PCI 10.2.1.5, SOC 2 CC6.3), and Super Administrator should be held by very few.
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
- Onboarding of a new administrator approved through access management.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- target_type
- status
- privilege_granted
- super_admin
references:
- Panther Okta.AdminRoleAssigned
- Panther Okta.Group.Admin.Role.Assigned
- Sigma okta_admin_role_assigned_to_user_or_group
- ../shared/docs/controls.md §2.3
*/
WITH o AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields['target_type'] AS target_type, status,
         ewb_okta_event(raw) AS ev
  FROM events
  WHERE source_family = 'okta'
    AND time >= $period_start AND time < $period_end
    AND (activity IN ('user.account.privilege.grant', 'group.privilege.grant', 'iam.resourceset.bindings.add') AND status IS DISTINCT FROM 'failure')
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, target_type, status,
       (coalesce(ev->'$.debugContext.debugData', ev->'$.debugcontext.debugData', ev->'$.debugcontext.debugdata'))->>'$.privilegeGranted' AS privilege_granted,
       coalesce(lower((coalesce(ev->'$.debugContext.debugData', ev->'$.debugcontext.debugData', ev->'$.debugcontext.debugdata'))->>'$.privilegeGranted') LIKE '%super admin%', false) AS super_admin
FROM o
ORDER BY time, event_id
