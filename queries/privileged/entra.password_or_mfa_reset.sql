/*
id: entra.password_or_mfa_reset
version: 2
title: Password reset, or MFA methods removed or registered, for a user
pack: privileged
families:
- entra
- m365
severity: high
category: CC
detects: Password resets and changes made for a user ("Reset user password", "Reset password (by admin)", "Change user
  password"), security info (MFA methods, Temporary Access Pass) deleted, registered or updated by an administrator
  ("Admin deleted / registered / updated security info"), per-user MFA disabled ("Disable Strong Authentication") and
  user updates that empty the user's registered MFA methods (StrongAuthenticationMethod) or remove the per-user MFA
  requirement (StrongAuthenticationRequirement); from the Entra audit log and the Microsoft 365 unified audit log
  ("Update user."). Failed attempts are left out; self_service marks records where the actor is the user.
why: Whoever resets another user's password or MFA can take over that account; resets of administrators' credentials
  and MFA removals must trace to a verified help-desk request (PCI 10.2.1.5, 8.3).
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
- Help-desk resets after identity verification; MFA re-registration after a lost phone.
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
- credential_change
- self_service
references:
- ../shared/docs/controls.md §2.4
- Panther Microsoft365.MFA.Disabled
- Sigma azure_tap_added
*/
SELECT event_id, time, source_family, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  CASE WHEN op IN ('Reset user password', 'Reset password (by admin)', 'Change user password') THEN 'password reset or changed'
       WHEN op = 'Admin deleted security info' THEN 'security info deleted'
       WHEN op = 'Admin registered security info' THEN 'security info registered'
       WHEN op = 'Admin updated security info' THEN 'security info updated'
       WHEN op = 'Disable Strong Authentication' THEN 'per-user MFA disabled'
       ELSE mfa_change END AS credential_change,
  coalesce(lower(actor_user) = lower(target), false) AS self_service
FROM (
  SELECT *,
    rtrim(activity, '. ') AS op,
    CASE WHEN len(list_filter(mods, m -> m.name = 'StrongAuthenticationMethod'
                                     AND coalesce(json_array_length(try_cast(m.old AS JSON)), 0) > 0
                                     AND coalesce(json_array_length(try_cast(m.new AS JSON)), 0) = 0)) > 0 THEN 'MFA methods removed'
         WHEN len(list_filter(mods, m -> m.name = 'StrongAuthenticationRequirement'
                                     AND coalesce(json_array_length(try_cast(m.old AS JSON)), 0) > 0
                                     AND coalesce(json_array_length(try_cast(m.new AS JSON)), 0) = 0)) > 0 THEN 'per-user MFA requirement removed' END AS mfa_change
  FROM (
    SELECT *,
      ewb_entra_targets(source_family, fields, raw) AS tr, -- NULL for other records
      ewb_modified_properties(source_family, tr, rec) AS mods
    FROM (
      SELECT *, ewb_m365_record(source_family, fields, raw) AS rec
      FROM events
      WHERE source_family IN ('entra', 'm365')
        AND time >= $period_start AND time < $period_end
        AND (rtrim(activity, '. ') IN ('Reset user password', 'Reset password (by admin)', 'Change user password', 'Admin deleted security info',
                                  'Admin registered security info', 'Admin updated security info', 'Disable Strong Authentication', 'Update user')
        AND coalesce(status, 'success') = 'success')
    ) a
  ) b
) e
WHERE op <> 'Update user' OR mfa_change IS NOT NULL
ORDER BY time, event_id
