/*
id: gaps.tamper_events
version: 2
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
-- The tamper event's own quarter hour (event_buckets): does the stream write anything later in it?
own AS (
  SELECT t.event_id, t.stream, t.time, b.bucket, max(b.last_time) AS bucket_last
  FROM t JOIN event_buckets b ON b.stream = t.stream AND b.bucket = ewb_bucket(t.time)
  GROUP BY ALL
),
-- If so, the next event is in that quarter hour: looked up among that stream's events of that bucket only...
same AS (
  SELECT o.event_id, arg_min(e.event_id, (e.time, e.event_id)) AS next_event_id, min(e.time) AS next_event_time
  FROM own o JOIN events e ON e.stream = o.stream AND ewb_bucket(e.time) = o.bucket AND e.time > o.time
  WHERE o.bucket_last > o.time
  GROUP BY o.event_id
),
-- ...otherwise it is the first event of the stream's next occupied quarter hour (ASOF on the summary).
occupied AS (
  SELECT stream, bucket, min(first_time) AS first_time, arg_min(first_event_id, (first_time, first_event_id)) AS first_id
  FROM event_buckets WHERE stream IN (SELECT stream FROM t) GROUP BY ALL
),
later AS (
  SELECT o.event_id, n.first_id AS next_event_id, n.first_time AS next_event_time
  FROM own o ASOF JOIN occupied n ON n.stream = o.stream AND n.bucket > o.bucket
  WHERE o.bucket_last <= o.time
)
SELECT t.event_id, t.time, t.stream, t.tamper, t.activity, t.event_code, t.actor_user, t.status,
       coalesce(s.next_event_id, l.next_event_id) AS next_event_id, coalesce(s.next_event_time, l.next_event_time) AS next_event_time,
       round((epoch(coalesce(s.next_event_time, l.next_event_time)) - epoch(t.time)) / 60.0, 1) AS silence_minutes
FROM t LEFT JOIN same s ON s.event_id = t.event_id LEFT JOIN later l ON l.event_id = t.event_id
ORDER BY t.time, t.event_id
