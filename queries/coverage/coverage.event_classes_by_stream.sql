/*
id: coverage.event_classes_by_stream
version: 1
title: Kinds of events each stream provides
pack: coverage
families:
- all
severity: info
category: COV
detects: 'Per stream, how many events fall in each class the standards name: user activity (authentication successes),
  exceptions (failures), privileged activity, account and policy changes, and logging-system events.'
why: ISO A.8.15 and PCI 10.2.1.1-10.2.1.7 require specific classes of events; a stream without failures or privileged
  events may be logging too little (controls.md §3.2 step 7).
controls:
  iso27001:
  - A.8.15
  - A.8.16
  iso27017:
  - 12.4.1
  - CLD.12.4.5
  soc2:
  - CC7.2
  pci:
  - 10.2.1
  - 10.4.1
  nist:
  - AU-2
  - AU-12
  cis:
  - '8.2'
params: []
false_positives:
- Streams whose source genuinely has no such events (a web proxy has no account management).
columns:
- event_id
- stream
- events
- authentication_success
- authentication_failure
- failures_other
- privileged
- account_and_policy_changes
- logging_system
references:
- ../shared/docs/controls.md §3.2 step 7
*/
SELECT arg_min(event_id, (time, event_id)) AS event_id, stream, count(*) AS events,
       count(*) FILTER (WHERE category = 'authentication' AND status = 'success') AS authentication_success,
       count(*) FILTER (WHERE category = 'authentication' AND status = 'failure') AS authentication_failure,
       count(*) FILTER (WHERE coalesce(category, '') <> 'authentication' AND status = 'failure') AS failures_other,
       count(*) FILTER (WHERE category IN ('privilege', 'privileged') OR actor_type = 'Root' OR (source_family = 'windows' AND event_code IN ('4672', '4648'))) AS privileged,
       count(*) FILTER (WHERE category IN ('iam', 'account_management', 'admin', 'policy') OR (source_family = 'windows' AND event_code BETWEEN '4720' AND '4767')) AS account_and_policy_changes,
       count(*) FILTER (WHERE category = 'audit_logging') AS logging_system
FROM events
WHERE time >= $period_start AND time < $period_end
GROUP BY stream
ORDER BY stream
