/*
id: m365.ediscovery_search_or_export
version: 1
title: eDiscovery content search created, run, exported or purged
pack: privileged
families:
- m365
severity: medium
category: BG
detects: Content searches across mailboxes and sites and what was done with their results, from the Security &
  Compliance cmdlets (New-, Set-, Start-ComplianceSearch; New-ComplianceSearchAction with Export, Purge or Preview;
  legacy New-MailboxSearch, Start-MailboxSearch, Search-Mailbox) and the eDiscovery audit operations (SearchCreated,
  SearchUpdated, SearchStarted, SearchPreviewed, SearchExported, SearchExportDownloaded, SearchResultsPurged).
  Failed attempts are left out.
why: eDiscovery reads any mailbox, OneDrive and site in the tenant regardless of their owners; each search and export
  should trace to an approved legal or HR case, and a purge deletes mail everywhere (PCI 10.2.1.2).
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
  nist:
  - AU-12
  - AC-6(9)
  cis:
  - '8.5'
params: []
false_positives:
- Searches by the legal or compliance team for a documented case; phishing clean-up purges by the security team.
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
- action
- search_name
- search_query
references:
- ../shared/docs/controls.md §2.4
- Microsoft Purview audit activities (eDiscovery)
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  CASE WHEN activity = 'New-ComplianceSearchAction' THEN
         CASE WHEN list_filter(params, p -> lower(p.Name) = 'purge')[1].Value IS NOT NULL THEN 'purge' WHEN list_filter(params, p -> lower(p.Name) = 'export')[1].Value IS NOT NULL THEN 'export'
              WHEN list_filter(params, p -> lower(p.Name) = 'preview')[1].Value IS NOT NULL THEN 'preview' ELSE 'search action' END
       WHEN activity IN ('SearchExported', 'SearchExportDownloaded') THEN 'export'
       WHEN activity = 'SearchResultsPurged' THEN 'purge'
       WHEN activity = 'SearchPreviewed' THEN 'preview'
       WHEN activity IN ('Start-ComplianceSearch', 'Start-MailboxSearch', 'Search-Mailbox', 'SearchStarted') THEN 'run'
       ELSE 'created or changed' END AS action,
  coalesce(list_filter(params, p -> lower(p.Name) = 'searchname')[1].Value, list_filter(params, p -> lower(p.Name) = 'name')[1].Value, list_filter(params, p -> lower(p.Name) = 'identity')[1].Value, rec->>'$.ObjectId', target) AS search_name,
  coalesce(list_filter(params, p -> lower(p.Name) = 'contentmatchquery')[1].Value, list_filter(params, p -> lower(p.Name) = 'searchquery')[1].Value, rec->>'$.Query') AS search_query
FROM (
  SELECT *
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
        AND (activity IN ('New-ComplianceSearch', 'Set-ComplianceSearch', 'Start-ComplianceSearch', 'New-ComplianceSearchAction',
                     'New-MailboxSearch', 'Start-MailboxSearch', 'Search-Mailbox',
                     'SearchCreated', 'SearchUpdated', 'SearchStarted', 'SearchPreviewed', 'SearchExported', 'SearchExportDownloaded', 'SearchResultsPurged')
        AND coalesce(status, 'success') = 'success')
    ) a
  ) b
) e
ORDER BY time, event_id
