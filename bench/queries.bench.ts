/**
 * Query benchmark: the whole canned query library over a generated case of N events (default 10M), timed two ways
 * in one run: (a) the same SQL texts run directly on DuckDB (parameters bound, results read), and (b) `ewb query
 * run-all`, which also stores every run and row in the case. Prints a Markdown row for BENCHMARKS.md.
 *
 *   node --import tsx bench/queries.bench.ts [--events 10000000]
 *
 * The case is generated in SQL (no ingest): a mix of CloudTrail (JSON raw), Windows (EventData map) and Linux
 * (syslog line) events over 90 days, laid out as ingest writes them (grouped by family, event code and activity),
 * with console sign-ins at 1 in 500, other privileged events at about 1 in 1,000 and tamper events at a few per
 * source, so queries return rows.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const args = process.argv.slice(2);
const arg = (k: string, d: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1]! : d;
};
const N = Number(arg('events', '10000000'));
const work = path.join(repo, 'bench/work/queries');
const caseDir = path.join(work, `case-${N}`);
const bin = path.join(repo, 'bin/ewb.mjs');

function ewb(...a: string[]): { code: number; out: string; err: string; ms: number } {
  const t = Date.now();
  const r = spawnSync(process.execPath, [bin, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status ?? 1, out: r.stdout, err: r.stderr, ms: Date.now() - t };
}

async function buildCase(): Promise<void> {
  if (fs.existsSync(path.join(caseDir, '.generated'))) return;
  fs.rmSync(caseDir, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const c = ewb('case', 'create', caseDir, '--name', 'Query benchmark', '--org', 'Bench', '--period-start', '2024-01-01', '--period-end', '2024-03-31');
  if (c.code !== 0) throw new Error(c.err);
  const t = Date.now();
  const db = await DuckDBInstance.create(path.join(caseDir, 'case.duckdb'));
  const con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  // Deterministic pseudo-random columns from the row number (hash), so runs are comparable.
  await con.run(`
INSERT INTO events BY NAME
WITH g AS (
  -- As ingest lays rows out: one source after another (members are single-format files), each in time order over
  -- the 90 days: 50% CloudTrail, 30% Windows, 20% Linux.
  SELECT i, hash(i) AS h, hash(i * 7919) AS h2,
         CASE WHEN i < ${N} * 5 // 10 THEN 0 WHEN i < ${N} * 8 // 10 THEN 5 ELSE 8 END AS fam,
         CASE WHEN i < ${N} * 5 // 10 THEN 0 WHEN i < ${N} * 8 // 10 THEN ${N} * 5 // 10 ELSE ${N} * 8 // 10 END AS fam_start,
         CASE WHEN i < ${N} * 5 // 10 THEN ${N} * 5 // 10 WHEN i < ${N} * 8 // 10 THEN ${N} * 3 // 10 ELSE ${N} - ${N} * 8 // 10 END AS fam_n
  FROM range(${N}) t(i)
),
timed AS (
  SELECT *, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_microseconds(((i - fam_start)::HUGEINT * 7776000000000 // fam_n)::BIGINT) AS time FROM g
),
generated AS (
SELECT
  'bench' || (i // 1000000)::VARCHAR || '-' || i::VARCHAR AS event_id,
  time, time::VARCHAR AS time_raw,
  CASE WHEN fam = 0 THEN 'aws_cloudtrail' WHEN fam = 5 THEN 'windows' ELSE 'linux' END AS source_family,
  CASE WHEN fam = 0 THEN 'cloudtrail' WHEN fam = 5 THEN 'evtx' ELSE 'syslog_rfc3164' END AS source_format,
  CASE WHEN fam = 0 THEN (['GetObject','PutObject','DescribeInstances','AssumeRole','Decrypt','ListUsers','CreateUser','AttachUserPolicy','StopLogging','AuthorizeSecurityGroupIngress','ConsoleLogin'])[1 + (CASE WHEN h2 % 500 = 7 THEN 10 WHEN h2 % 100000 < 99900 THEN h2 % 6 WHEN (h2 // 7) % 1000 < 600 THEN 6 WHEN (h2 // 7) % 1000 < 900 THEN 7 WHEN (h2 // 7) % 1000 < 999 THEN 9 ELSE 8 END)::INTEGER]
       WHEN fam = 5 THEN 'event_' || (['4624','4634','4688','4672','4625','4720','4732','1102','4719','7045'])[1 + (CASE WHEN h2 % 100000 < 99900 THEN h2 % 5 WHEN (h2 // 7) % 1000 < 600 THEN 5 WHEN (h2 // 7) % 1000 < 900 THEN 6 WHEN (h2 // 7) % 1000 < 998 THEN 9 WHEN (h2 // 7) % 1000 < 999 THEN 7 ELSE 8 END)::INTEGER]
       ELSE (['session_opened','session_closed','ssh_login','sudo','su','user_created'])[1 + (CASE WHEN h2 % 20000 = 3 THEN 5 ELSE h2 % 5 END)::INTEGER] END AS activity,
  CASE WHEN fam = 5 THEN (['4624','4634','4688','4672','4625','4720','4732','1102','4719','7045'])[1 + (CASE WHEN h2 % 100000 < 99900 THEN h2 % 5 WHEN (h2 // 7) % 1000 < 600 THEN 5 WHEN (h2 // 7) % 1000 < 900 THEN 6 WHEN (h2 // 7) % 1000 < 998 THEN 9 WHEN (h2 // 7) % 1000 < 999 THEN 7 ELSE 8 END)::INTEGER] END AS event_code,
  CASE WHEN fam = 0 THEN 'api_call' WHEN fam = 8 THEN 'authentication' END AS category,
  CASE WHEN fam = 0 THEN (['s3.amazonaws.com','ec2.amazonaws.com','sts.amazonaws.com','signin.amazonaws.com','iam.amazonaws.com','cloudtrail.amazonaws.com'])[1 + (h2 % 6)::INTEGER]
       WHEN fam = 5 THEN CASE WHEN h2 % 5 = 4 THEN 'System' ELSE 'Security' END ELSE (['sshd','sudo','su','CRON'])[1 + (h2 % 4)::INTEGER] END AS service,
  CASE WHEN h2 % 50 = 0 THEN 'failure' ELSE 'success' END AS status,
  CASE WHEN h2 % 50 = 0 THEN 'AccessDenied' END AS error_code,
  CASE WHEN h2 % 997 = 0 THEN 'root' ELSE 'user' || (h2 % 500)::VARCHAR END AS actor_user,
  CASE WHEN fam = 0 THEN CASE WHEN h2 % 997 = 0 THEN 'Root' ELSE 'IAMUser' END END AS actor_type,
  '10.' || (h % 250)::VARCHAR || '.' || (h2 % 250)::VARCHAR || '.1' AS src_ip,
  CASE WHEN fam >= 5 THEN 'host-' || (h % 40)::VARCHAR END AS host,
  CASE WHEN fam = 0 THEN '1111222233' || (h % 3)::VARCHAR END AS cloud_account,
  CASE WHEN fam = 0 THEN (['us-east-1','eu-west-1','eu-central-1'])[1 + (h2 % 3)::INTEGER] END AS region,
  'target' || (h2 % 100)::VARCHAR AS target,
  CASE WHEN fam = 5 THEN '0' END AS record_id,
  CASE WHEN fam = 5 THEN MAP {'SubjectUserName': 'user' || (h2 % 500)::VARCHAR, 'SubjectUserSid': 'S-1-5-21-1-' || (h2 % 500)::VARCHAR, 'TargetUserName': 'target' || (h2 % 100)::VARCHAR, 'LogonType': (h2 % 11)::VARCHAR, 'IpAddress': '10.0.0.1'}
       WHEN fam = 8 THEN MAP {'pid': (h2 % 30000)::VARCHAR, 'message': 'message ' || (h2 % 1000)::VARCHAR} END AS fields,
  repeat('a', 64) AS archive_sha256, (i // 100000)::INTEGER AS member_id, 'bench/member-' || (i // 100000)::VARCHAR AS member_path,
  (i % 100000 + 1)::BIGINT AS record_index, NULL::BIGINT AS line, NULL::BIGINT AS byte_offset, 1 AS ingest_id,
  CASE WHEN fam = 0 THEN '{"eventVersion":"1.08","eventTime":"' || strftime(time, '%Y-%m-%dT%H:%M:%SZ') || '","userIdentity":{"type":"IAMUser","userName":"user' || (h2 % 500)::VARCHAR || '"},"requestParameters":{"bucketName":"b' || (h2 % 50)::VARCHAR || '"},"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"' || CASE WHEN h2 % 3 = 0 THEN 'No' ELSE 'Yes' END || '"}}'
       WHEN fam = 5 THEN '<Event><System><EventID>' || (h2 % 5000)::VARCHAR || '</EventID></System></Event>'
       ELSE 'Jan  1 00:00:00 host sshd[1]: message ' || (h2 % 1000)::VARCHAR END AS raw
FROM timed
)
-- Windows record ids run on per computer and channel, as a real log does, with one hole of 25 records on host-7.
SELECT * REPLACE (CASE WHEN record_id IS NOT NULL THEN (row_number() OVER (PARTITION BY host, service, record_id IS NULL ORDER BY time, event_id)
  + CASE WHEN host = 'host-7' AND time > TIMESTAMPTZ '2024-02-15 00:00:00+00' THEN 25 ELSE 0 END)::VARCHAR END AS record_id),
  ewb_stream(source_family, cloud_account, region, host, service) AS stream
FROM generated
-- The order ewb ingest writes rows in (loader.ts eventInsert): by family, event code, activity, then time.
ORDER BY source_family, event_code NULLS FIRST, activity NULLS FIRST, time, member_id, record_index`);
  // The per-minute summary ingest writes in the same transaction as the events.
  const { eventBucketsInsert } = await import('../out/node/electron/engine/db/schema.js');
  await con.run(eventBucketsInsert('a'.repeat(64)));
  con.closeSync();
  db.closeSync();
  fs.writeFileSync(path.join(caseDir, '.generated'), `${N} events in ${Date.now() - t} ms\n`);
}

async function direct(): Promise<{ ms: number; rows: number; slowest: Array<[string, number, number]> }> {
  // The same SQL texts, parameters bound the same way, results read back: what DuckDB alone costs.
  const { loadLibrary } = await import('../out/node/electron/engine/queries/catalog.js');
  const { bindings } = await import('../out/node/electron/engine/queries/runner.js');
  const meta = JSON.parse(fs.readFileSync(path.join(caseDir, 'case.json'), 'utf8'));
  const db = await DuckDBInstance.create(path.join(caseDir, 'case.duckdb'), { access_mode: 'READ_ONLY' });
  const con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  const t = Date.now();
  let rows = 0;
  const each: Array<[string, number, number]> = [];
  for (const q of loadLibrary()) {
    const b = bindings(q, meta, {});
    const tq = Date.now();
    const ps = await con.prepare(q.sql);
    ps.bind(b.values, b.types);
    const r = await ps.runAndReadAll();
    rows += r.currentRowCount;
    each.push([q.id, Date.now() - tq, r.currentRowCount]);
    ps.destroySync();
  }
  const ms = Date.now() - t;
  con.closeSync();
  db.closeSync();
  return { ms, rows, slowest: each.sort((a, b) => b[1] - a[1]).slice(0, 10) };
}

function machine(): string {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1]?.trim() ?? 'unknown CPU';
  return `${cpu.split(' ').slice(0, 2).join(' ')}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM`;
}

await buildCase();
{
  // A reused case may predate a macro the library now reads: refresh the schema as every ewb writer does on open.
  const { ensureSchema, openDb } = await import('../out/node/electron/engine/db/database.js');
  const db = await openDb(path.join(caseDir, 'case.duckdb'));
  await ensureSchema(db.con);
  db.close();
}
const d = await direct();
const e = ewb('query', 'run-all', caseDir, '--json');
if (e.code !== 0) throw new Error(e.err);
const report = JSON.parse(e.out) as { runs: Array<{ rowCount: number; queryId: string }> };
const ewbRows = report.runs.reduce((a, r) => a + r.rowCount, 0);
console.log(`queries: ${report.runs.length}; rows direct ${d.rows}, ewb ${ewbRows}`);
console.log(`slowest (direct): ${d.slowest.map(([id, ms, n]) => `${id} ${ms} ms (${n} rows)`).join('; ')}`);
console.log('| date | machine | events | queries | direct SQL s | ewb run-all s | ratio |');
console.log('|---|---|---|---|---|---|---|');
console.log(`| ${new Date().toISOString().slice(0, 10)} | ${machine()} | ${N.toLocaleString('en-US')} | ${report.runs.length} | ${(d.ms / 1000).toFixed(2)} | ${(e.ms / 1000).toFixed(2)} | ${(e.ms / d.ms).toFixed(2)}× |`);
// The generated case stays under bench/work (ignored by git) for reruns; delete that folder to regenerate it.
