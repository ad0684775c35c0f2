/**
 * Real logs written by others (../shared/corpus) load completely, with counts derived by independent tools
 * (unzip, jq, python3's tarfile/csv, wc) and field values checked against the corpus' own assertions.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';

const OTRF = path.join(CORPUS, 'otrf-security-datasets');

/** Non-blank lines of the log members of a zip (macOS metadata excluded), counted by unzip + grep. */
function zipLines(zip: string): number {
  return Number(sh(`unzip -p ${q(zip)} -x '__MACOSX/*' | grep -c '[^[:space:]]' || true`).trim());
}

describe('OTRF Security-Datasets archives', () => {
  let c: TestCase;
  const jsonl = [
    'atomic/aws/collection/ec2_proxy_s3_exfiltration.zip',
    'atomic/windows/credential_access/host/covenant_dcsync_dcerpc_drsuapi_DsGetNCChanges.zip',
    'atomic/windows/defense_evasion/host/auditpol_system_user_auditpolicy_modification.zip',
    'atomic/windows/defense_evasion/host/cmd_wevtutil_modify_security_eventlog_path.zip',
    'atomic/windows/defense_evasion/host/empire_wmic_add_user_backdoor.zip',
    'atomic/windows/defense_evasion/host/psh_stop_event_logging_controlset_minint_key.zip',
    'atomic/windows/defense_evasion/host/reg_cmd_process_commandline_logging_disabled.zip',
    'atomic/windows/defense_evasion/host/reg_disable_eventlog_service_startuptype_modification_via_registry.zip',
    'atomic/windows/discovery/host/empire_shell_net_localgroup_administrators.zip',
    'atomic/windows/lateral_movement/host/mimikatz_CVE-2020-1472_Unauthenticated_NetrServerAuthenticate2.zip',
    'atomic/windows/lateral_movement/host/schtask_create.zip',
    'compound/GoldenSAMLADFSMailAccess/AADAuditEvents.Zip',
    'compound/GoldenSAMLADFSMailAccess/Microsoft365DefenderEvents.Zip',
    'compound/Log4Shell/securityauditing_log4shell_cve2021_44228_java_serialized_object.zip',
    'compound/Log4Shell/syslog_auoms_auditd_log4shell_cve2021_44228_jndi_reference.zip',
  ];
  const reports = new Map<string, Awaited<ReturnType<TestCase['ingest']>>['archives'][number]>();

  beforeAll(async () => {
    c = await newCase({ periodStart: '2019-01-01', periodEnd: '2022-12-31' });
    const all = [
      ...jsonl,
      'atomic/aws/discovery/aws_s3_honeybucketlogs.zip',
      'atomic/windows/privilege_escalation/host/empire_invoke_runas.tar.gz',
      'compound/GoldenSAMLADFSMailAccess/OfficeActivityEvents.Zip',
    ].map((p) => path.join(OTRF, p));
    const r = await c.ingest(all);
    for (const a of r.archives) reports.set(path.relative(OTRF, a.path), a);
  }, 300_000);

  it.each(jsonl)('loads every line of %s', (rel) => {
    const expected = zipLines(path.join(OTRF, rel));
    const a = reports.get(rel)!;
    const logs = a.members.filter((m) => !m.path.startsWith('__MACOSX/'));
    expect(logs).toHaveLength(1);
    expect(logs[0]!.records).toBe(expected);
    expect(logs[0]!.loaded).toBe(expected);
    expect(logs[0]!.rejected).toBe(0);
    expect(a.status === 'loaded' || a.status === 'issues').toBe(true);
  });

  it('reports __MACOSX resource forks as skipped, never parsed', () => {
    const a = reports.get('atomic/windows/defense_evasion/host/cmd_wevtutil_modify_security_eventlog_path.zip')!;
    const mac = a.members.filter((m) => m.path.startsWith('__MACOSX/'));
    expect(mac).toHaveLength(1);
    expect(mac[0]).toMatchObject({ status: 'skipped', records: 0, loaded: 0 });
    expect(mac[0]!.reason).toMatch(/macOS/);
    expect(a.status).toBe('issues');
  });

  it('tolerates the byte appended after the end of the covenant zip and says so', () => {
    const a = reports.get('atomic/windows/credential_access/host/covenant_dcsync_dcerpc_drsuapi_DsGetNCChanges.zip')!;
    expect(a.status).toBe('loaded');
    expect(a.reason).toMatch(/1 byte\(s\) after the end of the zip archive were ignored/);
  });

  it('loads the honey-bucket CSV export row by row (rows counted by python csv)', () => {
    const zip = path.join(OTRF, 'atomic/aws/discovery/aws_s3_honeybucketlogs.zip');
    const rows = Number(
      sh(`python3 -c "import csv,io,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); n=[x for x in z.namelist() if not x.startswith('__MACOSX')][0]; print(sum(1 for _ in csv.reader(io.TextIOWrapper(z.open(n), encoding='utf-8', newline='')))-1)" ${q(zip)}`).trim(),
    );
    expect(rows).toBe(301);
    const a = reports.get('atomic/aws/discovery/aws_s3_honeybucketlogs.zip')!;
    expect(a.members[0]).toMatchObject({ format: 'csv', records: rows, loaded: rows, rejected: 0, status: 'loaded' });
  });

  it('recovers the complete member of the truncated empire_invoke_runas.tar.gz and flags the damage', async () => {
    const tgz = path.join(OTRF, 'atomic/windows/privilege_escalation/host/empire_invoke_runas.tar.gz');
    // gzip -t fails on this file upstream; python's tarfile still reads the single member.
    expect(() => sh(`gzip -t ${q(tgz)} 2>&1`)).toThrow();
    const lines = Number(
      sh(`python3 -c "import sys,tarfile; t=tarfile.open(sys.argv[1]); m=[x for x in t.getmembers() if x.isfile()][0]; print(sum(1 for l in t.extractfile(m) if l.strip()))" ${q(tgz)}`).trim(),
    );
    expect(lines).toBe(2581);
    const a = reports.get('atomic/windows/privilege_escalation/host/empire_invoke_runas.tar.gz')!;
    expect(a.status).toBe('issues');
    expect(a.reason).toMatch(/unexpected end of file|truncated/i);
    expect(a.members).toHaveLength(1);
    expect(a.members[0]).toMatchObject({ records: lines, loaded: lines, rejected: 0 });
  });

  it('keeps provenance: member path, record index, line and byte offset point at the raw line', async () => {
    const zip = path.join(OTRF, 'atomic/windows/lateral_movement/host/schtask_create.zip');
    const content = sh(`unzip -p ${q(zip)} -x '__MACOSX/*'`);
    const ev = await c.rows<{ line: string; byte_offset: string; raw: string; record_index: string }>(
      `SELECT line, byte_offset, raw, record_index FROM events e JOIN archives a ON a.sha256 = e.archive_sha256
       WHERE a.path LIKE '%schtask_create.zip' ORDER BY record_index LIMIT 5 OFFSET 500`,
    );
    const buf = Buffer.from(content, 'utf8');
    for (const e of ev) {
      const off = Number(e.byte_offset);
      expect(buf.subarray(off, off + Buffer.byteLength(e.raw)).toString('utf8')).toBe(e.raw);
      expect(content.split('\n')[Number(e.line) - 1]!.replace(/\r$/, '')).toBe(e.raw);
    }
  });

  it('reads CloudTrail records whose eventTime was replaced by a forwarder @timestamp', async () => {
    const rows = await c.rows<Record<string, string>>(
      `SELECT time, time_inferred, activity, actor_user, src_ip, region FROM events WHERE source_family = 'aws_cloudtrail' ORDER BY time, record_index LIMIT 1`,
    );
    const first = sh(`unzip -p ${q(path.join(OTRF, 'atomic/aws/collection/ec2_proxy_s3_exfiltration.zip'))} | jq -s -c 'sort_by(.["@timestamp"]) | .[0] | {t: .["@timestamp"], n: .eventName, u: .userIdentity.userName, ip: .sourceIPAddress, r: .awsRegion}'`);
    const j = JSON.parse(first) as { t: string; n: string; u: string; ip: string; r: string };
    expect(rows[0]).toMatchObject({ activity: j.n, actor_user: j.u, src_ip: j.ip, region: j.r });
    expect(Date.parse(rows[0]!['time']!)).toBe(Date.parse(j.t));
    expect(rows[0]!['time_inferred']).toMatch(/@timestamp/);
  });
});

