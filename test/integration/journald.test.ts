/**
 * systemd journal exports: the fixtures journalctl itself wrote from one journal (test/fixtures/journald: -o export,
 * -o json, -o json-pretty, -o json-seq, and the hand-written export it was built from) load completely, give the same
 * events in every variant, match journalctl's JSON rendering field for field (jq), and normalize MESSAGE with the
 * syslog rules. Damaged and foreign input is rejected with its reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';

const FIX = path.join(REPO, 'test/fixtures/journald');
const FILES = ['journal.export', 'journal.json', 'journal-pretty.json', 'journal.json-seq', 'source.export'];
const NORMALIZED = `time, time_raw, time_inferred, activity, event_code, category, service, status, error_code, actor_user, actor_id,
  actor_type, src_ip, host, target, process, command_line`;

/** Entries in an export file, counted by an independent reader of the format (python, following the spec). */
function exportEntries(file: string): number {
  return Number(
    sh(`python3 - ${q(file)} <<'EOF'
import struct, sys
data = open(sys.argv[1], 'rb').read()
i, n, fields = 0, 0, 0
while i < len(data):
    j = data.index(b'\\n', i)
    line = data[i:j]
    i = j + 1
    if line == b'':
        n += fields > 0
        fields = 0
        continue
    fields += 1
    if b'=' not in line:
        size = struct.unpack('<Q', data[i:i + 8])[0]
        i += 8 + size + 1
print(n + (fields > 0))
EOF`).trim(),
  );
}

