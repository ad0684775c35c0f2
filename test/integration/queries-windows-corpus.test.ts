/**
 * The windows.* privileged-activity queries on the technique-named captures of the shared corpus:
 * evtx-attack-samples and evtx-to-mitre-attack (EVTX) and the Windows parts of otrf-security-datasets (collector JSON
 * in zip / tar.gz). Each corpus is loaded into one case; every windows.* query is run on it and must return exactly the
 * records the expectation names - the record a file is named after, and nothing else in the corpus.
 *
 * How the expectations are obtained, independently of the workbench's readers:
 *  - EVTX: python3-evtx (Debian's python-evtx, run by `/usr/bin/python3`, script ORACLE_PY below) reads every record
 *    (EventRecordID, EventID, Channel, Provider, Computer, TimeCreated, EventData/UserData by name). An expectation
 *    is either a list of (file, EventRecordID) chosen by reading the file with that script, with a comment saying why,
 *    or a filter over the python-evtx records when it is "every event of these IDs". The expected column values are
 *    computed from the python-evtx fields by the documented rules (docs/schema.md, its Windows section), not taken from
 *    the workbench.
 *  - OTRF: `unzip -p` / python3 tarfile and `jq` read each JSON line with its line number (jq input_line_number,
 *    which is the workbench's `line`); expectations filter those records the same way.
 *  - The hand-made fixture test/fixtures/windows-queries/handmade-events.xml states, in a comment before each event,
 *    which queries must report it.
 *  - The READMEs give per-file record counts (and, for evtx-attack-samples, Channel:EventID counts), checked here
 *    against python-evtx, and the facts this test quotes: the 8 captures starting with a Security log clear, etc.
 *  - evtx-to-mitre-attack's README asks that queries not be tuned file by file: the queries were written from
 *    ../shared/docs/controls.md §2.2 and Microsoft's event documentation; the one bug these files exposed (4964 names
 *    the logon account in Target*, so the old SYSTEM filter on Subject* dropped every 4964) was fixed by that
 *    documentation, not by the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../electron/engine/api.js';
import type { QueryRunResult } from '../../shared/queries.js';
import { pantherLines, writeJsonl } from '../support/panther.js';
import { CORPUS, REPO, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';

const api = createApi();
const PERIOD = { periodStart: '2010-01-01', periodEnd: '2030-12-31' };
const EAS = path.join(CORPUS, 'evtx-attack-samples');
const MITRE = path.join(CORPUS, 'evtx-to-mitre-attack');
const OTRF = path.join(CORPUS, 'otrf-security-datasets');
const HANDMADE = path.join(REPO, 'test/fixtures/windows-queries/handmade-events.xml');
const base = (p: string) => p.split(/[\\/]/).pop()!.replace(/^.*!\//, '');

// -----------------------------------------------------------------------------------------------------------------
// Independent readers

/** One EVTX record as python-evtx reads it. */
interface Rec {
  file: string;
  rid: string;
  eid: string;
  chan: string;
  prov: string;
  comp: string;
  time: string;
  d: Record<string, string>;
}

const ORACLE_PY = String.raw`
import sys, os, json
import Evtx.Evtx as E
import xml.etree.ElementTree as ET
NS = '{http://schemas.microsoft.com/win/2004/08/events/event}'
root = sys.argv[1]
for d, _, fs in os.walk(root):
    for f in sorted(fs):
        if not f.endswith('.evtx'):
            continue
        p = os.path.join(d, f)
        with E.Evtx(p) as ev:
            for r in ev.records():
                try:
                    x = ET.fromstring(r.xml())
                except Exception as e:
                    print(json.dumps({'file': f, 'error': str(e)}))
                    continue
                s = x.find(NS + 'System')
                g = lambda n: s.find(NS + n)
                data = {}
                def put(k, v):
                    key, i = k, 1
                    while key in data:
                        key = k + str(i); i += 1
                    data[key] = v if v is not None else ''
                ed = x.find(NS + 'EventData')
                if ed is not None:
                    for c in ed:
                        put(c.get('Name') or c.tag.split('}')[-1], c.text)
                ud = x.find(NS + 'UserData')
                if ud is not None:
                    for el in ud.iter():
                        if len(el) == 0:
                            put(el.tag.split('}')[-1], el.text)
                print(json.dumps({'file': f, 'rid': g('EventRecordID').text, 'eid': g('EventID').text, 'chan': g('Channel').text,
                                  'prov': g('Provider').get('Name'), 'comp': g('Computer').text,
                                  'time': g('TimeCreated').get('SystemTime'), 'd': data}))
`;

function pyEvtx(root: string): { recs: Rec[]; unreadable: string[] } {
  const out = execFileSync('/usr/bin/python3', ['-c', ORACLE_PY, root], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const recs: Rec[] = [];
  const unreadable = new Set<string>();
  for (const line of out.split('\n').filter(Boolean)) {
    const o = JSON.parse(line);
    if (o.error) unreadable.add(o.file);
    else recs.push(o as Rec);
  }
  return { recs, unreadable: [...unreadable].sort() };
}

/** One OTRF JSON line as jq reads it (Winlogbeat 6 `event_data` flattened beside the top-level fields). */
interface JRec extends Record<string, any> {
  file: string;
  line: number;
  EventID: number;
  Channel: string;
}

/** Only the event IDs some windows.* query reads, to keep the jq output small. */
const OTRF_IDS = [
  104, 1102, 1100, 4719, 4912, 4906, 4907, 4908, 4662, 4742, 4728, 4732, 4756, 4720, 4722, 4725, 4726, 4743, 4723, 4724, 4648, 4672, 4964,
  4698, 4699, 4700, 4701, 4702, 106, 140, 141, 4624, 12, 13, 4657, 4688, 1, 4104, 4103, 800, 4738, 4781, 4765, 4766, 4741, 4794, 4616,
  4704, 4717, 4697, 7045, 7036, 7031, 7034, 7040, 4826, 4739, 4713, 4706, 4707, 4716, 4865, 4866, 4867, 5136, 5137, 5141, 4625, 4771, 4768,
  4727, 4731, 4754, 4735, 4737, 4755, 4730, 4734, 4758,
];

function otrfRecords(): JRec[] {
  const jq =
    `(.event_data // {}) + del(.event_data) | . + {EventID: ((.EventID // .event_id) | tonumber), Channel: (.Channel // .log_name), ` +
    `SourceName: (.SourceName // .source_name), Hostname: (.Hostname // .computer_name), line: input_line_number} ` +
    `| select(.EventID as $e | ${JSON.stringify(OTRF_IDS)} | index($e)) ` +
    `| select((.EventID != 12 and .EventID != 13) or ((.TargetObject // "") | test("(?i)\\\\\\\\SAM\\\\\\\\|EventLog|MiniNt|Audit|PowerShell|WINEVT|Autologger"))) ` +
    `| {line, EventID, Channel, SourceName, Hostname, SubjectUserName, SubjectUserSid, SubjectLogonId, TargetUserName, TargetUserSid, TargetSid, ` +
    `TargetDomainName, TargetLogonId, LogonType, IpAddress, MemberName, MemberSid, Properties, TaskName, TargetObject, Details, EventType, Image, ` +
    `CommandLine, ObjectName, ObjectValueName, NewValue, Status, ScriptBlockText, Payload, param1, Message: ((.Message // "")[0:4000])}`;
  const out: JRec[] = [];
  const members = sh(`cd ${q(OTRF)} && find atomic/windows compound/Log4Shell -type f \\( -name '*.zip' -o -name '*.tar.gz' \\) | sort`)
    .split('\n')
    .filter((m) => m && !m.includes('syslog_auoms'));
  for (const m of members) {
    const full = path.join(OTRF, m);
    const cat = m.endsWith('.tar.gz')
      ? // GNU tar stops at the truncated gzip stream (README); Python's tarfile reads the complete member.
        `/usr/bin/python3 -c ${q("import sys,tarfile\nt=tarfile.open(sys.argv[1])\nm=t.next()\nsys.stdout.buffer.write(t.extractfile(m).read())")} ${q(full)}`
      : `unzip -p ${q(full)} -x '__MACOSX/*'`;
    const name = sh(m.endsWith('.tar.gz') ? `/usr/bin/python3 -c ${q("import sys,tarfile\nprint(tarfile.open(sys.argv[1]).next().name)")} ${q(full)}` : `unzip -Z1 ${q(full)} | grep -v __MACOSX`).trim();
    for (const l of sh(`${cat} | jq -c ${q(jq)}`).split('\n').filter(Boolean)) out.push({ ...JSON.parse(l), file: base(name) });
  }
  return out;
}

// -----------------------------------------------------------------------------------------------------------------
// Running queries

type Row = Record<string, unknown> & { _file: string; _rid: string | null; _line: number; _idx: number; _host: string | null; _service: string | null };

async function runQuery(c: TestCase, id: string, params: Record<string, string> = {}): Promise<Row[]> {
  const r: QueryRunResult = await api.invoke('query.run', { dir: c.dir, id, params });
  const rows = r.rows.map((row) => Object.fromEntries(r.columns.map((col, i) => [col, row[i]])));
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((x) => x['event_id']).filter((x) => x != null))].map((x) => `'${x}'`).join(',');
  const meta = new Map(
    (
      await c.rows<{ event_id: string; member_path: string; record_id: string | null; line: string; idx: string; host: string | null; service: string | null }>(
        `SELECT event_id, member_path, record_id, line::VARCHAR AS line, record_index::VARCHAR AS idx, host, service FROM events WHERE event_id IN (${ids})`,
      )
    ).map((m) => [m.event_id, m]),
  );
  return rows.map((x) => {
    const m = meta.get(String(x['event_id']))!;
    return { ...x, _file: base(m.member_path), _rid: m.record_id, _line: Number(m.line), _idx: Number(m.idx), _host: m.host, _service: m.service } as Row;
  });
}

