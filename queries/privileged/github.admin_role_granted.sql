/*
id: github.admin_role_granted
version: 1
title: GitHub owner or admin role granted or changed
pack: privileged
families:
- github
severity: high
category: PG
detects: Organization role changes between member and owner (org.update_member), enterprise owners added or invited
  (business.add_admin, business.invite_admin), team maintainers promoted (team.promote_maintainer), and admin access
  given through a team (team.add_repository, team.update_repository_permission) or to a collaborator
  (repo.add_member, repo.update_member) or member (org.add_member, org.invite_member) when the recorded permission or
  role is admin. The permission recorded is shown.
why: Owners and enterprise owners control every repository, member and setting, including the audit log itself;
  each grant must trace to an approved request (PCI 10.2.1.5, SOC 2 CC6.3).
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
- Planned handover of ownership documented in change management.
- org.update_member also records demotions from owner to member (see permission).
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- repo
- permission
references:
- Panther GitHub.User.RoleUpdated
- Panther Standard.AdminRoleAssigned
- ../shared/docs/controls.md §2.6
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields,
         ewb_github_event(raw) AS ev
  FROM events
  WHERE source_family = 'github'
    AND time >= $period_start AND time < $period_end
    AND activity IN ('org.update_member', 'business.add_admin', 'business.invite_admin', 'team.promote_maintainer',
                     'team.add_repository', 'team.update_repository_permission', 'repo.add_member', 'repo.update_member',
                     'org.add_member', 'org.invite_member')
),
p AS (
  SELECT *, coalesce(coalesce(ev->>'$.permission', ev->>'$.data.permission', fields['permission'], fields['data.permission']), coalesce(ev->>'$.role', ev->>'$.data.role', fields['role'], fields['data.role']), coalesce(ev->>'$.invitee_role', ev->>'$.data.invitee_role', fields['invitee_role'], fields['data.invitee_role'])) AS permission FROM g
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields['repo'] AS repo, permission
FROM p
WHERE activity IN ('org.update_member', 'business.add_admin', 'business.invite_admin', 'team.promote_maintainer')
   OR lower(permission) IN ('admin', 'owner', 'admin_role')
ORDER BY time, event_id
