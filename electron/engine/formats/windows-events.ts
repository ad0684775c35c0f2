/**
 * Windows event knowledge shared by every Windows format (EVTX, XML, CSV, collector JSON): the canonical spelling of
 * channel names, which provider writes to which channel, and the table of well-known event IDs with their activity
 * name, category and "event class" (which EventData fields name the actor). Data only, no SQL. Layer: engine
 * (format module data).
 */

/**
 * Channels in the case Windows writes them. A collector may change the case (OTRF captures carry both `Security` and
 * `security` in one file); the lower-cased name is looked up here. Channels not listed keep the case they were written in.
 */
export const CANONICAL_CHANNELS: string[] = [
  'Security',
  'System',
  'Application',
  'Setup',
  'ForwardedEvents',
  'HardwareEvents',
  'Internet Explorer',
  'Key Management Service',
  'Windows PowerShell',
  'PowerShellCore/Operational',
  'Directory Service',
  'DNS Server',
  'DFS Replication',
  'File Replication Service',
  'Microsoft-Windows-Sysmon/Operational',
  'Microsoft-Windows-PowerShell/Operational',
  'Microsoft-Windows-PowerShell/Admin',
  'Microsoft-Windows-TaskScheduler/Operational',
  'Microsoft-Windows-WMI-Activity/Operational',
  'Microsoft-Windows-WinRM/Operational',
  'Microsoft-Windows-Windows Defender/Operational',
  'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall',
  'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
  'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational',
  'Microsoft-Windows-SMBServer/Security',
  'Microsoft-Windows-SMBClient/Security',
  'Microsoft-Windows-Bits-Client/Operational',
  'Microsoft-Windows-CodeIntegrity/Operational',
  'Microsoft-Windows-AppLocker/EXE and DLL',
  'Microsoft-Windows-AppLocker/MSI and Script',
  'Microsoft-Windows-DNS-Client/Operational',
  'Microsoft-Windows-DNSServer/Audit',
  'Microsoft-Windows-NTLM/Operational',
  'Microsoft-Windows-Kerberos/Operational',
  'Microsoft-Windows-GroupPolicy/Operational',
  'Microsoft-Windows-Security-Mitigations/KernelMode',
  'Microsoft-Windows-Eventlog-ForwardingPlugin/Operational',
  'Microsoft-Windows-Shell-Core/Operational',
  'Microsoft-Windows-User Profile Service/Operational',
  'Microsoft-Windows-Winlogon/Operational',
];

/**
 * Providers that write to exactly one channel, for the one format that has no channel column (Event Viewer CSV).
 * Microsoft-Windows-Security-Auditing, for instance, only ever writes to `Security`.
 */
export const PROVIDER_CHANNEL: Record<string, string> = {
  'Microsoft-Windows-Security-Auditing': 'Security',
  'Microsoft Windows security auditing.': 'Security',
  'Service Control Manager': 'System',
  'Microsoft-Windows-Sysmon': 'Microsoft-Windows-Sysmon/Operational',
  'Microsoft-Windows-TaskScheduler': 'Microsoft-Windows-TaskScheduler/Operational',
  'Microsoft-Windows-TerminalServices-RemoteConnectionManager': 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
  'Microsoft-Windows-TerminalServices-LocalSessionManager': 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  'Microsoft-Windows-Windows Defender': 'Microsoft-Windows-Windows Defender/Operational',
  'Microsoft-Windows-WMI-Activity': 'Microsoft-Windows-WMI-Activity/Operational',
  'Microsoft-Windows-WinRM': 'Microsoft-Windows-WinRM/Operational',
};