const windowsQueryIds = async (): Promise<string[]> =>
  (await api.invoke('query.list', { family: 'windows' })).map((x) => x.id).filter((id) => id.startsWith('windows.')).sort();

/** DOMAIN\name as the schema writes a target (no prefix without a domain or for user@domain). */
const acct = (dom: string | undefined, name: string | undefined) =>
  !name || name === '-' ? null : dom && dom !== '-' && !name.includes('@') ? `${dom}\\${name}` : name;
const nz = (v: string | undefined | null) => (v == null || v === '' || v === '-' ? null : v);

/** Administrative groups (Microsoft "Appendix B: Privileged Accounts and Groups in Active Directory"). */
const adminGroup = (sid: string, name: string) =>
  ['S-1-5-32-544', 'S-1-5-32-548', 'S-1-5-32-549', 'S-1-5-32-550', 'S-1-5-32-551'].includes(sid) ||
  /^S-1-5-21-.*-(512|518|519|520|526|527)$/.test(sid) ||
  /^Administr/i.test(name) ||
  /Admins$/i.test(name);

/** The SAM registry layout (see windows.sam_account_registry_change): what a Sysmon 12/13 write means. */
function samChange(eventType: string, key: string, image: string): string | null {
  const k = key.toLowerCase();
  if (/\\users\\names\\[^\\]+(\\\(default\))?$/.test(k) && ['CreateKey', 'SetValue'].includes(eventType)) return 'local account name registered';
  if (/\\users\\names\\[^\\]+$/.test(k) && eventType === 'DeleteKey') return 'local account name removed';
  if (/\\builtin\\aliases\\00000220\\c$/.test(k) && eventType === 'SetValue') return 'builtin Administrators membership written';
  if (/\\builtin\\aliases\\00000227\\c$/.test(k) && eventType === 'SetValue') return 'builtin Backup Operators membership written';
  if (/\\users\\[0-9a-f]{8}\\f$/.test(k) && eventType === 'SetValue' && !/\\lsass\.exe$/i.test(image)) return 'account F value written outside LSASS (RID hijack)';
  if (/\\users\\000001f4\\[^\\]+$/.test(k) && !/\\f$/.test(k) && eventType === 'SetValue') return 'built-in Administrator (RID 500) record changed';
  return null;
}

/** What one query must return on a corpus: the records (by a filter over the oracle, or listed) and the columns to compare. */
interface Expect<R> {
  pick: ((r: R) => boolean) | Array<[string, string | number]>;
  cols?: (r: R) => Record<string, unknown>;
  params?: Record<string, string>;
}
/** 'none': the query reports nothing in this corpus; 'aggregate': it groups events and has its own test below. */
type Spec<R> = Record<string, Expect<R> | 'none' | 'aggregate'>;

async function checkSpec<R extends { file: string }>(
  c: TestCase,
  id: string,
  spec: Expect<R> | 'none' | 'aggregate',
  recs: R[],
  key: (r: R) => string,
  rowKey: (row: Row) => string,
): Promise<void> {
  if (spec === 'aggregate') return;
  const rows = await runQuery(c, id, spec === 'none' ? {} : spec.params);
  if (spec === 'none') {
    expect(rows.map(rowKey), `${id} reports nothing in this corpus`).toEqual([]);
    return;
  }
  const byKey = new Map<string, R[]>();
  for (const r of recs) byKey.set(key(r), [...(byKey.get(key(r)) ?? []), r]);
  const picked =
    typeof spec.pick === 'function'
      ? recs.filter(spec.pick)
      : spec.pick.map(([f, k]) => {
          const hit = byKey.get(`${f}#${k}`);
          expect(hit, `${f} record ${k} exists in the oracle`).toBeDefined();
          return hit![0]!;
        });
  expect(picked.length, `${id}: the expectation names records`).toBeGreaterThan(0);
  expect(rows.map(rowKey).sort(), id).toEqual(picked.map(key).sort());
  if (spec.cols) {
    for (const row of rows) {
      const r = byKey.get(rowKey(row))![0]!;
      const want = spec.cols(r);
      expect(Object.fromEntries(Object.keys(want).map((k) => [k, row[k]])), `${id} ${rowKey(row)}`).toEqual(want);
    }
  }
}

// -----------------------------------------------------------------------------------------------------------------
// evtx-attack-samples

const E_SUBJ = (r: Rec) => ({ event_code: r.eid, actor_user: nz(r.d['SubjectUserName']) });
const E_TARGET = (r: Rec) => ({ ...E_SUBJ(r), target: acct(r.d['TargetDomainName'], r.d['TargetUserName']) });

const SAMACC = 'samaccount_spoofing_CVE-2021-42287_CVE-2021-42278_DC_securitylogs.evtx';

