/*
id: azure.key_vault_deleted_or_access_changed
version: 1
title: Key Vault deleted or purged, key purged, or vault access policy changed
pack: privileged
families:
- azure
severity: high
category: KM
detects: Successful Key Vault deletions (Microsoft.KeyVault/vaults/delete), purges of a deleted vault
  (locations/deletedVaults/purge/action) or of a key (vaults/keys/purge/action), and access policy changes
  (vaults/accessPolicies/write), from the Azure Activity Log.
why: A vault holds the keys and secrets that protect data and services; deleting or purging it makes encrypted data
  unrecoverable, and an access policy change grants or removes who can read its secrets and keys.
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
- Decommissioning of a test environment; access policy updates by deployment pipelines.
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
- vault
references:
- ../shared/docs/controls.md §2.4
- Panther Azure.MonitorActivity.KeyVault.Deleted
- Panther Azure.MonitorActivity.KeyVault.Purged
- Panther Azure.MonitorActivity.KeyVault.KeyPurged
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status,
  nullif(regexp_extract(target, '(?i)/(?:vaults|deletedVaults)/([^/]+)', 1), '') AS vault
FROM events
WHERE source_family = 'azure'
  AND time >= $period_start AND time < $period_end
  AND (status = 'success'
       AND lower(activity) IN ('microsoft.keyvault/vaults/delete', 'microsoft.keyvault/locations/deletedvaults/purge/action',
                               'microsoft.keyvault/vaults/keys/purge/action', 'microsoft.keyvault/vaults/accesspolicies/write'))
ORDER BY time, event_id
