/*
id: windows.sam_account_registry_change
version: 1
title: Local account or administrator group changed in the SAM registry (Sysmon)
pack: privileged
families:
- windows
severity: high
category: PG
detects: 'Sysmon registry events (12/13) in the local SAM database: an account name key created, written or deleted
  (local account created or removed; names ending with $ are hidden from net user), the membership of the
  Administrators or an operator group rewritten, the built-in Administrator (RID 500) record changed, and an
  account''s F value (which holds the RID used at logon) written by a process other than LSASS (RID hijacking).'
why: On hosts without account-management auditing these writes are the only record of local accounts and
  administrator membership changing; an F value written outside LSASS grants another account's privileges without
  any group change.
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
- Approved local account creation and administrator group changes (match them to 4720/4732 and the change record).
- One account creation writes several keys (the name key, its default value), each reported.
columns:
- event_id
- time
- host
- service
- event_code
- activity
- actor_user
- actor_domain
- actor_type
- target
- src_ip
- status
- change
- account
- process
references:
- MITRE ATT&CK T1136.001 Create Local Account, T1564.002 Hidden Users, T1098 Account Manipulation (RID hijacking)
*/
-- One branch per event code: DuckDB pushes an equality (and a condition on one cheap column, here the registry path in
-- target) into the scan, so `fields` is read only for those events (an IN list is not pushed: every event's fields
-- would be read).
-- SAM paths (lower case): ...\sam\domains\account\users\names\<name>[\(default)] = the name of a local account;
-- ...\users\<8 hex RID>\<value> = its record; ...\sam\domains\builtin\aliases\<8 hex RID>\c = a builtin group's
-- members (00000220 = 544 Administrators, 00000224..00000227 = 548..551 Account/Server/Print/Backup Operators).
WITH r AS (
  SELECT *, lower(fields['TargetObject']) AS k, fields['EventType'] AS op
  FROM (
    SELECT * FROM events WHERE source_family = 'windows' AND event_code = '12' AND time >= $period_start AND time < $period_end
      AND target ILIKE '%\sam\domains\%'
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '13' AND time >= $period_start AND time < $period_end
      AND target ILIKE '%\sam\domains\%'
  ) AS e
  WHERE source_family = 'windows'
    AND (service = 'Microsoft-Windows-Sysmon/Operational' OR fields['Provider'] = 'Microsoft-Windows-Sysmon')
),
c AS (
  SELECT *,
         CASE
           WHEN regexp_matches(k, '\\sam\\domains\\account\\users\\names\\[^\\]+(\\\(default\))?$') AND op IN ('CreateKey', 'SetValue')
             THEN 'local account name registered'
           WHEN regexp_matches(k, '\\sam\\domains\\account\\users\\names\\[^\\]+$') AND op = 'DeleteKey'
             THEN 'local account name removed'
           WHEN regexp_matches(k, '\\sam\\domains\\builtin\\aliases\\0000022[04567]\\c$') AND op = 'SetValue'
             THEN 'builtin ' || CASE regexp_extract(k, 'aliases\\(0000022.)', 1) WHEN '00000220' THEN 'Administrators'
                    WHEN '00000224' THEN 'Account Operators' WHEN '00000225' THEN 'Server Operators'
                    WHEN '00000226' THEN 'Print Operators' ELSE 'Backup Operators' END || ' membership written'
           WHEN regexp_matches(k, '\\sam\\domains\\account\\users\\[0-9a-f]{8}\\f$') AND op = 'SetValue'
                AND coalesce(lower(process), '') NOT LIKE '%\lsass.exe'
             THEN 'account F value written outside LSASS (RID hijack)'
           WHEN regexp_matches(k, '\\sam\\domains\\account\\users\\000001f4\\[^\\]+$') AND op = 'SetValue'
                AND NOT regexp_matches(k, '\\f$')
             THEN 'built-in Administrator (RID 500) record changed'
         END AS change,
         regexp_extract(fields['TargetObject'], '(?i)\\Users\\Names\\([^\\]+)', 1) AS name_key,
         regexp_extract(k, '\\users\\([0-9a-f]{8})\\', 1) AS rid_hex
  FROM r
)
-- Sysmon's actor is its User field; its actor_type is derived from that field here (a forwarded Sysmon record would
-- otherwise be typed by the Sysmon service's own SID).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain,
       CASE WHEN event_code IN ('12', '13') THEN CASE WHEN nullif(fields['User'], '-') IS NULL THEN NULL
            WHEN upper(regexp_extract(fields['User'], '([^\\]*)$', 1)) IN ('SYSTEM', 'LOCAL SERVICE', 'NETWORK SERVICE') THEN 'system'
            WHEN fields['User'] LIKE '%$' THEN 'computer' ELSE 'user' END ELSE actor_type END AS actor_type,
       target, src_ip, status,
       change,
       coalesce(nullif(name_key, ''), CASE WHEN rid_hex <> '' THEN 'RID ' || ('0x' || rid_hex)::UBIGINT::VARCHAR END) AS account,
       process
FROM c
WHERE change IS NOT NULL
ORDER BY time, event_id