/** Every windows.* query on evtx-attack-samples. */
const EAS_SPEC: Spec<Rec> = {
  // The sAMAccountName-spoofing DC log (CVE-2021-42278/42287): 4781 DC012$ -> 01566s-win16-ir, then back to DC012.
  'windows.account_changed': {
    pick: [[SAMACC, '2982094'], [SAMACC, '2982099']],
    cols: (r) => ({ ...E_SUBJ(r), target: acct(r.d['TargetDomainName'], r.d['OldTargetUserName']), new_name: r.d['NewTargetUserName'] }),
  },
  // Same log: the machine account DC012$ created by lgrove is enabled (4722).
  'windows.account_enabled_disabled_deleted': { pick: [[SAMACC, '2982086']], cols: E_TARGET },
  'windows.account_locked_out': 'none',
  // Every Security 1102 and System 104 (Eventlog provider): DE_1102, DE_104 and the 7 captures starting with a 1102.
  'windows.audit_log_cleared': {
    pick: (r) => (r.chan === 'Security' && r.eid === '1102') || (r.chan === 'System' && r.eid === '104' && r.prov === 'Microsoft-Windows-Eventlog'),
    cols: (r) => ({ ...E_SUBJ(r), cleared_log: r.eid === '1102' ? 'Security' : r.d['Channel'] }),
  },
  'windows.audit_policy_changed': 'none',
  'windows.computer_account_created': {
    pick: [[SAMACC, '2982085']],
    cols: (r) => ({ ...E_TARGET(r), via_machine_account_quota: (r.d['PrivilegeList'] ?? '').includes('SeMachineAccountPrivilege') }),
  },
  // CA_DCSync_4662: the three 4662 by Administrator with Get-Changes (1131f6aa) / Get-Changes-All (1131f6ad).
  'windows.dcsync_replication_access': {
    pick: (r) => r.file === 'CA_DCSync_4662.evtx' && r.eid === '4662',
    cols: (r) => ({ ...E_SUBJ(r), rights: (r.d['Properties']!.match(/1131f6aa-[0-9a-f-]+|1131f6ad-[0-9a-f-]+/g) ?? []).join(', ') }),
  },
  'windows.domain_policy_changed': 'none',
  'windows.domain_trust_changed': 'none',
  'windows.dsrm_password_set': { pick: [['4794_DSRM_password_change_t1098.evtx', '3139859']], cols: (r) => ({ ...E_SUBJ(r), workstation: r.d['Workstation'] }) },
  // DE_WinEventLogSvc_Crash_System_7036: the service control manager reports "Windows Event Log" running again at
  // 16:58:17 after the crash (record 65377); the other five 7036 are other services.
  'windows.event_logging_stopped': {
    pick: [['DE_WinEventLogSvc_Crash_System_7036.evtx', '65377']],
    cols: (r) => ({ event_code: '7036', target: r.d['param1'], state: r.d['param2'] }),
  },
  'windows.explicit_credential_logon': {
    pick: [['Runas_4624_4648_Webshell_CreateProcessAsUserA.evtx', '161472']],
    cols: (r) => ({ ...E_TARGET(r), target_server: r.d['TargetServerName'] }),
  },
  'windows.failed_logons_by_account': 'aggregate',
  'windows.group_policy_object_changed': 'none',
  // All six 4826 have KernelDebug = %%1842 (Yes); record 403082 also TestSigning.
  'windows.kernel_debug_or_test_signing': {
    pick: (r) => r.eid === '4826',
    cols: (r) => ({ event_code: '4826', options_on: ['KernelDebug', 'HypervisorDebug', 'TestSigning', 'FlightSigning', 'DisableIntegrityChecks'].filter((k) => r.d[k] === '%%1842').join(', ') }),
  },
  // de_PsScriptBlockLogging_disabled_sysmon12_13: EnableScriptBlockLogging set to 0 (13) then deleted (12).
  'windows.logging_disabled_via_registry': {
    pick: (r) => r.file === 'de_PsScriptBlockLogging_disabled_sysmon12_13.evtx',
    cols: (r) => ({
      event_code: r.eid,
      change: r.d['EventType'] === 'DeleteValue' ? 'PowerShell script block logging setting deleted' : 'PowerShell script block logging turned off',
      new_value: nz(r.d['Details']),
      actor_user: r.d['User'] ? r.d['User'].split('\\').pop() : null, // the 12 of this older Sysmon has no User field
    }),
  },
  'windows.logging_tamper_command': 'none',
  'windows.machine_account_changed_by_anonymous': 'none',
  'windows.member_added_to_security_group': {
    pick: (r) => r.chan === 'Security' && ['4728', '4732', '4756'].includes(r.eid),
    cols: (r) => ({
      ...E_TARGET(r),
      group_name: r.d['TargetUserName'],
      member: nz(r.d['MemberName']) ?? r.d['MemberSid'],
      admin_group: adminGroup(r.d['TargetSid']!, r.d['TargetUserName']!),
    }),
  },
  'windows.password_reset_by_other': { pick: [[SAMACC, '2982087']], cols: E_TARGET },
  'windows.password_spray_by_source': 'aggregate',
  'windows.replication_rights_granted': 'none',
  // persistence_security_dcshadow_4742: the three 4742 give ALICE$ a GC/ and/or E3514235-4B06-11D1-AB04-00C04FC2DCD2/ SPN;
  // 4662 203056 uses DS-Install-Replica (9923a32a), 203058/203059 DS-Replication-Manage-Topology (1131f6ac).
  // 203053, 203060, 203061 are ordinary property reads.
  'windows.rogue_domain_controller': {
    pick: ['203054', '203056', '203057', '203058', '203059', '203062'].map((k) => ['persistence_security_dcshadow_4742.evtx', k]),
    cols: (r) => ({
      ...E_SUBJ(r),
      indicator:
        r.eid === '4742'
          ? [/(^|\s)GC\//.test(r.d['ServicePrincipalNames']!) ? 'GC/' : null, /E3514235-4B06-11D1-AB04-00C04FC2DCD2\//i.test(r.d['ServicePrincipalNames']!) ? 'E3514235-4B06-11D1-AB04-00C04FC2DCD2/' : null]
              .filter(Boolean)
              .join(' + ') + ' SPN on computer account'
          : (r.d['Properties']!.includes('9923a32a') ? 'DS-Install-Replica' : 'DS-Replication-Manage-Topology') + ' right used',
    }),
  },
  // Guest (RID 0x1F5) F value written by MSBuild.exe (RID hijack; the other 3 records are PsExec noise), the hidden
  // account hideme0007$, the Administrator (RID 500) ForcePasswordReset write, and all 17 SAM writes of
  // sysmon_local_account_creation_and_added_admingroup_12_13 (accounts support/sqlsvc, Administrators alias 0x220).
  'windows.sam_account_registry_change': {
    pick: (r) =>
      ['persist_valid_account_guest_rid_hijack.evtx', 'persistence_hidden_local_account_sysmon.evtx', 'Sysmon_13_Local_Admin_Password_Changed.evtx', 'sysmon_local_account_creation_and_added_admingroup_12_13.evtx'].includes(r.file) &&
      /^HKLM\\SAM\\SAM\\Domains\\/i.test(r.d['TargetObject'] ?? ''),
    cols: (r) => ({ event_code: r.eid, change: samChange(r.d['EventType']!, r.d['TargetObject']!, r.d['Image']!), process: r.d['Image'] }),
  },
  // The same DC log: 4742 sets sAMAccountName 01566s-win16-ir (2982093) and DC012 (2982098); 4781 renames DC012$ to
  // 01566s-win16-ir (2982094). 4781 2982099 renames 01566s-win16-ir (no $) to DC012: its 4742 twin is 2982098.
  'windows.samaccountname_spoofing': {
    pick: [[SAMACC, '2982093'], [SAMACC, '2982094'], [SAMACC, '2982098']],
    cols: (r) => ({ ...E_SUBJ(r), new_name: r.eid === '4781' ? r.d['NewTargetUserName'] : r.d['SamAccountName'] }),
  },
  // "remote task update 4624 4702 same logonid": 4702 \LMST in logon session 0x21a8c68, a type 3 logon from
  // 172.16.66.142 (4624 record 2171290).
  'windows.scheduled_task_changed_remotely': {
    pick: [['remote task update 4624 4702 same logonid.evtx', '2171293']],
    cols: () => ({ event_code: '4702', actor_user: 'a-jbrown', target: '\\LMST', src_ip: '172.16.66.142' }),
  },
  'windows.scheduled_task_created_or_changed': {
    pick: (r) => r.chan === 'Security' && ['4698', '4699', '4700', '4701', '4702'].includes(r.eid),
    cols: (r) => ({ ...E_SUBJ(r), task_name: r.d['TaskName'] }),
  },
  'windows.security_group_created_or_changed': 'none',
  'windows.service_installed': {
    pick: (r) => r.eid === '7045',
    cols: (r) => ({ event_code: '7045', service_name: r.d['ServiceName'], image_path: r.d['ImagePath'], service_account: r.d['AccountName'] }),
  },
  'windows.sid_history_added': {
    pick: [['4765_sidhistory_add_t1178.evtx', '8075']],
    cols: (r) => ({ ...E_TARGET(r), source_account: r.d['SourceUserName'], source_sid: r.d['SourceSid'] }),
  },
  'windows.special_privileges_logon': 'none',
  'windows.system_time_changed': 'none',
  // DE_Fake_ComputerAccount_4720: two accounts literally named "$" created by the DC's machine account.
  'windows.user_account_created': {
    pick: (r) => r.eid === '4720',
    cols: (r) => ({ ...E_TARGET(r), sam_account_name: r.d['SamAccountName'], computer_like_name: r.d['SamAccountName']!.endsWith('$') }),
  },
  'windows.user_right_assigned': 'none',
};

describe('windows.* queries on evtx-attack-samples', () => {
  let c: TestCase;
  let recs: Rec[];
  const key = (r: Rec) => `${r.file}#${r.rid}`;
  const rowKey = (row: Row) => `${row._file}#${row._rid}`;
  beforeAll(async () => {
    ({ recs } = pyEvtx(EAS));
    c = await newCase(PERIOD);
    const rep = await c.ingest([EAS]);
    expect(rep.totals.rejected).toBe(0);
  }, 300_000);

  it('reads the corpus as its README counts it (268 records, per-file Channel:EventID)', async () => {
    expect(recs).toHaveLength(268);
    const readme = fs.readFileSync(path.join(EAS, 'README.md'), 'utf8');
    for (const m of readme.matchAll(/^\| `[^`]*\/([^`/]+\.evtx)` \| (\d+) \| ([^|]+) \|/gm)) {
      const mine = recs.filter((r) => r.file === m[1]);
      expect(mine.length, m[1]).toBe(Number(m[2]));
      for (const cell of m[3]!.split(',').map((s) => s.trim())) {
        const [ce, n] = cell.split('×');
        expect(mine.filter((r) => `${r.chan}:${r.eid}` === ce).length, `${m[1]} ${ce}`).toBe(Number(n));
      }
    }
    expect(await c.one<string>(`SELECT count(*)::VARCHAR FROM events WHERE source_format = 'evtx'`)).toBe('268');
  });

  it('covers every windows.* query', async () => {
    expect(Object.keys(EAS_SPEC).sort()).toEqual(await windowsQueryIds());
  });

  it.each(Object.keys(EAS_SPEC).sort())('%s finds exactly the expected records', async (id) => {
    await checkSpec(c, id, EAS_SPEC[id]!, recs, key, rowKey);
  });

  it('finds DE_1102 and the 7 captures that start with a Security log clear, and DE_104', async () => {
    const rows = await runQuery(c, 'windows.audit_log_cleared');
    const withClear = [...new Set(recs.filter((r) => r.eid === '1102').map((r) => r.file))].sort();
    expect(withClear).toHaveLength(8);
    expect(withClear).toContain('DE_1102_security_log_cleared.evtx');
    for (const f of withClear) {
      // python-evtx: in each of these files the 1102 is the first Security record (lowest EventRecordID).
      const sec = recs.filter((r) => r.file === f && r.chan === 'Security').sort((a, b) => Number(a.rid) - Number(b.rid));
      expect(sec[0]!.eid, f).toBe('1102');
    }
    expect([...new Set(rows.map((r) => r._file))].sort()).toEqual([...withClear, 'DE_104_system_log_cleared.evtx'].sort());
    expect(rows.find((r) => r._file === 'DE_104_system_log_cleared.evtx')).toMatchObject({ event_code: '104', service: 'System', cleared_log: 'System', actor_user: 'user01' });
  });

  it('groups the Kerberos spray from 172.16.66.1 across nine accounts', async () => {
    // python-evtx, kerberos_pwd_spray_4771: 7 x 4768 Status 0x6 (unknown account) and 2 x 4771 Status 0x18 (bad
    // password) from 172.16.66.1, each on a different account; the two 4768 Status 0x0 for "normal" succeed.
    const fails = recs.filter((r) => r.file === 'kerberos_pwd_spray_4771.evtx' && (r.eid === '4771' || (r.eid === '4768' && r.d['Status'] !== '0x00000000')));
    expect(fails).toHaveLength(9);
    const rows = await runQuery(c, 'windows.password_spray_by_source');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      host: fails[0]!.comp,
      src_ip: '172.16.66.1',
      accounts: 9,
      failures: 9,
      account_list: [...new Set(fails.map((r) => r.d['TargetUserName']!.toLowerCase()))].sort().join(', '),
      // python-evtx zero-pads win:HexInt32 (0x00000018); Windows, and the workbench, write 0x18.
      reasons: [...new Set(fails.map((r) => '0x' + r.d['Status']!.slice(2).replace(/^0+/, '')))].sort().join(', '),
    });
    expect(rows[0]!._rid).toBe(fails.sort((a, b) => a.time.localeCompare(b.time) || Number(a.rid) - Number(b.rid))[0]!.rid);
    // Per account, each failed once: reported only when min_failures is lowered to 1.
    const one = await runQuery(c, 'windows.failed_logons_by_account', { min_failures: '1' });
    expect(one.map((r) => [r['account'], r['src_ip'], r['failures']]).sort()).toEqual([
      ['Administrator', '172.16.66.1', 1],
      ['MSEDGEWIN10\\IEUser', null, 1],
      ['backdoor', '172.16.66.1', 1],
    ]);
  });

  it('lists every log clear as a tamper event, with the next event of its stream', async () => {
    const rows = await runQuery(c, 'gaps.tamper_events');
    const clears = recs.filter((r) => (r.chan === 'Security' && r.eid === '1102') || (r.chan === 'System' && r.eid === '104'));
    expect(rows.map((r) => `${r._file}#${r._rid}`).sort()).toEqual(clears.map((r) => `${r.file}#${r.rid}`).sort());
    for (const row of rows) {
      const me = clears.find((r) => r.file === row._file && r.rid === row._rid)!;
      expect(row['tamper']).toBe(me.eid === '1102' ? 'security log cleared' : 'event log cleared');
      // The next event of the same computer and channel in the whole corpus, by time (python-evtx).
      const next = recs
        .filter((r) => r.comp === me.comp && r.chan === me.chan && r.time > me.time)
        .sort((a, b) => a.time.localeCompare(b.time))[0];
      if (!next) {
        expect(row['next_event_id'], `${row._file}: nothing follows in its stream`).toBeNull();
        continue;
      }
      const nextRow = await c.rows<{ member_path: string; record_id: string }>(`SELECT member_path, record_id FROM events WHERE event_id = '${row['next_event_id']}'`);
      expect(`${base(nextRow[0]!.member_path)}#${nextRow[0]!.record_id}`).toBe(`${next.file}#${next.rid}`);
      const secs = (Date.parse(next.time.replace(' ', 'T') + 'Z') - Date.parse(me.time.replace(' ', 'T') + 'Z')) / 1000;
      expect(Number(row['silence_minutes'])).toBeCloseTo(secs / 60, 1);
    }
    // DE_104 is the only System record of PC01.example.corp: no event follows the clear in its stream.
    expect(rows.find((r) => r._file === 'DE_104_system_log_cleared.evtx')!['next_event_id']).toBeNull();
  });
});

