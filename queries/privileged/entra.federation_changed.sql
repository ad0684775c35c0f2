/*
id: entra.federation_changed
version: 1
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
      -- target resources of an Entra audit record (diagnostic, Graph and Log Analytics shapes; dynamic columns may be JSON text;
      -- the portal CSV download has no modified properties)
      CASE WHEN source_family = 'entra' AND fields IS NULL THEN from_json(coalesce(json_extract(ewb_json(raw), '$.properties.targetResources'), json_extract(ewb_json(raw), '$.Properties.targetResources'),
             json_extract(ewb_json(raw), '$.targetResources'),
             CASE WHEN json_type(ewb_json(raw), '$.TargetResources') = 'VARCHAR' THEN try_cast(ewb_json(raw)->>'$.TargetResources' AS JSON) ELSE json_extract(ewb_json(raw), '$.TargetResources') END),
           '[{"id":"VARCHAR","displayName":"VARCHAR","type":"VARCHAR","userPrincipalName":"VARCHAR","modifiedProperties":[{"displayName":"VARCHAR","oldValue":"VARCHAR","newValue":"VARCHAR"}]}]') END AS tr,
      -- modified properties as {name, old, new}: every Entra target's, or the unified audit log record's own
      CASE WHEN source_family = 'entra'
        THEN flatten(list_transform(coalesce(tr, []), t -> list_transform(coalesce(t.modifiedProperties, []), m -> {'name': m.displayName, 'old': m.oldValue, 'new': m.newValue})))
        ELSE list_transform(from_json(coalesce(json_extract(rec, '$.ModifiedProperties'), json_extract(rec, '$.modifiedProperties'), json_extract(rec, '$.modifiedproperties')),
               '[{"Name":"VARCHAR","OldValue":"VARCHAR","NewValue":"VARCHAR"}]'), m -> {'name': m.Name, 'old': m.OldValue, 'new': m.NewValue}) END AS mods
    FROM (
      -- the unified audit log record: the event itself, or the AuditData of a Search-UnifiedAuditLog object or CSV row
      SELECT *, CASE WHEN source_family = 'm365' THEN CASE WHEN fields IS NOT NULL THEN fields['AuditData'] ELSE coalesce(ewb_json(raw)->>'$.AuditData', ewb_json(raw)->>'$.auditData', raw) END END AS rec
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
