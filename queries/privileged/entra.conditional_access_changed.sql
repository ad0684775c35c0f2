/*
id: entra.conditional_access_changed
version: 2
title: Conditional Access policy or named location added, changed or deleted
pack: privileged
families:
- entra
severity: high
category: PC
detects: Successful changes to Conditional Access ("Add / Update / Delete conditional access policy") and to the named
  locations its policies trust ("Add / Update / Delete named location"); for policies, policy_state is the state after
  the change and mfa_removed is true when the change takes MFA out of the policy's grant controls (or deletes a policy
  that required it).
why: Conditional Access decides who must use MFA and from where; disabling, deleting or loosening a policy (or trusting a
  new network location) weakens authentication for everyone it covers (CIS Microsoft 365 5.2, PCI 8.4).
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
- Planned policy roll-outs (report-only to enabled) and exclusions for break-glass accounts made under change control.
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
- policy_state
- mfa_removed
references:
- ../shared/docs/controls.md §2.4
- Panther Azure.Audit.MFADisabled (narrower, MFA taken out of a policy)
- Sigma azure_mfa_disabled
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  json_extract_string(new_policy, '$.state') AS policy_state,
  coalesce(list_contains(list_transform(coalesce(json_extract_string(old_policy, '$.grantControls.builtInControls[*]'), []), x -> lower(x)), 'mfa')
           AND NOT coalesce(list_contains(list_transform(coalesce(json_extract_string(new_policy, '$.grantControls.builtInControls[*]'), []), x -> lower(x)), 'mfa'), false), false) AS mfa_removed
FROM (
  SELECT *,
    try_cast(list_filter(mods, m -> m.name = 'ConditionalAccessPolicy')[1].old AS JSON) AS old_policy,
    try_cast(list_filter(mods, m -> m.name = 'ConditionalAccessPolicy')[1].new AS JSON) AS new_policy
  FROM (
    SELECT *,
      ewb_entra_targets(source_family, fields, raw) AS tr, -- NULL for other records
      ewb_modified_properties(source_family, tr, rec) AS mods
    FROM (
      SELECT *, ewb_m365_record(source_family, fields, raw) AS rec
      FROM events
      WHERE source_family IN ('entra')
        AND time >= $period_start AND time < $period_end
        AND (activity IN ('Add conditional access policy', 'Update conditional access policy', 'Delete conditional access policy',
                     'Add named location', 'Update named location', 'Delete named location')
        AND status = 'success')
    ) a
  ) b
) e
ORDER BY time, event_id
