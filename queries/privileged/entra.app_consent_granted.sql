/*
id: entra.app_consent_granted
version: 3
title: Permissions granted to an application (user or admin consent)
pack: privileged
families:
- entra
- m365
severity: high
category: PG
detects: Successful consent to an application ("Consent to application"), delegated permission grants ("Add delegated
  permission grant") and application permissions granted to a service principal ("Add app role assignment to service
  principal"), from the Entra audit log and its copy in the Microsoft 365 unified audit log; permissions shows the
  scopes or app role granted, admin_consent whether the grant covers all users of the tenant.
why: A grant lets an application read or change data (mail, files, directory) on behalf of users or on its own, and
  survives password resets; illicit consent grants are a common way into Microsoft 365 mailboxes (CC6.3).
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
- Administrators approving a newly purchased SaaS application after review.
columns:
- event_id
- time
- source_family
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- status
- permissions
- admin_consent
references:
- ../shared/docs/controls.md §2.4
- Sigma azure_app_privileged_permissions
*/
SELECT event_id, time, source_family, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  coalesce(trim(list_filter(mods, m -> m.name = 'DelegatedPermissionGrant.Scope')[1].new, '" '),
           trim(list_filter(mods, m -> m.name = 'AppRole.Value')[1].new, '" '),
           trim(list_filter(mods, m -> m.name = 'ConsentAction.Permissions')[1].new, '" ')) AS permissions,
  coalesce(trim(list_filter(mods, m -> m.name = 'DelegatedPermissionGrant.ConsentType')[1].new, '" ') = 'AllPrincipals'
           OR lower(trim(list_filter(mods, m -> m.name = 'ConsentContext.IsAdminConsent')[1].new, '" ')) = 'true'
           OR rtrim(activity, '. ') = 'Add app role assignment to service principal', false) AS admin_consent
FROM (
  SELECT *,
    ewb_entra_targets(source_family, fields, raw) AS tr, -- NULL for other records
    ewb_modified_properties(source_family, tr, rec) AS mods
  FROM (
    SELECT *, ewb_m365_record(source_family, fields, raw) AS rec
    FROM events
    WHERE source_family IN ('entra', 'm365')
      AND time >= $period_start AND time < $period_end
      AND (rtrim(activity, '. ') IN ('Consent to application', 'Add delegated permission grant', 'Add app role assignment to service principal')
      AND status = 'success')
  ) a
) e
ORDER BY time, event_id
