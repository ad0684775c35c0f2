/*
id: gaps.tamper_events
version: 1
title: Logging stopped, cleared or narrowed, with the silence that followed
pack: gaps
families:
- all
severity: high
category: LT
detects: Every event across families that stops, clears, disables or narrows logging (trail stopped, log cleared,
  audit policy changed, auditd stopped, sink or diagnostic setting deleted...), with how long its stream stayed
  silent afterwards and the event that ended the silence.
why: A tamper event next to a gap is a finding under PCI 10.2.1.6 and 10.7; one without a gap is still a change
  to the logging the auditor relies on.
controls:
  iso27001:
  - A.8.15
  - A.8.16
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.7.2
  - 10.2.1.6
  nist:
  - AU-5
  - AU-12
  cis:
  - '8.2'
params: []
false_positives:
- Planned changes to logging configuration (check the change record).
- Log clears on freshly built test machines.
columns:
- event_id
- time
- stream
- tamper
- activity
- event_code
- actor_user
- status
- next_event_id
- next_event_time
- silence_minutes
references:
- ../shared/docs/controls.md §3.2 step 5
*/
WITH t AS (SELECT * FROM tamper_events WHERE time >= $period_start AND time < $period_end),
-- The first minute of the same stream holding an event later than the tamper event (ASOF on the per-minute summary)...
b AS (SELECT stream, minute, max(last_time) AS last_time FROM event_minutes WHERE stream IN (SELECT stream FROM t) GROUP BY ALL),
c AS (SELECT t.event_id, t.stream, t.time, b.last_time AS until FROM t ASOF JOIN b ON b.stream = t.stream AND b.last_time > t.time),
-- ...then the exact next event, looked up in that window only.
n AS (
  SELECT c.event_id, arg_min(e.event_id, (e.time, e.event_id)) AS next_event_id, min(e.time) AS next_event_time
  FROM c JOIN events e ON e.stream = c.stream AND e.time > c.time AND e.time <= c.until
  GROUP BY c.event_id
)
SELECT t.event_id, t.time, t.stream, t.tamper, t.activity, t.event_code, t.actor_user, t.status,
       n.next_event_id, n.next_event_time, round((epoch(n.next_event_time) - epoch(t.time)) / 60.0, 1) AS silence_minutes
FROM t LEFT JOIN n ON n.event_id = t.event_id
ORDER BY t.time, t.event_id
