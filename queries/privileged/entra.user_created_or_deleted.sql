/*
id: entra.user_created_or_deleted
version: 1
title: Entra user account created, invited, deleted or restored
pack: privileged
families:
- entra
- m365
severity: medium
category: AL
detects: Successful user lifecycle changes in Microsoft Entra ID ("Add user", "Invite external user", "Delete user",
  "Hard delete user", "Restore user"), from the Entra audit log and its copy in the Microsoft 365 unified audit log.
why: Account creation and removal is the population auditors sample to test joiner / leaver controls; accounts created
  and deleted within a short window, or guests invited by unexpected users, deserve a closer look (PCI 10.2.1.5).
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
- HR-driven provisioning (Entra Connect, SCIM, lifecycle workflows) creating and removing accounts in bulk.
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
- change
references:
- ../shared/docs/controls.md §2.4
- Sigma azure_ad_account_created_deleted
*/
SELECT event_id, time, source_family, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  CASE lower(rtrim(activity, '. ')) WHEN 'add user' THEN 'created' WHEN 'invite external user' THEN 'guest invited'
       WHEN 'delete user' THEN 'deleted' WHEN 'hard delete user' THEN 'permanently deleted' ELSE 'restored' END AS change
FROM (
  SELECT *
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
        AND (lower(rtrim(activity, '. ')) IN ('add user', 'invite external user', 'delete user', 'hard delete user', 'restore user')
        AND status = 'success')
    ) a
  ) b
) e
ORDER BY time, event_id
