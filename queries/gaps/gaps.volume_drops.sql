/*
id: gaps.volume_drops
version: 1
title: Days whose event count falls far below the stream's recent median
pack: gaps
families:
- all
severity: medium
category: GAP
detects: Per stream and calendar day (in the case time zone), days inside the audit period whose event count is
  below drop_ratio times the median of the previous trailing_days days, including days with no events at all.
why: A stream that keeps running at a fraction of its volume suggests a narrowed audit policy, a broken forwarder
  or a partial export (controls.md §3.2 step 3).
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
params:
- name: trailing_days
  type: integer
  default: 14
  description: How many previous days form the baseline median.
- name: drop_ratio
  type: number
  default: 0.5
  description: A day is reported when its count is below this fraction of the baseline median.
- name: min_median
  type: number
  default: 20
  description: Streams whose baseline median is below this many events a day are too sparse to judge by volume (see
    gaps.time_gaps).
false_positives:
- Weekends and holidays for business-hours sources.
- Planned maintenance windows.
columns:
- event_id
- stream
- day
- events
- baseline_median
- ratio
- previous_event_id
references:
- ../shared/docs/controls.md §3.2 step 3
*/
WITH ev AS (
  SELECT ewb_stream(source_family, cloud_account, region, host, service) AS stream, timezone($case_tz, time)::DATE AS day, time, event_id
  FROM events WHERE time >= $period_start AND time < $period_end
),
span AS (SELECT stream, min(day) AS d0, max(day) AS d1 FROM ev GROUP BY stream),
days AS (SELECT stream, unnest(generate_series(d0, d1, INTERVAL 1 DAY))::DATE AS day FROM span),
counts AS (
  SELECT d.stream, d.day, count(e.event_id) AS events, arg_min(e.event_id, e.time) AS event_id
  FROM days d LEFT JOIN ev e ON e.stream = d.stream AND e.day = d.day
  GROUP BY d.stream, d.day
),
base AS (
  SELECT *, median(events) OVER (PARTITION BY stream ORDER BY day ROWS BETWEEN $trailing_days PRECEDING AND 1 PRECEDING) AS baseline_median,
         count(*) OVER (PARTITION BY stream ORDER BY day ROWS BETWEEN $trailing_days PRECEDING AND 1 PRECEDING) AS baseline_days
  FROM counts
)
SELECT b.event_id, b.stream, b.day, b.events, b.baseline_median, round(b.events / b.baseline_median, 3) AS ratio,
       (SELECT arg_max(e.event_id, e.time) FROM ev e WHERE e.stream = b.stream AND e.day < b.day) AS previous_event_id
FROM base b
WHERE b.baseline_days >= least($trailing_days, 3) AND b.baseline_median >= $min_median AND b.events < $drop_ratio * b.baseline_median
ORDER BY b.stream, b.day
