/*
id: gaps.windows_record_id_gaps
version: 1
title: Missing Windows EventRecordIDs per computer and channel
pack: gaps
families:
- windows
severity: high
category: GAP
detects: 'Holes in the EventRecordID sequence of each computer and channel: ranges of record numbers the logs never
  contain.'
why: 'EventRecordID increases by one per event in a channel; missing numbers mean records were deleted, lost or
  not exported (controls.md §3.2 step 4). Continuity is necessary, not sufficient: offline tools can renumber.'
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC7.2
  pci:
  - 10.3.2
  - 10.7.2
  nist:
  - AU-9
  - AU-5
params:
- name: min_missing
  type: integer
  default: 1
  description: Report holes of at least this many missing record numbers.
false_positives:
- 'Exports filtered by event ID or time (then every hole is expected: check how the export was made).'
- 'Log roll-over: the oldest records were overwritten before export (holes only at the start).'
columns:
- event_id
- next_event_id
- host
- channel
- first_missing
- last_missing
- missing_records
- before_time
- after_time
references:
- ../shared/docs/controls.md §3.1
*/
WITH r AS (
  SELECT stream, host, service AS channel, try_cast(record_id AS BIGINT) AS rid, event_id, time
  FROM events WHERE source_family = 'windows' AND record_id IS NOT NULL
),
-- Only streams whose distinct record ids do not fill their range have holes; the rest need no ordering at all.
holed AS (
  SELECT stream FROM r WHERE rid IS NOT NULL GROUP BY stream HAVING max(rid) - min(rid) + 1 > count(DISTINCT rid)
),
d AS (
  SELECT DISTINCT ON (stream, rid) * FROM r
  WHERE rid IS NOT NULL AND stream IN (SELECT stream FROM holed)
  ORDER BY stream, rid, time, event_id
),
g AS (
  SELECT host, channel, rid, event_id, time, lead(rid) OVER w AS next_rid, lead(event_id) OVER w AS next_event_id, lead(time) OVER w AS next_time
  FROM d WINDOW w AS (PARTITION BY stream ORDER BY rid)
)
SELECT event_id, next_event_id, host, channel, rid + 1 AS first_missing, next_rid - 1 AS last_missing, next_rid - rid - 1 AS missing_records,
       time AS before_time, next_time AS after_time
FROM g
WHERE next_rid - rid - 1 >= $min_missing
ORDER BY host, channel, first_missing
