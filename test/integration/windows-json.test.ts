/**
 * Windows events as collector JSON (format `windows_json`): the OTRF Security-Datasets archives (NXLog and
 * Logstash-flattened JSON Lines, the Winlogbeat 6.7 tar.gz, the Sentinel SecurityEvent export) load with every line
 * loaded — counted by unzip | grep and python's tarfile — and their fields agree with python3's reading of each line;
 * Panther's Windows.EventLogs test events (extracted with jq) and Winlogbeat 8 records built here load with exact
 * values; records that are not Windows events are rejected with their reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';
import type { ArchiveReport } from '../../shared/ingest.js';

const OTRF = path.join(CORPUS, 'otrf-security-datasets');

const NXLOG = [
  'atomic/windows/credential_access/host/covenant_dcsync_dcerpc_drsuapi_DsGetNCChanges.zip',
  'atomic/windows/defense_evasion/host/empire_wmic_add_user_backdoor.zip',
  'atomic/windows/discovery/host/empire_shell_net_localgroup_administrators.zip',
  'atomic/windows/lateral_movement/host/mimikatz_CVE-2020-1472_Unauthenticated_NetrServerAuthenticate2.zip',
];
const LOGSTASH = [
  'atomic/windows/defense_evasion/host/auditpol_system_user_auditpolicy_modification.zip',
  'atomic/windows/defense_evasion/host/cmd_wevtutil_modify_security_eventlog_path.zip',
  'atomic/windows/defense_evasion/host/psh_stop_event_logging_controlset_minint_key.zip',
  'atomic/windows/defense_evasion/host/reg_cmd_process_commandline_logging_disabled.zip',
  'atomic/windows/defense_evasion/host/reg_disable_eventlog_service_startuptype_modification_via_registry.zip',
  'atomic/windows/lateral_movement/host/schtask_create.zip',
];
const RUNAS = 'atomic/windows/privilege_escalation/host/empire_invoke_runas.tar.gz';
const SENTINEL = 'compound/Log4Shell/securityauditing_log4shell_cve2021_44228_java_serialized_object.zip';

/** Non-blank lines of the log member of a zip (macOS metadata excluded), counted by unzip + grep. */
const zipLines = (zip: string) => Number(sh(`unzip -p ${q(zip)} -x '__MACOSX/*' | grep -c '[^[:space:]]' || true`).trim());

/**
 * python3's reading of every non-blank line of an archive's log member: line number, and each top-level field as
 * text (strings as they are, other JSON values in their compact JSON form, exactly as python's json module keeps
 * integers).
 */
function pythonLines(archive: string): Array<{ line: number; f: Record<string, string | null> }> {
  const script = String.raw`
import sys, json, zipfile, tarfile, io
p = sys.argv[1]
if p.endswith('.tar.gz'):
    t = tarfile.open(p); m = [x for x in t.getmembers() if x.isfile()][0]; data = t.extractfile(m).read()
else:
    z = zipfile.ZipFile(p); n = [x for x in z.namelist() if not x.startswith('__MACOSX')][0]; data = z.read(n)
def text(v):
    if v is None: return None
    if isinstance(v, str): return v
    return json.dumps(v, separators=(',', ':'), ensure_ascii=False)
out = []
for i, l in enumerate(data.decode('utf-8').split('\n')):
    if not l.strip(): continue
    o = json.loads(l)
    out.append({'line': i + 1, 'f': {k: text(v) for k, v in o.items()}})
json.dump(out, sys.stdout, ensure_ascii=False)
`;
  return JSON.parse(sh(`python3 -c ${q(script)} ${q(archive)}`)) as Array<{ line: number; f: Record<string, string | null> }>;
}

interface Row {
  line: string;
  source_format: string;
  time: string;
  time_raw: string;
  time_inferred: string | null;
  event_code: string;
  service: string;
  host: string;
  record_id: string | null;
  activity: string;
  actor_user: string | null;
  actor_domain: string | null;
  actor_id: string | null;
  target: string | null;
  src_ip: string | null;
  process: string | null;
  command_line: string | null;
  status: string | null;
  fields: Record<string, string | null>;
}

