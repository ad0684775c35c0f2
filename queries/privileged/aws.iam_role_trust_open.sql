/*
id: aws.iam_role_trust_open
version: 1
title: IAM role made assumable by anyone
pack: privileged
families:
- aws_cloudtrail
severity: high
category: PG
detects: Trust policy updates that let any principal ("*") assume the role.
why: A role anyone can assume is a backdoor into the account, whatever conditions the policy adds.
controls:
  iso27001:
  - A.8.15
  - A.5.18
  soc2:
  - CC6.2
  - CC6.3
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - AU-12
params: []
false_positives:
- None expected; conditions such as sts:ExternalId do not make "*" safe.
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
- trust_policy
references:
- Panther AWS.IAM.BackdoorRole
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code, (ewb_json(raw)->>'$.requestParameters.policyDocument') AS trust_policy
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'UpdateAssumeRolePolicy' AND status = 'success' AND regexp_matches(coalesce((ewb_json(raw)->>'$.requestParameters.policyDocument'), ''), '"(Principal|AWS)"\s*:\s*"\*"'))
ORDER BY time, event_id
