/*
id: entra.admin_account_signins
version: 1
title: Sign-ins by break-glass and named administrator accounts
pack: privileged
families:
- entra
severity: medium
category: BG
detects: Every Entra sign-in (interactive, non-interactive; successful and failed) by a user whose sign-in name matches
  the admin_accounts pattern, by default names containing break-glass / breakglass / emergency or starting with admin,
  administrator or globaladmin, or ending in .admin / -admin / _admin before the @. Set the pattern to the tenant's
  actual break-glass and administrator accounts; auth_requirement shows whether the sign-in needed MFA.
why: Break-glass accounts should never sign in outside a documented emergency and dedicated administrator accounts are
  the population whose use auditors sample; failed sign-ins to them show password guessing against the most valuable
  accounts (PCI 10.2.1.2, 10.2.1.4).
controls:
  iso27001:
  - A.8.15
  - A.8.2
  iso27017:
  - 12.4.3
  soc2:
  - CC6.3
  - CC7.2
  pci:
  - 10.2.1.2
  - 10.2.1.4
  nist:
  - AU-12
  - AC-6(9)
  cis:
  - '8.5'
params:
- name: admin_accounts
  type: string
  default: (?i)(break-?glass|emergency|^(admin|administrator|globaladmin)[-._0-9]*@|[-._]admin@)
  description: Regular expression (RE2) matched against the sign-in name (UPN) of the accounts to report.
false_positives:
- Scheduled tests of the break-glass procedure; normal daily use of dedicated administrator accounts.
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
- error_code
- app
- auth_requirement
- country
- user_agent
references:
- ../shared/docs/controls.md §2.4
- Microsoft Entra break-glass account monitoring guidance
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, error_code,
  service AS app,
  CASE WHEN fields IS NULL
       THEN coalesce(ewb_json(raw)->>'$.properties.authenticationRequirement', ewb_json(raw)->>'$.authenticationRequirement', ewb_json(raw)->>'$.AuthenticationRequirement')
       ELSE fields['Authentication requirement'] END AS auth_requirement,
  CASE WHEN fields IS NULL
       THEN coalesce(ewb_json(raw)->>'$.properties.location.countryOrRegion', ewb_json(raw)->>'$.location.countryOrRegion',
                     (ewb_json(raw)->>'$.LocationDetails')->>'$.countryOrRegion', ewb_json(raw)->>'$.Location')
       ELSE fields['Location'] END AS country,
  user_agent
FROM events
WHERE source_family = 'entra'
  AND time >= $period_start AND time < $period_end
  AND (category = 'authentication' AND actor_type = 'user' AND regexp_matches(coalesce(actor_user, ''), $admin_accounts))
ORDER BY time, event_id
