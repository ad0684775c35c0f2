/*
id: coverage.stream_matrix
version: 2
title: Coverage of the audit period by each log stream
pack: coverage
families:
- all
severity: info
category: COV
detects: 'For each stream: first and last event, events, days of the audit period with and without events, and whether
  the stream covers the whole period.'
why: 'This is the completeness figure an auditor puts in a workpaper: which sources cover which part of the period
  (ISO A.8.15, PCI 10.2.1, NIST AU-12).'
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
params:
- name: edge_days
  type: integer
  default: 1
  description: A stream starting more than this many days after the period start (or ending before its end) does
    not cover the period.
false_positives:
- Sources that were brought into scope during the period (document the date).
columns:
- event_id
- stream
- source_family
- events
- first_time
- last_time
- days_in_period
- days_with_events
- days_without_events
- covers_whole_period
references:
- ../shared/docs/controls.md §3.2 step 7
*/
WITH per_stream AS (
  SELECT stream, any_value(source_family) AS source_family, sum(events)::BIGINT AS events, min(first_time) AS first_time, max(last_time) AS last_time,
         arg_min(first_event_id, (first_time, first_event_id)) AS event_id,
         count(DISTINCT timezone($case_tz, bucket)::DATE) AS days_with_events
  FROM event_buckets
  WHERE bucket >= $period_start AND bucket < $period_end
  GROUP BY stream
),
period AS (SELECT date_diff('day', timezone($case_tz, $period_start)::DATE, timezone($case_tz, $period_end)::DATE) AS days)
SELECT s.event_id, s.stream, s.source_family, s.events, s.first_time, s.last_time,
       p.days AS days_in_period, s.days_with_events, p.days - s.days_with_events AS days_without_events,
       s.first_time <= $period_start + to_days($edge_days) AND s.last_time >= $period_end - to_days($edge_days) AS covers_whole_period
FROM per_stream s, period p
ORDER BY s.source_family, s.stream