// -----------------------------------------------------------------------------------------------------------------
// evtx-to-mitre-attack

const CLEAR_NATIVE = 'ID4688-Clear event log attempt (native).evtx';

const MITRE_SPEC: Spec<Rec> = {
  // Every 4738 / 4781 (password-never-expires, password-not-required, renames, the 4738 after a setNTLM reset).
  'windows.account_changed': { pick: (r) => r.chan === 'Security' && ['4738', '4781'].includes(r.eid), cols: (r) => ({ ...E_SUBJ(r), new_name: nz(r.d['NewTargetUserName']) }) },
  // 4726 of "Fast created-deleted user" and 4722 "Guest account activated".
  'windows.account_enabled_disabled_deleted': { pick: (r) => r.chan === 'Security' && ['4722', '4725', '4726', '4743'].includes(r.eid), cols: E_TARGET },
  'windows.account_locked_out': 'none',
  // ID104-1102-Event log cleared: 1 Security 1102 and 90 System 104; plus the 104 / 1102 each capture starts with.
  'windows.audit_log_cleared': {
    pick: (r) => (r.chan === 'Security' && r.eid === '1102') || (r.chan === 'System' && r.eid === '104' && r.prov === 'Microsoft-Windows-Eventlog'),
    cols: (r) => ({ ...E_SUBJ(r), cleared_log: r.eid === '1102' ? 'Security' : r.d['Channel'] }),
  },
  // ID4719-Audit policy deactivation (30 x 4719, success and/or failure removed) and ID4908 (4 x 4908).
  'windows.audit_policy_changed': {
    pick: (r) => r.chan === 'Security' && ['4719', '4912', '4906', '4907', '4908'].includes(r.eid),
    cols: (r) => ({ ...E_SUBJ(r), auditing_removed: r.eid === '4719' ? /%%8448|%%8450/.test(r.d['AuditPolicyChanges']!) : null }),
  },
  // ID4741: hack1 creates compnay-88$ with SeMachineAccountPrivilege; the trust capture creates the ROOTBLUE$ trust account.
  'windows.computer_account_created': {
    pick: (r) => r.eid === '4741',
    cols: (r) => ({ ...E_TARGET(r), via_machine_account_quota: (r.d['PrivilegeList'] ?? '').includes('SeMachineAccountPrivilege') }),
  },
  // ID4662-DCsync attack using Mimikatz: admmig's three replication 4662; the three by ROOTDC2$ (a DC) are not reported.
  'windows.dcsync_replication_access': {
    pick: ['24485745', '24485746', '24485747'].map((k) => ['ID4662-DCsync attack using Mimikatz.evtx', k]),
    cols: E_SUBJ,
  },
  'windows.domain_policy_changed': { pick: [['ID4739-Domain policy changed by non system account.evtx', '24468054']], cols: E_SUBJ },
  // ID 4865 4706 - trust added: the trust (4706) and its three forest-trust-information records (4865).
  'windows.domain_trust_changed': { pick: (r) => ['4706', '4707', '4716', '4865', '4866', '4867'].includes(r.eid), cols: (r) => ({ ...E_SUBJ(r), trusted_domain: nz(r.d['DomainName']) ?? nz(r.d['ForestRoot']) }) },
  'windows.dsrm_password_set': 'none',
  'windows.event_logging_stopped': 'none',
  // Runas (469347) and the two 4648 of the OpenSSH capture (sshd logging users on with explicit credentials).
  'windows.explicit_credential_logon': { pick: (r) => r.eid === '4648', cols: (r) => ({ ...E_TARGET(r), target_server: r.d['TargetServerName'] }) },
  'windows.failed_logons_by_account': 'aggregate',
  // ID5136-4662 sensitive GPO edited: the two 5136 on the groupPolicyContainer (versionNumber deleted / added).
  'windows.group_policy_object_changed': {
    pick: (r) => r.eid === '5136' && r.d['ObjectClass'] === 'groupPolicyContainer',
    cols: (r) => ({ ...E_SUBJ(r), attribute: r.d['AttributeLDAPDisplayName'], operation: r.d['OperationType'] === '%%14674' ? 'value added' : 'value deleted', value: r.d['AttributeValue'] }),
  },
  'windows.kernel_debug_or_test_signing': 'none',
  'windows.logging_disabled_via_registry': 'none',
  // The 14 "wevtutil cl <log>" of the native clear attempt, "wmic nteventlog ... cl", "auditpol /set ... disable",
  // "auditpol /clear", and the Clear-EventLog of ID800-4103-4104 as 4104 (4460), 800 (1609) and 4103 (4461).
  // "auditpol /get" (ID4688-Audit policy enumerated) and the conhost.exe children are not reported.
  'windows.logging_tamper_command': {
    pick: [
      ...[1145216, 1145219, 1145222, 1145225, 1145228, 1145231, 1145234, 1145237, 1145240, 1145243, 1145246, 1145249, 1145252, 1145255].map((k): [string, string] => [CLEAR_NATIVE, String(k)]),
      ['ID4688-Clear event log attempt (wmi).evtx', '1210330'],
      ['ID4688-Audit policy deactivation attempt.evtx', '1148819'],
      ['ID4688-Audit policy clear attempt.evtx', '1149199'],
      ['ID800-4103-4104-Clear event log attempt.evtx', '4460'],
      ['ID800-4103-4104-Clear event log attempt.evtx', '1609'],
      ['ID800-4103-4104-Clear event log attempt.evtx', '4461'],
    ],
    // (4103's multi-line Payload is not compared: python-evtx's XML parser turns its CRLF into LF.)
    cols: (r) => (r.eid === '4103' ? { event_code: r.eid } : { event_code: r.eid, command: r.eid === '4688' ? r.d['CommandLine'] : r.eid === '4104' ? r.d['ScriptBlockText'] : 'Clear-EventLog -LogName application, system -confirm' }),
  },
  'windows.machine_account_changed_by_anonymous': 'none',
  // Every 4728 / 4732 / 4756 (sensitive domain groups, Exchange groups, DnsAdmins, local admins; the same record in
  // several captures counts once per capture).
  'windows.member_added_to_security_group': {
    pick: (r) => r.chan === 'Security' && ['4728', '4732', '4756'].includes(r.eid),
    cols: (r) => ({ ...E_TARGET(r), member: nz(r.d['MemberName']) ?? r.d['MemberSid'], admin_group: adminGroup(r.d['TargetSid']!, r.d['TargetUserName']!) }),
  },
  'windows.password_reset_by_other': { pick: [['ID4724-5145-password reset with setNTLM (Mimikatz).evtx', '233279999']], cols: E_TARGET },
  'windows.password_spray_by_source': 'none', // at most two accounts fail from one source (see the failed-logon groups)
  // ID5136-Permission change on top root AD (DCsync): the nTSecurityDescriptor of DC=offsec,DC=lan rewritten with
  // Get-Changes and Get-Changes-All for S-1-5-21-...-1234 (compared with the value deleted by the same operation).
  'windows.replication_rights_granted': {
    pick: [['ID5136-Permission change on top root AD (DCsync).evtx', '111650496']],
    cols: (r) => ({ ...E_SUBJ(r), target: r.d['ObjectDN'] }),
  },
  'windows.rogue_domain_controller': 'none',
  'windows.sam_account_registry_change': 'none',
  'windows.samaccountname_spoofing': 'none',
  'windows.scheduled_task_changed_remotely': 'none',
  'windows.scheduled_task_created_or_changed': 'none',
  'windows.security_group_created_or_changed': 'none',
  'windows.service_installed': {
    pick: (r) => (r.chan === 'Security' && r.eid === '4697') || (r.chan === 'System' && r.eid === '7045'),
    cols: (r) => ({ ...E_SUBJ(r), service_name: r.d['ServiceName'], image_path: r.d['ImagePath'] ?? r.d['ServiceFileName'] }),
  },
  'windows.sid_history_added': { pick: [['ID 4765 - SID history added.evtx', '8075']], cols: (r) => ({ ...E_TARGET(r), source_account: r.d['SourceUserName'] }) },
  // Every 4672 / 4964 whose logon account (Subject in 4672, Target in 4964) is not SYSTEM / LOCAL / NETWORK SERVICE:
  // the 8 logons of admmig (member of a monitored group) and those of the PtH and runas captures.
  'windows.special_privileges_logon': {
    pick: (r) =>
      (r.eid === '4672' && !['S-1-5-18', 'S-1-5-19', 'S-1-5-20'].includes(r.d['SubjectUserSid']!)) ||
      (r.eid === '4964' && !['S-1-5-18', 'S-1-5-19', 'S-1-5-20'].includes(r.d['TargetUserSid']!)),
    cols: (r) => ({ event_code: r.eid, actor_user: r.eid === '4964' ? r.d['TargetUserName'] : r.d['SubjectUserName'] }),
  },
  // ID4616: admmig's four changes (PowerShell Set-Date, then the Date and Time panel); the four by the time service
  // (svchost.exe as LOCAL SERVICE) are its corrections.
  'windows.system_time_changed': {
    pick: ['19620789', '19620790', '19620903', '19620904'].map((k) => ['ID4616-system time changed.evtx', k]),
    cols: (r) => ({ ...E_SUBJ(r), process: r.d['ProcessName'] }),
  },
  'windows.user_account_created': { pick: (r) => r.eid === '4720', cols: (r) => ({ ...E_TARGET(r), sam_account_name: r.d['SamAccountName'] }) },
  // ID4704-4705 (five rights granted) and ID4717-4718 (SeDenyServiceLogonRight granted).
  'windows.user_right_assigned': {
    pick: (r) => ['4704', '4717'].includes(r.eid),
    cols: (r) => ({ ...E_SUBJ(r), target: r.d['TargetSid'], rights: r.d['PrivilegeList'] ?? r.d['AccessGranted'] }),
  },
};

