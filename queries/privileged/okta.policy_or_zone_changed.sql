/*
id: okta.policy_or_zone_changed
version: 1
title: Okta policy, policy rule or network zone changed or removed
pack: privileged
families:
- okta
severity: medium
category: PC
detects: Okta policies (sign-on, authentication, MFA enrolment, password, global session) and their rules updated,
  deactivated or deleted (policy.lifecycle.*, policy.rule.*, application.policy.sign_on.*), and network zones updated,
  deactivated or deleted (zone.*), with the policy type Okta records. Attempts Okta recorded as failed are left out.
why: Policies and zones decide who must use MFA and from where; weakening one (e.g. removing the MFA requirement or a
  blocked-IP zone) lowers authentication for everyone it covers (SOC 2 CC6.1, PCI 8.4). The System Log does not record
  the old and new settings, so each change must be compared with the change record.
controls:
  iso27001:
  - A.8.15
  - A.8.5
  soc2:
  - CC6.1
  - CC6.6
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - CM-5
  - AU-12
params: []
false_positives:
- Planned policy changes from the identity team, documented in change management.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- target_type
- status
- policy_type
- targets
references:
- Sigma okta_policy_modified_or_deleted
- Sigma okta_policy_rule_modified_or_deleted
- Sigma okta_application_sign_on_policy_modified_or_deleted
- Sigma okta_network_zone_deactivated_or_deleted
- ../shared/docs/controls.md §2.3
*/
WITH o AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields['target_type'] AS target_type, status,
         coalesce(fields['targets'], target) AS targets,
         ewb_okta_event(raw) AS ev
  FROM events
  WHERE source_family = 'okta'
    AND time >= $period_start AND time < $period_end
    AND (activity IN ('policy.lifecycle.update', 'policy.lifecycle.deactivate', 'policy.lifecycle.delete',
                      'policy.rule.update', 'policy.rule.deactivate', 'policy.rule.delete',
                      'application.policy.sign_on.update', 'application.policy.sign_on.rule.update', 'application.policy.sign_on.rule.delete',
                      'zone.update', 'zone.deactivate', 'zone.delete', 'network_zone.rule.disabled')
         AND status IS DISTINCT FROM 'failure')
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, target_type, status,
       list_filter(json_extract_string(ev, '$.target[*].detailEntry.policyType'), lambda x: x IS NOT NULL)[1] AS policy_type,
       targets
FROM o
ORDER BY time, event_id
