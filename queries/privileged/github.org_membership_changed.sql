/*
id: github.org_membership_changed
version: 1
title: GitHub organization member added, invited or removed
pack: privileged
families:
- github
severity: low
category: AL
detects: Members added to (org.add_member), invited to (org.invite_member) or removed from (org.remove_member) a GitHub
  organization.
why: Organization membership gives access to internal repositories; joiners and leavers must trace to HR-driven
  access requests and removals must be timely (SOC 2 CC6.2, PCI 10.2.1.5).
controls:
  iso27001:
  - A.8.15
  - A.5.16
  - A.5.18
  soc2:
  - CC6.1
  - CC6.2
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - AU-12
params: []
false_positives:
- SCIM or SSO provisioning adding members from the identity provider (check the actor).
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
references:
- Panther GitHub.Org.Modified
- Sigma github_new_org_member
- ../shared/docs/controls.md §2.6
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target
FROM events
WHERE source_family = 'github'
  AND time >= $period_start AND time < $period_end
  AND activity IN ('org.add_member', 'org.invite_member', 'org.remove_member')
ORDER BY time, event_id
