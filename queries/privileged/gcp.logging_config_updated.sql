/*
id: gcp.logging_config_updated
version: 1
title: Cloud Logging configuration updated
pack: privileged
families:
- gcp
severity: high
category: LT
detects: Successful Update* calls on the Cloud Logging API (logging.googleapis.com) - sinks (destination, filter,
  exclusions), log buckets (retention, locking), exclusions, views, CMEK and organization settings, log-based metrics -
  with the request's update mask.
why: Changing a sink's filter or destination, adding exclusions or shortening retention silently narrows what is
  kept as evidence (PCI 10.2.1.6, 10.5.1; CIS GCP 2.x).
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  - 12.4.2
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-12
  cis:
  - '8.2'
  - '8.9'
params: []
false_positives:
- Planned changes to sink filters or retention, approved by the log owner.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- status
- user_agent
- update_mask
references:
- Panther GCP.Logging.Sink.Modified
- Panther GCP.Logging.Settings.Modified
- ../shared/docs/controls.md §2.5
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND (service = 'logging.googleapis.com' AND status = 'success' AND regexp_matches(activity, '\.Update[A-Za-z]*$'))
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
       coalesce(pp->>'$.request.updateMask', try_cast((pp->>'$.requestJson') AS JSON)->>'$.updateMask') AS update_mask
FROM g
ORDER BY time, event_id
