/**
 * The demo archive (demo/acme-2024q1-export.zip) through the built CLI, end to end.
 *
 * Three readings are compared:
 *  - demo/expected.json, the answer sheet bench/make-demo.ts writes from what it generated;
 *  - an independent reading of the zip by python3 (zipfile, gzip, json) and `unzip -p | grep -c`, which knows neither
 *    the generator nor the engine, so a generator bug (wrong counts in the sheet, a record in the logging gap, a
 *    December line in the wrong file) fails here too;
 *  - what `ewb ingest --json` reports and what `ewb sql` finds in the case.
 * The generator is also re-run into a temp folder to check the committed files are byte-identical to its output.
 *
 * Needs the CLI built (`npx tsc -b tsconfig.json`), python3 and unzip.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EWB = path.join(ROOT, 'bin/ewb.mjs');
const ZIP = path.join(ROOT, 'demo/acme-2024q1-export.zip');
const EXPECTED = path.join(ROOT, 'demo/expected.json');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const expected: Any = JSON.parse(fs.readFileSync(EXPECTED, 'utf8'));

/** Reads the zip with Python's standard library only and prints the facts the assertions need. */
const ORACLE = String.raw`
import gzip, json, sys, zipfile, collections
zf = zipfile.ZipFile(sys.argv[1])
out = {"entries": [], "objects": {}, "auth": {}}
ct = []
for info in zf.infolist():
    out["entries"].append({"name": info.filename, "date": "%04d-%02d-%02d" % info.date_time[:3]})
    data = zf.read(info)
    if info.filename.endswith(".json.gz"):
        recs = json.loads(gzip.decompress(data))["Records"]
        out["objects"][info.filename] = len(recs)
        folder_region = info.filename.split("/")[3]
        for r in recs:
            ct.append({"t": r["eventTime"], "region": r["awsRegion"], "name": r["eventName"], "type": r["userIdentity"]["type"],
                       "folder_region": folder_region, "ok": r.get("responseElements") and isinstance(r["responseElements"], dict) and r["responseElements"].get("ConsoleLogin"),
                       "mfa": (r.get("additionalEventData") or {}).get("MFAUsed"), "ip": r["sourceIPAddress"],
                       "user": r["userIdentity"].get("userName")})
    elif info.filename.startswith("var/log/"):
        lines = data.decode("utf-8").split("\n")
        assert lines[-1] == "", "file does not end with a newline"
        lines = lines[:-1]
        out["auth"][info.filename] = {"lines": len(lines), "dec": sum(1 for l in lines if l.startswith("Dec ")),
                                      "first": lines[0][:15], "last": lines[-1][:15], "blank": sum(1 for l in lines if not l.strip())}
    elif info.filename == "README.txt":
        out["readme"] = {"head": data[:24].decode("ascii"), "text": data.decode("utf-8")}
by_region = collections.Counter(e["region"] for e in ct)
stops = [e for e in ct if e["name"] == "StopLogging"]
starts = [e for e in ct if e["name"] == "StartLogging"]
out["ct"] = {
    "records": len(ct),
    "perRegion": dict(by_region),
    "regionMatchesFolder": all(e["region"] == e["folder_region"] for e in ct),
    "root": len([e for e in ct if e["type"] == "Root"]),
    "rootConsoleLogins": [e for e in ct if e["type"] == "Root" and e["name"] == "ConsoleLogin"],
    "failedConsoleLogins": len([e for e in ct if e["name"] == "ConsoleLogin" and e["ok"] == "Failure"]),
    "stops": [(e["t"], e["region"], e["user"]) for e in stops],
    "starts": [(e["t"], e["region"]) for e in starts],
    "first": min(e["t"] for e in ct),
    "last": max(e["t"] for e in ct),
    "days": {r: sorted({e["t"][:10] for e in ct if e["region"] == r}) for r in by_region},
}
if len(stops) == 1 and len(starts) == 1:
    a, b, region = stops[0]["t"], starts[0]["t"], stops[0]["region"]
    out["ct"]["inGap"] = len([e for e in ct if e["region"] == region and a < e["t"] < b])
    out["ct"]["inGapOtherRegions"] = len([e for e in ct if e["region"] != region and a < e["t"] < b])
print(json.dumps(out))
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function ewb(...args: string[]): Run {
  const r = spawnSync(process.execPath, [EWB, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp = '';
let kase = '';
let ingest: Run;
let report: Any;
let oracle: Any;

function sql(query: string): Array<Record<string, Any>> {
  const r = ewb('sql', kase, query, '--json');
  if (r.status !== 0) throw new Error(`ewb sql failed (${r.status}): ${r.stderr}\n${query}`);
  return JSON.parse(r.stdout).rows;
}

/** Lines of an auth.log member matching an extended regex, counted by unzip + grep (0 when none). */
function grepCount(member: string, regex: string): number {
  const r = spawnSync('bash', ['-c', `unzip -p "$1" "$2" | grep -cE -- "$3"`, 'grep-count', ZIP, member, regex], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`unzip | grep failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'out/node/electron/cli/main.js'))) throw new Error('CLI not built: run `npx tsc -b tsconfig.json` first');
  oracle = JSON.parse(execFileSync('python3', ['-c', ORACLE, ZIP], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ewb-demo-'));
  kase = path.join(tmp, 'case');
  const c = ewb('case', 'create', kase, '--name', 'ACME demo', '--org', 'ACME Corp', '--period-start', expected.case.periodStart, '--period-end', expected.case.periodEnd, '--timezone', expected.case.timezone, '--json');
  if (c.status !== 0) throw new Error(`case create failed: ${c.stderr}`);
  ingest = ewb('ingest', kase, ZIP, '--json');
  report = JSON.parse(ingest.stdout);
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('demo archive: the generator', () => {
  it('re-creates the committed zip and answer sheet byte for byte', () => {
    const out = path.join(tmp, 'regen');
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/make-demo.ts'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(fs.readFileSync(path.join(out, 'acme-2024q1-export.zip')).equals(fs.readFileSync(ZIP))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'expected.json'), 'utf8')).toBe(fs.readFileSync(EXPECTED, 'utf8'));
    const zip = fs.readFileSync(ZIP);
    expect(createHash('sha256').update(zip).digest('hex')).toBe(expected.archive.sha256);
    expect(zip.length).toBe(expected.archive.bytes);
    expect(zip.length).toBeLessThan(600 * 1024);
  });

  it('agrees with an independent reading of the zip (python3 zipfile/gzip/json, unzip)', () => {
    // Entries: sorted, the README, both auth logs, and the CloudTrail objects listed in the sheet.
    const names: string[] = oracle.entries.map((e: Any) => e.name);
    expect(names).toEqual([...names].sort());
    expect(names.length).toBe(expected.archive.entries);
    expect(names).toContain('README.txt');
    const unzipList = execFileSync('unzip', ['-Z1', ZIP], { encoding: 'utf8' }).trim().split('\n');
    expect(unzipList).toEqual(names);
    expect(oracle.readme.text).toMatch(/SYNTHETIC DEMO DATA/);
    for (const n of names.filter((x) => x.endsWith('.json.gz'))) {
      expect(n).toMatch(/^AWSLogs\/111122223333\/CloudTrail\/(eu-central-1|us-east-1|eu-west-1)\/2024\/01\/\d{2}\/111122223333_CloudTrail_\1_2024\d{4}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/);
    }

    // CloudTrail counts.
    expect(oracle.objects).toEqual(expected.cloudtrail.perObject);
    expect(Object.keys(oracle.objects).length).toBe(expected.cloudtrail.objects);
    expect(oracle.ct.records).toBe(expected.cloudtrail.records);
    expect(oracle.ct.records).toBeGreaterThanOrEqual(3000);
    expect(oracle.ct.perRegion).toEqual(expected.cloudtrail.perRegion);
    expect(oracle.ct.regionMatchesFolder).toBe(true);
    expect(oracle.ct.root).toBe(expected.cloudtrail.rootEvents);
    expect(oracle.ct.failedConsoleLogins).toBe(expected.cloudtrail.failedConsoleLogins.count);
    expect(oracle.ct.first).toBe(expected.cloudtrail.firstEventUtc);
    expect(oracle.ct.last).toBe(expected.cloudtrail.lastEventUtc);
    expect(oracle.ct.first >= '2024-01-08T00:00:00Z' && oracle.ct.last < '2024-01-29T00:00:00Z').toBe(true);

    // Root console login without MFA.
    expect(oracle.ct.rootConsoleLogins).toHaveLength(1);
    expect(oracle.ct.rootConsoleLogins[0]).toMatchObject({ t: expected.cloudtrail.root.consoleLogin.time, mfa: 'No', ok: 'Success' });

    // StopLogging / StartLogging, ~26 h apart, nothing in that region in between (other regions keep logging).
    expect(oracle.ct.stops).toEqual([[expected.cloudtrail.stopLogging.time, expected.cloudtrail.stopLogging.region, 'svc-backup']]);
    expect(oracle.ct.starts).toEqual([[expected.cloudtrail.startLogging.time, expected.cloudtrail.startLogging.region]]);
    const hours = (Date.parse(expected.cloudtrail.startLogging.time) - Date.parse(expected.cloudtrail.stopLogging.time)) / 3_600_000;
    expect(hours).toBeGreaterThan(25);
    expect(hours).toBeLessThan(27);
    expect(oracle.ct.inGap).toBe(0);
    expect(oracle.ct.inGapOtherRegions).toBeGreaterThan(0);

    // eu-west-1: every day from Jan 8 to Jan 28 except the missing one.
    const missing = expected.cloudtrail.missingDeliveryDay;
    const westDays: string[] = oracle.ct.days[missing.region];
    expect(westDays).not.toContain(missing.date);
    expect(westDays).toHaveLength(20);
    expect(names.some((n) => n.includes(`/CloudTrail/${missing.region}/${missing.date.replaceAll('-', '/')}/`))).toBe(false);
    for (const r of ['eu-central-1', 'us-east-1']) expect(oracle.ct.days[r]).toHaveLength(21);

    // auth.log files.
    for (const f of expected.authLog.files) {
      const o = oracle.auth[f.path];
      expect(o.lines).toBe(f.lines);
      expect(o.blank).toBe(0);
      expect(o.dec).toBe(f.linesByYear['2023']);
      expect(grepCount(f.path, '.')).toBe(f.lines);
      const entry = oracle.entries.find((e: Any) => e.name === f.path);
      expect(entry.date).toBe(f.zipMtime.slice(0, 10));
    }
    expect(oracle.auth['var/log/auth.log.1'].first).toBe('Dec 29 00:17:01');
    expect(oracle.auth['var/log/auth.log.1'].dec).toBeGreaterThan(0);
    expect(oracle.auth['var/log/auth.log'].dec).toBe(0);
    expect(oracle.auth['var/log/auth.log'].last.startsWith('Jan 28 ')).toBe(true);
  });
});

describe('demo archive: ingest', () => {
  const logMembers = () => report.archives[0].members.filter((m: Any) => m.path !== 'README.txt');
  const oracleTotal = () => oracle.ct.records + expected.authLog.files.reduce((a: number, f: Any) => a + oracle.auth[f.path].lines, 0);

  it('loads every log record; the only issue is README.txt, reported unsupported (exit 3)', () => {
    // A README inside an export is not a log: the engine accounts for it as an unsupported member, which makes the
    // archive "issues" and the exit status 3 (documented: committed with unsupported members).
    expect(ingest.stderr).toBe('');
    expect(ingest.status).toBe(3);
    expect(report.archives).toHaveLength(1);
    const a = report.archives[0];
    expect(a.status).toBe('issues');
    expect(a.members).toHaveLength(expected.totals.members);
    const readme = a.members.find((m: Any) => m.path === 'README.txt');
    expect(readme).toEqual({
      path: 'README.txt',
      sha256: createHash('sha256').update(oracle.readme.text, 'utf8').digest('hex'),
      format: null,
      records: 0,
      loaded: 0,
      rejected: 0,
      status: 'unsupported',
      reason: `not a log format the workbench recognises (first bytes: ${oracle.readme.head}); if it is a log, name its format with --format`,
    });
    expect(a.members.filter((m: Any) => m.status !== 'loaded')).toEqual([readme]);
    expect(report.totals).toEqual({ records: oracleTotal(), loaded: oracleTotal(), rejected: 0 });
    expect(report.totals.records).toBe(expected.totals.records);
  });

  it('reports each member with the record count read independently', () => {
    const got = Object.fromEntries(logMembers().map((m: Any) => [m.path, [m.format, m.records, m.loaded, m.rejected]]));
    const want: Record<string, Any> = {};
    for (const [p, n] of Object.entries(oracle.objects)) want[p] = ['cloudtrail', n, n, 0];
    for (const f of expected.authLog.files) want[f.path] = ['syslog', oracle.auth[f.path].lines, oracle.auth[f.path].lines, 0];
    expect(got).toEqual(want);
  });

  it('per-source and per-region counts in the case', () => {
    expect(sql(`SELECT source_family, source_format, count(*)::INTEGER AS n FROM events GROUP BY ALL ORDER BY ALL`)).toEqual([
      { source_family: 'aws_cloudtrail', source_format: 'cloudtrail', n: oracle.ct.records },
      { source_family: 'linux', source_format: 'syslog_rfc3164', n: expected.totals.authLogLines },
    ]);
    const regions = sql(`SELECT region, count(*)::INTEGER AS n FROM events WHERE source_family = 'aws_cloudtrail' GROUP BY ALL`);
    expect(Object.fromEntries(regions.map((r) => [r.region, r.n]))).toEqual(oracle.ct.perRegion);
    expect(sql(`SELECT count(*)::INTEGER AS n FROM rejects`)).toEqual([{ n: 0 }]);
    expect(sql(`SELECT min(time) AS first, max(time) AS last FROM events WHERE source_family = 'aws_cloudtrail'`)).toEqual([{ first: oracle.ct.first, last: oracle.ct.last }]);
    expect(sql(`SELECT min(time) AS first, max(time) AS last FROM events`)).toEqual([{ first: expected.firstEventUtc, last: expected.lastEventUtc }]);
    expect(sql(`SELECT DISTINCT host FROM events WHERE source_family = 'linux'`)).toEqual([{ host: expected.authLog.host }]);
  });

  it('infers 2023 for the December lines of auth.log.1 and 2024 for everything else', () => {
    const years = sql(`SELECT member_path, year(timezone('Europe/Berlin', time))::INTEGER AS y, left(time_raw, 3) AS mon, count(*)::INTEGER AS n
      FROM events WHERE source_family = 'linux' GROUP BY ALL ORDER BY ALL`);
    const a1 = expected.authLog.files.find((f: Any) => f.path === 'var/log/auth.log.1');
    const a0 = expected.authLog.files.find((f: Any) => f.path === 'var/log/auth.log');
    expect(years).toEqual([
      { member_path: 'var/log/auth.log', y: 2024, mon: 'Jan', n: oracle.auth['var/log/auth.log'].lines },
      { member_path: 'var/log/auth.log.1', y: 2023, mon: 'Dec', n: oracle.auth['var/log/auth.log.1'].dec },
      { member_path: 'var/log/auth.log.1', y: 2024, mon: 'Jan', n: oracle.auth['var/log/auth.log.1'].lines - oracle.auth['var/log/auth.log.1'].dec },
    ]);
    expect(a1.linesByYear).toEqual({ '2023': oracle.auth['var/log/auth.log.1'].dec, '2024': oracle.auth['var/log/auth.log.1'].lines - oracle.auth['var/log/auth.log.1'].dec });
    // The first line, read in Europe/Berlin (CET, UTC+1), and the inference note on it.
    expect(sql(`SELECT time, time_raw, time_inferred FROM events WHERE member_path = 'var/log/auth.log.1' AND record_index = 1`)).toEqual([
      { time: '2023-12-28T23:17:01Z', time_raw: 'Dec 29 00:17:01', time_inferred: 'year 2023 inferred from file date 2024-01-08; local time in Europe/Berlin' },
    ]);
    expect(sql(`SELECT min(time) AS first, max(time) AS last FROM events WHERE member_path = 'var/log/auth.log.1'`)).toEqual([{ first: a1.firstUtc, last: a1.lastUtc }]);
    expect(sql(`SELECT min(time) AS first, max(time) AS last, any_value(time_inferred) AS note FROM events WHERE member_path = 'var/log/auth.log'`)).toEqual([
      { first: a0.firstUtc, last: a0.lastUtc, note: 'year 2024 inferred from file date 2024-01-29; local time in Europe/Berlin' },
    ]);
  });

  it('normalizes the auth.log activities as often as grep finds them', () => {
    const rows = sql(`SELECT coalesce(activity, '-') AS a, coalesce(status, '-') AS s, count(*)::INTEGER AS n FROM events WHERE source_family = 'linux' GROUP BY ALL`);
    const got = Object.fromEntries(rows.map((r) => [`${r.a}/${r.s}`, r.n]));
    const g = (re: string) => grepCount('var/log/auth.log', re) + grepCount('var/log/auth.log.1', re);
    const want: Record<string, number> = {
      'ssh_login/success': g('sshd\\[[0-9]+\\]: Accepted (publickey|password) for '),
      'ssh_login/failure': g('sshd\\[[0-9]+\\]: Failed password for '),
      'ssh_invalid_user/failure': g('sshd\\[[0-9]+\\]: Invalid user '),
      'ssh_preauth_disconnect/failure': g('sshd\\[[0-9]+\\]: Connection closed by invalid user '),
      'ssh_max_auth_attempts/failure': g('maximum authentication attempts exceeded'),
      'auth_failure/failure': g('pam_unix\\(sshd:auth\\): authentication failure;'),
      'sudo/success': g('sudo: +[a-z0-9]+ : TTY='),
      'sudo/failure': g('sudo: +[a-z0-9]+ : user NOT in sudoers'),
      'su/success': g('su\\[[0-9]+\\]: \\(to root\\) '),
      'session_opened/success': g('session opened for user |systemd-logind\\[[0-9]+\\]: New session '),
      'session_closed/success': g('session closed for user '),
      'user_created/success': g('useradd\\[[0-9]+\\]: new user: name=backup2, UID=1002'),
      'group_created/success': g('useradd\\[[0-9]+\\]: new group: '),
      'group_member_added/success': g("usermod\\[[0-9]+\\]: add 'backup2' to (shadow )?group 'sudo'"),
      'password_changed/success': g('password changed for backup2'),
      'user_deleted/success': g("userdel\\[[0-9]+\\]: delete user 'backup2'"),
    };
    const known = Object.values(want).reduce((a, b) => a + b, 0);
    want['-/-'] = expected.totals.authLogLines - known;
    expect(got).toEqual(want);
    // The generator's own tally says the same.
    const kinds = (k: string) => expected.authLog.files.reduce((a: number, f: Any) => a + (f.kinds[k] ?? 0), 0);
    expect(want['ssh_login/success']).toBe(kinds('ssh_accepted'));
    expect(want['ssh_login/failure']).toBe(kinds('ssh_failed'));
    expect(want['sudo/success']).toBe(kinds('sudo'));
    expect(want['session_opened/success']).toBe(kinds('session_opened') + kinds('logind_new_session'));
  });

  it('finds the Linux storyline: root SSH login, backup2 created and added to sudo, bob not in sudoers', () => {
    const s = expected.authLog.story;
    expect(sql(`SELECT time, actor_user, src_ip, fields['auth_method'] AS method FROM events WHERE activity = 'ssh_login' AND status = 'success' AND actor_user = 'root'`)).toEqual([
      { time: s.rootSshLogin.time, actor_user: 'root', src_ip: s.rootSshLogin.sourceIP, method: 'password' },
    ]);
    expect(sql(`SELECT time, target, fields['uid'] AS uid FROM events WHERE activity = 'user_created'`)).toEqual([{ time: s.userCreated.time, target: 'backup2', uid: '1002' }]);
    expect(sql(`SELECT time, target, fields['group'] AS grp FROM events WHERE activity = 'group_member_added' ORDER BY raw`)).toEqual([
      { time: s.addedToSudo.time, target: 'backup2', grp: 'sudo' },
      { time: s.addedToSudo.time, target: 'backup2', grp: 'sudo' },
    ]);
    expect(sql(`SELECT time, actor_user, error_code FROM events WHERE activity = 'sudo' AND status = 'failure'`)).toEqual([
      { time: s.notInSudoers.time, actor_user: 'bob', error_code: 'user NOT in sudoers' },
    ]);
    expect(sql(`SELECT actor_user, target, fields['command'] AS command FROM events WHERE activity = 'sudo' AND fields['command'] = '/usr/bin/systemctl restart nginx' LIMIT 1`)).toEqual([
      { actor_user: 'alice', target: 'root', command: '/usr/bin/systemctl restart nginx' },
    ]);
  });

  it('shows the root console login without MFA and every root event', () => {
    const login = expected.cloudtrail.root.consoleLogin;
    expect(
      sql(`SELECT time, actor_user, actor_type, status, src_ip, region, raw->>'$.additionalEventData.MFAUsed' AS mfa, category
        FROM events WHERE activity = 'ConsoleLogin' AND actor_user = 'root'`),
    ).toEqual([{ time: login.time, actor_user: 'root', actor_type: 'Root', status: 'success', src_ip: login.sourceIP, region: 'us-east-1', mfa: 'No', category: 'authentication' }]);
    const root = sql(`SELECT time, region, activity FROM events WHERE actor_user = 'root' AND source_family = 'aws_cloudtrail' ORDER BY time`);
    expect(root).toHaveLength(oracle.ct.root);
    expect(root.map((r) => ({ time: r.time, region: r.region, eventName: r.activity }))).toEqual(expected.cloudtrail.root.events);
    expect(sql(`SELECT count(*)::INTEGER AS n FROM events WHERE actor_type = 'Root'`)).toEqual([{ n: oracle.ct.root }]);
  });

  it('shows the failed console-login burst, the IAM changes and the opened security group', () => {
    const f = expected.cloudtrail.failedConsoleLogins;
    expect(sql(`SELECT count(*)::INTEGER AS n, min(time) AS first, max(time) AS last, any_value(src_ip) AS ip, any_value(error_code) AS err
      FROM events WHERE activity = 'ConsoleLogin' AND status = 'failure'`)).toEqual([{ n: oracle.ct.failedConsoleLogins, first: f.first, last: f.last, ip: f.sourceIP, err: 'Failed authentication' }]);
    expect(sql(`SELECT time, activity AS "eventName", actor_user AS actor, target FROM events
      WHERE activity IN ('CreateUser', 'AttachUserPolicy', 'CreateAccessKey') ORDER BY time`)).toEqual(expected.cloudtrail.iamChanges);
    expect(sql(`SELECT json_extract_string(raw, '$.requestParameters.policyArn') AS p FROM events WHERE activity = 'AttachUserPolicy'`)).toEqual([
      { p: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    ]);
    const sg = expected.cloudtrail.securityGroupOpened;
    expect(sql(`SELECT time, region, target, actor_user, json_extract_string(raw, '$.requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp') AS cidr
      FROM events WHERE activity = 'AuthorizeSecurityGroupIngress'`)).toEqual([{ time: sg.time, region: sg.region, target: sg.groupId, actor_user: sg.actor, cidr: '0.0.0.0/0' }]);
  });

  it('shows the logging gap: StopLogging, ~26 h with no events in that region, StartLogging', () => {
    const stop = expected.cloudtrail.stopLogging;
    const start = expected.cloudtrail.startLogging;
    expect(sql(`SELECT time, region, actor_user, actor_type, target, category FROM events WHERE activity IN ('StopLogging', 'StartLogging') ORDER BY time`)).toEqual([
      { time: stop.time, region: stop.region, actor_user: 'svc-backup', actor_type: 'IAMUser', target: stop.trail, category: 'audit_logging' },
      // For an AssumedRole call the actor is the session ("alice"); the role (OpsAdmin) is in fields.sessionIssuer.
      { time: start.time, region: start.region, actor_user: 'alice', actor_type: 'AssumedRole', target: start.trail, category: 'audit_logging' },
    ]);
    const between = (where: string) =>
      sql(`SELECT count(*)::INTEGER AS n FROM events WHERE source_family = 'aws_cloudtrail' AND ${where} AND time > '${stop.time}'::TIMESTAMPTZ AND time < '${start.time}'::TIMESTAMPTZ`)[0]!.n;
    expect(between(`region = '${stop.region}'`)).toBe(0);
    expect(between(`region = '${stop.region}'`)).toBe(oracle.ct.inGap);
    expect(between(`region <> '${stop.region}'`)).toBe(oracle.ct.inGapOtherRegions);
    expect(oracle.ct.inGapOtherRegions).toBeGreaterThan(0);
    // The neighbours of the gap.
    expect(sql(`SELECT max(time) AS t FROM events WHERE region = '${stop.region}' AND time < '${stop.time}'::TIMESTAMPTZ`)).toEqual([{ t: expected.cloudtrail.loggingGap.lastEventBefore }]);
    expect(sql(`SELECT min(time) AS t FROM events WHERE region = '${stop.region}' AND time > '${start.time}'::TIMESTAMPTZ`)).toEqual([{ t: expected.cloudtrail.loggingGap.firstEventAfter }]);
    // The largest silence between consecutive events of any region is that gap.
    expect(
      sql(`SELECT region, prev, time FROM (SELECT region, time, lag(time) OVER (PARTITION BY region ORDER BY time) AS prev FROM events WHERE source_family = 'aws_cloudtrail')
        WHERE region = '${stop.region}' ORDER BY time - prev DESC NULLS LAST LIMIT 1`),
    ).toEqual([{ region: stop.region, prev: stop.time, time: start.time }]);
  });

  it('shows the day without delivery for eu-west-1', () => {
    const m = expected.cloudtrail.missingDeliveryDay;
    expect(sql(`SELECT count(*)::INTEGER AS n FROM events WHERE region = '${m.region}' AND CAST(timezone('UTC', time) AS DATE) = DATE '${m.date}'`)).toEqual([{ n: 0 }]);
    const days = sql(`SELECT DISTINCT strftime(timezone('UTC', time), '%Y-%m-%d') AS d FROM events WHERE region = '${m.region}' ORDER BY d`).map((r) => r.d);
    expect(days).toEqual(oracle.ct.days[m.region]);
    expect(days).toHaveLength(m.daysWithEvents);
  });
});
