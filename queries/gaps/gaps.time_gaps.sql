/*
id: gaps.time_gaps
version: 1
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
    of the source).
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
WITH ev AS (
  SELECT ewb_stream(source_family, cloud_account, region, host, service) AS stream, source_family, cloud_account, host, time, event_id
  FROM events
  WHERE time >= $period_start AND time < $period_end
),
stats AS (
  SELECT stream, count(*) AS n, min(time) AS first_time, max(time) AS last_time,
         -- Poisson silence threshold: events per minute over the stream's active span, tested over every minute of the period.
         greatest($floor_minutes,
                  ln(((epoch($period_end) - epoch($period_start)) / 60.0) / $alpha)
                  / (count(*) / greatest((epoch(max(time)) - epoch(min(time))) / 60.0, 1.0))) AS threshold_minutes
  FROM ev GROUP BY stream
),
between_events AS (
  SELECT stream, event_id, lead(event_id) OVER w AS next_event_id, time AS gap_start, lead(time) OVER w AS gap_end
  FROM ev WINDOW w AS (PARTITION BY stream ORDER BY time, event_id)
),
gaps AS (
  SELECT b.event_id, b.next_event_id, b.stream, 'between events' AS kind, b.gap_start, b.gap_end
  FROM between_events b JOIN stats s USING (stream)
  WHERE b.gap_end IS NOT NULL AND (epoch(b.gap_end) - epoch(b.gap_start)) / 60.0 > s.threshold_minutes
  UNION ALL
  SELECT NULL, arg_min(event_id, time), stream, 'before first event', $period_start, min(time) FROM ev GROUP BY stream
  UNION ALL
  SELECT arg_max(event_id, time), NULL, stream, 'after last event', max(time), $period_end FROM ev GROUP BY stream
)
SELECT g.event_id, g.next_event_id, g.stream, g.kind, g.gap_start, g.gap_end,
       round((epoch(g.gap_end) - epoch(g.gap_start)) / 60.0, 1) AS gap_minutes,
       round(s.threshold_minutes, 1) AS threshold_minutes, s.n AS events_in_stream,
       t.tamper, t.event_id AS tamper_event_id
FROM gaps g
JOIN stats s USING (stream)
-- The tamper event that explains the silence: in the same stream, or for cloud trails the same account, shortly before it starts.
LEFT JOIN LATERAL (
  SELECT tamper, event_id FROM tamper_events te
  WHERE (te.stream = g.stream OR (te.source_family = split_part(g.stream, ' | ', 1) AND te.cloud_account IS NOT NULL AND te.cloud_account = split_part(g.stream, ' | ', 2)))
    AND te.time <= g.gap_start + INTERVAL 5 MINUTE AND te.time >= g.gap_start - INTERVAL 1 DAY
  ORDER BY te.time DESC LIMIT 1
) t ON true
WHERE (epoch(g.gap_end) - epoch(g.gap_start)) / 60.0 > s.threshold_minutes
ORDER BY g.stream, g.gap_start
