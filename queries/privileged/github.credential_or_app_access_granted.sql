/*
id: github.credential_or_app_access_granted
version: 1
title: GitHub SSH or deploy key, access token or app granted access
pack: privileged
families:
- github
severity: medium
category: CC
detects: SSH keys added to accounts and deploy keys added to repositories (public_key.create), fine-grained personal
  access tokens granted access to the organization (personal_access_token.access_granted), tokens and keys authorized
  for SAML SSO (org_credential_authorization.grant), OAuth apps authorized by a user (oauth_authorization.create) or
  approved for the organization (org.oauth_app_access_approved), and GitHub Apps installed or given more repositories
  (integration_installation.create, integration_installation.repositories_added).
why: Each of these creates a non-interactive credential or third-party access path that bypasses SSO sign-in and
  outlives a password change; they must be inventoried and reviewed (PCI 10.2.1.5, SOC 2 CC6.2/CC6.3).
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
  - IA-5
  - AU-12
params: []
false_positives:
- Developers adding SSH keys for their own new laptop; approved integrations (CI, chat) installed by their owners.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- programmatic_access_type
references:
- Panther GitHub.User.AccessKeyCreated
- Panther Github.Organization.App.Integration.Installed
- ../shared/docs/controls.md §2.6
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields['programmatic_access_type'] AS programmatic_access_type
FROM events
WHERE source_family = 'github'
  AND time >= $period_start AND time < $period_end
  AND activity IN ('public_key.create', 'personal_access_token.access_granted', 'org_credential_authorization.grant', 'oauth_authorization.create',
                   'org.oauth_app_access_approved', 'integration_installation.create', 'integration_installation.repositories_added')
ORDER BY time, event_id
