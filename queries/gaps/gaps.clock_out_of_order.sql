/*
id: gaps.clock_out_of_order
version: 2
title: Time running backwards within a log file
pack: gaps
families:
- linux
- windows
severity: medium
category: CLK
detects: Consecutive records of a text log file (in file order) or of a Windows channel (in EventRecordID order)
  whose time goes backwards by more than tolerance_seconds.
why: Logs are written in time order; a backwards step means the clock was set back, records were inserted, or lines
  were merged from several sources (controls.md §3.2 step 6b).
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
- name: tolerance_seconds
  type: number
  default: 300
  description: Backward steps up to this size are tolerated (buffered writers, multi-threaded loggers).
false_positives:
- Files that concatenate logs from several hosts.
- Daylight-saving transitions in logs written in local time without offset.
columns:
- event_id
- previous_event_id
- stream
- member_path
- time
- previous_time
- backwards_seconds
references:
- ../shared/docs/controls.md §3.2 step 6
*/
-- The ordering carries only ids, times and the stream; member paths come from the members table for the rows found.
WITH steps AS (
  SELECT event_id, member_id, stream, time, lag(time) OVER w AS previous_time, lag(event_id) OVER w AS previous_event_id
  FROM events WHERE source_family = 'linux'
  WINDOW w AS (PARTITION BY member_id ORDER BY record_index)
  UNION ALL
  SELECT event_id, member_id, stream, time, lag(time) OVER v AS previous_time, lag(event_id) OVER v AS previous_event_id
  FROM (SELECT event_id, member_id, stream, time, try_cast(record_id AS BIGINT) AS rid FROM events WHERE source_family = 'windows' AND record_id IS NOT NULL)
  WHERE rid IS NOT NULL
  WINDOW v AS (PARTITION BY stream ORDER BY rid, event_id)
)
SELECT s.event_id, s.previous_event_id, s.stream, m.path AS member_path, s.time, s.previous_time,
       round(epoch(s.previous_time) - epoch(s.time), 3) AS backwards_seconds
FROM steps s JOIN members m ON m.member_id = s.member_id
WHERE epoch(s.previous_time) - epoch(s.time) > $tolerance_seconds
  AND s.time >= $period_start AND s.time < $period_end
ORDER BY s.stream, s.time, s.event_id
