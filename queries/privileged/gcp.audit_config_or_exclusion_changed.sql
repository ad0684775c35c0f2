/*
id: gcp.audit_config_or_exclusion_changed
version: 1
title: GCP audit-log configuration or log exclusions changed
pack: privileged
families:
- gcp
severity: high
category: LT
detects: IAM policy changes that add or remove audit-log configuration (Data Access / Admin Read logging, exempted
  members), log exclusions created, updated or deleted, and sink updates that change the sink's exclusions. The
  change is spelled out; narrows_logging is true when audit logging was removed or an exclusion created, false when
  logging was only added or an exclusion deleted, and empty for updates whose effect the log does not show.
why: Data Access logs and exclusions decide which actions are recorded at all; turning them off or excluding entries
  creates a gap no later review can recover (PCI 10.2.1.6, 10.2.2; CIS GCP 2.1).
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-2
  - AU-9
  - AU-12
  cis:
  - '8.2'
params: []
false_positives:
- Exclusions of high-volume, low-value logs approved by the log owner (cost control).
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
- change
- narrows_logging
references:
- ../shared/docs/controls.md §2.5
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND status = 'success'
    AND ((category = 'audit_logging' AND activity ILIKE '%SetIamPolicy')
         OR (service = 'logging.googleapis.com' AND regexp_matches(activity, '(CreateExclusion|UpdateExclusion|DeleteExclusion|UpdateSink)$')))
),
d AS (
  SELECT *,
         coalesce(pp->'$.request', try_cast((pp->>'$.requestJson') AS JSON)) AS req,
         json_extract(coalesce(pp->'$.serviceData', pp->'$.servicedata_v1_iam'), '$.policyDelta.auditConfigDeltas[*]') AS acd
  FROM g
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
       CASE WHEN activity ILIKE '%SetIamPolicy'
              THEN array_to_string(list_transform(acd, lambda x: concat_ws(' ', x->>'$.action', x->>'$.service', x->>'$.logType', 'exempted:' || (x->>'$.exemptedMember'))), '; ')
            WHEN activity LIKE '%UpdateSink'
              THEN 'sink exclusions now: ' || coalesce(nullif(array_to_string(json_extract_string(req, '$.sink.exclusions[*].filter'), ' | '), ''), '(none)')
            ELSE coalesce(req->>'$.exclusion.filter', req->>'$.name', target) END AS change,
       CASE WHEN activity ILIKE '%SetIamPolicy' THEN list_bool_or(list_transform(acd, lambda x: (x->>'$.action') = 'REMOVE'))
            WHEN activity LIKE '%CreateExclusion' THEN true
            WHEN activity LIKE '%DeleteExclusion' THEN false
            END AS narrows_logging
FROM d
WHERE activity NOT LIKE '%UpdateSink' OR contains(coalesce(req->>'$.updateMask', ''), 'exclusions')
ORDER BY time, event_id
