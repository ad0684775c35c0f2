/*
id: kubernetes.admission_or_audit_config_changed
version: 3
title: Admission webhook, admission policy or audit sink created, changed or deleted
pack: privileged
families:
- kubernetes
severity: high
category: PC
detects: create, update, patch, delete and deletecollection requests (not failed) on mutating and validating webhook
  configurations, validating and mutating admission policies and their bindings (admissionregistration.k8s.io) and
  dynamic audit sinks (auditregistration.k8s.io), by anyone but the cluster's own components (system:* users other
  than service accounts, nodes, eks:*, kube-system service accounts, AKS masterclient and aksService). One row per
  request (its last logged stage), with the webhooks named in the body when it is logged.
why: Admission webhooks see, and mutating ones rewrite, every object sent to the API server (a backdoor can inject
  containers or secrets; removing a validating policy removes a guardrail); audit sinks decide where audit events go.
  Such changes are security configuration changes to approve (CM-5; PCI 10.2.1.6, 10.2.1.7).
controls:
  iso27001:
  - A.8.15
  - A.8.9
  soc2:
  - CC6.1
  - CC7.2
  - CC8.1
  pci:
  - 10.2.1.6
  - 10.2.1.7
  nist:
  - CM-5
  - AU-12
params: []
false_positives:
- Installing or upgrading a policy engine, service mesh or cert-manager, which register their webhooks.
- cert-manager's CA injector or a mesh control plane updating the caBundle of their own webhook configurations.
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
- webhooks
references:
- ../shared/docs/controls.md §2.7
- Panther Kubernetes.AdmissionController.Created
- Sigma kubernetes_audit_change_admission_controller
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status,
         ewb_json(raw) AS j
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND activity IN ('create mutatingwebhookconfigurations', 'update mutatingwebhookconfigurations',
                     'patch mutatingwebhookconfigurations', 'delete mutatingwebhookconfigurations',
                     'deletecollection mutatingwebhookconfigurations', 'create validatingwebhookconfigurations',
                     'update validatingwebhookconfigurations', 'patch validatingwebhookconfigurations',
                     'delete validatingwebhookconfigurations', 'deletecollection validatingwebhookconfigurations',
                     'create validatingadmissionpolicies', 'update validatingadmissionpolicies',
                     'patch validatingadmissionpolicies', 'delete validatingadmissionpolicies',
                     'deletecollection validatingadmissionpolicies', 'create validatingadmissionpolicybindings',
                     'update validatingadmissionpolicybindings', 'patch validatingadmissionpolicybindings',
                     'delete validatingadmissionpolicybindings',
                     'deletecollection validatingadmissionpolicybindings', 'create mutatingadmissionpolicies',
                     'update mutatingadmissionpolicies', 'patch mutatingadmissionpolicies',
                     'delete mutatingadmissionpolicies', 'deletecollection mutatingadmissionpolicies',
                     'create mutatingadmissionpolicybindings', 'update mutatingadmissionpolicybindings',
                     'patch mutatingadmissionpolicybindings', 'delete mutatingadmissionpolicybindings',
                     'deletecollection mutatingadmissionpolicybindings', 'create auditsinks', 'update auditsinks',
                     'patch auditsinks', 'delete auditsinks', 'deletecollection auditsinks')
    AND NOT (coalesce(actor_type IN ('system', 'node'), false) OR coalesce(actor_user LIKE 'system:serviceaccount:kube-system:%', false)
             OR coalesce(actor_user IN ('masterclient', 'aksService'), false))
  -- one row per request: the last stage logged of it
  QUALIFY ewb_k8s_stage_rank(fields['stage'])
        = max(ewb_k8s_stage_rank(fields['stage'])) OVER (PARTITION BY coalesce(record_id, event_id), activity, actor_user)
),
k AS (
  -- the audit Event inside whichever wrapper delivered it
  SELECT *, ewb_k8s_event(j) AS ev
  FROM c
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status,
       nullif(array_to_string(list_transform(coalesce(nullif(json_extract(ev, '$.requestObject.webhooks[*]'), []), json_extract(ev, '$.responseObject.webhooks[*]')),
         w -> coalesce((w->>'$.name'), '?') || ' -> ' || coalesce((w->>'$.clientConfig.url'),
              'service ' || (w->>'$.clientConfig.service.namespace') || '/' || (w->>'$.clientConfig.service.name'), '?')), '; '), '') AS webhooks
FROM k
WHERE status IS DISTINCT FROM 'failure'
ORDER BY time, event_id
