/*
id: gaps.cloudtrail_digest_missing_hours
version: 1
title: Hours with no CloudTrail digest file
pack: gaps
families:
- aws_cloudtrail
severity: high
category: GAP
detects: For every digest chain in the case (account, region, trail), the hours of the audit period that no digest
  file covers, between the first and last digest present.
why: With log-file validation on, CloudTrail delivers a digest every hour; a missing hour means validation was off,
  logging stopped, or files were withheld from the export (controls.md §3.2 step 4).
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC7.2
  pci:
  - 10.3.4
  - 10.7.2
  nist:
  - AU-9
  - AU-5
params: []
false_positives:
- Trails created or removed during the period (the chain starts or ends).
columns:
- event_id
- chain
- hour_start
- hour_end
- digest_before
- digest_after
references:
- aws cloudtrail validate-logs (digest chain)
*/
WITH d AS (
  SELECT regexp_replace(digest_s3_object, '_\d{8}T\d{6}Z(_backfill)?\.json\.gz$', '') AS chain, digest_start_time, digest_end_time, member_path
  FROM cloudtrail_digests WHERE digest_start_time IS NOT NULL AND digest_end_time IS NOT NULL
),
span AS (SELECT chain, greatest(min(digest_start_time), $period_start) AS t0, least(max(digest_end_time), $period_end) AS t1 FROM d GROUP BY chain),
hours AS (SELECT chain, unnest(generate_series(date_trunc('hour', t0), t1 - INTERVAL 1 HOUR, INTERVAL 1 HOUR)) AS hour_start FROM span WHERE t1 > t0)
SELECT NULL::VARCHAR AS event_id, h.chain, h.hour_start, h.hour_start + INTERVAL 1 HOUR AS hour_end,
       (SELECT arg_max(member_path, digest_end_time) FROM d WHERE d.chain = h.chain AND d.digest_end_time <= h.hour_start) AS digest_before,
       (SELECT arg_min(member_path, digest_start_time) FROM d WHERE d.chain = h.chain AND d.digest_start_time >= h.hour_start + INTERVAL 1 HOUR) AS digest_after
FROM hours h
WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.chain = h.chain AND d.digest_start_time < h.hour_start + INTERVAL 1 HOUR AND d.digest_end_time > h.hour_start)
ORDER BY h.chain, h.hour_start
