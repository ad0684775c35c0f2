/**
 * Hostile and damaged input, built by the test itself with Python's zipfile/tarfile/gzip (test/support/
 * hostile_archives.py): every refusal is reported with its reason, good members beside hostile ones still load,
 * damaged streams keep what came before the damage, and nothing is ever written outside the case folder.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveReport } from '../../shared/ingest.js';
import { createApi } from '../../electron/engine/api.js';
import { CORPUS, newCase, REPO, sh, shellQuote as q, tmpDir, type TestCase } from '../support/tmp-case.js';
import { runEvtxOracle } from '../support/evtx-oracle.js';

let work: string;
let m: Record<string, string | number>;
let c: TestCase;
const small = { limits: { ratioFloorBytes: 1024 * 1024 } } as const;

function byPath(a: ArchiveReport) {
  return Object.fromEntries(a.members.map((x) => [x.path, x]));
}

/** Every file under a folder, relative. */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

beforeAll(async () => {
  work = tmpDir('ewb-hostile-');
  m = JSON.parse(sh(`python3 ${REPO}/test/support/hostile_archives.py ${work}/in`)) as Record<string, string | number>;
  // The case lives two levels below a scratch folder so that "../../evil.log" would land inside `work` if followed.
  c = await newCase({ periodStart: '2024-01-01', periodEnd: '2024-03-31' });
});

describe('hostile names and entry types', () => {
  it('refuses zip-slip and absolute entry names, loads the good member', async () => {
    const r = await c.ingest([m['zip_slip'] as string]);
    const a = r.archives[0]!;
    expect(a.status).toBe('issues');
    const p = byPath(a);
    expect(p['logs/good.log']).toMatchObject({ status: 'loaded', records: 3, loaded: 3 });
    for (const bad of ['../../evil.log', 'logs/../../../evil2.log']) {
      expect(p[bad]).toMatchObject({ status: 'refused', records: 0, loaded: 0 });
      expect(p[bad]!.reason).toContain('climbs out of the archive');
    }
    expect(p['/abs-evil.log']!.reason).toContain('absolute path');
    expect(p['C:\\Windows\\evil3.log']!.reason).toContain('absolute path');
    expect(r.totals).toEqual({ records: 3, loaded: 3, rejected: 0 });
  });

  it('refuses symbolic links and special files in zips', async () => {
    const a = (await c.ingest([m['zip_links'] as string])).archives[0]!;
    const p = byPath(a);
    expect(p['good.log']).toMatchObject({ status: 'loaded', loaded: 2 });
    expect(p['link-to-passwd']).toMatchObject({ status: 'refused', reason: 'symbolic link entry; links are never followed' });
    expect(p['fifo']!.status).toBe('refused');
    expect(p['fifo']!.reason).toContain('FIFO');
  });

  it('refuses links, devices, FIFOs and escaping names in tars', async () => {
    const a = (await c.ingest([m['tar_hostile'] as string])).archives[0]!;
    const p = byPath(a);
    expect(p['var/log/auth.log']).toMatchObject({ status: 'loaded', loaded: 4 });
    expect(p['var/log/shadow-link']!.reason).toContain('symbolic link entry (to "/etc/shadow")');
    expect(p['var/log/hard']!.reason).toContain('hard link entry');
    expect(p['dev/null-copy']!.reason).toContain('character-device');
    expect(p['dev/sda-copy']!.reason).toContain('block-device');
    expect(p['tmp/pipe']!.reason).toContain('fifo');
    expect(p['../escape.log']!.status).toBe('refused');
    expect(p['/abs-tar.log']!.status).toBe('refused');
    expect(a.members.filter((x) => x.status === 'refused')).toHaveLength(7);
  });

  it('skips macOS metadata and says so', async () => {
    const a = (await c.ingest([m['macosx'] as string])).archives[0]!;
    const p = byPath(a);
    expect(p['x.log']).toMatchObject({ status: 'loaded', loaded: 3 });
    expect(p['__MACOSX/._x.log']).toMatchObject({ status: 'skipped', records: 0 });
    expect(p['._y.log']).toMatchObject({ status: 'skipped', reason: 'macOS AppleDouble resource fork (._*), not a log' });
  });
});

