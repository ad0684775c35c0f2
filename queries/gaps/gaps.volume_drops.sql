/*
id: gaps.volume_drops
version: 2
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
WITH per_day AS (
  -- Local days of the case time zone, from the quarter-hour summary (every UTC offset in use is whole quarter hours).
  SELECT stream, timezone($case_tz, bucket)::DATE AS day, sum(events) AS n,
         arg_min(first_event_id, (first_time, first_event_id)) AS first_id, arg_max(last_event_id, (last_time, last_event_id)) AS last_id
  FROM event_buckets
  WHERE bucket >= $period_start AND bucket < $period_end
  GROUP BY ALL
),
span AS (SELECT stream, min(day) AS d0, max(day) AS d1 FROM per_day GROUP BY ALL),
days AS (SELECT stream, unnest(generate_series(d0, d1, INTERVAL 1 DAY))::DATE AS day FROM span),
counts AS (
  SELECT d.stream, d.day, coalesce(p.n, 0) AS events, p.first_id AS event_id
  FROM days d LEFT JOIN per_day p ON p.stream = d.stream AND p.day = d.day
),
base AS (
  SELECT *, median(events) OVER (PARTITION BY stream ORDER BY day ROWS BETWEEN $trailing_days PRECEDING AND 1 PRECEDING) AS baseline_median,
         count(*) OVER (PARTITION BY stream ORDER BY day ROWS BETWEEN $trailing_days PRECEDING AND 1 PRECEDING) AS baseline_days
  FROM counts
),
flagged AS (
  SELECT * FROM base
  WHERE baseline_days >= least($trailing_days, 3) AND baseline_median >= $min_median AND events < $drop_ratio * baseline_median
)
-- ASOF: the last event of the stream on an earlier day.
SELECT f.event_id, f.stream, f.day, f.events, f.baseline_median, round(f.events / f.baseline_median, 3) AS ratio, p.last_id AS previous_event_id
FROM flagged f ASOF LEFT JOIN per_day p ON p.stream = f.stream AND p.day < f.day
ORDER BY f.stream, f.day
