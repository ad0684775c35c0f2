/*
id: coverage.load_completeness
version: 1
title: Records received but not loaded, per archive and member
pack: coverage
families:
- all
severity: medium
category: COV
detects: 'For every archive member that was not loaded completely: records seen, loaded and rejected, its status
  (rejects, partial, refused, unsupported, skipped) and the most frequent reject reasons.'
why: The population tested is only what was loaded; every record rejected or member refused narrows it and must
  be explained in the workpaper (ISO A.5.28, PCI 10.3).
controls:
  iso27001:
  - A.5.28
  - A.8.15
  soc2:
  - CC7.2
  pci:
  - 10.3.2
  nist:
  - AU-9
  cis:
  - '8.2'
params: []
false_positives:
- Documentation files inside an export (README) reported as unsupported.
columns:
- event_id
- archive
- member
- status
- records
- loaded
- rejected
- reason
- top_reject_reasons
references: []
*/
SELECT NULL::VARCHAR AS event_id, a.path AS archive, m.path AS member, m.status, m.records, m.loaded, m.rejected, m.reason,
       (SELECT string_agg(r.reason || ' (' || r.n || ')', '; ' ORDER BY r.n DESC)
          FROM (SELECT reason, count(*) AS n FROM rejects WHERE member_id = m.member_id GROUP BY reason ORDER BY n DESC LIMIT 3) r) AS top_reject_reasons
FROM members m JOIN archives a ON a.sha256 = m.archive_sha256
WHERE m.status NOT IN ('loaded', 'container')
ORDER BY a.path, m.path
