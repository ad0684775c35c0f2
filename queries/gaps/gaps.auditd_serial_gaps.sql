/*
id: gaps.auditd_serial_gaps
version: 1
title: Missing Linux audit event serial numbers per host
pack: gaps
families:
- linux
severity: medium
category: GAP
detects: 'Holes in the kernel audit serial numbers (the number after the colon in msg=audit(time:serial)) of each host,
  taken in time order: a serial that jumps ahead by more than one. A serial that falls back (a reboot restarts the
  count) begins a new run and is not a hole.'
why: 'The kernel numbers every audit event it emits; a run of missing serials within one boot means events were lost
  (backlog overflow, rate limit, auditd not keeping up) or removed from the file afterwards (controls.md §3.2
  step 4). Lost audit records are a logging failure under PCI 10.7 and NIST AU-5.'
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
  description: Report holes of at least this many missing serial numbers.
false_positives:
- 'Excerpts: files cut with grep or ausearch filters (by type, key, user or time) leave holes by design; check how the
  export was made.'
- Several hosts' logs without node= prefixes loaded as one host (the serials interleave).
- 'Events the kernel sent but the log never kept by configuration (e.g. auditd disp_qos, a full disk with
  disk_full_action=ignore): still a gap in the record, to be explained.'
columns:
- event_id
- next_event_id
- host
- first_missing
- last_missing
- missing_records
- before_time
- after_time
references:
- ../shared/docs/controls.md §3.2 step 4
- auditd.conf(5), auditctl(8) (lost counter)
*/
WITH r AS (
  SELECT host, try_cast(record_id AS BIGINT) AS serial, event_id, time
  FROM events
  WHERE source_family = 'linux' AND service = 'auditd' AND record_id IS NOT NULL
),
g AS (
  SELECT host, serial, event_id, time, lead(serial) OVER w AS next_serial, lead(event_id) OVER w AS next_event_id, lead(time) OVER w AS next_time
  FROM r WHERE serial IS NOT NULL
  WINDOW w AS (PARTITION BY host ORDER BY time, serial, event_id)
)
SELECT event_id, next_event_id, host, serial + 1 AS first_missing, next_serial - 1 AS last_missing, next_serial - serial - 1 AS missing_records,
       time AS before_time, next_time AS after_time
FROM g
WHERE next_serial > serial AND next_serial - serial - 1 >= $min_missing
  AND time >= $period_start AND time < $period_end
ORDER BY host, time, first_missing