describe('windows.* queries on evtx-to-mitre-attack', () => {
  let c: TestCase;
  let recs: Rec[];
  let unreadable: string[];
  const key = (r: Rec) => `${r.file}#${r.rid}`;
  const rowKey = (row: Row) => `${row._file}#${row._rid}`;
  beforeAll(async () => {
    ({ recs, unreadable } = pyEvtx(MITRE));
    c = await newCase(PERIOD);
    const rep = await c.ingest([MITRE]);
    expect(rep.totals.rejected).toBe(0);
  }, 300_000);

  it('reads the corpus with python-evtx except the two template-less files, which no query reads', async () => {
    // README: 403 records; the RDP 1149 (11) and firewall 2003/4950 (6) files store plain BinXML, which python-evtx
    // cannot read: none of their events is one a windows.* query looks at (1149, 2003-2006, 4950).
    expect(unreadable).toEqual(['ID1149-RDP success logins to multiple hosts.evtx', 'ID2003-4950-Firewall disabled.evtx']);
    expect(recs).toHaveLength(403 - 11 - 6);
    expect(await c.one<string>(`SELECT count(*)::VARCHAR FROM events`)).toBe('403');
    const readme = fs.readFileSync(path.join(MITRE, 'README.md'), 'utf8');
    for (const m of readme.matchAll(/^\| `[^`]*\/([^`/]+\.evtx)` \| (\d+) \|/gm)) {
      if (unreadable.includes(m[1]!)) continue;
      expect(recs.filter((r) => r.file === m[1]).length, m[1]).toBe(Number(m[2]));
    }
  });

  it('covers every windows.* query', async () => {
    expect(Object.keys(MITRE_SPEC).sort()).toEqual(await windowsQueryIds());
  });

  it.each(Object.keys(MITRE_SPEC).sort())('%s finds exactly the expected records', async (id) => {
    await checkSpec(c, id, MITRE_SPEC[id]!, recs, key, rowKey);
  });

  it('names the new replication grantee of the domain root', async () => {
    // The ACEs granting a replication right in the value added (111650496) that are not in the value deleted
    // (111650495) by the same operation, read from python-evtx's AttributeValue.
    const aces = (rid: string) =>
      new Set((recs.find((r) => r.rid === rid)!.d['AttributeValue']!.match(/\(O?A;[^;]*;[^;]*;(1131f6aa|1131f6ad|89e95b76)[0-9a-f-]*;[^;]*;[^)]*\)/gi) ?? []));
    const added = [...aces('111650496')].filter((a) => !aces('111650495').has(a)).sort();
    expect(added).toEqual([
      '(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;S-1-5-21-4230534742-2542757381-3142984815-1234)',
      '(OA;;CR;1131f6ad-9c07-11d1-f79f-00c04fc2dcd2;;S-1-5-21-4230534742-2542757381-3142984815-1234)',
    ]);
    const rows = await runQuery(c, 'windows.replication_rights_granted');
    expect(rows.map((r) => r['new_grants'])).toEqual([added.join(' ')]);
  });

  it('reports failed logons per account and source', async () => {
    // python-evtx: per computer, TargetDomainName\TargetUserName and IpAddress ("-" = none), the 4625 / 4771 counts.
    const groups = new Map<string, number>();
    for (const r of recs.filter((x) => x.chan === 'Security' && ['4625', '4771'].includes(x.eid))) {
      const k = JSON.stringify([r.comp, acct(r.d['TargetDomainName'], r.d['TargetUserName']), nz(r.d['IpAddress'])]);
      groups.set(k, (groups.get(k) ?? 0) + 1);
    }
    const want = (min: number) => [...groups].filter(([, n]) => n >= min).map(([k, n]) => [...JSON.parse(k), n]).sort();
    const got = async (min: number) =>
      (await runQuery(c, 'windows.failed_logons_by_account', { min_failures: String(min) })).map((r) => [r['host'], r['account'], r['src_ip'], r['failures']]).sort();
    expect(want(3)).toHaveLength(3); // AccountRestore: WIN\Admin 8, WIN\Administrator 8; OpenSSH: admmig@offsec.lan 5
    expect(await got(3)).toEqual(want(3));
    // With min_failures 1 the account-restriction RDP failures appear: two 4625 with no account name from 10.23.23.9.
    expect(await got(1)).toEqual(want(1));
    expect(want(1).some((g) => g[1] === null && g[2] === '10.23.23.9' && g[3] === 2)).toBe(true);
  });

  it('lists the log clears and audit policy changes as tamper events', async () => {
    const rows = await runQuery(c, 'gaps.tamper_events');
    const tamper = recs.filter(
      (r) => (r.chan === 'Security' && ['1102', '1100', '4719', '4912'].includes(r.eid)) || (r.chan === 'System' && r.eid === '104'),
    );
    expect(rows.map((r) => `${r._file}#${r._rid}`).sort()).toEqual(tamper.map((r) => `${r.file}#${r.rid}`).sort());
    const label = (e: string) => ({ '1102': 'security log cleared', '104': 'event log cleared', '1100': 'event logging service shut down' })[e] ?? 'audit policy changed';
    for (const row of rows) expect(row['tamper'], `${row._file}#${row._rid}`).toBe(label(String(row['event_code'])));
    expect(rows.filter((r) => r._file === 'ID104-1102-Event log cleared.evtx')).toHaveLength(91);
  });
});