describe('limits', () => {
  it('refuses a zip bomb entry from its declared sizes, loads the rest', async () => {
    const a = (await c.ingest([m['zip_bomb'] as string], small)).archives[0]!;
    const p = byPath(a);
    expect(p['small.log']).toMatchObject({ status: 'loaded', loaded: 2 });
    expect(p['zeros.log']!.status).toBe('refused');
    expect(p['zeros.log']!.reason).toMatch(/declared expansion \d+ → 41943040 bytes exceeds 250:1/);
  });

  it('stops a gzip bomb while it streams and discards what it had read', async () => {
    const a = (await c.ingest([m['gzip_bomb'] as string], small)).archives[0]!;
    expect(a.members).toHaveLength(1);
    expect(a.members[0]).toMatchObject({ status: 'refused', records: 0, loaded: 0, rejected: 0 });
    expect(a.members[0]!.reason).toMatch(/expands more than 250:1/);
    const n = await c.one<string>(`SELECT count(*) FROM events WHERE archive_sha256 = '${a.sha256}'`);
    expect(n).toBe('0');
  });

  it('does not open archives nested deeper than the limit', async () => {
    const a = (await c.ingest([m['nested'] as string])).archives[0]!;
    const p = byPath(a);
    expect(Object.keys(p).sort()).toEqual([
      'level1.log',
      'level2.zip',
      'level2.zip!/level2.log',
      'level2.zip!/level3.zip',
      'level2.zip!/level3.zip!/level3.log',
      'level2.zip!/level3.zip!/level4.zip',
    ]);
    expect(p['level2.zip']!.status).toBe('container');
    expect(p['level2.zip!/level3.zip!/level3.log']).toMatchObject({ status: 'loaded', loaded: 2 });
    expect(p['level2.zip!/level3.zip!/level4.zip']).toMatchObject({ status: 'skipped', reason: 'zip archive nested deeper than 3 levels; not opened (raise --max-depth)' });
    expect(r0(a)).toBe(6);
  });

  it('stops reading a zip or a tar past the member cap and says so', async () => {
    const dir = path.join(work, 'many');
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 1; i <= 5; i++) fs.writeFileSync(path.join(dir, `m${i}.log`), `Jan 15 10:00:0${i} web-1 sshd[42]: Accepted publickey for u${i} from 10.0.0.${i} port 22 ssh2\n`);
    sh(`cd ${q(dir)} && python3 -c 'import sys, zipfile; z = zipfile.ZipFile("../many.zip", "w"); [z.write(n) for n in sys.argv[1:]]; z.close()' m1.log m2.log m3.log m4.log m5.log && tar -cf ../many.tar m1.log m2.log m3.log m4.log m5.log`);
    const kase = await newCase({ periodStart: '2024-01-01', periodEnd: '2024-03-31' });
    for (const file of ['many.zip', 'many.tar']) {
      const a = (await kase.ingest([path.join(work, file)], { limits: { maxMembers: 3 } })).archives[0]!;
      const p = byPath(a);
      expect(Object.keys(p).sort(), file).toEqual(['*', 'm1.log', 'm2.log', 'm3.log']);
      expect(p['*'], file).toMatchObject({ status: 'refused', records: 0, reason: 'more than 3 members; the rest of this archive was not read (raise --max-members)' });
      expect(r0(a), file).toBe(3);
    }
  });
});

function r0(a: ArchiveReport): number {
  return a.members.reduce((s, x) => s + x.loaded, 0);
}

