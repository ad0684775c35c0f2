/*
id: m365.external_mail_forwarding
version: 1
title: Mailbox or inbox rule forwarding mail to an external address
pack: privileged
families:
- m365
severity: high
category: NE
detects: Mailbox forwarding (Set-Mailbox with ForwardingSmtpAddress or ForwardingAddress) and inbox rules (New-InboxRule,
  Set-InboxRule with ForwardTo, ForwardAsAttachmentTo or RedirectTo) sending mail to at least one address whose domain
  is neither the acting user's domain (or a subdomain of it) nor the tenant's onmicrosoft.com domain; a recipient
  written without a domain (a contact name) is kept, since it cannot be shown to be internal. Clearing forwarding
  (empty value) is not flagged.
why: Automatic forwarding to outside addresses is the most common way mail leaves a compromised or departing user's
  mailbox unnoticed; CIS Microsoft 365 6.2 expects it blocked or reviewed.
controls:
  iso27001:
  - A.8.15
  - A.5.14
  soc2:
  - CC6.6
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - SC-7
  - AU-12
params: []
false_positives:
- Forwarding to a partner or a personal address approved by the data owner.
- Acquired companies still using their own mail domain inside the same tenant.
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
- mailbox
- forwarding_to
- external_recipients
- keeps_copy
references:
- ../shared/docs/controls.md §2.4
- Panther Microsoft365.Exchange.External.Forwarding
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  coalesce(list_filter(params, p -> lower(p.Name) = 'mailbox')[1].Value, list_filter(params, p -> lower(p.Name) = 'identity')[1].Value, target) AS mailbox,
  array_to_string(list_transform(fwd, f -> f.Value), '; ') AS forwarding_to,
  array_to_string(external, '; ') AS external_recipients,
  list_filter(params, p -> lower(p.Name) = 'delivertomailboxandforward')[1].Value AS keeps_copy
FROM (
  SELECT *,
    list_filter(
      -- every recipient: smtp: prefix removed, lists split on ';'
      flatten(list_transform(fwd, f -> list_transform(string_split(f.Value, ';'), x -> regexp_replace(trim(x), '^(?i)smtp:', '')))),
      x -> x <> '' AND NOT (contains(x, '@') AND (
             lower(split_part(x, '@', -1)) IN (own_domain, org_domain)
             OR (own_domain <> '' AND lower(split_part(x, '@', -1)) LIKE '%.' || own_domain)))) AS external
  FROM (
    SELECT *,
      -- the cmdlet's parameters (Name/Value pairs; JSON text in Sentinel OfficeActivity rows)
      from_json(CASE WHEN json_type(rec, '$.Parameters') = 'VARCHAR' THEN try_cast(rec->>'$.Parameters' AS JSON)
                     ELSE coalesce(json_extract(rec, '$.Parameters'), json_extract(rec, '$.parameters')) END,
                '[{"Name":"VARCHAR","Value":"VARCHAR"}]') AS params,
      list_filter(params, p -> lower(p.Name) IN ('forwardingsmtpaddress', 'forwardingaddress', 'forwardto', 'forwardasattachmentto', 'redirectto')
                               AND coalesce(trim(p.Value), '') <> '') AS fwd,
      lower(coalesce(nullif(split_part(actor_user, '@', 2), ''), '')) AS own_domain,
      lower(coalesce(rec->>'$.OrganizationName', rec->>'$.organizationName', rec->>'$.organizationname', '')) AS org_domain
    FROM (
      -- the audit record: the event itself, or the AuditData text of a Search-UnifiedAuditLog object or CSV row
      SELECT *, coalesce(fields['AuditData'], ewb_json(raw)->>'$.AuditData', ewb_json(raw)->>'$.auditData', raw) AS rec
      FROM events
      WHERE source_family = 'm365'
        AND time >= $period_start AND time < $period_end
        AND (activity IN ('Set-Mailbox', 'New-InboxRule', 'Set-InboxRule')
        AND coalesce(status, 'success') = 'success')
    ) a
  ) b
) e
WHERE len(external) > 0
ORDER BY time, event_id
