/*
id: m365.audit_logging_disabled
version: 1
title: Microsoft 365 audit logging turned off or mailbox auditing bypassed
pack: privileged
families:
- m365
severity: critical
category: LT
detects: Exchange Online cmdlets that stop or narrow auditing, namely Set-AdminAuditLogConfig turning off unified audit
  log ingestion (UnifiedAuditLogIngestionEnabled False) or admin audit logging (AdminAuditLogEnabled False),
  Set-OrganizationConfig turning mailbox auditing off for the organisation (AuditDisabled True), Set-Mailbox turning
  a mailbox's auditing off (AuditEnabled False) and Set-MailboxAuditBypassAssociation exempting an account from
  mailbox auditing (AuditBypassEnabled True). Failed attempts are left out.
why: Turning off the unified audit log stops the record of every Microsoft 365 workload for the tenant; audit bypass
  hides one account's mailbox access. Both destroy the evidence this review depends on (PCI 10.2.1.6, CIS Microsoft 365 3.1.1).
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-5
  cis:
  - '8.2'
params: []
false_positives:
- Audit bypass for a monitoring or backup service account that opens every mailbox, approved and documented.
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
- change
- object
references:
- ../shared/docs/controls.md §2.4
- Sigma microsoft365_disable_mailbox_audit_log (Set-Mailbox AuditEnabled False)
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, change,
  coalesce(list_filter(params, p -> lower(p.Name) = 'identity')[1].Value, target) AS object
FROM (
  SELECT *,
    CASE WHEN activity = 'Set-AdminAuditLogConfig' AND lower(trim(list_filter(params, p -> lower(p.Name) = 'unifiedauditlogingestionenabled')[1].Value, '$ ')) IN ('false', '0') THEN 'unified audit log ingestion turned off'
         WHEN activity = 'Set-AdminAuditLogConfig' AND lower(trim(list_filter(params, p -> lower(p.Name) = 'adminauditlogenabled')[1].Value, '$ ')) IN ('false', '0') THEN 'admin audit logging turned off'
         WHEN activity = 'Set-OrganizationConfig' AND lower(trim(list_filter(params, p -> lower(p.Name) = 'auditdisabled')[1].Value, '$ ')) IN ('true', '1') THEN 'mailbox auditing turned off for the organisation'
         WHEN activity = 'Set-Mailbox' AND lower(trim(list_filter(params, p -> lower(p.Name) = 'auditenabled')[1].Value, '$ ')) IN ('false', '0') THEN 'mailbox auditing turned off'
         WHEN activity = 'Set-MailboxAuditBypassAssociation' AND lower(trim(list_filter(params, p -> lower(p.Name) = 'auditbypassenabled')[1].Value, '$ ')) IN ('true', '1') THEN 'mailbox audit bypass granted' END AS change
  FROM (
    SELECT *,
      -- the cmdlet's parameters (Name/Value pairs; JSON text in Sentinel OfficeActivity rows)
      from_json(CASE WHEN json_type(rec, '$.Parameters') = 'VARCHAR' THEN try_cast(rec->>'$.Parameters' AS JSON)
                     ELSE coalesce(json_extract(rec, '$.Parameters'), json_extract(rec, '$.parameters')) END,
                '[{"Name":"VARCHAR","Value":"VARCHAR"}]') AS params
    FROM (
      -- the audit record: the event itself, or the AuditData text of a Search-UnifiedAuditLog object or CSV row
      SELECT *, coalesce(fields['AuditData'], ewb_json(raw)->>'$.AuditData', ewb_json(raw)->>'$.auditData', raw) AS rec
      FROM events
      WHERE source_family = 'm365'
        AND time >= $period_start AND time < $period_end
        AND (activity IN ('Set-AdminAuditLogConfig', 'Set-OrganizationConfig', 'Set-Mailbox', 'Set-MailboxAuditBypassAssociation')
        AND coalesce(status, 'success') = 'success')
    ) a
  ) b
) e
WHERE change IS NOT NULL
ORDER BY time, event_id