describe('journald exports', () => {
  let c: TestCase;
  const members = new Map<string, { format: string | null; records: number; loaded: number; rejected: number; status: string }>();

  beforeAll(async () => {
    c = await newCase();
    const r = await c.ingest(FILES.map((f) => path.join(FIX, f)));
    for (const a of r.archives) for (const m of a.members) members.set(m.path, m);
  }, 120_000);

  it('loads every entry of every variant, each by its own module', () => {
    const expected = exportEntries(path.join(FIX, 'journal.export'));
    expect(expected).toBe(8);
    expect(exportEntries(path.join(FIX, 'source.export'))).toBe(8);
    expect(Number(sh(`jq -c . ${q(path.join(FIX, 'journal.json'))} | wc -l`))).toBe(8);
    expect(Number(sh(`jq -s length ${q(path.join(FIX, 'journal-pretty.json'))}`))).toBe(8);
    expect(Number(sh(`grep -c $'^\\x1e{' ${q(path.join(FIX, 'journal.json-seq'))}`))).toBe(8);
    for (const f of FILES) {
      expect(members.get(f)).toMatchObject({ format: f.endsWith('.export') ? 'journald_export' : 'journald_json', records: expected, loaded: expected, rejected: 0, status: 'loaded' });
    }
  });

  it('gives the same normalized events in every variant', async () => {
    const byFile = await c.rows<{ member_path: string; e: string }>(
      `SELECT member_path, list(to_json({${NORMALIZED.split(',').map((x) => `'${x.trim()}': ${x.trim()}`).join(', ')}})::VARCHAR ORDER BY record_index)::VARCHAR e FROM events GROUP BY 1`,
    );
    expect(byFile).toHaveLength(5);
    const ref = byFile.find((r) => r.member_path === 'journal.json')!.e;
    for (const r of byFile) expect(r.e, r.member_path).toBe(ref);
  });

  it('matches what journalctl -o json wrote, field for field (jq)', async () => {
    const json = path.join(FIX, 'journal.json');
    const jq = sh(`jq -r '[.__REALTIME_TIMESTAMP, ._HOSTNAME, .SYSLOG_IDENTIFIER, ._EXE, ._CMDLINE, ._UID, (.__CURSOR | capture("i=(?<i>[0-9a-f]+)").i), ._PID, ._BOOT_ID] | @tsv' ${q(json)}`)
      .trim()
      .split('\n');
    for (const f of ['journal.export', 'journal.json']) {
      const rows = await c.rows<{ v: string }>(
        `SELECT concat_ws('\t', epoch_us(time)::VARCHAR, host, service, process, command_line, actor_id, printf('%x', record_id::UBIGINT), fields['_PID'], fields['_BOOT_ID']) v
         FROM events WHERE member_path = '${f}' ORDER BY record_index`,
      );
      expect(rows.map((r) => r.v)).toEqual(jq);
    }
  });

  it('normalizes the messages with the syslog rules (sshd, sudo, su, useradd)', async () => {
    const rows = await c.rows(
      `SELECT record_index AS i, activity, category, status, error_code, actor_user, target, src_ip, fields['auth_method'] AS method, fields['pwd'] AS pwd, fields['command'] AS command
       FROM events WHERE member_path = 'journal.export' AND activity IS NOT NULL ORDER BY record_index`,
    );
    expect(rows).toEqual([
      { i: '1', activity: 'ssh_login', category: 'authentication', status: 'success', error_code: null, actor_user: 'alice', target: null, src_ip: '203.0.113.7', method: 'publickey', pwd: null, command: null },
      { i: '2', activity: 'ssh_login', category: 'authentication', status: 'failure', error_code: 'invalid user', actor_user: 'admin', target: null, src_ip: '198.51.100.23', method: 'password', pwd: null, command: null },
      { i: '3', activity: 'sudo', category: 'privilege', status: 'success', error_code: null, actor_user: 'alice', target: 'root', src_ip: null, method: null, pwd: '/home/alice', command: '/usr/bin/systemctl stop auditd' },
      { i: '4', activity: 'session_opened', category: 'authentication', status: 'success', error_code: null, actor_user: 'alice', target: 'root', src_ip: null, method: null, pwd: null, command: null },
      { i: '5', activity: 'user_created', category: 'account_management', status: 'success', error_code: null, actor_user: null, target: 'backdoor', src_ip: null, method: null, pwd: null, command: null },
      { i: '8', activity: 'session_closed', category: 'authentication', status: 'success', error_code: null, actor_user: 'alice', target: null, src_ip: null, method: null, pwd: null, command: null },
    ]);
  });

  it('keeps times to the microsecond, UTC, and sequence numbers from the cursor', async () => {
    const rows = await c.rows(`SELECT time::VARCHAR t, time_raw, time_inferred, record_id, fields['__CURSOR'] cur FROM events WHERE member_path = 'journal.export' AND record_index IN (2, 8) ORDER BY record_index`);
    expect(rows).toEqual([
      { t: '2024-03-05 08:01:01.123457+00', time_raw: '1709625661123457', time_inferred: null, record_id: '2', cur: expect.stringContaining(';i=2;') },
      { t: '2024-03-05 08:07:07.864199+00', time_raw: '1709626027864199', time_inferred: null, record_id: '8', cur: expect.stringContaining(';i=8;') },
    ]);
  });

  it('keeps binary, non-UTF-8 and repeated fields', async () => {
    const rows = await c.rows<{ member_path: string; msg: string; blob: string; tag: string; form: string | null; raw: string }>(
      `SELECT member_path, fields['MESSAGE'] msg, fields['BACKUP_BLOB:hex'] blob, fields['TAG'] tag, fields['raw_form'] form, raw
       FROM events WHERE record_index = 7 ORDER BY member_path`,
    );
    expect(rows).toHaveLength(5);
    for (const r of rows) expect([r.msg, r.blob, r.tag]).toEqual(['backup finished', 'fffe000162696e617279', '["nightly","offsite"]']);
    // The export entry holds binary fields: raw is its JSON rendering, and fields say so.
    const exp = rows.find((r) => r.member_path === 'journal.export')!;
    expect(exp.form).toMatch(/^json: the entry has binary fields/);
    expect(JSON.parse(exp.raw)).toEqual(JSON.parse(sh(`sed -n 7p ${q(path.join(FIX, 'journal.json'))}`)));
    expect(rows.find((r) => r.member_path === 'journal.json')!.form).toBeNull();
    const multi = await c.rows(`SELECT DISTINCT fields['MESSAGE'] m FROM events WHERE record_index = 6`);
    expect(multi).toEqual([{ m: 'Traceback (most recent call last):\n  File "/opt/app/worker.py", line 3\nValueError: bad' }]);
  });

  it('keeps a text entry of an export byte-exact in raw, with its position', async () => {
    const buf = fs.readFileSync(path.join(FIX, 'journal.export'));
    const rows = await c.rows<{ raw: string; byte_offset: string; line: string }>(`SELECT raw, byte_offset, line FROM events WHERE member_path = 'journal.export' AND record_index = 2`);
    const start = buf.indexOf('__CURSOR=', 1);
    const end = buf.indexOf('\n\n', start);
    expect(rows[0]).toEqual({ raw: buf.subarray(start, end).toString('utf8'), byte_offset: String(start), line: String(buf.subarray(0, start).toString('latin1').split('\n').length) });
  });
});

