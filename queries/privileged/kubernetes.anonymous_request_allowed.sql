/*
id: kubernetes.anonymous_request_allowed
version: 2
title: Anonymous (unauthenticated) API requests that were allowed
pack: privileged
families:
- kubernetes
severity: high
category: NE
detects: Requests by system:anonymous that the authorizer allowed (annotation authorization.k8s.io/decision = allow, or
  a successful response when the annotation is absent), other than reads of the health and version endpoints that
  every cluster opens to anyone (/healthz, /livez, /readyz, /version). One row per request (its last logged stage),
  with the authorizer's reason (which binding allowed it).
why: A cluster that lets unauthenticated callers read or change resources has an access-control hole (RBAC bound to
  system:anonymous or system:unauthenticated); every allowed request is a finding, whoever sent it.
controls:
  iso27001:
  - A.8.15
  - A.8.5
  soc2:
  - CC6.1
  - CC6.6
  nist:
  - AC-14
  - AU-12
params: []
false_positives:
- Deliberately public read-only endpoints bound to system:unauthenticated (for example a published OpenID discovery
  document at /.well-known/openid-configuration or /openid/v1/jwks).
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- cluster
- activity
- target
- status
- error_code
- user_agent
- authz_reason
references:
- ../shared/docs/controls.md §2.7
- Panther Kubernetes.API.AnonymousAccess
- Panther Amazon.EKS.AnonymousAPIAccess
- Sigma kubernetes_audit_unauthorized_unauthenticated_actions
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status, error_code, user_agent, fields
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND actor_type = 'anonymous'
  -- one row per request: the last stage logged of it
  QUALIFY ewb_k8s_stage_rank(fields['stage'])
        = max(ewb_k8s_stage_rank(fields['stage'])) OVER (PARTITION BY coalesce(record_id, event_id), activity, actor_user)
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status, error_code,
       user_agent, fields['authz_reason'] AS authz_reason
FROM c
WHERE (fields['decision'] = 'allow' OR (fields['decision'] IS NULL AND status = 'success'))
  AND NOT (coalesce(activity, 'get') = 'get' AND coalesce(regexp_matches(target, '^/(healthz|livez|readyz|version/?)(\?.*)?$'), false))
ORDER BY time, event_id
