/*
id: aws.console_login_without_mfa
version: 1
title: AWS console sign-in without MFA
pack: privileged
families:
- aws_cloudtrail
severity: medium
category: FP
detects: Successful console sign-ins by IAM users or root that did not use multi-factor authentication (federated
  SSO sign-ins, which apply MFA at the identity provider, are excluded).
why: MFA for console access is a baseline access control (CIS AWS 1.10); sign-ins without it show the control is
  not enforced.
controls:
  iso27001:
  - A.8.5
  - A.8.15
  soc2:
  - CC6.1
  pci:
  - 10.2.1.4
  nist:
  - IA-2
params: []
false_positives:
- Federated sign-ins whose MFA happens at an identity provider not recognised by the exclusions.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- region
- activity
- target
- status
- error_code
- mfa_used
references:
- Panther AWS.Console.LoginWithoutMFA
- Sigma aws_cloudtrail_console_login_success_without_mfa
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code, (ewb_json(raw)->>'$.additionalEventData.MFAUsed') AS mfa_used
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'ConsoleLogin' AND (ewb_json(raw)->>'$.responseElements.ConsoleLogin') = 'Success' AND coalesce(ewb_json(raw)->>'$.additionalEventData.MFAUsed', 'No') <> 'Yes' AND coalesce(ewb_json(raw)->>'$.userIdentity.arn', '') NOT LIKE '%AWSReservedSSO%' AND (ewb_json(raw)->>'$.additionalEventData.SamlProviderArn') IS NULL)
ORDER BY time, event_id