// -----------------------------------------------------------------------------------------------------------------
// EventRecordID continuity around a clear

describe('gaps.windows_record_id_gaps on the captures around a log clear', () => {
  // Each file in its own case: holes are judged within one computer and channel.
  const FILES: Array<[string, string]> = [
    [EAS, 'DE_1102_security_log_cleared.evtx'],
    [EAS, 'DE_104_system_log_cleared.evtx'],
    [EAS, 'kerberos_pwd_spray_4771.evtx'],
    [EAS, 'remote task update 4624 4702 same logonid.evtx'],
    [EAS, 'Runas_4624_4648_Webshell_CreateProcessAsUserA.evtx'],
    [EAS, 'DE_suspicious_remote_eventlog_svc_access_5145.evtx'],
    [EAS, SAMACC],
    [EAS, 'security_4624_4673_token_manip.evtx'],
    [EAS, 'persistence_security_dcshadow_4742.evtx'],
    [MITRE, 'ID104-1102-Event log cleared.evtx'],
    [MITRE, 'ID4697-New service for Mimikatz.evtx'],
    [MITRE, 'ID7045-Random service installation.evtx'],
  ];
  let oracle: Rec[];
  beforeAll(() => {
    oracle = [...pyEvtx(EAS).recs, ...pyEvtx(MITRE).recs];
  }, 300_000);

  /** Holes in the EventRecordID sequence of each computer and channel, from python-evtx. */
  function holes(file: string): Array<[string, string, number, number, number]> {
    const out: Array<[string, string, number, number, number]> = [];
    const streams = new Map<string, number[]>();
    for (const r of oracle.filter((x) => x.file === file)) {
      const k = `${r.comp}\u0000${r.chan}`;
      streams.set(k, [...(streams.get(k) ?? []), Number(r.rid)]);
    }
    for (const [k, ids] of streams) {
      const s = [...new Set(ids)].sort((a, b) => a - b);
      const [comp, chan] = k.split('\u0000');
      for (let i = 1; i < s.length; i++) if (s[i]! - s[i - 1]! > 1) out.push([comp!, chan!, s[i - 1]! + 1, s[i]! - 1, s[i]! - s[i - 1]! - 1]);
    }
    return out.sort();
  }

  it.each(FILES)('%s / %s: the holes python-evtx sees, no more', async (root, file) => {
    const c = await newCase(PERIOD);
    const found = sh(`find ${q(root)} -name ${q(file)}`).trim();
    await c.ingest([found]);
    const rows = await runQuery(c, 'gaps.windows_record_id_gaps');
    const got = rows.map((r) => [r['host'], r['channel'], Number(r['first_missing']), Number(r['last_missing']), Number(r['missing_records'])]).sort();
    expect(got).toEqual(holes(file));
  }, 60_000);

  it('sees no hole at a clear: the 1102 simply starts the export', () => {
    // A cleared log keeps numbering: the 1102 takes the next EventRecordID, and what was cleared lies before the
    // first exported record, where no continuity test can see it. Only the tamper event shows it.
    expect(holes('DE_1102_security_log_cleared.evtx')).toEqual([]);
    expect(holes('ID104-1102-Event log cleared.evtx')).toEqual([]);
    // Where the author filtered the capture, the holes are real: three single records of the spoofing DC log, and
    // 203051-203052 / 203055 in the DCShadow log.
    expect(holes(SAMACC).map((h) => h.slice(2))).toEqual([[2982088, 2982088, 1], [2982091, 2982091, 1], [2982096, 2982096, 1]]);
    expect(holes('persistence_security_dcshadow_4742.evtx').map((h) => h.slice(2))).toEqual([[203051, 203052, 2], [203055, 203055, 1]]);
  });
});

// -----------------------------------------------------------------------------------------------------------------
// otrf-security-datasets (Windows parts)

const J_SUBJ = (r: JRec) => ({ event_code: String(r.EventID), actor_user: nz(r['SubjectUserName']) });
const SEC = (r: JRec, ...ids: number[]) => String(r.Channel).toLowerCase() === 'security' && ids.includes(r.EventID);
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

