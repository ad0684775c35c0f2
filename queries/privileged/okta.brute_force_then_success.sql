/*
id: okta.brute_force_then_success
version: 1
title: Okta sign-in succeeded after repeated failures
pack: privileged
families:
- okta
severity: medium
category: FP
detects: Successful Okta sign-ins (user.session.start) preceded, since the user's previous successful sign-in and within
  the window, by at least min_failures failed sign-ins for the same username. One row per such success, with the
  number of failures, the addresses they came from and the first failure's time.
why: Many failures followed by a success is the pattern of a password guessed or sprayed successfully; PCI 10.2.1.4
  requires invalid access attempts to be logged and reviewed, and this is the subset most likely to be a compromise.
controls:
  iso27001:
  - A.8.15
  - A.8.16
  soc2:
  - CC7.2
  pci:
  - 10.2.1.4
  nist:
  - AU-12
  - AC-7
params:
- name: min_failures
  type: integer
  default: 5
  description: Fewest failed sign-ins before the success for it to be reported.
- name: window_minutes
  type: integer
  default: 60
  description: Only failures this many minutes or less before the success are counted.
false_positives:
- A user who forgot a recently changed password and then remembered it (failures from the user's usual address).
columns:
- event_id
- time
- actor_user
- src_ip
- cloud_account
- failures
- failure_sources
- first_failure_time
references:
- Panther Standard.BruteForceByUser
- ../shared/docs/controls.md §2.3
*/
WITH s AS (
  SELECT event_id, time, actor_user, src_ip, cloud_account, status, lower(actor_user) AS who,
         sum(CASE WHEN status = 'success' THEN 1 ELSE 0 END) OVER (PARTITION BY lower(actor_user) ORDER BY time, event_id)
           - CASE WHEN status = 'success' THEN 1 ELSE 0 END AS grp
  FROM events
  WHERE source_family = 'okta'
    AND time >= $period_start AND time < $period_end
    AND activity = 'user.session.start' AND status IN ('success', 'failure') AND actor_user IS NOT NULL
),
-- grp numbers the runs of sign-ins that end with a success: the failures since the previous success, then the success.
w AS (
  SELECT *, max(time) FILTER (WHERE status = 'success') OVER (PARTITION BY who, grp) AS success_time FROM s
)
SELECT arg_max(event_id, (time, event_id)) FILTER (WHERE status = 'success') AS event_id, success_time AS time,
       arg_max(actor_user, (time, event_id)) FILTER (WHERE status = 'success') AS actor_user,
       arg_max(src_ip, (time, event_id)) FILTER (WHERE status = 'success') AS src_ip,
       arg_max(cloud_account, (time, event_id)) FILTER (WHERE status = 'success') AS cloud_account,
       count(*) FILTER (WHERE status = 'failure' AND time >= success_time - to_minutes($window_minutes)) AS failures,
       string_agg(DISTINCT src_ip, ', ' ORDER BY src_ip) FILTER (WHERE status = 'failure' AND time >= success_time - to_minutes($window_minutes)) AS failure_sources,
       min(time) FILTER (WHERE status = 'failure' AND time >= success_time - to_minutes($window_minutes)) AS first_failure_time
FROM w
WHERE success_time IS NOT NULL
GROUP BY who, grp, success_time
HAVING count(*) FILTER (WHERE status = 'failure' AND time >= success_time - to_minutes($window_minutes)) >= $min_failures
ORDER BY time, event_id
