/*
id: gaps.journald_seqnum_gaps
version: 1
title: Missing systemd journal sequence numbers per journal instance
pack: gaps
families:
- linux
severity: high
category: GAP
detects: 'Holes in the __SEQNUM sequence of each host and journal instance (__SEQNUM_ID, or the s= part of the cursor
  where the journal writes no __SEQNUM): ranges of sequence numbers the exported entries never contain.'
why: 'journald numbers every entry it writes, per instance; the systemd documentation gives the sequence number as
  the way to detect lost entries (controls.md §3.1). Missing numbers inside one instance mean entries were lost,
  deleted or left out of the export. A new __SEQNUM_ID (journald restarted or a new journal) starts a new sequence
  and is not a hole.'
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
  description: Report holes of at least this many missing sequence numbers.
false_positives:
- 'Exports filtered by unit, priority, identifier or time (journalctl -u / -p / -t / --since): every hole is then
  expected; check the command the export was made with.'
- Entries of other namespaces or users' journals written with the same instance and not exported.
- Journal files rotated or vacuumed before the export (holes at the start only).
columns:
- event_id
- next_event_id
- host
- seqnum_id
- first_missing
- last_missing
- missing_records
- before_time
- after_time
references:
- ../shared/docs/controls.md §3.1, §3.2 step 4
- https://www.freedesktop.org/software/systemd/man/sd_journal_get_seqnum.html
*/
WITH r AS (
  SELECT host, coalesce(fields['__SEQNUM_ID'], nullif(regexp_extract(fields['__CURSOR'], 's=([0-9a-f]+)', 1), '')) AS seqnum_id,
         try_cast(record_id AS BIGINT) AS seq, event_id, time
  FROM events
  WHERE source_family = 'linux' AND source_format IN ('journald_export', 'journald_json') AND record_id IS NOT NULL
),
-- Only instances whose distinct numbers do not fill their range have holes; the rest need no ordering.
holed AS (
  SELECT host, seqnum_id FROM r WHERE seq IS NOT NULL
  GROUP BY ALL HAVING max(seq) - min(seq) + 1 > count(DISTINCT seq)
),
d AS (
  SELECT DISTINCT ON (r.host, r.seqnum_id, r.seq) r.* FROM r
  SEMI JOIN holed h ON h.host IS NOT DISTINCT FROM r.host AND h.seqnum_id IS NOT DISTINCT FROM r.seqnum_id
  WHERE r.seq IS NOT NULL
  ORDER BY r.host, r.seqnum_id, r.seq, r.time, r.event_id
),
g AS (
  SELECT host, seqnum_id, seq, event_id, time, lead(seq) OVER w AS next_seq, lead(event_id) OVER w AS next_event_id, lead(time) OVER w AS next_time
  FROM d WINDOW w AS (PARTITION BY host, seqnum_id ORDER BY seq)
)
SELECT event_id, next_event_id, host, seqnum_id, seq + 1 AS first_missing, next_seq - 1 AS last_missing, next_seq - seq - 1 AS missing_records,
       time AS before_time, next_time AS after_time
FROM g
WHERE next_seq - seq - 1 >= $min_missing
ORDER BY host, seqnum_id, first_missing
