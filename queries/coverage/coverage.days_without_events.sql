/*
id: coverage.days_without_events
version: 1
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
WITH ev AS (
  SELECT ewb_stream(source_family, cloud_account, region, host, service) AS stream, timezone($case_tz, time)::DATE AS day, time, event_id
  FROM events WHERE time >= $period_start AND time < $period_end
),
streams AS (SELECT DISTINCT stream FROM ev),
days AS (
  SELECT s.stream, unnest(generate_series(timezone($case_tz, $period_start)::DATE, timezone($case_tz, $period_end)::DATE - INTERVAL 1 DAY, INTERVAL 1 DAY))::DATE AS day
  FROM streams s
),
present AS (SELECT DISTINCT stream, day FROM ev)
SELECT NULL::VARCHAR AS event_id, d.stream, d.day,
       (SELECT arg_max(e.event_id, e.time) FROM ev e WHERE e.stream = d.stream AND e.day < d.day) AS previous_event_id,
       (SELECT arg_min(e.event_id, e.time) FROM ev e WHERE e.stream = d.stream AND e.day > d.day) AS next_event_id
FROM days d ANTI JOIN present p ON p.stream = d.stream AND p.day = d.day
ORDER BY d.stream, d.day