describe('journald: what is rejected, and why', () => {
  it('rejects JSON lines that are not journal entries, each with its reason', async () => {
    const dir = tmpDir();
    const good = sh(`sed -n 1p ${q(path.join(FIX, 'journal.json'))}`).trim();
    const lines = [
      good,
      '{"__REALTIME_TIMESTAMP":"1709625600000000","MESSAGE":"a","MESSAGE":"b"}',
      '{"__CURSOR":"s=1;i=9","MESSAGE":"no time"}',
      '{"__REALTIME_TIMESTAMP":"99999999999999999999","MESSAGE":"far"}',
      '{"__REALTIME_TIMESTAMP":"1709625600000000", broken',
      '["__REALTIME_TIMESTAMP"]',
    ];
    fs.writeFileSync(path.join(dir, 'journal.json'), lines.join('\n') + '\n');
    const c = await newCase();
    const r = await c.ingest([path.join(dir, 'journal.json')]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'journald_json', records: 6, loaded: 1, rejected: 5, status: 'rejects' });
    expect(await c.rows(`SELECT record_index i, reason FROM rejects ORDER BY record_index`)).toEqual([
      { i: "2", reason: 'not a journal entry: a field name occurs twice in the JSON object' },
      { i: "3", reason: 'not a journal entry: __REALTIME_TIMESTAMP missing' },
      { i: "4", reason: 'unparseable or missing timestamp: "99999999999999999999"' },
      { i: "5", reason: 'invalid JSON' },
      { i: "6", reason: 'not a JSON object' },
    ]);
  });

  it('reports an export cut off inside a binary field: entries before it loaded, the cut one rejected', async () => {
    const dir = tmpDir();
    const buf = fs.readFileSync(path.join(FIX, 'journal.export'));
    // Cut 20 bytes into the binary MESSAGE of entry 6 (found independently: the line "MESSAGE" without "=").
    const at = buf.indexOf('\nMESSAGE\n') + 1 + 'MESSAGE\n'.length + 8 + 20;
    fs.writeFileSync(path.join(dir, 'cut.export'), buf.subarray(0, at));
    const c = await newCase();
    const r = await c.ingest([path.join(dir, 'cut.export')]);
    const m = r.archives[0]!.members[0]!;
    expect(m).toMatchObject({ format: 'journald_export', records: 6, loaded: 5, rejected: 1, status: 'partial' });
    expect(m.reason).toMatch(/journal export ends inside binary field MESSAGE \(the file is truncated\)/);
    expect(await c.rows(`SELECT record_index i, reason FROM rejects`)).toEqual([{ i: "6", reason: 'record truncated: the input ended inside binary field MESSAGE of this journal entry' }]);
  });
});