/**
 * Which fields name the actor of an event, as an auditor reads it:
 * - `subject` (default): the account that did it is Subject* (SubjectUserName, SubjectDomainName, SubjectUserSid);
 * - `logon`: logon, logoff and credential-validation events, where the account that logs on (or asks for a ticket,
 *   or is validated) is Target* and Subject* is only the service that reported it;
 * - `account`: session reconnect/disconnect, where it is AccountName/AccountDomain;
 * - `user_field`: Sysmon and RDP session events, where it is the `User` field written as DOMAIN\name;
 * - `rdp_auth`: RemoteConnectionManager 1149, where it is Param1 (user), Param2 (domain), Param3 (source address).
 */
export type EventClass = 'subject' | 'logon' | 'account' | 'user_field' | 'rdp_auth';

export interface KnownEvent {
  activity: string;
  category: string;
  cls?: EventClass;
  /** EventData field naming the object acted on (used before the generic target rule). */
  target?: string;
}

const SEC = 'Security';
const SYS = 'System';
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

/** Well-known events by `<canonical channel>:<EventID>`. Anything else gets the activity `event_<EventID>`. */
export const KNOWN_EVENTS: Record<string, KnownEvent> = {
  // Authentication (Security)
  [`${SEC}:4624`]: { activity: 'logon', category: 'authentication', cls: 'logon' },
  [`${SEC}:4625`]: { activity: 'logon_failed', category: 'authentication', cls: 'logon' },
  [`${SEC}:4634`]: { activity: 'logoff', category: 'authentication', cls: 'logon' },
  [`${SEC}:4647`]: { activity: 'logoff', category: 'authentication', cls: 'logon' },
  [`${SEC}:4648`]: { activity: 'logon_explicit_credentials', category: 'authentication' },
  [`${SEC}:4672`]: { activity: 'special_privileges_assigned', category: 'privilege' },
  [`${SEC}:4964`]: { activity: 'special_groups_logon', category: 'privilege', cls: 'logon' },
  [`${SEC}:4768`]: { activity: 'kerberos_tgt_requested', category: 'authentication', cls: 'logon', target: 'ServiceName' },
  [`${SEC}:4769`]: { activity: 'kerberos_service_ticket_requested', category: 'authentication', cls: 'logon', target: 'ServiceName' },
  [`${SEC}:4770`]: { activity: 'kerberos_service_ticket_renewed', category: 'authentication', cls: 'logon', target: 'ServiceName' },
  [`${SEC}:4771`]: { activity: 'kerberos_preauth_failed', category: 'authentication', cls: 'logon', target: 'ServiceName' },
  [`${SEC}:4776`]: { activity: 'credential_validation', category: 'authentication', cls: 'logon' },
  [`${SEC}:4778`]: { activity: 'session_reconnected', category: 'authentication', cls: 'account' },
  [`${SEC}:4779`]: { activity: 'session_disconnected', category: 'authentication', cls: 'account' },
  [`${SEC}:4800`]: { activity: 'workstation_locked', category: 'authentication', cls: 'logon' },
  [`${SEC}:4801`]: { activity: 'workstation_unlocked', category: 'authentication', cls: 'logon' },
  [`${SEC}:4802`]: { activity: 'screensaver_invoked', category: 'authentication', cls: 'logon' },
  [`${SEC}:4803`]: { activity: 'screensaver_dismissed', category: 'authentication', cls: 'logon' },
  [`${SEC}:4611`]: { activity: 'logon_process_registered', category: 'authentication' },
  [`${SEC}:4825`]: { activity: 'rdp_access_denied', category: 'authentication', cls: 'account' },
  // Privilege use
  [`${SEC}:4673`]: { activity: 'privileged_service_called', category: 'privilege' },
  [`${SEC}:4674`]: { activity: 'privileged_object_operation', category: 'privilege', target: 'ObjectName' },
  [`${SEC}:4703`]: { activity: 'token_rights_adjusted', category: 'privilege' },
  [`${SEC}:4704`]: { activity: 'user_right_assigned', category: 'privilege', target: 'TargetSid' },
  [`${SEC}:4705`]: { activity: 'user_right_removed', category: 'privilege', target: 'TargetSid' },
  [`${SEC}:4717`]: { activity: 'system_access_granted', category: 'privilege', target: 'TargetSid' },
  [`${SEC}:4718`]: { activity: 'system_access_removed', category: 'privilege', target: 'TargetSid' },
  // Account management
  [`${SEC}:4720`]: { activity: 'user_created', category: 'account_management' },
  [`${SEC}:4722`]: { activity: 'user_enabled', category: 'account_management' },
  [`${SEC}:4723`]: { activity: 'password_change_attempted', category: 'account_management' },
  [`${SEC}:4724`]: { activity: 'password_reset_attempted', category: 'account_management' },
  [`${SEC}:4725`]: { activity: 'user_disabled', category: 'account_management' },
  [`${SEC}:4726`]: { activity: 'user_deleted', category: 'account_management' },
  [`${SEC}:4738`]: { activity: 'user_changed', category: 'account_management' },
  [`${SEC}:4740`]: { activity: 'user_locked_out', category: 'account_management' },
  [`${SEC}:4767`]: { activity: 'user_unlocked', category: 'account_management' },
  [`${SEC}:4781`]: { activity: 'user_renamed', category: 'account_management', target: 'OldTargetUserName' },
  [`${SEC}:4765`]: { activity: 'sid_history_added', category: 'account_management' },
  [`${SEC}:4766`]: { activity: 'sid_history_add_failed', category: 'account_management' },
  [`${SEC}:4794`]: { activity: 'dsrm_password_set', category: 'account_management', target: 'Workstation' },
  [`${SEC}:4741`]: { activity: 'computer_account_created', category: 'account_management' },
  [`${SEC}:4742`]: { activity: 'computer_account_changed', category: 'account_management' },
  [`${SEC}:4743`]: { activity: 'computer_account_deleted', category: 'account_management' },
  [`${SEC}:4727`]: { activity: 'group_created', category: 'account_management' },
  [`${SEC}:4731`]: { activity: 'group_created', category: 'account_management' },
  [`${SEC}:4754`]: { activity: 'group_created', category: 'account_management' },
  [`${SEC}:4730`]: { activity: 'group_deleted', category: 'account_management' },
  [`${SEC}:4734`]: { activity: 'group_deleted', category: 'account_management' },
  [`${SEC}:4758`]: { activity: 'group_deleted', category: 'account_management' },
  [`${SEC}:4735`]: { activity: 'group_changed', category: 'account_management' },
  [`${SEC}:4737`]: { activity: 'group_changed', category: 'account_management' },
  [`${SEC}:4755`]: { activity: 'group_changed', category: 'account_management' },
  [`${SEC}:4728`]: { activity: 'group_member_added', category: 'account_management' },
  [`${SEC}:4732`]: { activity: 'group_member_added', category: 'account_management' },
  [`${SEC}:4756`]: { activity: 'group_member_added', category: 'account_management' },
  [`${SEC}:4729`]: { activity: 'group_member_removed', category: 'account_management' },
  [`${SEC}:4733`]: { activity: 'group_member_removed', category: 'account_management' },
  [`${SEC}:4757`]: { activity: 'group_member_removed', category: 'account_management' },
  [`${SEC}:4798`]: { activity: 'user_groups_enumerated', category: 'account_management' },
  [`${SEC}:4799`]: { activity: 'group_members_enumerated', category: 'account_management' },
  // Audit policy and the log itself
  [`${SEC}:1100`]: { activity: 'logging_service_shutdown', category: 'audit_logging' },
  [`${SEC}:1102`]: { activity: 'log_cleared', category: 'audit_logging' },
  [`${SEC}:1104`]: { activity: 'security_log_full', category: 'audit_logging' },
  [`${SEC}:1108`]: { activity: 'logging_service_error', category: 'audit_logging' },
  [`${SEC}:4719`]: { activity: 'audit_policy_changed', category: 'audit_logging', target: 'SubcategoryGuid' },
  [`${SEC}:4912`]: { activity: 'audit_policy_changed', category: 'audit_logging', target: 'TargetUserSid' },
  [`${SEC}:4902`]: { activity: 'audit_policy_table_created', category: 'audit_logging' },
  [`${SEC}:4906`]: { activity: 'crash_on_audit_fail_changed', category: 'audit_logging' },
  [`${SEC}:4907`]: { activity: 'object_audit_settings_changed', category: 'audit_logging', target: 'ObjectName' },
  [`${SEC}:4908`]: { activity: 'special_groups_table_changed', category: 'audit_logging' },
  [`${SEC}:4715`]: { activity: 'object_audit_policy_changed', category: 'audit_logging' },
  [`${SEC}:4739`]: { activity: 'domain_policy_changed', category: 'policy' },
  [`${SEC}:4706`]: { activity: 'trust_created', category: 'policy', target: 'DomainName' },
  [`${SEC}:4707`]: { activity: 'trust_removed', category: 'policy', target: 'DomainName' },
  [`${SEC}:4713`]: { activity: 'kerberos_policy_changed', category: 'policy' },
  [`${SEC}:4865`]: { activity: 'trust_information_added', category: 'policy', target: 'ForestRoot' },
  [`${SEC}:4866`]: { activity: 'trust_information_removed', category: 'policy', target: 'ForestRoot' },
  [`${SEC}:4867`]: { activity: 'trust_information_modified', category: 'policy', target: 'ForestRoot' },
  [`${SEC}:4616`]: { activity: 'system_time_changed', category: 'system' },
  [`${SEC}:4826`]: { activity: 'boot_configuration_loaded', category: 'system' },
  [`${SEC}:4608`]: { activity: 'windows_starting', category: 'system' },
  [`${SEC}:4609`]: { activity: 'windows_shutting_down', category: 'system' },
  // Processes, services, scheduled tasks
  [`${SEC}:4688`]: { activity: 'process_created', category: 'process' },
  [`${SEC}:4689`]: { activity: 'process_exited', category: 'process' },
  [`${SEC}:4697`]: { activity: 'service_installed', category: 'service', target: 'ServiceName' },
  [`${SEC}:4698`]: { activity: 'scheduled_task_created', category: 'scheduled_task', target: 'TaskName' },
  [`${SEC}:4699`]: { activity: 'scheduled_task_deleted', category: 'scheduled_task', target: 'TaskName' },
  [`${SEC}:4700`]: { activity: 'scheduled_task_enabled', category: 'scheduled_task', target: 'TaskName' },
  [`${SEC}:4701`]: { activity: 'scheduled_task_disabled', category: 'scheduled_task', target: 'TaskName' },
  [`${SEC}:4702`]: { activity: 'scheduled_task_updated', category: 'scheduled_task', target: 'TaskName' },
  // Objects, directory service, shares, registry, network
  [`${SEC}:4656`]: { activity: 'object_handle_requested', category: 'object_access', target: 'ObjectName' },
  [`${SEC}:4658`]: { activity: 'object_handle_closed', category: 'object_access' },
  [`${SEC}:4660`]: { activity: 'object_deleted', category: 'object_access' },
  [`${SEC}:4661`]: { activity: 'object_handle_requested', category: 'object_access', target: 'ObjectName' },
  [`${SEC}:4662`]: { activity: 'directory_object_accessed', category: 'directory_service', target: 'ObjectName' },
  [`${SEC}:4663`]: { activity: 'object_accessed', category: 'object_access', target: 'ObjectName' },
  [`${SEC}:4657`]: { activity: 'registry_value_modified', category: 'object_access', target: 'ObjectName' },
  [`${SEC}:4670`]: { activity: 'object_permissions_changed', category: 'object_access', target: 'ObjectName' },
  [`${SEC}:5136`]: { activity: 'directory_object_modified', category: 'directory_service', target: 'ObjectDN' },
  [`${SEC}:5137`]: { activity: 'directory_object_created', category: 'directory_service', target: 'ObjectDN' },
  [`${SEC}:5139`]: { activity: 'directory_object_moved', category: 'directory_service', target: 'OldObjectDN' },
  [`${SEC}:5141`]: { activity: 'directory_object_deleted', category: 'directory_service', target: 'ObjectDN' },
  [`${SEC}:5140`]: { activity: 'network_share_accessed', category: 'object_access', target: 'ShareName' },
  [`${SEC}:5142`]: { activity: 'network_share_added', category: 'object_access', target: 'ShareName' },
  [`${SEC}:5144`]: { activity: 'network_share_deleted', category: 'object_access', target: 'ShareName' },
  [`${SEC}:5145`]: { activity: 'network_share_access_checked', category: 'object_access', target: 'ShareName' },
  [`${SEC}:5156`]: { activity: 'network_connection_allowed', category: 'network', target: 'DestAddress' },
  [`${SEC}:5157`]: { activity: 'network_connection_blocked', category: 'network', target: 'DestAddress' },
  [`${SEC}:5158`]: { activity: 'network_bind_allowed', category: 'network' },
  [`${SEC}:5024`]: { activity: 'firewall_started', category: 'network' },
  [`${SEC}:5025`]: { activity: 'firewall_stopped', category: 'network' },
  [`${SEC}:4946`]: { activity: 'firewall_rule_added', category: 'network', target: 'RuleName' },
  [`${SEC}:4947`]: { activity: 'firewall_rule_changed', category: 'network', target: 'RuleName' },
  [`${SEC}:4948`]: { activity: 'firewall_rule_deleted', category: 'network', target: 'RuleName' },
  [`${SEC}:4950`]: { activity: 'firewall_setting_changed', category: 'network' },
  // System channel
  [`${SYS}:104`]: { activity: 'log_cleared', category: 'audit_logging', target: 'Channel' },
  [`${SYS}:7045`]: { activity: 'service_installed', category: 'service', target: 'ServiceName' },
  [`${SYS}:7036`]: { activity: 'service_state_changed', category: 'service', target: 'param1' },
  [`${SYS}:7040`]: { activity: 'service_start_type_changed', category: 'service', target: 'param1' },
  [`${SYS}:7034`]: { activity: 'service_crashed', category: 'service', target: 'param1' },
  [`${SYS}:7031`]: { activity: 'service_crashed', category: 'service', target: 'param1' },
  [`${SYS}:1074`]: { activity: 'shutdown_initiated', category: 'system' },
  [`${SYS}:6005`]: { activity: 'eventlog_service_started', category: 'audit_logging' },
  [`${SYS}:6006`]: { activity: 'eventlog_service_stopped', category: 'audit_logging' },
  [`${SYS}:6008`]: { activity: 'unexpected_shutdown', category: 'system' },
  [`${SYS}:41`]: { activity: 'unexpected_reboot', category: 'system' },
  // Sysmon
  [`${SYSMON}:1`]: { activity: 'process_created', category: 'process', cls: 'user_field' },
  [`${SYSMON}:2`]: { activity: 'file_creation_time_changed', category: 'file', cls: 'user_field', target: 'TargetFilename' },
  [`${SYSMON}:3`]: { activity: 'network_connection', category: 'network', cls: 'user_field', target: 'DestinationIp' },
  [`${SYSMON}:4`]: { activity: 'sysmon_state_changed', category: 'audit_logging', cls: 'user_field' },
  [`${SYSMON}:5`]: { activity: 'process_terminated', category: 'process', cls: 'user_field' },
  [`${SYSMON}:6`]: { activity: 'driver_loaded', category: 'system', cls: 'user_field', target: 'ImageLoaded' },
  [`${SYSMON}:7`]: { activity: 'image_loaded', category: 'process', cls: 'user_field', target: 'ImageLoaded' },
  [`${SYSMON}:8`]: { activity: 'remote_thread_created', category: 'process', cls: 'user_field', target: 'TargetImage' },
  [`${SYSMON}:9`]: { activity: 'raw_disk_access', category: 'file', cls: 'user_field', target: 'Device' },
  [`${SYSMON}:10`]: { activity: 'process_accessed', category: 'process', cls: 'user_field', target: 'TargetImage' },
  [`${SYSMON}:11`]: { activity: 'file_created', category: 'file', cls: 'user_field', target: 'TargetFilename' },
  [`${SYSMON}:12`]: { activity: 'registry_key_created_or_deleted', category: 'registry', cls: 'user_field', target: 'TargetObject' },
  [`${SYSMON}:13`]: { activity: 'registry_value_set', category: 'registry', cls: 'user_field', target: 'TargetObject' },
  [`${SYSMON}:14`]: { activity: 'registry_key_renamed', category: 'registry', cls: 'user_field', target: 'TargetObject' },
  [`${SYSMON}:15`]: { activity: 'file_stream_created', category: 'file', cls: 'user_field', target: 'TargetFilename' },
  [`${SYSMON}:16`]: { activity: 'sysmon_config_changed', category: 'audit_logging', cls: 'user_field', target: 'Configuration' },
  [`${SYSMON}:17`]: { activity: 'pipe_created', category: 'process', cls: 'user_field', target: 'PipeName' },
  [`${SYSMON}:18`]: { activity: 'pipe_connected', category: 'process', cls: 'user_field', target: 'PipeName' },
  [`${SYSMON}:19`]: { activity: 'wmi_filter_registered', category: 'persistence', cls: 'user_field', target: 'Name' },
  [`${SYSMON}:20`]: { activity: 'wmi_consumer_registered', category: 'persistence', cls: 'user_field', target: 'Name' },
  [`${SYSMON}:21`]: { activity: 'wmi_binding_registered', category: 'persistence', cls: 'user_field', target: 'Consumer' },
  [`${SYSMON}:22`]: { activity: 'dns_query', category: 'network', cls: 'user_field', target: 'QueryName' },
  [`${SYSMON}:23`]: { activity: 'file_deleted', category: 'file', cls: 'user_field', target: 'TargetFilename' },
  [`${SYSMON}:24`]: { activity: 'clipboard_changed', category: 'process', cls: 'user_field' },
  [`${SYSMON}:25`]: { activity: 'process_tampering', category: 'process', cls: 'user_field' },
  [`${SYSMON}:26`]: { activity: 'file_delete_logged', category: 'file', cls: 'user_field', target: 'TargetFilename' },
  [`${SYSMON}:255`]: { activity: 'sysmon_error', category: 'audit_logging', cls: 'user_field' },
  // PowerShell
  ['Microsoft-Windows-PowerShell/Operational:4103']: { activity: 'powershell_module_logged', category: 'process' },
  ['Microsoft-Windows-PowerShell/Operational:4104']: { activity: 'powershell_script_block', category: 'process' },
  ['Windows PowerShell:400']: { activity: 'powershell_engine_started', category: 'process' },
  ['Windows PowerShell:403']: { activity: 'powershell_engine_stopped', category: 'process' },
  ['Windows PowerShell:600']: { activity: 'powershell_provider_started', category: 'process' },
  ['Windows PowerShell:800']: { activity: 'powershell_pipeline_executed', category: 'process' },
  // Task Scheduler, WMI, WinRM, RDP, Defender, firewall
  ['Microsoft-Windows-TaskScheduler/Operational:106']: { activity: 'scheduled_task_created', category: 'scheduled_task', target: 'TaskName' },
  ['Microsoft-Windows-TaskScheduler/Operational:140']: { activity: 'scheduled_task_updated', category: 'scheduled_task', target: 'TaskName' },
  ['Microsoft-Windows-TaskScheduler/Operational:141']: { activity: 'scheduled_task_deleted', category: 'scheduled_task', target: 'TaskName' },
  ['Microsoft-Windows-TaskScheduler/Operational:142']: { activity: 'scheduled_task_disabled', category: 'scheduled_task', target: 'TaskName' },
  ['Microsoft-Windows-TaskScheduler/Operational:200']: { activity: 'scheduled_task_action_started', category: 'scheduled_task', target: 'TaskName' },
  ['Microsoft-Windows-WMI-Activity/Operational:5857']: { activity: 'wmi_provider_loaded', category: 'process' },
  ['Microsoft-Windows-WMI-Activity/Operational:5858']: { activity: 'wmi_operation_failed', category: 'process' },
  ['Microsoft-Windows-WMI-Activity/Operational:5860']: { activity: 'wmi_temporary_subscription', category: 'persistence' },
  ['Microsoft-Windows-WMI-Activity/Operational:5861']: { activity: 'wmi_permanent_subscription', category: 'persistence' },
  ['Microsoft-Windows-WinRM/Operational:91']: { activity: 'wsman_shell_started', category: 'remote_access' },
  ['Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational:1149']: { activity: 'rdp_authentication_succeeded', category: 'authentication', cls: 'rdp_auth' },
  ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational:21']: { activity: 'rdp_session_logon', category: 'authentication', cls: 'user_field' },
  ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational:22']: { activity: 'rdp_shell_started', category: 'authentication', cls: 'user_field' },
  ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational:23']: { activity: 'rdp_session_logoff', category: 'authentication', cls: 'user_field' },
  ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational:24']: { activity: 'rdp_session_disconnected', category: 'authentication', cls: 'user_field' },
  ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational:25']: { activity: 'rdp_session_reconnected', category: 'authentication', cls: 'user_field' },
  ['Microsoft-Windows-Windows Defender/Operational:1116']: { activity: 'malware_detected', category: 'malware', target: 'Path' },
  ['Microsoft-Windows-Windows Defender/Operational:1117']: { activity: 'malware_action_taken', category: 'malware', target: 'Path' },
  ['Microsoft-Windows-Windows Defender/Operational:5001']: { activity: 'realtime_protection_disabled', category: 'audit_logging' },
  ['Microsoft-Windows-Windows Defender/Operational:5007']: { activity: 'defender_configuration_changed', category: 'policy' },
  ['Microsoft-Windows-Windows Defender/Operational:5013']: { activity: 'defender_tamper_protection_blocked', category: 'policy' },
  ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall:2003']: { activity: 'firewall_profile_changed', category: 'network' },
  ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall:2004']: { activity: 'firewall_rule_added', category: 'network', target: 'RuleName' },
  ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall:2006']: { activity: 'firewall_rule_deleted', category: 'network', target: 'RuleName' },
  // Application channel: SQL Server
  ['Application:18456']: { activity: 'mssql_logon_failed', category: 'authentication' },
  ['Application:33205']: { activity: 'mssql_audit_event', category: 'audit_logging' },
  // DNS Server audit
  ['Microsoft-Windows-DNSServer/Audit:541']: { activity: 'dns_server_setting_changed', category: 'policy' },
};

/**
 * Events that always record a failure, whatever their keywords (keywords are missing in some collector shapes).
 * Events whose outcome is in their `Status` field (4768, 4769, 4776: `0x0` = success) are decided in the mapping.
 */
export const FAILURE_EVENTS = [`${SEC}:4625`, `${SEC}:4771`, `${SEC}:4777`, `${SEC}:4766`, 'Application:18456'];

/** Events whose `Status` field is the outcome: `0x0` success, anything else a failure with that code. */
export const STATUS_EVENTS = [`${SEC}:4768`, `${SEC}:4769`, `${SEC}:4770`, `${SEC}:4776`];