const COLS = `line, source_format, strftime(timezone('UTC', time), '%Y-%m-%dT%H:%M:%S.%fZ') AS time, time_raw, time_inferred, event_code, service, host,
  record_id, activity, actor_user, actor_domain, actor_id, target, src_ip, process, command_line, status, fields`;

describe('OTRF Windows archives', () => {
  let c: TestCase;
  const reports = new Map<string, ArchiveReport>();
  const rowsOf = async (rel: string) =>
    c.rows<Row>(`SELECT ${COLS} FROM events WHERE archive_sha256 = (SELECT sha256 FROM archives WHERE path = ${q(path.join(OTRF, rel))}) ORDER BY record_index`);

  beforeAll(async () => {
    c = await newCase({ periodStart: '2019-01-01', periodEnd: '2022-12-31' });
    const r = await c.ingest([...NXLOG, ...LOGSTASH, RUNAS, SENTINEL].map((p) => path.join(OTRF, p)));
    for (const a of r.archives) reports.set(path.relative(OTRF, a.path), a);
  }, 600_000);

  it.each([...NXLOG, ...LOGSTASH, SENTINEL])('loads every line of %s as windows_json', (rel) => {
    const expected = zipLines(path.join(OTRF, rel));
    const logs = reports.get(rel)!.members.filter((m) => !m.path.startsWith('__MACOSX/'));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ format: 'windows_json', records: expected, loaded: expected, rejected: 0 });
  });

  it('loads all 2,581 lines of the Winlogbeat 6.7 tar.gz (counted by python tarfile) despite its truncated gzip', () => {
    const lines = Number(
      sh(`python3 -c "import sys,tarfile; t=tarfile.open(sys.argv[1]); m=[x for x in t.getmembers() if x.isfile()][0]; print(sum(1 for l in t.extractfile(m) if l.strip()))" ${q(path.join(OTRF, RUNAS))}`).trim(),
    );
    expect(lines).toBe(2581);
    const a = reports.get(RUNAS)!;
    expect(a.members[0]).toMatchObject({ format: 'windows_json', records: lines, loaded: lines, rejected: 0 });
  });

  it('picks the collector shape per member (NXLog where python sees EventTime on every line)', async () => {
    for (const rel of [...NXLOG, ...LOGSTASH]) {
      const hasEventTime = Number(sh(`unzip -p ${q(path.join(OTRF, rel))} -x '__MACOSX/*' | grep -c '"EventTime":' || true`).trim());
      const shapes = await c.rows<{ source_format: string; n: string }>(
        `SELECT source_format, count(*) AS n FROM events e JOIN archives a ON a.sha256 = e.archive_sha256 WHERE a.path = ${q(path.join(OTRF, rel))} GROUP BY 1`,
      );
      expect(shapes, rel).toEqual([{ source_format: hasEventTime > 0 ? 'windows_json_nxlog' : 'windows_json_logstash', n: String(zipLines(path.join(OTRF, rel))) }]);
      expect(hasEventTime === 0 || hasEventTime === zipLines(path.join(OTRF, rel)), rel).toBe(true);
    }
    expect(await c.one(`SELECT count(DISTINCT source_format) FROM events`)).toBe('4'); // + winlogbeat6, sentinel
  });

  it.each([NXLOG[2]!, LOGSTASH[5]!])('keeps every top-level field of every line of %s, as python reads it', async (rel) => {
    const expected = pythonLines(path.join(OTRF, rel));
    const rows = await rowsOf(rel);
    expect(rows.length).toBe(expected.length);
    rows.forEach((r, i) => {
      const e = expected[i]!;
      expect(Number(r.line)).toBe(e.line);
      for (const [k, v] of Object.entries(e.f)) expect(r.fields[k], `line ${e.line} ${k}`).toBe(v);
      // Beyond the record's own fields only the System values under their XML names (collector names differ).
      const extra = Object.keys(r.fields).filter((k) => !(k in e.f));
      for (const k of extra) expect(['Provider', 'Computer', 'EventRecordID', 'ProcessID', 'System.ProcessID'], `line ${e.line}`).toContain(k);
      expect(r.fields['Provider'] ?? r.fields['SourceName']).toBe(e.f['SourceName']);
      expect(r.fields['Computer']).toBe(e.f['Hostname']);
      expect(r.event_code).toBe(e.f['EventID']);
      expect(r.host).toBe(e.f['Hostname']);
      expect(r.record_id).toBe(e.f['RecordNumber'] ?? null);
      expect(r.service.toLowerCase()).toBe(e.f['Channel']!.toLowerCase());
    });
  });

  it('folds channel case: `security` and `Security` are one service, the field keeps what was written', async () => {
    const zip = path.join(OTRF, NXLOG[2]!);
    const lower = Number(sh(`unzip -p ${q(zip)} | grep -c '"Channel":"security"' || true`).trim());
    const upper = Number(sh(`unzip -p ${q(zip)} | grep -c '"Channel":"Security"' || true`).trim());
    expect([lower, upper]).toEqual([75, 154]); // README: "Channel appears as both Security and security"
    const rows = await c.rows<{ service: string; ch: string; n: string }>(
      `SELECT service, fields['Channel'] AS ch, count(*) AS n FROM events e JOIN archives a ON a.sha256 = e.archive_sha256
       WHERE a.path = ${q(zip)} AND lower(fields['Channel']) = 'security' GROUP BY ALL ORDER BY ch`,
    );
    expect(rows).toEqual([
      { service: 'Security', ch: 'Security', n: String(upper) },
      { service: 'Security', ch: 'security', n: String(lower) },
    ]);
  });

  it('names the actor as an auditor reads each event class (every logon and account-management line)', async () => {
    const LOGON = ['4624', '4625', '4634'];
    const SUBJECT = ['4688', '4672', '4720', '4722', '4724', '4726', '4728', '4732', '4738', '4798', '4799', '4662'];
    const TARGETED = ['4720', '4722', '4724', '4726', '4728', '4732', '4738', '4799'];
    const script = String.raw`
import sys, json, zipfile
ids = set(sys.argv[2].split(','))
z = zipfile.ZipFile(sys.argv[1]); n = [x for x in z.namelist() if not x.startswith('__MACOSX')][0]
out = []
for i, l in enumerate(z.read(n).decode('utf-8').split('\n')):
    if not l.strip(): continue
    o = json.loads(l)
    if str(o.get('Channel', '')).lower() == 'security' and str(o.get('EventID')) in ids:
        out.append({'line': i + 1, **{k: o.get(k) for k in ['EventID', 'SubjectUserName', 'SubjectDomainName', 'SubjectUserSid', 'TargetUserName', 'TargetDomainName', 'TargetUserSid', 'IpAddress', 'NewProcessName', 'CommandLine']}})
json.dump(out, sys.stdout)
`;
    const dash = (v: unknown) => (v === '-' || v === '' || v === undefined || v === null ? null : String(v));
    let checked = 0;
    for (const rel of [...NXLOG, ...LOGSTASH]) {
      const zip = path.join(OTRF, rel);
      const expected = JSON.parse(sh(`python3 -c ${q(script)} ${q(zip)} ${[...LOGON, ...SUBJECT].join(',')}`)) as Array<Record<string, unknown>>;
      const rows = await c.rows<Row>(
        `SELECT ${COLS} FROM events WHERE archive_sha256 = (SELECT sha256 FROM archives WHERE path = ${q(zip)})
         AND service = 'Security' AND event_code IN (${[...LOGON, ...SUBJECT].map((x) => `'${x}'`).join(', ')}) ORDER BY record_index`,
      );
      expect(rows.map((r) => Number(r.line)), rel).toEqual(expected.map((e) => e['line']));
      rows.forEach((r, i) => {
        const f = expected[i]!;
        const id = String(f['EventID']);
        if (LOGON.includes(id)) {
          // The account that logs on is Target*; Subject* is the service that reported it.
          expect([r.actor_user, r.actor_domain, r.actor_id], `${rel} line ${r.line}`).toEqual([dash(f['TargetUserName']), dash(f['TargetDomainName']), dash(f['TargetUserSid'])]);
          if (id === '4624') expect(r.src_ip, `line ${r.line}`).toBe(dash(f['IpAddress']));
        } else {
          expect([r.actor_user, r.actor_domain, r.actor_id], `${rel} line ${r.line}`).toEqual([dash(f['SubjectUserName']), dash(f['SubjectDomainName']), dash(f['SubjectUserSid'])]);
          if (TARGETED.includes(id)) {
            const t = dash(f['TargetUserName']);
            expect(r.target, `line ${r.line}`).toBe(t && dash(f['TargetDomainName']) ? `${String(f['TargetDomainName'])}\\${t}` : t);
          }
          if (id === '4688') {
            expect(r.process).toBe(dash(f['NewProcessName']));
            expect(r.command_line).toBe(dash(f['CommandLine']));
          }
        }
        checked++;
      });
    }
    // As many lines as grep finds with those IDs in the Security channel (either case) of the ten files.
    const grepped = [...NXLOG, ...LOGSTASH].reduce(
      (n, rel) =>
        n +
        Number(
          sh(`unzip -p ${q(path.join(OTRF, rel))} -x '__MACOSX/*' | grep '"Channel":"[Ss]ecurity"' | grep -cE '"EventID":(${[...LOGON, ...SUBJECT].join('|')})[,}]' || true`).trim(),
        ),
      0,
    );
    expect(checked).toBe(grepped);
    expect(checked).toBeGreaterThan(200);
  });

  it('reads NXLog EventTime (local, no offset) with the offset derived from EventReceivedTime and @timestamp', async () => {
    // The NXLog captures are US Eastern summer time (UTC-4): EventTime + 4 h, to the second, on every line ...
    const bad = await c.rows<{ n: string }>(
      `SELECT count(*) AS n FROM events WHERE source_format = 'windows_json_nxlog'
       AND time <> timezone('UTC', fields['EventTime']::TIMESTAMP + INTERVAL 4 HOUR)`,
    );
    expect(bad[0]!.n).toBe('0');
    const notes = await c.rows<{ time_inferred: string; n: string }>(`SELECT time_inferred, count(*) AS n FROM events WHERE source_format = 'windows_json_nxlog' GROUP BY 1`);
    expect(notes).toEqual([
      { time_inferred: 'EventTime has no UTC offset: UTC-04:00 derived from EventReceivedTime and @timestamp', n: String(NXLOG.reduce((n, z) => n + zipLines(path.join(OTRF, z)), 0)) },
    ]);
    // ... and Sysmon's own UTC clock (UtcTime, ms) agrees within the seconds between an event and its log record.
    const drift = await c.rows<{ n: string; lo: number; hi: number }>(
      `SELECT count(*) AS n, min(epoch(time) - epoch(fields['UtcTime']::TIMESTAMP)) AS lo, max(epoch(time) - epoch(fields['UtcTime']::TIMESTAMP)) AS hi
       FROM events WHERE source_format = 'windows_json_nxlog' AND service = 'Microsoft-Windows-Sysmon/Operational'`,
    );
    expect(Number(drift[0]!.n)).toBeGreaterThan(5000);
    expect(drift[0]!.lo).toBeGreaterThan(-1);
    expect(drift[0]!.hi).toBeLessThan(4);
  });

  it('reads Logstash-flattened TimeCreated as written (with its Z)', async () => {
    const rel = LOGSTASH[5]!;
    const expected = pythonLines(path.join(OTRF, rel));
    const rows = await rowsOf(rel);
    rows.forEach((r, i) => {
      const tc = expected[i]!.f['TimeCreated']!;
      expect(r.time_raw).toBe(tc);
      expect(r.time).toBe(new Date(tc).toISOString().replace('Z', '000Z'));
      expect(r.time_inferred).toBeNull();
    });
  });

  it('reads the Winlogbeat 6.7 shape: event_id, log_name, computer_name, record_number, nested event_data and user_data', async () => {
    const expected = pythonLines(path.join(OTRF, RUNAS));
    const rows = await rowsOf(RUNAS);
    expect(rows.length).toBe(2581);
    let userData = 0;
    rows.forEach((r, i) => {
      const f = expected[i]!.f;
      expect(r.source_format).toBe('windows_json_winlogbeat6');
      expect(r.event_code).toBe(f['event_id']);
      expect(r.service).toBe(f['log_name']);
      expect(r.host).toBe(f['computer_name']);
      expect(r.record_id).toBe(f['record_number']);
      expect(r.time).toBe(new Date(f['@timestamp']!).toISOString().replace('Z', '000Z'));
      for (const part of ['event_data', 'user_data']) {
        if (!f[part]) continue;
        const obj = JSON.parse(f[part]!) as Record<string, unknown>;
        for (const [k, v] of Object.entries(obj)) expect(r.fields[k], `line ${r.line} ${k}`).toBe(typeof v === 'string' ? v : JSON.stringify(v));
        if (part === 'user_data') userData++;
      }
    });
    expect(userData).toBe(42); // lines with user_data, counted by python above (WMI-Activity)
    const logon = rows.find((r) => r.event_code === '4624' && r.fields['TargetUserName'] === 'HFDC01$')!;
    expect(logon).toMatchObject({ activity: 'logon', actor_user: 'HFDC01$', actor_domain: 'SHIRE.COM', actor_id: 'S-1-5-18', status: 'success', host: 'HFDC01.shire.com' });
  });

  it('reads Sentinel SecurityEvent rows: columns, and the EventData XML string field by field (python ElementTree)', async () => {
    const script = String.raw`
import sys, json, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1]); data = z.read(z.namelist()[0]).decode('utf-8')
out = []
for l in data.split('\n'):
    if not l.strip(): continue
    o = json.loads(l); d = {}
    if o.get('EventData'):
        for e in ET.fromstring(o['EventData']):
            d[e.get('Name')] = e.text or ''
    out.append({'EventID': str(o['EventID']), 'Computer': o['Computer'], 'TimeGenerated': o['TimeGenerated'], 'data': d,
                'SubjectUserName': o.get('SubjectUserName'), 'CommandLine': o.get('CommandLine')})
json.dump(out, sys.stdout)
`;
    const expected = JSON.parse(sh(`python3 -c ${q(script)} ${q(path.join(OTRF, SENTINEL))}`)) as Array<Record<string, any>>;
    const rows = await rowsOf(SENTINEL);
    expect(rows.length).toBe(39);
    let dataFields = 0;
    rows.forEach((r, i) => {
      const e = expected[i]!;
      expect(r).toMatchObject({ source_format: 'windows_json_sentinel', event_code: e['EventID'], host: e['Computer'], time_raw: e['TimeGenerated'], service: 'Security' });
      for (const [k, v] of Object.entries(e['data'] as Record<string, string>)) {
        expect(r.fields[k], `${i} ${k}`).toBe(v);
        dataFields++;
      }
      expect(r.fields['EventData']).toBeUndefined();
      if (e['SubjectUserName']) expect(r.actor_user).toBe(e['SubjectUserName']);
      if (e['CommandLine']) expect(r.command_line).toBe(e['CommandLine']);
    });
    expect(dataFields).toBeGreaterThan(300);
    const proc = rows.filter((r) => r.event_code === '4688');
    expect(proc.length).toBe(2);
    for (const p of proc) expect(p).toMatchObject({ activity: 'process_created', process: p.fields['NewProcessName'] });
  });
});

