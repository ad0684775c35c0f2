/*
id: aws.access_denied_by_actor
version: 1
title: AccessDenied errors per identity
pack: privileged
families:
- aws_cloudtrail
severity: low
category: FP
detects: API calls refused with AccessDenied or UnauthorizedOperation, grouped per identity and source address (one
  row per group, with its first event).
why: Repeated denials show an identity probing beyond its permissions, or misconfigured automation (PCI 10.2.1.4).
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
- name: min_denials
  type: integer
  default: 1
  description: Groups with fewer denied calls than this are not reported.
false_positives:
- Tools that enumerate permissions on purpose (e.g. security scanners).
columns:
- event_id
- first_time
- last_time
- actor_user
- actor_type
- src_ip
- denied_calls
- distinct_actions
- sample_actions
references:
- Panther AWS.CloudTrail.UnauthorizedAPICall
*/
SELECT arg_min(event_id, (time, event_id)) AS event_id, min(time) AS first_time, max(time) AS last_time, actor_user, actor_type, src_ip,
       count(*) AS denied_calls, count(DISTINCT activity) AS distinct_actions, string_agg(DISTINCT activity, ', ' ORDER BY activity) AS sample_actions
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND error_code IN ('AccessDenied', 'Client.UnauthorizedOperation', 'UnauthorizedOperation', 'AccessDeniedException')
  AND activity NOT IN ('DescribeEventAggregates', 'ListResourceTags')
GROUP BY actor_user, actor_type, src_ip
HAVING count(*) >= $min_denials
ORDER BY denied_calls DESC, actor_user