describe('Panther CloudTrail test events', () => {
  const src = path.join(CORPUS, 'panther-analysis-tests/by_log_type/AWS.CloudTrail.jsonl');
  let work: string;
  let events: Array<Record<string, unknown>>;
  beforeAll(() => {
    work = tmpDir();
    // jq (independent of our parser) pulls each rule test's event out of Panther's test wrapper.
    sh(`jq -c '.log' ${q(src)} > ${q(path.join(work, 'cloudtrail.jsonl'))}`);
    events = fs
      .readFileSync(path.join(work, 'cloudtrail.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  });
  // A record loads when it names its event and carries a time that reads as a date and time (a few rule tests write
  // placeholders such as "redacted" or "...").
  const isTime = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/.test(v);
  const usable = (e: Record<string, unknown>) =>
    typeof e['eventName'] === 'string' && typeof e['eventSource'] === 'string' && (isTime(e['eventTime']) || (e['eventTime'] == null && isTime(e['@timestamp'])));

  it('loads as JSON Lines: every event is loaded or rejected with its reason', async () => {
    expect(events).toHaveLength(475);
    expect(events.filter(usable)).toHaveLength(444);
    const c = await newCase();
    const r = await c.ingest([path.join(work, 'cloudtrail.jsonl')]);
    const m = r.archives[0]!.members[0]!;
    const expectLoaded = events.filter(usable).length;
    expect(m.format).toBe('cloudtrail');
    expect(m).toMatchObject({ records: 475, loaded: expectLoaded, rejected: 475 - expectLoaded });
    const rejects = await c.rows<{ record_index: string; reason: string }>(`SELECT record_index, reason FROM rejects ORDER BY record_index`);
    for (const rj of rejects) {
      const e = events[Number(rj.record_index) - 1]!;
      expect(usable(e)).toBe(false);
      if (typeof e['eventName'] !== 'string' || typeof e['eventSource'] !== 'string') expect(rj.reason).toBe('not a CloudTrail event: eventName or eventSource missing');
      else if (e['eventTime'] == null) expect(rj.reason).toBe('unparseable or missing timestamp: no time value');
      else expect(rj.reason).toBe(`unparseable or missing timestamp: "${String(e['eventTime'])}"`);
    }
    // Field by field against jq's reading of the same lines.
    const ev = await c.rows<Record<string, string | null>>(`SELECT record_index, activity, src_ip, region, actor_type, error_code, user_agent FROM events ORDER BY record_index`);
    expect(ev).toHaveLength(expectLoaded);
    for (const row of ev) {
      const e = events[Number(row['record_index']) - 1]! as Record<string, any>;
      expect(row['activity']).toBe(e['eventName']);
      expect(row['src_ip']).toBe(e['sourceIPAddress'] === undefined || e['sourceIPAddress'] === null ? null : String(e['sourceIPAddress']));
      expect(row['region']).toBe(e['awsRegion'] ?? null);
      expect(row['actor_type']).toBe(e['userIdentity']?.['type'] ?? null);
      expect(row['user_agent']).toBe(e['userAgent'] ?? null);
    }
    const root = await c.rows<Record<string, string>>(
      `SELECT actor_user, status, raw->>'$.additionalEventData.MFAUsed' AS mfa FROM events WHERE actor_type = 'Root' AND activity = 'ConsoleLogin' ORDER BY record_index LIMIT 1`,
    );
    expect(root[0]!['actor_user']).toBe('root');
  });

  it('loads the same events wrapped as CloudTrail S3 delivery objects (.json.gz) in a zip', async () => {
    const good = events.filter(usable);
    const dir = path.join(work, 'export');
    const key = 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/15';
    fs.mkdirSync(path.join(dir, key), { recursive: true });
    const chunk = 100;
    for (let i = 0; i < good.length; i += chunk) {
      const name = `123456789012_CloudTrail_us-east-1_20240115T10${String(i / chunk).padStart(2, '0')}Z_abcdefgh${String(i).padStart(8, '0')}.json.gz`;
      fs.writeFileSync(path.join(dir, key, name), zlib.gzipSync(JSON.stringify({ Records: good.slice(i, i + chunk) })));
    }
    sh(`cd ${q(dir)} && python3 -c "import os,zipfile; z=zipfile.ZipFile('../export.zip','w'); [z.write(os.path.join(r,f)) for r,_,fs in sorted(os.walk('AWSLogs')) for f in sorted(fs)]; z.close()"`);
    const c = await newCase();
    const r = await c.ingest([path.join(work, 'export.zip')]);
    const a = r.archives[0]!;
    expect(a.status).toBe('loaded');
    expect(a.members).toHaveLength(Math.ceil(good.length / chunk));
    expect(a.members.every((m) => m.format === 'cloudtrail' && m.path.startsWith(key + '/') && m.path.endsWith('.json.gz'))).toBe(true);
    expect(r.totals).toEqual({ records: good.length, loaded: good.length, rejected: 0 });
    // The member hash is over the decompressed object (what CloudTrail digests sign), checked with python's gzip.
    const m0 = a.members[0]!;
    const expected = sh(`python3 -c "import gzip,hashlib,sys; print(hashlib.sha256(gzip.open(sys.argv[1]).read()).hexdigest())" ${q(path.join(dir, m0.path))}`).trim();
    expect(m0.sha256).toBe(expected);
  });
});

/** Lines of a crowdsec test with the s00-raw syslog assertions (program, pid, message, timestamp, machine). */
function crowdsecRawAsserts(test: string): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>();
  const file = path.join(CORPUS, 'crowdsec-hub-tests/tests', test, 'parser.assert');
  if (!fs.existsSync(file)) return out;
  const text = fs.readFileSync(file, 'utf8');
  const re = /^results\["s00-raw"\]\["crowdsecurity\/syslog-logs"\]\[(\d+)\]\.Evt\.(Parsed|Meta)\["(\w+)"\] == "(.*)"$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const i = Number(m[1]);
    const rec = out.get(i) ?? {};
    rec[m[3]!] = JSON.parse(`"${m[4]!}"`) as string;
    out.set(i, rec);
  }
  return out;
}

describe('CrowdSec syslog/auth lines', () => {
  const tests = ['sshd-logs', 'sshd-success-logs', 'sshd-invalid-bf', 'ssh-bf', 'ssh-slow-bf', 'pam-logs', 'syslog-logs', 'opnsense-sshd', 'pfsense-gui-auth'];
  let c: TestCase;
  let r: Awaited<ReturnType<TestCase['ingest']>>;
  beforeAll(async () => {
    c = await newCase({ periodStart: '2023-01-01', periodEnd: '2024-12-31' });
    r = await c.ingest(tests.map((t) => fs.readdirSync(path.join(CORPUS, 'crowdsec-hub-tests/tests', t)).filter((f) => f.endsWith('.log')).map((f) => path.join(CORPUS, 'crowdsec-hub-tests/tests', t, f))[0]!));
  }, 120_000);

  it('loads every line (counted with grep)', () => {
    for (const a of r.archives) {
      const lines = Number(sh(`grep -c '[^[:space:]]' ${q(a.path)}`).trim());
      expect(a.members[0]!.records, a.path).toBe(lines);
      expect(a.members[0]!.loaded + a.members[0]!.rejected).toBe(lines);
    }
  });

  it('parses program, pid, message, host and timestamp as CrowdSec asserts', async () => {
    let checked = 0;
    for (const [t, a] of tests.map((t, i) => [t, r.archives[i]!] as const)) {
      const asserts = crowdsecRawAsserts(t);
      const ev = await c.rows<Record<string, string | null>>(
        `SELECT record_index, service AS program, fields['pid'] AS pid, fields['message'] AS message, host, time_raw
         FROM events WHERE archive_sha256 = '${a.sha256}' ORDER BY record_index`,
      );
      for (const [i, want] of asserts) {
        const got = ev.find((e) => Number(e['record_index']) === i + 1);
        if (!want['program']) continue;
        expect(got, `${t} line ${i + 1}`).toBeDefined();
        expect(got!['program'], `${t} line ${i + 1} program`).toBe(want['program']);
        if (want['pid']) expect(got!['pid'], `${t} line ${i + 1} pid`).toBe(want['pid']);
        if (want['message']) expect(got!['message'], `${t} line ${i + 1} message`).toBe(want['message']);
        if (want['machine']) expect(got!['host'], `${t} line ${i + 1} host`).toBe(want['machine']);
        if (want['timestamp']) expect(got!['time_raw'], `${t} line ${i + 1} time`).toBe(want['timestamp']);
        if (want['timestamp8601']) expect(got!['time_raw'], `${t} line ${i + 1} time`).toBe(want['timestamp8601']);
        checked++;
      }
    }
    expect(checked).toBe(58);
  });

  it('normalizes sshd outcomes with the client IP CrowdSec extracts', async () => {
    const ok = await c.rows<Record<string, string>>(
      `SELECT activity, status, actor_user, src_ip, fields['auth_method'] AS method FROM events WHERE service = 'sshd' AND activity = 'ssh_login' AND status = 'success' ORDER BY time`,
    );
    expect(ok.map((e) => [e['actor_user'], e['src_ip'], e['method']])).toEqual([
      ['vagrant', '192.168.121.1', 'publickey'],
      ['vagrant', '192.168.121.1', 'publickey'],
      ['vagrant', '192.168.121.1', 'publickey'],
      ['test', '192.168.121.1', 'password'],
    ]);
    const invalid = await c.rows<Record<string, string>>(`SELECT actor_user, src_ip, status FROM events WHERE activity = 'ssh_invalid_user' AND host = 'sd-126005' ORDER BY record_index LIMIT 1`);
    expect(invalid[0]).toEqual({ actor_user: 'pascal', src_ip: '35.188.49.176', status: 'failure' });
    const pam = await c.rows<Record<string, string>>(`SELECT activity, status, actor_user, fields['pam_service'] AS svc FROM events WHERE host = 'vskub1master01p' AND activity = 'auth_failure'`);
    expect(pam).toEqual([{ activity: 'auth_failure', status: 'failure', actor_user: 'zbadguy', svc: 'sudo' }]);
  });
});

describe('Wazuh ruleset lines (sudo, su, PAM, sshd, systemd, doas)', () => {
  /** Wazuh rule id → the activity and status the workbench gives the line (rule descriptions in the corpus README). */
  const EXPECT: Record<string, { activity: string[]; status: string }> = {
    '5403': { activity: ['sudo'], status: 'success' },
    '5401': { activity: ['sudo'], status: 'failure' },
    '5404': { activity: ['sudo'], status: 'failure' },
    '5405': { activity: ['sudo'], status: 'failure' },
    '5301': { activity: ['su'], status: 'failure' },
    '5302': { activity: ['su'], status: 'failure' },
    '5305': { activity: ['su'], status: 'success' },
    '5501': { activity: ['session_opened'], status: 'success' },
    '5502': { activity: ['session_closed'], status: 'success' },
    '5503': { activity: ['auth_failure'], status: 'failure' },
    '5504': { activity: ['auth_failure'], status: 'failure' },
    '2502': { activity: ['auth_failure'], status: 'failure' },
    '5710': { activity: ['ssh_invalid_user', 'ssh_login'], status: 'failure' },
    '5716': { activity: ['ssh_login'], status: 'failure' },
    '5758': { activity: ['ssh_max_auth_attempts'], status: 'failure' },
    '40705': { activity: ['system_time_changed'], status: 'success' },
    '51554': { activity: ['doas'], status: 'failure' },
    '51557': { activity: ['doas'], status: 'failure' },
    '51555': { activity: ['doas'], status: 'success' },
    '51556': { activity: ['doas'], status: 'success' },
  };
  const files = ['sudo.ini', 'su.ini', 'pam.ini', 'sshd.ini', 'systemd.ini', 'doas.ini'];

  it('classifies each line as its Wazuh rule says', async () => {
    const lines: Array<{ text: string; rule: string; pass: boolean }> = [];
    for (const f of files) {
      let pending: Array<{ text: string; pass: boolean }> = [];
      for (const l of fs.readFileSync(path.join(CORPUS, 'wazuh-ruleset-tests/tests', f), 'utf8').split('\n')) {
        const m = /^log \d+ (pass|fail) = (.*)$/.exec(l);
        if (m) pending.push({ text: m[2]!, pass: m[1] === 'pass' });
        const r = /^rule = (\d+)/.exec(l);
        if (r) {
          for (const p of pending) lines.push({ ...p, rule: r[1]! });
          pending = [];
        }
      }
    }
    const work = tmpDir();
    const file = path.join(work, 'auth.log');
    fs.writeFileSync(file, lines.map((l) => l.text).join('\n') + '\n');
    const c = await newCase({ periodStart: '2013-01-01', periodEnd: '2013-12-31' });
    const r = await c.ingest([file]);
    // The doas sample is dated Feb 29; with no year in the line and a 2013 case period, that date does not exist.
    expect(r.totals).toEqual({ records: lines.length, loaded: lines.length - 1, rejected: 1 });
    const rej = await c.rows<{ line: string; reason: string }>(`SELECT line, reason FROM rejects`);
    expect(rej).toEqual([{ line: String(lines.findIndex((l) => l.text.startsWith('Feb 29')) + 1), reason: 'no such date: Feb 29 14:58:39 in the inferred year 2013' }]);
    const ev = await c.rows<{ record_index: string; activity: string | null; status: string | null; category: string | null }>(
      `SELECT record_index, activity, status, category FROM events ORDER BY record_index`,
    );
    const byIndex = new Map(ev.map((e) => [Number(e.record_index), e]));
    let checked = 0;
    lines.forEach((l, i) => {
      const want = EXPECT[l.rule];
      const got = byIndex.get(i + 1);
      if (!want || !l.pass || !got) return;
      expect(want.activity, `rule ${l.rule}: ${l.text}`).toContain(got.activity);
      expect(got.status, `rule ${l.rule}: ${l.text}`).toBe(want.status);
      if (['sudo', 'su', 'doas'].includes(got.activity!)) expect(got.category).toBe('privilege');
      checked++;
    });
    expect(checked).toBe(25);
  });
});
