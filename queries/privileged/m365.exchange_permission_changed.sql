/*
id: m365.exchange_permission_changed
version: 1
title: Exchange mailbox permission granted or admin role group membership changed
pack: privileged
families:
- m365
severity: high
category: PG
detects: Successful Exchange Online permission grants from the unified audit log, namely mailbox permissions
  (Add-MailboxPermission, e.g. FullAccess), Send As rights (Add-RecipientPermission), members added to, removed from or
  replaced in role groups (Add-, Remove-, Update-RoleGroupMember), new role groups (New-RoleGroup) and management role
  assignments (New-ManagementRoleAssignment); object is the mailbox or role group, grantee the user or group given or
  removed the access, rights the access rights or role.
why: FullAccess lets one user read another's mailbox and Exchange role groups (Organization Management, Discovery
  Management) administer all mail; every grant should trace to an approved request (PCI 10.2.1.5).
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
- Delegation of a shared mailbox or an executive's mailbox to an assistant, requested through the service desk.
- Exchange service accounts (NT AUTHORITY\SYSTEM) granting permissions during mailbox provisioning.
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
- object
- grantee
- rights
- full_access
references:
- ../shared/docs/controls.md §2.4
- Sigma microsoft365_susp_mailbox_permission (Add-MailboxPermission)
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  coalesce(list_filter(params, p -> lower(p.Name) = 'identity')[1].Value, target) AS object,
  coalesce(list_filter(params, p -> lower(p.Name) = 'user')[1].Value, list_filter(params, p -> lower(p.Name) = 'trustee')[1].Value, list_filter(params, p -> lower(p.Name) = 'member')[1].Value, list_filter(params, p -> lower(p.Name) = 'members')[1].Value, list_filter(params, p -> lower(p.Name) = 'securitygroup')[1].Value) AS grantee,
  coalesce(list_filter(params, p -> lower(p.Name) = 'accessrights')[1].Value, list_filter(params, p -> lower(p.Name) = 'role')[1].Value, list_filter(params, p -> lower(p.Name) = 'roles')[1].Value) AS rights,
  coalesce(list_filter(params, p -> lower(p.Name) = 'accessrights')[1].Value ILIKE '%FullAccess%', false) AS full_access
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
        AND (activity IN ('Add-MailboxPermission', 'Add-RecipientPermission', 'Add-RoleGroupMember', 'Remove-RoleGroupMember',
                     'Update-RoleGroupMember', 'New-RoleGroup', 'New-ManagementRoleAssignment')
        AND coalesce(status, 'success') = 'success')
    ) a
  ) b
) e
ORDER BY time, event_id
