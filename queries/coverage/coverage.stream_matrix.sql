/*
id: coverage.stream_matrix
version: 1
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
WITH ev AS (
  SELECT ewb_stream(source_family, cloud_account, region, host, service) AS stream, source_family, time, event_id,
         timezone($case_tz, time)::DATE AS day
  FROM events WHERE time >= $period_start AND time < $period_end
)
SELECT arg_min(event_id, time) AS event_id, stream, any_value(source_family) AS source_family, count(*) AS events,
       min(time) AS first_time, max(time) AS last_time,
       date_diff('day', timezone($case_tz, $period_start)::DATE, timezone($case_tz, $period_end)::DATE) AS days_in_period,
       count(DISTINCT day) AS days_with_events,
       date_diff('day', timezone($case_tz, $period_start)::DATE, timezone($case_tz, $period_end)::DATE) - count(DISTINCT day) AS days_without_events,
       min(time) <= $period_start + to_days($edge_days) AND max(time) >= $period_end - to_days($edge_days) AS covers_whole_period
FROM ev
GROUP BY stream
ORDER BY source_family, stream
