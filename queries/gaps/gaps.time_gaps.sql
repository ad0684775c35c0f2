/*
id: gaps.time_gaps
version: 2
title: Silences in each log stream longer than its own cadence allows
pack: gaps
families:
- all
severity: high
category: GAP
detects: For every stream (AWS account and region, Windows host and channel, Linux host, tenant or organisation),
  periods inside the audit period with no events longer than a threshold derived from the stream's own event rate,
  including silences before its first and after its last event.
why: A silence a source should not have is a logging failure (PCI 10.7, NIST AU-5) or a sign of tampering; the population
  an auditor samples from is incomplete for that period.
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
- name: floor_minutes
  type: number
  default: 60
  description: Never report silences shorter than this, whatever the stream's rate (set it to the delivery granularity
    of the source). 15 minutes at least, the width of the summary's buckets.
- name: alpha
  type: number
  default: 0.01
  description: 'Family-wise false-alarm rate of the Poisson silence test: threshold = ln(minutes in period / alpha)
    / events per minute.'
false_positives:
- 'Business-hours sources (SaaS admin logs) are quiet at night and weekends: raise floor_minutes for them.'
- Hosts switched off on purpose.
columns:
- event_id
- next_event_id
- stream
- kind
- gap_start
- gap_end
- gap_minutes
- threshold_minutes
- events_in_stream
- tamper
- tamper_event_id
references:
- ../shared/docs/controls.md §3.2 step 2
*/
-- Reads the quarter-hour summary (event_buckets): gaps are found between occupied buckets, then measured from the
-- exact last and first event times. A silence longer than a bucket always crosses a bucket boundary, so nothing above
-- the 15-minute minimum floor is lost.
WITH buckets AS (
  SELECT stream, source_family AS f, cloud_account AS a, bucket, sum(events) AS n, min(first_time) AS t_first, max(last_time) AS t_last,
         arg_min(first_event_id, (first_time, first_event_id)) AS first_id, arg_max(last_event_id, (last_time, last_event_id)) AS last_id
  FROM event_buckets
  WHERE bucket >= $period_start AND bucket < $period_end
  GROUP BY ALL
),
streams AS (
  SELECT stream, f, a, sum(n) AS events, min(t_first) AS first_time, max(t_last) AS last_time,
         arg_min(first_id, (t_first, first_id)) AS first_id, arg_max(last_id, (t_last, last_id)) AS last_id,
         -- Poisson silence threshold: events per minute over the stream's active span, tested over every minute of the period.
         greatest(greatest($floor_minutes, 15), ln(((epoch($period_end) - epoch($period_start)) / 60.0) / $alpha)
                  / (sum(n) / greatest((epoch(max(t_last)) - epoch(min(t_first))) / 60.0, 1.0))) AS threshold_minutes
  FROM buckets GROUP BY ALL
),
between_events AS (
  SELECT stream, last_id AS event_id, lead(first_id) OVER w AS next_event_id, t_last AS gap_start, lead(t_first) OVER w AS gap_end
  FROM buckets WINDOW w AS (PARTITION BY stream ORDER BY bucket)
),
gaps AS (
  SELECT stream, event_id, next_event_id, 'between events' AS kind, gap_start, gap_end FROM between_events WHERE gap_end IS NOT NULL
  UNION ALL
  SELECT stream, NULL, first_id, 'before first event', $period_start, first_time FROM streams
  UNION ALL
  SELECT stream, last_id, NULL, 'after last event', last_time, $period_end FROM streams
),
found AS (
  SELECT g.*, s.f, s.a, s.events, s.threshold_minutes
  FROM gaps g JOIN streams s USING (stream)
  WHERE (epoch(g.gap_end) - epoch(g.gap_start)) / 60.0 > s.threshold_minutes
)
SELECT g.event_id, g.next_event_id, g.stream, g.kind, g.gap_start, g.gap_end,
       round((epoch(g.gap_end) - epoch(g.gap_start)) / 60.0, 1) AS gap_minutes,
       round(g.threshold_minutes, 1) AS threshold_minutes, g.events AS events_in_stream,
       t.tamper, t.event_id AS tamper_event_id
FROM found g
-- The tamper event that explains the silence: in the same stream, or for cloud trails the same account, shortly before it starts.
LEFT JOIN LATERAL (
  SELECT tamper, event_id FROM tamper_events te
  WHERE (te.stream = g.stream OR (te.source_family = g.f AND te.cloud_account IS NOT NULL AND te.cloud_account = g.a))
    AND te.time <= g.gap_start + INTERVAL 5 MINUTE AND te.time >= g.gap_start - INTERVAL 1 DAY
  ORDER BY te.time DESC, te.event_id DESC LIMIT 1
) t ON true
ORDER BY g.stream, g.gap_start
