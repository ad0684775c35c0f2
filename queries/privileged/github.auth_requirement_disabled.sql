/*
id: github.auth_requirement_disabled
version: 1
title: GitHub 2FA requirement, SSO or OAuth app restrictions disabled, or SAML settings changed
pack: privileged
families:
- github
severity: critical
category: PC
detects: The two-factor authentication requirement disabled for an organization or enterprise
  (org.disable_two_factor_requirement, business.disable_two_factor_requirement), SAML single sign-on disabled or its
  provider settings changed (org.saml_disabled, org.disable_saml, org.update_saml_provider_settings,
  business.disable_saml, business.update_saml_provider_settings), enterprise OIDC SSO disabled (business.disable_oidc)
  and OAuth app access restrictions lifted (org.disable_oauth_app_restrictions).
why: These settings enforce strong, centrally managed authentication for every member; disabling one lets accounts
  in with a password only or bypasses the identity provider's controls and offboarding (SOC 2 CC6.1, PCI 8.4).
controls:
  iso27001:
  - A.8.15
  - A.8.5
  soc2:
  - CC6.1
  - CC7.2
  pci:
  - 10.2.1.5
  nist:
  - IA-2
  - CM-5
  - AU-12
params: []
false_positives:
- Switching SSO to a new identity provider (the provider settings change, SSO is re-enabled shortly after).
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
- Panther Standard.MFADisabled
- Panther GitHub.Org.AuthChange
- Panther GitHub.Advanced.Security.Change
- ../shared/docs/controls.md §2.6
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target
FROM events
WHERE source_family = 'github'
  AND time >= $period_start AND time < $period_end
  AND activity IN ('org.disable_two_factor_requirement', 'business.disable_two_factor_requirement', 'org.saml_disabled', 'org.disable_saml',
                   'org.update_saml_provider_settings', 'business.disable_saml', 'business.update_saml_provider_settings', 'business.disable_oidc',
                   'org.disable_oauth_app_restrictions')
ORDER BY time, event_id