describe('damaged containers', () => {
  it('keeps the complete lines of a truncated gzip and rejects the cut-off one', async () => {
    const a = (await c.ingest([m['truncated_gzip'] as string])).archives[0]!;
    const complete = m['truncated_gzip_complete_lines'] as number;
    expect(a.members[0]).toMatchObject({ status: 'partial', format: 'jsonl', records: complete + 1, loaded: complete, rejected: 1 });
    expect(a.members[0]!.reason).toMatch(/truncated/);
    const rej = await c.rows<{ line: string; reason: string }>(`SELECT line, reason FROM rejects WHERE archive_sha256 = '${a.sha256}'`);
    expect(rej).toEqual([{ line: String(complete + 1), reason: 'record truncated: the stream ended inside this line (damaged input)' }]);
  });

  it('keeps the members before the damage in a truncated tar', async () => {
    const a = (await c.ingest([m['truncated_tar'] as string])).archives[0]!;
    const p = byPath(a);
    const b = m['truncated_tar_b_complete_lines'] as number;
    expect(p['a.log']).toMatchObject({ status: 'loaded', loaded: 200 });
    expect(p['b.log']).toMatchObject({ status: 'partial', loaded: b, rejected: 1, records: b + 1 });
    expect(p['c.log']).toBeUndefined();
    expect(a.status).toBe('issues');
    expect(a.reason).toMatch(/Unexpected end of data/);
  });

  it('recovers the entries of a zip whose central directory is gone', async () => {
    const a = (await c.ingest([m['truncated_zip'] as string])).archives[0]!;
    const p = byPath(a);
    expect(a.reason).toMatch(/central directory unreadable.*recovered from local headers/);
    expect(p['one.log']).toMatchObject({ status: 'loaded', loaded: 50 });
    expect(p['two.log']).toMatchObject({ status: 'loaded', loaded: 50 });
    expect(p['three.log']!.status).toBe('partial');
    expect(p['three.log']!.loaded).toBeGreaterThan(2000);
    expect(p['three.log']!.rejected).toBe(1);
  });
});

describe('zip entries whose content does not match their CRC-32', () => {
  it('loads what each entry holds and flags it partial, whatever the member is (text log, EVTX)', async () => {
    // An EVTX capture from the corpus (read by path; the zip is built in the temp folder, never kept).
    const evtx = path.join(CORPUS, 'evtx-attack-samples/Privilege Escalation/win10_4703_SeDebugPrivilege_enabled.evtx');
    const evtxRecords = runEvtxOracle([evtx]).get(evtx)!.records.length;
    expect(evtxRecords).toBeGreaterThan(0);
    const zip = path.join(work, 'crc-mismatch.zip');
    // Each entry's CRC-32 is inverted where the zip stores it (local header and central directory); the bytes are intact.
    sh(`python3 - ${q(zip)} ${q(evtx)} <<'PY'
import struct, sys, zipfile
out, evtx = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("auth.log", "".join("Jan 15 10:00:%02d web-1 sshd[42]: Accepted publickey for alice from 10.0.0.%d port 22 ssh2\\n" % (i, i) for i in range(3)))
    z.write(evtx, "security.evtx")
data = open(out, "rb").read()
for info in zipfile.ZipFile(out).infolist():
    good = struct.pack("<I", info.CRC)
    assert data.count(good) == 2, info.filename
    data = data.replace(good, struct.pack("<I", info.CRC ^ 0xFFFFFFFF))
open(out, "wb").write(data)
PY`);
    const p = byPath((await c.ingest([zip])).archives[0]!);
    expect(p['auth.log']).toMatchObject({ format: 'syslog', records: 3, loaded: 3, rejected: 0, status: 'partial' });
    expect(p['security.evtx']).toMatchObject({ format: 'evtx', records: evtxRecords, loaded: evtxRecords, rejected: 0, status: 'partial' });
    for (const name of ['auth.log', 'security.evtx']) expect(p[name]!.reason).toMatch(/^CRC-32 mismatch: the archive says [0-9a-f]+, the content read gives [0-9a-f]+ \(damaged entry\)$/);
  });
});

