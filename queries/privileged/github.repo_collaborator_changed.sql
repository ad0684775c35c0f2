/*
id: github.repo_collaborator_changed
version: 1
title: GitHub repository collaborator added, changed or removed
pack: privileged
families:
- github
severity: medium
category: PG
detects: Collaborators added to (repo.add_member), removed from (repo.remove_member) or given a different permission on
  (repo.update_member) a repository, with the permission recorded.
why: Collaborators - often outside the organization - get direct access to a repository outside team-based access
  reviews; each grant must be approved and reviewed (SOC 2 CC6.2/CC6.3, PCI 10.2.1.5).
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
- Repository admins adding contractors under an approved engagement.
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
- Panther Github.Repo.CollaboratorChange
- ../shared/docs/controls.md §2.6
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields,
         ewb_github_event(raw) AS ev
  FROM events
  WHERE source_family = 'github'
    AND time >= $period_start AND time < $period_end
    AND activity IN ('repo.add_member', 'repo.remove_member', 'repo.update_member')
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields['repo'] AS repo,
       coalesce(coalesce(ev->>'$.permission', ev->>'$.data.permission', fields['permission'], fields['data.permission']), coalesce(ev->>'$.role', ev->>'$.data.role', fields['role'], fields['data.role'])) AS permission
FROM g
ORDER BY time, event_id
