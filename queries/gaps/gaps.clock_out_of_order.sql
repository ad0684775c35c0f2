/*
id: gaps.clock_out_of_order
version: 1
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
WITH seq AS (
  SELECT event_id, time, member_path, stream,
         lag(time) OVER w1 AS previous_time, lag(event_id) OVER w1 AS previous_event_id
  FROM events
  WHERE source_family = 'linux'
  WINDOW w1 AS (PARTITION BY member_id ORDER BY record_index)
  UNION ALL
  SELECT event_id, time, member_path, stream,
         lag(time) OVER w2 AS previous_time, lag(event_id) OVER w2 AS previous_event_id
  FROM events
  WHERE source_family = 'windows' AND try_cast(record_id AS BIGINT) IS NOT NULL
  WINDOW w2 AS (PARTITION BY host, service ORDER BY try_cast(record_id AS BIGINT))
)
SELECT event_id, previous_event_id, stream, member_path, time, previous_time,
       round(epoch(previous_time) - epoch(time), 3) AS backwards_seconds
FROM seq
WHERE previous_time IS NOT NULL AND epoch(previous_time) - epoch(time) > $tolerance_seconds
  AND time >= $period_start AND time < $period_end
ORDER BY stream, time