describe('Panther Windows.EventLogs', () => {
  it('loads the test events extracted with jq, with their ExtraEventData', async () => {
    const work = tmpDir();
    const file = path.join(work, 'windows-eventlogs.jsonl');
    sh(`jq -c '.log' ${q(path.join(CORPUS, 'panther-analysis-tests/by_log_type/Windows.EventLogs.jsonl'))} > ${q(file)}`);
    expect(Number(sh(`wc -l < ${q(file)}`).trim())).toBe(2);
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_json', records: 2, loaded: 2, rejected: 0 });
    const rows = await c.rows<Row>(`SELECT ${COLS} FROM events ORDER BY record_index`);
    expect(rows.map((x) => [x.source_format, x.time, x.time_raw, x.activity, x.service, x.host, x.record_id, x.actor_user, x.actor_domain, x.actor_id, x.process, x.command_line])).toEqual([
      [
        'windows_json_panther',
        '2024-01-15T10:30:45.000000Z',
        '2024-01-15 10:30:45 +0000',
        'process_created',
        'Security',
        'WIN-WORKSTATION-01',
        '12345678',
        'jdoe',
        'CORP',
        'S-1-5-21-123456789-123456789-123456789-1001',
        'C:\\Users\\jdoe\\Downloads\\mimikatz.exe',
        'mimikatz.exe privilege::debug sekurlsa::logonpasswords',
      ],
      [
        'windows_json_panther',
        '2024-01-15T09:00:00.000000Z',
        '2024-01-15 09:00:00 +0000',
        'process_created',
        'Security',
        'WIN-WORKSTATION-01',
        '11111111',
        'jdoe',
        'CORP',
        'S-1-5-21-123456789-123456789-123456789-1001',
        'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
        '"C:\\\\Program Files\\\\Google\\\\Chrome\\\\Application\\\\chrome.exe"',
      ],
    ]);
    expect(rows[0]!.fields).toMatchObject({ ParentProcessName: 'C:\\Windows\\System32\\cmd.exe', TokenElevationType: '%%1936', Provider: 'Microsoft-Windows-Security-Auditing', UserID: 'S-1-5-21-123456789-123456789-123456789-1001' });
  });
});

