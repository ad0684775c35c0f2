/*
id: coverage.days_without_events
version: 2
title: Days of the audit period on which a stream has no events
pack: coverage
families:
- all
severity: low
category: COV
detects: Every calendar day of the audit period (case time zone) on which a stream that exists in the case has no
  events at all.
why: Zero-count days are the simplest completeness test for low-volume sources, where hour-level silence tests are
  meaningless (controls.md §3.2 step 2).
controls:
  iso27001:
  - A.8.15
  - A.8.16
  iso27017:
  - 12.4.1
  - CLD.12.4.5
  soc2:
  - CC7.2
  pci:
  - 10.2.1
  - 10.4.1
  nist:
  - AU-2
  - AU-12
  cis:
  - '8.2'
params: []
false_positives:
- Weekends and holidays for business-hours sources.
columns:
- event_id
- stream
- day
- previous_event_id
- next_event_id
references:
- ../shared/docs/controls.md §3.2 step 2
*/
WITH present AS (
  SELECT stream, timezone($case_tz, bucket)::DATE AS day,
         arg_min(first_event_id, (first_time, first_event_id)) AS first_id, arg_max(last_event_id, (last_time, last_event_id)) AS last_id
  FROM event_buckets
  WHERE bucket >= $period_start AND bucket < $period_end
  GROUP BY ALL
),
days AS (
  SELECT s.stream, unnest(generate_series(timezone($case_tz, $period_start)::DATE, timezone($case_tz, $period_end)::DATE - INTERVAL 1 DAY, INTERVAL 1 DAY))::DATE AS day
  FROM (SELECT DISTINCT stream FROM present) s
),
missing AS (SELECT d.* FROM days d ANTI JOIN present p ON p.stream = d.stream AND p.day = d.day),
-- ASOF: the last event on an earlier day and the first event on a later day of the same stream.
neighbours AS (
  SELECT m.stream, m.day, b.last_id AS previous_event_id FROM missing m
  ASOF LEFT JOIN present b ON b.stream = m.stream AND b.day < m.day
)
SELECT NULL::VARCHAR AS event_id, n.stream, n.day, n.previous_event_id, x.first_id AS next_event_id
FROM neighbours n
ASOF LEFT JOIN present x ON x.stream = n.stream AND x.day > n.day
ORDER BY n.stream, n.day