describe('encodings and malformed records', () => {
  it('reads UTF-16 LE and BE with a BOM, refuses UTF-32', async () => {
    const r = await c.ingest([m['utf16le'] as string, m['utf16be'] as string, m['utf32'] as string]);
    expect(r.archives[0]!.members[0]).toMatchObject({ status: 'loaded', loaded: 4, format: 'syslog' });
    expect(r.archives[1]!.members[0]).toMatchObject({ status: 'loaded', loaded: 4, format: 'syslog' });
    expect(r.archives[2]!.members[0]).toMatchObject({ status: 'unsupported', records: 0, reason: 'text in UTF-32LE is not read (UTF-8 or UTF-16 with BOM only)' });
    const users = await c.rows<{ actor_user: string; host: string }>(
      `SELECT DISTINCT actor_user, host FROM events WHERE archive_sha256 IN ('${r.archives[0]!.sha256}', '${r.archives[1]!.sha256}')`,
    );
    expect(users).toEqual([{ actor_user: 'alice', host: 'web-1' }]);
  });

  it('accounts for every line of a file mixing good and malformed records', async () => {
    const r = await c.ingest([m['mixed'] as string], { limits: { maxRecordBytes: 2048 } });
    const a = r.archives[0]!;
    expect(a.members[0]).toMatchObject({ format: 'jsonl', records: 10, loaded: 3, rejected: 7, status: 'rejects' });
    const rej = await c.rows<{ line: string; byte_offset: string; reason: string }>(
      `SELECT line, byte_offset, reason FROM rejects WHERE archive_sha256 = '${a.sha256}' ORDER BY line`,
    );
    expect(rej.map((x) => [x.line, x.reason])).toEqual([
      ['2', 'invalid JSON'],
      ['4', 'invalid UTF-8: the record is not UTF-8 text (raw bytes kept)'],
      ['5', 'contains NUL (0x00) bytes: damaged or binary data'],
      ['6', 'not a JSON object'],
      ['7', 'unparseable or missing timestamp: "not a time"'],
      ['8', 'time field "time" missing or null'],
      ['10', 'line longer than the 2.0 KiB record limit (first 3.0 KiB kept)'],
    ]);
    // The raw bytes of the invalid UTF-8 line are kept exactly.
    const raw = await c.one<string>(`SELECT hex(raw) FROM rejects WHERE archive_sha256 = '${a.sha256}' AND line = 4`);
    const file = fs.readFileSync(m['mixed'] as string);
    const lines = file.toString('latin1').split('\r\n');
    expect(Buffer.from(raw, 'hex').toString('latin1')).toBe(lines[3]);
    // Byte offsets point at each line in the file (CRLF line ends).
    for (const x of rej) {
      const off = Number(x.byte_offset);
      const line = lines[Number(x.line) - 1]!;
      expect(file.subarray(off, off + line.length).toString('latin1')).toBe(line);
    }
    const ev = await c.rows<{ line: string; time: string; actor_user: string; raw: string }>(`SELECT line, time, actor_user, raw FROM events WHERE archive_sha256 = '${a.sha256}' ORDER BY line`);
    expect(ev.map((e) => [e.line, e.time, e.actor_user])).toEqual([
      ['1', '2024-01-15T10:00:00Z', 'alice'],
      ['3', '2024-01-15T10:00:02Z', 'café'],
      ['11', '2024-01-15T08:00:10Z', 'gina'],
    ]);
    expect(ev[2]!.raw).toBe(lines[10]);
  });

  it('adds nothing when the same archive is imported again', async () => {
    const before = await c.one<string>('SELECT count(*) FROM events');
    const r = await c.ingest([m['zip_slip'] as string]);
    expect(r.archives[0]!.status).toBe('already-loaded');
    expect(r.archives[0]!.members).toEqual([]);
    expect(r.totals).toEqual({ records: 0, loaded: 0, rejected: 0 });
    expect(await c.one<string>('SELECT count(*) FROM events')).toBe(before);
    expect(await c.one<string>(`SELECT count(*) FROM archives WHERE path = '${m['zip_slip']}'`)).toBe('1');
  });

  it('wrote nothing outside the case folder', () => {
    const inputs = path.dirname(m['zip_slip'] as string);
    for (const p of [
      path.resolve(inputs, '..', 'evil.log'),
      path.resolve(inputs, '../..', 'evil.log'),
      path.resolve(inputs, '../../..', 'evil2.log'),
      path.resolve(c.dir, '..', 'evil.log'),
      path.resolve(c.dir, '../..', 'evil.log'),
      path.resolve(c.dir, '..', 'escape.log'),
      path.resolve(process.cwd(), '..', 'escape.log'),
      '/abs-evil.log',
      '/abs-tar.log',
    ]) {
      expect(fs.existsSync(p), p).toBe(false);
    }
    expect(fs.readdirSync(inputs).sort()).toEqual(
      ['bomb.log.gz', 'bomb.zip', 'hostile.tar', 'level1.zip', 'macosx.zip', 'mixed.jsonl', 'truncated.jsonl.gz', 'truncated.tar', 'truncated.zip', 'utf16be.log', 'utf16le.log', 'utf32.log', 'zip_links.zip', 'zip_slip.zip'],
    );
    // Inside the case: metadata, the database and content-addressed copies only; tmp emptied.
    for (const f of listTree(c.dir)) {
      expect(f, f).toMatch(/^(case\.json|case\.duckdb(\.wal)?|evidence\/blobs\/[0-9a-f]{2}\/[0-9a-f]{64})$/);
    }
  });
});

