/*
id: aws.security_services_disabled
version: 1
title: AWS Config, GuardDuty or Security Hub disabled
pack: privileged
families:
- aws_cloudtrail
severity: high
category: LT
detects: Actions that switch off AWS Config recording or the GuardDuty / Security Hub detectors.
why: Disabling detective controls is defence evasion and a control failure under PCI 10.7.2.
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-5
  cis:
  - '8.2'
params: []
false_positives:
- Region clean-up of unused detectors.
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
references:
- Panther AWS.Config.ServiceDisabledDeleted
- Panther AWS.SecurityConfigurationChange
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, region, activity, target, status, error_code
FROM events
WHERE source_family = 'aws_cloudtrail'
  AND time >= $period_start AND time < $period_end
  AND (status = 'success' AND (activity IN ('StopConfigurationRecorder','DeleteConfigurationRecorder','DeleteDeliveryChannel','DeleteDetector','DisableSecurityHub','DisassociateFromMasterAccount','DisassociateMembers','DeleteMembers','DisableOrganizationAdminAccount','StopMonitoringMembers') OR (activity = 'UpdateDetector' AND (ewb_json(raw)->>'$.requestParameters.enable') = 'false')))
ORDER BY time, event_id
