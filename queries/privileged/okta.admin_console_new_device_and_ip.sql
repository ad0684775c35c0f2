/*
id: okta.admin_console_new_device_and_ip
version: 1
title: Okta Admin Console reached from a new device and a new IP
pack: privileged
families:
- okta
severity: medium
category: BG
detects: Sign-on policy evaluations for the Okta Admin Console application in which Okta's behaviour detection rated
  both "New Device" and "New IP" POSITIVE for the user (from debugData.behaviors or logOnlySecurityData), whatever the
  policy outcome (shown).
why: An administrator session from a device and address never seen for that user is the typical footprint of a stolen
  admin credential or session being used (SOC 2 CC7.2, PCI 10.2.1.2).
controls:
  iso27001:
  - A.8.15
  - A.8.16
  soc2:
  - CC6.3
  - CC7.2
  pci:
  - 10.2.1.2
  nist:
  - AC-6(9)
  - AU-6
  - AU-12
params: []
false_positives:
- Administrators on a new laptop or travelling; confirm with the administrator.
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
- outcome
- behaviors
references:
- Panther Okta.New.Behavior.Accessing.Admin.Console
- Sigma okta_new_behaviours_admin_console
- ../shared/docs/controls.md §2.3
*/
WITH o AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, fields['outcome_result'] AS outcome,
         ewb_okta_event(raw) AS ev
  FROM events
  WHERE source_family = 'okta'
    AND time >= $period_start AND time < $period_end
    AND (activity = 'policy.evaluate_sign_on' AND contains(raw, 'Okta Admin Console'))
),
b AS (
  SELECT *, concat_ws(' ', (coalesce(ev->'$.debugContext.debugData', ev->'$.debugcontext.debugData', ev->'$.debugcontext.debugdata'))->>'$.behaviors', (coalesce(ev->'$.debugContext.debugData', ev->'$.debugcontext.debugData', ev->'$.debugcontext.debugdata'))->>'$.logOnlySecurityData') AS behaviors
  FROM o
  WHERE list_contains(json_extract_string(ev, '$.target[*].displayName'), 'Okta Admin Console')
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, outcome, behaviors
FROM b
WHERE regexp_matches(behaviors, '(New Device=POSITIVE|"New Device"\s*:\s*"POSITIVE")')
  AND regexp_matches(behaviors, '(New IP=POSITIVE|"New IP"\s*:\s*"POSITIVE")')
ORDER BY time, event_id
