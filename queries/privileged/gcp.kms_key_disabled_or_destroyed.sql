/*
id: gcp.kms_key_disabled_or_destroyed
version: 1
title: Cloud KMS key version disabled or destroyed
pack: privileged
families:
- gcp
severity: high
category: KM
detects: Successful DestroyCryptoKeyVersion calls, and UpdateCryptoKeyVersion calls that set a key version's state to
  DISABLED, DESTROY_SCHEDULED or DESTROYED.
why: Data encrypted under a destroyed key version is unrecoverable and a disabled key makes it unreadable; this is
  sabotage or ransom unless it follows a documented key retirement (PCI 3.7 / 10.2.1.7, NIST SC-12).
controls:
  iso27001:
  - A.8.24
  - A.8.15
  soc2:
  - CC6.1
  pci:
  - 10.2.1.7
  nist:
  - SC-12
params: []
false_positives:
- Scheduled destruction of old key versions after rotation and re-encryption.
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
- new_state
references:
- Panther GCP.KMS.EraseKey
- ../shared/docs/controls.md §2.5
*/
WITH g AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
         ewb_gcp_payload(raw) AS pp
  FROM events
  WHERE source_family = 'gcp'
    AND time >= $period_start AND time < $period_end
    AND (service = 'cloudkms.googleapis.com' AND status = 'success'
         AND (activity LIKE '%DestroyCryptoKeyVersion' OR activity LIKE '%UpdateCryptoKeyVersion'))
),
d AS (SELECT *, coalesce(pp->'$.request', try_cast((pp->>'$.requestJson') AS JSON)) AS req FROM g)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent,
       CASE WHEN activity LIKE '%DestroyCryptoKeyVersion' THEN 'DESTROY_SCHEDULED' ELSE req->>'$.cryptoKeyVersion.state' END AS new_state
FROM d
WHERE activity LIKE '%DestroyCryptoKeyVersion'
   OR (contains(coalesce(req->>'$.updateMask', ''), 'state') AND (req->>'$.cryptoKeyVersion.state') IN ('DISABLED', 'DESTROY_SCHEDULED', 'DESTROYED'))
ORDER BY time, event_id
