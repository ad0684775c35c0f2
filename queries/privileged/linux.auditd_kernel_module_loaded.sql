/*
id: linux.auditd_kernel_module_loaded
version: 1
title: Kernel module loaded or unloaded (auditd; attempts included)
pack: privileged
families:
- linux
severity: high
category: SO
detects: init_module, finit_module and delete_module system calls recorded by audit rules (for example -S init_module,
  finit_module, delete_module -k modules), whatever their outcome, with the module name from the kernel's KERN_MODULE
  record when there is one and the command that made the call.
why: A kernel module runs with full kernel privilege; loading one outside patching and boot is how rootkits hide, and
  unloading a security module weakens the host (PCI 10.2.1.7; CIS Linux benchmarks require these calls to be audited).
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - AU-12
  - CM-5
params: []
false_positives:
- modprobe loading drivers on hardware hot-plug, and module loads during boot or package upgrades.
columns:
- event_id
- time
- host
- activity
- actor_user
- status
- error_code
- process
- command_line
- module
- rule_key
references:
- ../shared/docs/controls.md §2.8
- Sigma lnx_auditd_load_module_insmod
*/
SELECT event_id, time, host, activity, actor_user, status, error_code, process, command_line,
       nullif(regexp_extract(raw, 'type=KERN_MODULE msg=audit\([^)]*\): name="?([^"\s]+)', 1), '') AS module, fields['key'] AS rule_key
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND (source_format = 'auditd' AND activity IN ('syscall:init_module', 'syscall:finit_module', 'syscall:delete_module'))
ORDER BY time, event_id
