/*
id: gaps.clock_outside_period_or_future
version: 1
title: Events in the future or far outside the audit period
pack: gaps
families:
- all
severity: medium
category: CLK
detects: Per stream, events dated after the time of the query run (impossible), or more than outside_days before
  the period start or after its end.
why: Such times show a wrong source clock, a wrong time zone assumption, or data that does not belong to the engagement
  (ISO A.8.17, PCI 10.6).
controls:
  iso27001:
  - A.8.17
  iso27017:
  - 12.4.4
  pci:
  - 10.6.3
  nist:
  - AU-8
  cis:
  - '8.4'
params:
- name: outside_days
  type: integer
  default: 30
  description: Events this many days or more outside the audit period are reported.
false_positives:
- Exports that deliberately include a look-back window before the period.
columns:
- event_id
- stream
- kind
- events
- first_time
- last_time
references:
- ../shared/docs/controls.md §3.2 step 6
*/
SELECT arg_min(event_id, (time, event_id)) AS event_id, stream,
       CASE WHEN time > now() THEN 'in the future'
            WHEN time < $period_start - to_days($outside_days) THEN 'long before the period'
            ELSE 'long after the period' END AS kind,
       count(*) AS events, min(time) AS first_time, max(time) AS last_time
FROM events
WHERE time > now() OR time < $period_start - to_days($outside_days) OR time >= $period_end + to_days($outside_days)
GROUP BY ALL
ORDER BY stream, kind
