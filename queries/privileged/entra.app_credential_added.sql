/*
id: entra.app_credential_added
version: 3
title: Secret or certificate added to an Entra application or service principal
pack: privileged
families:
- entra
- m365
severity: high
category: CC
detects: Credentials (client secrets or certificates) added to a service principal ("Add service principal
  credentials") or written to an application registration ("Update application – Certificates and secrets
  management"), from the Entra audit log and its copy in the Microsoft 365 unified audit log; failed attempts left out.
  credential shows the key description Entra records (key id, type Password or AsymmetricX509Cert, usage, name).
why: An application credential lets whoever holds it sign in as the application with all its API permissions, without
  MFA and outside user sign-in reviews; adding one to a privileged app is a known persistence technique (PCI 10.2.1.5).
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
- Scheduled rotation of application secrets and certificates by their owners or by automation.
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
- object_type
- credential
references:
- ../shared/docs/controls.md §2.4
- Panther Azure.Audit.ServicePrincipalCredentialsAdded
- Sigma azure_app_credential_added
*/
SELECT event_id, time, source_family, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  list_filter(tr, t -> lower(t.type) IN ('application', 'serviceprincipal'))[1].type AS object_type,
  coalesce(trim(list_filter(mods, m -> m.name = 'KeyDescription')[1].new, '" '), trim(list_filter(mods, m -> m.name = 'KeyType')[1].new, '" ')) AS credential
FROM (
  SELECT *,
    ewb_entra_targets(source_family, fields, raw) AS tr, -- NULL for other records
    ewb_modified_properties(source_family, tr, rec) AS mods
  FROM (
    SELECT *, ewb_m365_record(source_family, fields, raw) AS rec
    FROM events
    WHERE source_family IN ('entra', 'm365')
      AND time >= $period_start AND time < $period_end
      AND ((rtrim(activity, '. ') IN ('Add service principal credentials', 'Update service principal credentials')
           OR activity LIKE 'Update application _ Certificates and secrets management%')
      AND coalesce(status, 'success') = 'success')
  ) a
) e
ORDER BY time, event_id
