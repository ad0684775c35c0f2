/*
id: github.repo_made_public_or_transferred
version: 1
title: GitHub repository made public or transferred out
pack: privileged
families:
- github
severity: high
category: NE
detects: Repositories created public (repo.create with visibility public), switched to public (repo.access with
  visibility public), or sent to another owner (repo.transfer_start, repo.transfer_outgoing).
why: A public or transferred repository exposes source code, and often embedded secrets, outside the organization;
  each must be an approved decision (SOC 2 CC6.1/CC6.7, ISO 27001 A.5.14).
controls:
  iso27001:
  - A.8.15
  - A.5.14
  soc2:
  - CC6.1
  - CC6.7
  pci:
  - 10.2.1.7
  nist:
  - AC-21
  - AU-12
params: []
false_positives:
- Open-source releases approved through the publication process.
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
- visibility
- previous_visibility
references:
- Panther Github.Public.Repository.Created
- Panther Github.Repo.VisibilityChange
- Sigma github_repo_or_org_transferred
- ../shared/docs/controls.md §2.6
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields,
         ewb_github_event(raw) AS ev
  FROM events
  WHERE source_family = 'github'
    AND time >= $period_start AND time < $period_end
    AND activity IN ('repo.create', 'repo.access', 'repo.transfer_start', 'repo.transfer_outgoing')
),
v AS (
  SELECT *, lower(coalesce(ev->>'$.visibility', ev->>'$.data.visibility', fields['visibility'], fields['data.visibility'])) AS visibility, lower(coalesce(ev->>'$.previous_visibility', ev->>'$.data.previous_visibility', fields['previous_visibility'], fields['data.previous_visibility'])) AS previous_visibility FROM g
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields['repo'] AS repo, visibility, previous_visibility
FROM v
WHERE activity IN ('repo.transfer_start', 'repo.transfer_outgoing') OR visibility = 'public'
ORDER BY time, event_id
