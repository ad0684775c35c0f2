/*
id: gcp.service_account_impersonation
version: 1
title: GCP service-account impersonation (tokens or signatures issued)
pack: privileged
families:
- gcp
severity: medium
category: CC
detects: Successful calls that mint credentials for a service account through the IAM Credentials API
  (GenerateAccessToken, GenerateIdToken, SignBlob, SignJwt) or that were granted one of the permissions
  iam.serviceAccounts.getAccessToken, getOpenIdToken, signBlob, signJwt or implicitDelegation. Calls where that
  permission was refused are left out.
why: Impersonation lets a principal act with a service account's privileges without holding its key; it is how
  administrators reach privileged service accounts and how attackers escalate (PCI 10.2.1.2, 10.2.1.5). These calls
  are in the Data Access audit log, which must be enabled for iamcredentials.googleapis.com.
controls:
  iso27001:
  - A.8.15
  - A.8.2
  soc2:
  - CC6.3
  - CC7.2
  pci:
  - 10.2.1.2
  - 10.2.1.5
  nist:
  - AC-6(9)
  - AU-12
params: []
false_positives:
- CI/CD pipelines and tools (gcloud --impersonate-service-account, Terraform) impersonating deployment service accounts
  by design.
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
- permissions
references:
- Panther GCP.IAM.serviceAccounts.getAccessToken.Privilege.Escalation
- Panther GCP.IAM.serviceAccounts.signBlob
- Panther GCP.IAM.serviceAccounts.signJwt.Privilege.Escalation
- ../shared/docs/controls.md §2.5
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent, fields['permissions'] AS permissions
FROM events
WHERE source_family = 'gcp'
  AND time >= $period_start AND time < $period_end
  AND (status = 'success'
       AND ((service = 'iamcredentials.googleapis.com' AND regexp_matches(activity, '(GenerateAccessToken|GenerateIdToken|SignBlob|SignJwt)$'))
            OR regexp_matches(coalesce(fields['permissions'], ''), 'iam\.serviceAccounts\.(getAccessToken|getOpenIdToken|signBlob|signJwt|implicitDelegation)'))
       AND NOT regexp_matches(coalesce(fields['denied_permissions'], ''), 'iam\.serviceAccounts\.(getAccessToken|getOpenIdToken|signBlob|signJwt|implicitDelegation)'))
ORDER BY time, event_id