describe('interrupted and concurrent imports', () => {
  const bin = path.join(REPO, 'bin/ewb.mjs');

  function bigJsonl(file: string, n: number): void {
    const fd = fs.openSync(file, 'w');
    let buf = '';
    for (let i = 0; i < n; i++) {
      buf += `{"time":"2024-02-01T${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z","user":"user${i % 97}","action":"read","seq":${i},"pad":"${'p'.repeat(60)}"}\n`;
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
    fs.closeSync(fd);
  }

  /** Starts `ewb ingest` and resolves once it has framed at least `minRecords` records. */
  function startIngest(caseDir: string, input: string, minRecords: number, env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [bin, 'ingest', caseDir, input, '--progress', 'jsonl', '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const reached = new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        for (const line of err.split('\n')) {
          if (!line.startsWith('{')) continue;
          try {
            const p = JSON.parse(line) as { records: number; phase: string };
            if (p.phase === 'read' && p.records >= minRecords) resolve();
          } catch {
            /* partial line */
          }
        }
      });
      child.on('exit', () => reject(new Error(`ingest ended before ${minRecords} records: ${err.slice(-500)}`)));
    });
    const done = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
    return { child, reached, done };
  }

  it('leaves the case as it was when killed mid-import, and a rerun completes it', async () => {
    const k = await newCase({ periodStart: '2024-01-01', periodEnd: '2024-03-31' });
    const input = path.join(work, 'big.jsonl');
    const N = 400_000;
    bigJsonl(input, N);
    // Small batches so that DuckDB has already inserted rows (uncommitted) when the process dies.
    const run = startIngest(k.dir, input, 150_000, { EWB_FLUSH_BYTES: String(2 * 1024 * 1024) });
    await run.reached;
    run.child.kill('SIGKILL');
    expect(await run.done).toBe(128);
    expect(fs.existsSync(path.join(k.dir, '.ewb-lock'))).toBe(true); // left behind by the dead process
    expect(await k.rows('SELECT * FROM archives')).toEqual([]);
    expect(await k.one<string>('SELECT count(*) FROM events')).toBe('0');
    expect(await k.one<string>('SELECT count(*) FROM members')).toBe('0');
    const r = await k.ingest([input]);
    expect(r.archives[0]!.status).toBe('loaded');
    expect(r.totals).toEqual({ records: N, loaded: N, rejected: 0 });
    expect(await k.one<string>('SELECT count(DISTINCT event_id) FROM events')).toBe(String(N));
    expect(await k.one<string>('SELECT count(*) FROM archives')).toBe('1');
    expect(fs.existsSync(path.join(k.dir, '.ewb-lock'))).toBe(false);
  }, 180_000);

  it('refuses a second writer and names the one holding the case', async () => {
    const k = await newCase({ periodStart: '2024-01-01', periodEnd: '2024-03-31' });
    const input = path.join(work, 'big2.jsonl');
    bigJsonl(input, 200_000);
    const run = startIngest(k.dir, input, 1, { EWB_FLUSH_BYTES: String(2 * 1024 * 1024) });
    await run.reached;
    const api = createApi();
    const err = await api.invoke('ingest.run', { dir: k.dir, paths: [m['utf16le'] as string] }).then(
      () => null,
      (e: Error & { code: string }) => e,
    );
    expect(err?.code).toBe('locked');
    expect(err?.message).toMatch(new RegExp(`is being written by pid ${run.child.pid} \\(ewb ingest .*big2\\.jsonl, started 20\\d\\d-`));
    expect(await run.done).toBe(0);
    expect(await k.one<string>('SELECT count(*) FROM events')).toBe('200000');
  }, 180_000);

  it('takes over a lock left by a process that no longer exists', async () => {
    const k = await newCase({ periodStart: '2024-01-01', periodEnd: '2024-03-31' });
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    fs.writeFileSync(path.join(k.dir, '.ewb-lock'), JSON.stringify({ pid: dead.pid, host: (await import('node:os')).hostname(), command: 'ewb ingest x', startedAt: '2024-01-01T00:00:00Z' }));
    const r = await k.ingest([m['utf16be'] as string]);
    expect(r.archives[0]!.status).toBe('loaded');
    expect(fs.existsSync(path.join(k.dir, '.ewb-lock'))).toBe(false);
  });
});
