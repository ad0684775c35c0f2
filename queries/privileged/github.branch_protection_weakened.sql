/*
id: github.branch_protection_weakened
version: 1
title: GitHub branch protection or ruleset removed, weakened or bypassed
pack: privileged
families:
- github
severity: high
category: PC
detects: Branch protection rules deleted (protected_branch.destroy) and repository rulesets deleted
  (repository_ruleset.destroy); protections overridden by an admin (protected_branch.policy_override and the
  required-status / review overrides); and branch-protection or ruleset updates whose recorded new value relaxes the
  rule - force pushes or deletions allowed, admins no longer bound, required reviews, status checks, signatures,
  linear history or code-owner review switched off, a ruleset set to disabled or evaluate. Updates whose new value is
  not in the log are not reported.
why: Branch protection is the technical control behind segregation of duties in change management (code review before
  merge); removing or bypassing it allows unreviewed changes to reach production (SOC 2 CC8.1, PCI 6.5.x / 10.2.1.7).
controls:
  iso27001:
  - A.8.15
  - A.8.32
  soc2:
  - CC8.1
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - CM-5
  - AU-12
params: []
false_positives:
- Emergency fixes with a documented override; repository archival or renaming of the protected branch.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- repo
- change
- setting
- new_value
references:
- Panther GitHub.Branch.ProtectionDisabled
- Panther GitHub.Branch.PolicyOverride
- ../shared/docs/controls.md §2.6
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields,
         ewb_github_event(raw) AS ev
  FROM events
  WHERE source_family = 'github'
    AND time >= $period_start AND time < $period_end
    AND (activity LIKE 'protected_branch.%' OR activity IN ('repository_ruleset.destroy', 'repository_ruleset.update'))
),
s AS (
  SELECT *, CASE WHEN activity LIKE 'protected_branch.update_%' THEN substr(activity, length('protected_branch.update_') + 1)
                 WHEN activity = 'repository_ruleset.update' THEN 'ruleset_enforcement' END AS setting
  FROM g
),
v AS (
  SELECT *, lower(coalesce(json_extract_string(ev, '$.' || setting), json_extract_string(ev, '$.data.' || setting), fields[setting], fields['data.' || setting])) AS new_value
  FROM s
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, fields['repo'] AS repo,
       CASE WHEN activity IN ('protected_branch.destroy', 'repository_ruleset.destroy') THEN 'removed'
            WHEN setting IS NULL THEN 'bypassed'
            ELSE 'weakened' END AS change,
       setting, new_value
FROM v
WHERE activity IN ('protected_branch.destroy', 'repository_ruleset.destroy', 'protected_branch.policy_override', 'protected_branch.required_status_override',
                   'protected_branch.review_policy_override', 'protected_branch.review_policy_and_required_status_override')
   OR (setting IN ('allow_force_pushes_enforcement_level', 'allow_deletions_enforcement_level') AND new_value NOT IN ('0', 'off', 'false'))
   OR (setting IN ('admin_enforced', 'require_code_owner_review', 'pull_request_reviews_enforcement_level', 'required_status_checks_enforcement_level',
                   'signature_requirement_enforcement_level', 'linear_history_requirement_enforcement_level', 'require_last_push_approval')
       AND new_value IN ('0', 'off', 'false'))
   OR (setting = 'ruleset_enforcement' AND new_value IN ('disabled', 'evaluate'))
ORDER BY time, event_id