const OTRF_SPEC: Spec<JRec> = {
  'windows.account_changed': 'none',
  // empire_wmic_add_user_backdoor: "net user /add backdoor" creates the account and Windows deletes it again (4726).
  'windows.account_enabled_disabled_deleted': { pick: (r) => SEC(r, 4722, 4725, 4726, 4743), cols: J_SUBJ },
  'windows.account_locked_out': 'none',
  // Three System 104: the PowerShell and Kernel-IO operational logs cleared (the collector dropped UserData; the
  // cleared log is in the message).
  'windows.audit_log_cleared': {
    pick: (r) => (r.EventID === 104 && r.SourceName === 'Microsoft-Windows-Eventlog') || SEC(r, 1102),
    cols: (r) => ({ event_code: String(r.EventID), cleared_log: /^The (.+) log file was cleared/.exec(r['Message'])![1] }),
  },
  // auditpol_system_user_auditpolicy_modification: 63 x 4719 and 63 x 4912 (auditpol /set, /remove, /clear).
  'windows.audit_policy_changed': { pick: (r) => SEC(r, 4719, 4912, 4906, 4907, 4908), cols: J_SUBJ },
  'windows.computer_account_created': 'none',
  // covenant_dcsync: pgustavo's three 4662 with Get-Changes / Get-Changes-All.
  'windows.dcsync_replication_access': {
    pick: (r) => SEC(r, 4662) && /1131f6aa|1131f6ad|89e95b76/i.test(r['Properties'] ?? '') && !String(r['SubjectUserName']).endsWith('$'),
    cols: J_SUBJ,
  },
  'windows.domain_policy_changed': 'none', // the one 4739 (empire_wmic) is a policy refresh by SYSTEM
  'windows.domain_trust_changed': 'none',
  'windows.dsrm_password_set': 'none',
  'windows.event_logging_stopped': 'none', // the EventLog start type was changed in the registry (below), not by the SCM
  'windows.explicit_credential_logon': { pick: (r) => SEC(r, 4648), cols: J_SUBJ },
  'windows.failed_logons_by_account': 'none',
  'windows.group_policy_object_changed': 'none',
  'windows.kernel_debug_or_test_signing': 'none',
  // cmd_wevtutil_modify_security_eventlog_path: Sysmon 13 on Services\EventLog\Security\File; psh_stop_event_logging:
  // Sysmon 12 CreateKey Control\MiniNt; reg_disable_eventlog_service_startuptype: EventLog\Start = 4 as 4657 and
  // Sysmon 13; reg_cmd_process_commandline_logging_disabled: ProcessCreationIncludeCmdLine_Enabled = 0 as 4657 and Sysmon 13.
  'windows.logging_disabled_via_registry': {
    pick: (r) =>
      (r.Channel === SYSMON && r.EventID === 13 && /\\Services\\EventLog\\Security\\File$/.test(r['TargetObject'])) ||
      (r.Channel === SYSMON && r.EventID === 12 && r['EventType'] === 'CreateKey' && /\\Control\\MiniNt$/.test(r['TargetObject'])) ||
      (r.Channel === SYSMON && r.EventID === 13 && /\\Services\\EventLog\\Start$/.test(r['TargetObject']) && r['Details'] === 'DWORD (0x00000004)') ||
      (r.Channel === SYSMON && r.EventID === 13 && /ProcessCreationIncludeCmdLine_Enabled$/.test(r['TargetObject']) && r['Details'] === 'DWORD (0x00000000)') ||
      (SEC(r, 4657) && ['Start', 'ProcessCreationIncludeCmdLine_Enabled'].includes(r['ObjectValueName'])),
    cols: (r) => ({ event_code: String(r.EventID), new_value: r['Details'] ?? r['NewValue'] ?? null }),
  },
  // auditpol: the six /set ...:disable, /remove and /clear commands, each as 4688 and Sysmon 1; cmd_wevtutil: Sysmon 1
  // "wevtutil set-log Security /logfilename:..."; reg_cmd: "reg add ... ProcessCreationIncludeCmdLine_Enabled /d 0"
  // (4688, Sysmon 1) and the PowerShell 800 running EventLogSession.ClearLog; psh_stop_event_logging: New-Item
  // HKLM:\...\Control\MiniNt in 4104, two 4103 (New-Item, Invoke-Expression) and two 800 (the command and the
  // base64 IEX whose pipeline details show New-Item ...\MiniNt).
  'windows.logging_tamper_command': {
    pick: (r) => {
      const cmd = String(r['CommandLine'] ?? '');
      if (SEC(r, 4688) || (r.Channel === SYSMON && r.EventID === 1))
        return /^auditpol\.exe \/(set .*disable|remove|clear)/.test(cmd) || /^wevtutil\s+set-log Security \/logfilename:/.test(cmd) || /^reg\s+add .*ProcessCreationIncludeCmdLine_Enabled \/d 0/.test(cmd);
      if (r.file.startsWith('psh_stop_event_logging') && [4104, 4103, 800].includes(r.EventID))
        return /New-Item/.test(String(r['ScriptBlockText'] ?? r['Payload'] ?? r['Message'])) && /MiniNt/.test(String(r['ScriptBlockText'] ?? r['Payload'] ?? r['Message']));
      return r.EventID === 800 && /\.ClearLog\(/.test(r['Message']);
    },
    cols: (r) => ({ event_code: String(r.EventID) }),
  },
  // mimikatz_CVE-2020-1472 (Zerologon): the DC account MORDORDC$ changed by ANONYMOUS LOGON.
  'windows.machine_account_changed_by_anonymous': { pick: (r) => SEC(r, 4742) && r['SubjectUserSid'] === 'S-1-5-7', cols: (r) => ({ ...J_SUBJ(r), target: acct(r['TargetDomainName'], r['TargetUserName']) }) },
  'windows.member_added_to_security_group': { pick: (r) => SEC(r, 4728, 4732, 4756), cols: J_SUBJ },
  'windows.password_reset_by_other': { pick: (r) => SEC(r, 4724, 4723) && r['SubjectUserSid'] !== r['TargetSid'], cols: J_SUBJ },
  'windows.password_spray_by_source': 'none',
  'windows.replication_rights_granted': 'none',
  'windows.rogue_domain_controller': 'none',
  // empire_wmic: the "backdoor" name key created, its default value written, and the key deleted.
  'windows.sam_account_registry_change': {
    pick: (r) => r.Channel === SYSMON && [12, 13].includes(r.EventID) && /\\SAM\\SAM\\Domains\\Account\\Users\\Names\\/.test(r['TargetObject']),
    cols: (r) => ({ event_code: String(r.EventID), account: 'backdoor' }),
  },
  'windows.samaccountname_spoofing': 'none',
  // schtask_create: pgustavo's 4698 in logon session 0xead4335, a type 3 logon from 172.18.39.5.
  'windows.scheduled_task_changed_remotely': {
    pick: (r) => SEC(r, 4698) && r.file.startsWith('schtask_create'),
    cols: (r) => ({ ...J_SUBJ(r), src_ip: '172.18.39.5', logon_id: '0xead4335' }),
  },
  // Every Security 4698-4702 and Task Scheduler 106 / 140 / 141 (schtask_create: 4698, 106, 140; the 4702 are
  // Windows' own maintenance tasks updated by the computer account).
  'windows.scheduled_task_created_or_changed': {
    pick: (r) => SEC(r, 4698, 4699, 4700, 4701, 4702) || (r.Channel === 'Microsoft-Windows-TaskScheduler/Operational' && [106, 140, 141].includes(r.EventID)),
    cols: (r) => ({ event_code: String(r.EventID), task_name: r['TaskName'] }),
  },
  'windows.security_group_created_or_changed': 'none',
  'windows.service_installed': 'none',
  'windows.sid_history_added': 'none',
  'windows.special_privileges_logon': {
    pick: (r) => (SEC(r, 4672) && !['S-1-5-18', 'S-1-5-19', 'S-1-5-20'].includes(r['SubjectUserSid'])) || (SEC(r, 4964) && !['S-1-5-18', 'S-1-5-19', 'S-1-5-20'].includes(r['TargetUserSid'])),
    cols: J_SUBJ,
  },
  'windows.system_time_changed': 'none',
  'windows.user_account_created': { pick: (r) => SEC(r, 4720), cols: (r) => ({ ...J_SUBJ(r), target: acct(r['TargetDomainName'], r['TargetUserName']) }) },
  'windows.user_right_assigned': 'none',
};

describe('windows.* queries on otrf-security-datasets (Windows)', () => {
  let c: TestCase;
  let recs: JRec[];
  const key = (r: JRec) => `${r.file}#${r.line}`;
  const rowKey = (row: Row) => `${row._file}#${row._line}`;
  beforeAll(async () => {
    recs = otrfRecords();
    c = await newCase(PERIOD);
    const rep = await c.ingest([path.join(OTRF, 'atomic/windows'), path.join(OTRF, 'compound/Log4Shell/securityauditing_log4shell_cve2021_44228_java_serialized_object.zip')]);
    expect(rep.totals.rejected).toBe(0);
  }, 600_000);

  it('loads every Windows record the README counts', async () => {
    // README record counts: 869 + 13,645 + 25,208 + 12,278 + 6,367 + 8,705 + 3,872 + 884 + 790 + 1,041 + 2,581 + 39.
    expect(await c.one<string>(`SELECT count(*)::VARCHAR FROM events WHERE source_family = 'windows'`)).toBe('76279');
  });

  it('covers every windows.* query', async () => {
    expect(Object.keys(OTRF_SPEC).sort()).toEqual(await windowsQueryIds());
  });

  it.each(Object.keys(OTRF_SPEC).sort())('%s finds exactly the expected records', async (id) => {
    await checkSpec(c, id, OTRF_SPEC[id]!, recs, key, rowKey);
  });

  it('ties the remote task to its network logon', async () => {
    // jq: the 4624 in schtask_create whose TargetLogonId is the 4698's SubjectLogonId.
    const task = recs.find((r) => SEC(r, 4698) && r.file.startsWith('schtask_create'))!;
    const logon = recs.find((r) => SEC(r, 4624) && r.file === task.file && r['TargetLogonId'] === task['SubjectLogonId'])!;
    expect([logon['LogonType'], logon['IpAddress'], logon['TargetUserName']]).toEqual(['3', '172.18.39.5', 'pgustavo']);
    const rows = await runQuery(c, 'windows.scheduled_task_changed_remotely');
    const l = await c.rows<{ line: string }>(`SELECT line::VARCHAR AS line FROM events WHERE event_id = '${rows[0]!['logon_event_id']}'`);
    expect(Number(l[0]!.line)).toBe(logon.line);
  });

  it('lists the cleared logs and the audit policy changes as tamper events', async () => {
    // jq: the System 104 of the event log service and the Security 1102 / 1100 / 4719 / 4912 records.
    const rows = await runQuery(c, 'gaps.tamper_events');
    const want = recs.filter((r) => (r.EventID === 104 && r.SourceName === 'Microsoft-Windows-Eventlog') || SEC(r, 1102, 1100, 4719, 4912));
    expect(want).toHaveLength(3 + 126);
    expect(rows.map(rowKey).sort()).toEqual(want.map(key).sort());
    expect(rows.filter((r) => r['event_code'] === '104').map((r) => r['tamper'])).toEqual(['event log cleared', 'event log cleared', 'event log cleared']);
  });

  it('names what each registry write turned off', async () => {
    const rows = await runQuery(c, 'windows.logging_disabled_via_registry');
    expect(rows.map((r) => [r._file.split('_')[0], r['event_code'], r['change']]).sort()).toEqual([
      ['cmd', '13', 'event log file path changed'],
      ['psh', '12', 'MiniNt key written (event logging off at next boot)'],
      ['reg', '13', 'EventLog service start type changed'],
      ['reg', '13', 'process command-line auditing turned off'],
      ['reg', '4657', 'EventLog service start type changed'],
      ['reg', '4657', 'process command-line auditing turned off'],
    ]);
  });
});

// -----------------------------------------------------------------------------------------------------------------
// Hand-made events, forwarded copies, Panther

describe('windows.* queries on hand-made events', () => {
  let c: TestCase;
  /** Per event (record_index = position in the file): the windows.* ids its comment names. */
  const named: string[][] = [];
  beforeAll(async () => {
    const text = fs.readFileSync(HANDMADE, 'utf8');
    for (const m of text.matchAll(/<!--([^>]*)-->\s*<Event /g)) named.push([...m[1]!.matchAll(/windows\.[a-z_]+/g)].map((x) => x[0]));
    c = await newCase(PERIOD);
    const rep = await c.ingest([HANDMADE]);
    expect(rep.totals).toMatchObject({ loaded: named.length, rejected: 0 });
  }, 120_000);

  const AGGREGATES = ['windows.failed_logons_by_account', 'windows.password_spray_by_source'];

  it('reports exactly the events whose comment names the query', async () => {
    for (const id of await windowsQueryIds()) {
      if (AGGREGATES.includes(id)) continue;
      const got = (await runQuery(c, id)).map((r) => r._idx).sort((a, b) => a - b);
      const want = named.map((ids, i) => (ids.includes(id) ? i + 1 : 0)).filter(Boolean);
      expect(got, id).toEqual(want);
    }
  });

  it('flags the administrative group, the changed policy settings and the spray', async () => {
    const groups = await runQuery(c, 'windows.member_added_to_security_group');
    expect(groups.map((r) => [r['group_name'], r['member'], r['admin_group']])).toEqual([
      ['Backup Operators', 'S-1-5-21-1111-2222-3333-1105', true],
      ['Helpdesk', 'CN=bob,OU=Staff,DC=corp,DC=example', false],
    ]);
    expect((await runQuery(c, 'windows.domain_policy_changed')).map((r) => r['changed_settings'])).toEqual(['LockoutThreshold, MinPasswordLength']);
    expect((await runQuery(c, 'windows.account_locked_out')).map((r) => [r['target'], r['caller_computer'], r['actor_user']])).toEqual([['bob', 'WS17', 'DC01$']]);
    expect((await runQuery(c, 'windows.sid_history_added')).map((r) => [r['event_code'], r['status'], r['source_sid'] ?? r['sid_history']])).toEqual([
      ['4766', 'failure', 'S-1-5-21-9999-8888-7777-512'],
      ['4738', 'success', 'S-1-5-21-9999-8888-7777-512'],
    ]);
    expect((await runQuery(c, 'windows.event_logging_stopped')).map((r) => [r['event_code'], r['state']])).toEqual([
      ['1100', 'shut down'],
      ['7036', 'stopped'],
      ['7040', 'auto start -> disabled'],
    ]);
    const spray = await runQuery(c, 'windows.password_spray_by_source');
    expect(spray.map((r) => [r['host'], r['src_ip'], r['accounts'], r['failures'], r['account_list'], r['reasons']])).toEqual([
      ['ws01.corp.example', '10.9.9.9', 5, 5, 'amy, ben, cat, dan, eve', '0xc000006a'],
    ]);
    expect(await runQuery(c, 'windows.password_spray_by_source', { min_accounts: '6' })).toEqual([]);
    expect(await runQuery(c, 'windows.failed_logons_by_account')).toEqual([]); // one failure per account
  });
});

describe('windows.* queries without a Security channel', () => {
  // The corpus events again, as Event Viewer XML exports whose System/Channel says ForwardedEvents (a Windows Event
  // Forwarding collector log) or is missing: each query must report the same records with the same values, found by
  // provider. Only the columns that name the channel or come from the channel-keyed event table (service, activity)
  // and the event ids differ.
  let orig: TestCase;
  const moved: Record<string, TestCase> = {};
  beforeAll(async () => {
    orig = await newCase(PERIOD);
    await orig.ingest([EAS, MITRE, HANDMADE]);
    const raws = await orig.rows<{ raw: string }>(`SELECT raw FROM events WHERE source_family = 'windows' ORDER BY member_path, record_index`);
    const dir = tmpDir('ewb-fwd-');
    const variants: Record<string, (x: string) => string> = {
      // Only the System element's Channel is changed (104 keeps its UserData Channel, the log it cleared).
      'forwarded.xml': (x) => x.replace(/(<System>[\s\S]*?)<Channel>[^<]*<\/Channel>/, '$1<Channel>ForwardedEvents</Channel>'),
      'no-channel.xml': (x) => x.replace(/(<System>[\s\S]*?)<Channel>[^<]*<\/Channel>/, '$1'),
    };
    for (const [name, f] of Object.entries(variants)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\r\n<Events>\r\n${raws.map((r) => f(r.raw)).join('\r\n')}\r\n</Events>\r\n`);
      moved[name] = await newCase(PERIOD);
      const rep = await moved[name]!.ingest([file]);
      expect(rep.totals).toMatchObject({ loaded: raws.length, rejected: 0 });
    }
    expect(await moved['forwarded.xml']!.one<string>(`SELECT string_agg(DISTINCT service, ',') FROM events`)).toBe('ForwardedEvents');
    expect(await moved['no-channel.xml']!.one<string>(`SELECT count(*)::VARCHAR FROM events WHERE service IS NOT NULL`)).toBe('0');
  }, 300_000);

  it('finds the same records, with the same values, through ForwardedEvents and without any channel', async () => {
    const skip = ['event_id', 'service', 'activity', 'logon_event_id', 'next_event_id'];
    let total = 0;
    for (const query of (await api.invoke('query.list', { family: 'windows' })).filter((x) => x.id.startsWith('windows.'))) {
      const cols = query.columns.filter((col) => !skip.includes(col));
      const sig = (r: Row) => JSON.stringify([r._host, r._rid, ...cols.map((col) => r[col])]);
      const want = (await runQuery(orig, query.id)).map(sig).sort();
      for (const [name, c] of Object.entries(moved)) expect((await runQuery(c, query.id)).map(sig).sort(), `${query.id} ${name}`).toEqual(want);
      total += want.length;
    }
    expect(total).toBeGreaterThan(300);
  });
});

describe('Panther Windows rule tests', () => {
  it('loads both Windows.EventLogs tests; no windows.* query maps to Windows.Credential.Dumping.Tool', async () => {
    // The only Windows rule with tests detects credential-dumping tools by process name (4688 mimikatz.exe): a threat
    // signature, not a privileged-activity or audit-trail control, so no query implements it. Neither event (a 4688
    // of mimikatz, a 4688 of chrome) is a privileged-activity finding for these queries either.
    const lines = pantherLines('Windows.EventLogs');
    expect(lines.map((l) => [l.rule, l.expected])).toEqual([
      ['Windows.Credential.Dumping.Tool', true],
      ['Windows.Credential.Dumping.Tool', false],
    ]);
    const c = await newCase(PERIOD);
    const rep = await c.ingest([writeJsonl(lines, 'windows.jsonl')]);
    expect(rep.totals).toMatchObject({ loaded: 2, rejected: 0 });
    expect(await c.one<string>(`SELECT string_agg(source_format || ':' || event_code || ':' || service, ',') FROM events`)).toBe(
      'windows_json_panther:4688:Security,windows_json_panther:4688:Security',
    );
    for (const id of await windowsQueryIds()) expect(await runQuery(c, id), id).toEqual([]);
  }, 120_000);
});
