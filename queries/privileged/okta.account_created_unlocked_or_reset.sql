/*
id: okta.account_created_unlocked_or_reset
version: 1
title: Okta account created, or unlocked or its password reset by someone else
pack: privileged
families:
- okta
severity: medium
category: AL
detects: Okta user accounts created (user.lifecycle.create), unlocked by an administrator (user.account.unlock_by_admin,
  or user.account.unlock performed by a user other than the account owner - automatic unlocks by Okta are left out),
  and passwords reset or set by someone other than the account owner (user.account.reset_password,
  user.account.update_password). Attempts Okta recorded as failed are left out.
why: New accounts must trace to an approved joiner request, and an administrator unlocking an account or resetting its
  password can hand the account to someone else; both are account-management actions PCI 10.2.1.5 and SOC 2 CC6.2
  require to be traceable.
controls:
  iso27001:
  - A.8.15
  - A.5.16
  - A.5.18
  soc2:
  - CC6.1
  - CC6.2
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - AU-12
params: []
false_positives:
- Accounts created by the HR-driven provisioning integration (actor is the integration or system principal).
- Help-desk unlocks and resets after documented identity verification.
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
- kind
references:
- Sigma okta_user_created
- ../shared/docs/controls.md §2.3
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
       CASE WHEN activity = 'user.lifecycle.create' THEN 'account created'
            WHEN activity LIKE 'user.account.unlock%' THEN 'unlocked by another user'
            ELSE 'password reset or set by another user' END AS kind
FROM events
WHERE source_family = 'okta'
  AND time >= $period_start AND time < $period_end
  AND status IS DISTINCT FROM 'failure'
  AND (activity IN ('user.lifecycle.create', 'user.account.unlock_by_admin')
       OR (activity = 'user.account.unlock' AND actor_type = 'User' AND lower(actor_user) <> lower(target))
       OR (activity IN ('user.account.reset_password', 'user.account.update_password') AND lower(actor_user) <> lower(target)))
ORDER BY time, event_id
