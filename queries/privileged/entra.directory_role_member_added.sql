/*
id: entra.directory_role_member_added
version: 2
title: Member added to an Entra directory role (direct, eligible or PIM activation)
pack: privileged
families:
- entra
- m365
severity: high
category: PG
detects: Successful additions of a user, group or service principal to a Microsoft Entra directory role, whether
  permanent ("Add member to role", "Add scoped member to role"), eligible ("Add eligible member to role"), made through
  Privileged Identity Management ("Add (eligible) member to role in PIM completed (permanent / timebound)", "Add member to
  role outside of PIM") or a PIM activation ("Add member to role completed (PIM activation)"); from the Entra audit log
  and from its copy in the Microsoft 365 unified audit log ("Add member to role."). PIM requests not yet completed are
  left out. admin_role marks roles named Administrator; critical_role marks Global Administrator, Privileged Role
  Administrator and Privileged Authentication Administrator (both empty when the export does not name the role).
why: Directory roles administer the whole tenant (users, credentials, Conditional Access, Exchange, SharePoint); each
  grant and activation should trace to an approved request (PCI 10.2.1.5, CIS 5.4).
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
- Approved PIM activations by on-duty administrators (each carries a justification in the record).
- Onboarding of new administrators through an access-request workflow.
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
- role_name
- member
- admin_role
- critical_role
references:
- ../shared/docs/controls.md §2.4
- Sigma azure_ad_user_added_to_admin_role
- Panther Azure.Audit.RoleChangedPIM (narrower, PIM completions only)
*/
SELECT event_id, time, source_family, actor_user, actor_type, src_ip, cloud_account, activity, target, status, role_name, member,
  role_name ILIKE '%admin%' AS admin_role,
  lower(role_name) IN ('global administrator', 'company administrator', 'privileged role administrator', 'privileged authentication administrator') AS critical_role
FROM (
  SELECT *,
    coalesce(
      list_filter(tr, t -> lower(t.type) = 'role')[1].displayName,
      trim(list_filter(mods, m -> m.name IN ('Role.DisplayName', 'Role.displayName'))[1].new, '" '),
      trim(list_filter(mods, m -> m.name = 'Role.WellKnownObjectName')[1].new, '" ')) AS role_name,
    coalesce(
      list_transform(list_filter(tr, t -> lower(t.type) IN ('user', 'group', 'serviceprincipal')), t -> coalesce(nullif(t.userPrincipalName, ''), nullif(t.displayName, ''), t.id))[1],
      target) AS member
  FROM (
    SELECT *,
      ewb_entra_targets(source_family, fields, raw) AS tr, -- NULL for other records
      ewb_modified_properties(source_family, tr, rec) AS mods
    FROM (
      SELECT *, ewb_m365_record(source_family, fields, raw) AS rec
      FROM events
      WHERE source_family IN ('entra', 'm365')
        AND time >= $period_start AND time < $period_end
        AND ((rtrim(activity, '.') IN ('Add member to role', 'Add scoped member to role', 'Add eligible member to role',
                                      'Add member to role outside of PIM (permanent)', 'Add member to role completed (PIM activation)')
             OR activity LIKE 'Add member to role in PIM completed%' OR activity LIKE 'Add eligible member to role in PIM completed%')
        AND status = 'success')
    ) a
  ) b
) e
ORDER BY time, event_id