describe('Winlogbeat 7/8 and wrappers (records built here)', () => {
  const base = {
    agent: { type: 'winlogbeat', version: '8.13.0', hostname: 'WEC01' },
    ecs: { version: '8.0.0' },
    host: { name: 'WEC01' },
    log: { level: 'information' },
  };
  const logon = {
    ...base,
    '@timestamp': '2024-05-02T08:15:30.123Z',
    event: { code: '4624', kind: 'event', provider: 'Microsoft-Windows-Security-Auditing', action: 'logged-in', outcome: 'success', created: '2024-05-02T08:15:31.001Z' },
    message: 'An account was successfully logged on.',
    winlog: {
      api: 'wineventlog',
      channel: 'Security',
      computer_name: 'DC01.corp.example',
      event_id: '4624',
      record_id: 912345,
      provider_name: 'Microsoft-Windows-Security-Auditing',
      provider_guid: '{54849625-5478-4994-a5ba-3e3b0328c30d}',
      task: 'Logon',
      opcode: 'Info',
      keywords: ['Audit Success'],
      process: { pid: 652, thread: { id: 4012 } },
      event_data: {
        SubjectUserSid: 'S-1-5-18',
        SubjectUserName: 'DC01$',
        SubjectDomainName: 'CORP',
        TargetUserSid: 'S-1-5-21-1-2-3-1105',
        TargetUserName: 'carol',
        TargetDomainName: 'CORP',
        LogonType: '10',
        IpAddress: '203.0.113.7',
        IpPort: '50123',
        ProcessName: 'C:\\Windows\\System32\\svchost.exe',
      },
    },
  };
  const failed = {
    ...base,
    '@timestamp': '2024-05-02T08:16:00.5Z',
    event: { code: '4625', provider: 'Microsoft-Windows-Security-Auditing', outcome: 'failure' },
    winlog: {
      channel: 'security',
      computer_name: 'DC01.corp.example',
      event_id: 4625,
      record_id: '912346',
      keywords: ['Audit Failure'],
      event_data: { TargetUserName: 'admin', TargetDomainName: 'CORP', Status: '0xc000006d', SubStatus: '0xc000006a', IpAddress: '198.51.100.9', LogonType: '3' },
    },
  };
  const cleared = {
    ...base,
    '@timestamp': '2024-05-02T08:20:00Z',
    event: { code: '1102', provider: 'Microsoft-Windows-Eventlog' },
    winlog: {
      channel: 'Security',
      computer_name: 'DC01.corp.example',
      event_id: '1102',
      record_id: 912400,
      keywords: ['Audit Success'],
      user_data: { SubjectUserSid: 'S-1-5-21-1-2-3-500', SubjectUserName: 'Administrator', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7', xml_name: 'LogFileCleared' },
    },
  };
  const sysmon = {
    ...base,
    '@timestamp': '2024-05-02T08:21:00.250Z',
    event: { code: '1', provider: 'Microsoft-Windows-Sysmon' },
    winlog: {
      channel: 'Microsoft-Windows-Sysmon/Operational',
      computer_name: 'ws7.corp.example',
      event_id: '1',
      record_id: 77,
      user: { identifier: 'S-1-5-18', name: 'SYSTEM', domain: 'NT AUTHORITY', type: 'User' },
      event_data: { Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /priv', User: 'CORP\\dave', ParentImage: 'C:\\Windows\\System32\\cmd.exe' },
    },
  };

  it('loads NDJSON exactly and rejects what is not a Windows event, with the reason', async () => {
    const work = tmpDir();
    const file = path.join(work, 'winlogbeat.ndjson');
    const noId = { ...base, '@timestamp': '2024-05-02T08:22:00Z', winlog: { channel: 'Security', computer_name: 'x' } };
    const noTime = { ...base, winlog: { channel: 'Security', event_id: '4624', computer_name: 'x' } };
    fs.writeFileSync(file, [logon, failed, cleared, sysmon].map((o) => JSON.stringify(o)).join('\n') + '\n{"winlog": {"event_id": \n' + JSON.stringify(noId) + '\n' + JSON.stringify(noTime) + '\n[4624]\n');
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_json', records: 8, loaded: 4, rejected: 4, status: 'rejects' });
    const rows = await c.rows<Row>(`SELECT ${COLS} FROM events ORDER BY record_index`);
    expect(rows.map((x) => [x.time, x.activity, x.event_code, x.service, x.status, x.actor_user, x.actor_domain, x.actor_id, x.src_ip, x.host, x.target, x.record_id])).toEqual([
      ['2024-05-02T08:15:30.123000Z', 'logon', '4624', 'Security', 'success', 'carol', 'CORP', 'S-1-5-21-1-2-3-1105', '203.0.113.7', 'DC01.corp.example', null, '912345'],
      ['2024-05-02T08:16:00.500000Z', 'logon_failed', '4625', 'Security', 'failure', 'admin', 'CORP', null, '198.51.100.9', 'DC01.corp.example', null, '912346'],
      ['2024-05-02T08:20:00.000000Z', 'log_cleared', '1102', 'Security', 'success', 'Administrator', 'CORP', 'S-1-5-21-1-2-3-500', null, 'DC01.corp.example', 'Security', '912400'],
      ['2024-05-02T08:21:00.250000Z', 'process_created', '1', 'Microsoft-Windows-Sysmon/Operational', null, 'dave', 'CORP', null, null, 'ws7.corp.example', null, '77'],
    ]);
    expect(rows.every((x) => x.source_format === 'windows_json_winlogbeat')).toBe(true);
    expect(await c.rows(`SELECT error_code, fields['Channel'] AS ch, fields['SubStatus'] AS sub FROM events WHERE event_code = '4625'`)).toEqual([{ error_code: '0xc000006a', ch: 'security', sub: '0xc000006a' }]);
    expect(rows[3]!.process).toBe('C:\\Windows\\System32\\whoami.exe');
    expect(rows[3]!.command_line).toBe('whoami /priv');
    expect(rows[0]!.fields).toMatchObject({ Provider: 'Microsoft-Windows-Security-Auditing', EventRecordID: '912345', ProcessID: '652', ThreadID: '4012', LogonType: '10', IpPort: '50123' });
    expect(await c.rows(`SELECT record_index, line, reason FROM rejects ORDER BY record_index`)).toEqual([
      { record_index: '5', line: '5', reason: 'invalid JSON' },
      { record_index: '6', line: '6', reason: 'not a Windows event: winlog.event_id missing' },
      { record_index: '7', line: '7', reason: '@timestamp missing' },
      { record_index: '8', line: '8', reason: 'not a JSON object' },
    ]);
  });

  it('reads a JSON array of Elasticsearch hits with the events in _source', async () => {
    const work = tmpDir();
    const file = path.join(work, 'export.json');
    const hits = [logon, cleared].map((o, i) => ({ _index: 'winlogbeat-8.13.0-2024.05.02', _id: `id${i}`, _score: 1, _source: o }));
    fs.writeFileSync(file, JSON.stringify([...hits, { _index: 'winlogbeat-8.13.0-2024.05.02', _id: 'gone', found: false }], null, 2));
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_json', records: 3, loaded: 2, rejected: 1 });
    expect(await c.one(`SELECT reason FROM rejects`)).toBe('no "_source" object in the record');
    expect(r.archives[0]!.members[0]!.reason).toBe('1 of 3 records rejected (see the rejects table); Windows events (winlogbeat) inside "_source"');
    expect(await c.rows(`SELECT activity, actor_user, record_id FROM events ORDER BY record_index`)).toEqual([
      { activity: 'logon', actor_user: 'carol', record_id: '912345' },
      { activity: 'log_cleared', actor_user: 'Administrator', record_id: '912400' },
    ]);
  });

  it.each([
    [
      'nxlog',
      { EventTime: '2020-09-21 19:18:41', EventReceivedTime: '2020-09-21 19:18:44', '@timestamp': '2020-09-21T23:18:44.265Z', Hostname: 'h', EventID: 4624, Channel: 'Security', SourceName: 's' },
      'EventTime',
      'EventID',
      'EventTime and @timestamp missing',
    ],
    ['logstash', { TimeCreated: '2022-08-18T06:55:57.789Z', '@timestamp': '2022-08-18T06:55:57.789Z', Hostname: 'h', EventID: 4703, Channel: 'Security' }, 'TimeCreated', 'EventID', 'TimeCreated and @timestamp missing'],
    ['sentinel', { TimeGenerated: '2022-05-13T08:54:05.21Z', Computer: 'W5', EventID: 5156, Channel: 'Security', Type: 'SecurityEvent' }, 'TimeGenerated', 'EventID', 'TimeGenerated missing'],
    ['panther', { EventID: '4688', TimeCreated: '2024-01-15 10:30:45 +0000', Computer: 'c', Channel: 'Security', ExtraEventData: {}, p_log_type: 'Windows.EventLogs' }, 'TimeCreated', 'EventID', 'TimeCreated and p_event_time missing'],
    ['winlogbeat6', { '@timestamp': '2019-05-18T20:42:59.034Z', event_id: 800, log_name: 'Windows PowerShell', computer_name: 'x', event_data: {} }, '@timestamp', 'event_id', '@timestamp missing'],
  ] as const)('rejects %s records without an event id or a time, naming the field', async (shape, good, timeKey, idKey, noTime) => {
    const work = tmpDir();
    const file = path.join(work, `${shape}.jsonl`);
    const without = (k: string) => Object.fromEntries(Object.entries(good).filter(([key]) => key !== k && !(k === 'EventTime' && key === '@timestamp') && !(k === 'TimeCreated' && key === '@timestamp')));
    fs.writeFileSync(file, [good, good, without(idKey), without(timeKey)].map((o) => JSON.stringify(o)).join('\n') + '\n');
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_json', records: 4, loaded: 2, rejected: 2 });
    expect(await c.one(`SELECT DISTINCT source_format FROM events`)).toBe(`windows_json_${shape}`);
    expect(await c.rows(`SELECT record_index, reason FROM rejects ORDER BY record_index`)).toEqual([
      { record_index: '3', reason: `not a Windows event: ${idKey} missing` },
      { record_index: '4', reason: noTime },
    ]);
  });
});
