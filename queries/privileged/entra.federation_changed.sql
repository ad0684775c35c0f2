/*
id: entra.federation_changed
version: 2
title: Domain federation settings changed or domain switched to federated
pack: privileged
families:
- entra
- m365
severity: critical
category: PC
detects: Changes to a domain's federation trust ("Set federation settings on domain") and domain authentication switched
  to federated ("Set domain authentication" whose LiveType becomes Federated), from the Entra audit log and the
  Microsoft 365 unified audit log; failed attempts left out.
why: A federated domain hands authentication of its users to an outside identity provider; adding or changing that trust
  lets whoever holds the provider's signing key sign in as any user of the domain, MFA included (Golden SAML).
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
  - CM-5
  - IA-2
params: []
false_positives:
- Planned AD FS or third-party identity provider certificate rollover.
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
- live_type
references:
- ../shared/docs/controls.md §2.4
- Panther Azure.Audit.DomainSettingsModified
- Sigma azure_federation_modified
*/
SELECT event_id, time, source_family, actor_user, actor_type, src_ip, cloud_account, activity, target, status, live_type
FROM (
  SELECT *,
    trim(list_filter(mods, m -> m.name = 'LiveType')[1].new, '" ') AS live_type
  FROM (
    SELECT *,
      ewb_entra_targets(source_family, fields, raw) AS tr, -- NULL for other records
      ewb_modified_properties(source_family, tr, rec) AS mods
    FROM (
      SELECT *, ewb_m365_record(source_family, fields, raw) AS rec
      FROM events
      WHERE source_family IN ('entra', 'm365')
        AND time >= $period_start AND time < $period_end
        AND (rtrim(activity, '. ') IN ('Set federation settings on domain', 'Set domain authentication')
        AND coalesce(status, 'success') = 'success')
    ) a
  ) b
) e
WHERE rtrim(activity, '. ') = 'Set federation settings on domain' OR len(list_filter(mods, m -> m.name = 'LiveType' AND m.new LIKE '%Federated%')) > 0
ORDER BY time, event_id
