/**
 * `ewb`: the command line over the engine. Every command builds a contract request and goes through the same API the
 * desktop app uses. Exit status: 0 success, 1 failure (nothing committed), 2 usage error, 3 ingest committed with
 * issues (rejects, partial, skipped, refused or unsupported members; all in the report). Layer: cli.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { createApi, toApiError } from '../engine/api.js';
import type { ProgressEvent } from '../../shared/contract.js';
import { ingestExitCode } from '../../shared/ingest.js';
import { PACKS, type Pack } from '../../shared/queries.js';
import { FORMATS } from '../engine/formats/registry.js';
import { TOOL_VERSION } from '../engine/version.js';
import { caseInfoText, csvOf, digestText, formatBytes, ingestText, queryListText, queryShowText, runAllText, tableOf, verifyText } from './output.js';

const api = createApi();

function int(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

function print(s: string): void {
  process.stdout.write(s);
}

function progressRenderer(mode: string | undefined): ((p: ProgressEvent) => void) | undefined {
  if (mode === 'jsonl') return (p) => process.stderr.write(JSON.stringify(p) + '\n');
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    { format: '{phase} {archive} | {bytes} | {members} members | {records} records | {rate}/s', hideCursor: true, clearOnComplete: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return (p) => {
    const payload = {
      phase: p.phase.padEnd(6),
      archive: p.archive.length > 40 ? '…' + p.archive.slice(-39) : p.archive,
      bytes: formatBytes(p.bytesRead),
      members: p.members.toLocaleString('en-US'),
      records: p.records.toLocaleString('en-US'),
      rate: p.elapsedMs > 0 ? Math.round((p.records * 1000) / p.elapsedMs).toLocaleString('en-US') : '0',
    };
    if (!started) {
      bar.start(1, 0, payload);
      started = true;
    }
    bar.update(0, payload);
    if (p.phase === 'done') {
      bar.stop();
      started = false;
    }
  };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program.name('ewb').description('Evidence Workbench: load exported log archives into a case, query them, keep the books.').version(TOOL_VERSION);
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let exit = 0;

  const kase = program.command('case').description('create and inspect cases');
  kase
    .command('create <dir>')
    .description('create a case folder')
    .requiredOption('--name <text>', 'engagement or investigation name')
    .requiredOption('--org <text>', 'organisation audited')
    .requiredOption('--period-start <date>', 'first day of the audit period (YYYY-MM-DD)')
    .requiredOption('--period-end <date>', 'last day of the audit period (YYYY-MM-DD)')
    .option('--timezone <iana>', 'time zone for log lines without an offset', 'UTC')
    .option('--json', 'print the case summary as JSON')
    .action(async (dir: string, o: { name: string; org: string; periodStart: string; periodEnd: string; timezone: string; json?: boolean }) => {
      const info = await api.invoke('case.create', { dir, name: o.name, org: o.org, periodStart: o.periodStart, periodEnd: o.periodEnd, timezone: o.timezone });
      print(o.json ? JSON.stringify(info, null, 2) + '\n' : `created case "${info.meta.name}" in ${info.dir}\n`);
    });
  kase
    .command('info <dir>')
    .description('archives, per-source counts, time range and rejects of a case')
    .option('--json', 'print as JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const info = await api.invoke('case.info', { dir });
      print(o.json ? JSON.stringify(info, null, 2) + '\n' : caseInfoText(info));
    });
  kase
    .command('verify <dir>')
    .description('re-hash every stored copy and referenced input and compare with the recorded SHA-256')
    .option('--json', 'print as JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const v = await api.invoke('case.verify', { dir });
      print(o.json ? JSON.stringify(v, null, 2) + '\n' : verifyText(v));
      if (!v.ok) exit = 1;
    });

  program
    .command('ingest <case> <paths...>')
    .description('load files, folders and archives (zip, tar, tar.gz, gz, nested) into a case')
    .option('--format <name>', 'force a format instead of sniffing (see "ewb formats")')
    .option('--reference', 'keep only path and hash of each input, no copy in the evidence store')
    .option('--map <file>', 'mapping file naming the time field (and others) of generic inputs')
    .option('--reimport', 'replace an archive that is already loaded (same hash), e.g. after raising a limit')
    .option('--json', 'print the report as JSON on stdout')
    .addOption(new Option('--progress <mode>', 'machine-readable progress on stderr').choices(['jsonl']))
    .option('--max-ratio <n>', 'largest accepted expansion ratio of a compressed member', int('--max-ratio'))
    .option('--max-total-bytes <n>', 'largest total of decompressed bytes per input', int('--max-total-bytes'))
    .option('--max-members <n>', 'most members per input', int('--max-members'))
    .option('--max-depth <n>', 'deepest archive nesting followed (the input is level 1)', int('--max-depth'))
    .option('--max-record-bytes <n>', 'largest single record', int('--max-record-bytes'))
    .action(async (dir: string, paths: string[], o: Record<string, unknown>) => {
      const limits: Record<string, number> = {};
      for (const [flag, key] of [
        ['maxRatio', 'maxRatio'],
        ['maxTotalBytes', 'maxTotalBytes'],
        ['maxMembers', 'maxMembers'],
        ['maxDepth', 'maxDepth'],
        ['maxRecordBytes', 'maxRecordBytes'],
      ] as const) {
        if (o[flag] !== undefined) limits[key] = o[flag] as number;
      }
      const report = await api.invoke(
        'ingest.run',
        {
          dir,
          paths,
          format: o['format'] as string | undefined,
          reference: Boolean(o['reference']),
          mapFile: o['map'] as string | undefined,
          reimport: Boolean(o['reimport']),
          limits: limits as never,
        },
        { onProgress: progressRenderer(o['progress'] as string | undefined) },
      );
      print(o['json'] ? JSON.stringify(report, null, 2) + '\n' : ingestText(report));
      exit = ingestExitCode(report);
    });

  program
    .command('sql <case> <query>')
    .description('run a read-only query on a case (tables: events, rejects, members, archives, ingests, cloudtrail_digests)')
    .option('--json', 'rows as JSON')
    .option('--csv', 'rows as CSV')
    .option('--max-rows <n>', 'most rows returned', int('--max-rows'), 100_000)
    .action(async (dir: string, query: string, o: { json?: boolean; csv?: boolean; maxRows: number }) => {
      const r = await api.invoke('sql.run', { dir, sql: query, maxRows: o.maxRows });
      if (o.json) print(JSON.stringify({ columns: r.columns, types: r.types, rows: r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))), truncated: r.truncated }, null, 2) + '\n');
      else if (o.csv) print(csvOf(r));
      else print(tableOf(r));
    });

  program
    .command('export <case>')
    .description('export events as Hive-partitioned Parquet (source_family, event_date)')
    .requiredOption('--parquet <dir>', 'output folder (new or empty)')
    .option('--json', 'print the export report as JSON')
    .action(async (dir: string, o: { parquet: string; json?: boolean }) => {
      const r = await api.invoke('export.parquet', { dir, out: o.parquet });
      print(o.json ? JSON.stringify(r, null, 2) + '\n' : `exported ${r.rows.toLocaleString('en-US')} events into ${r.files} Parquet files under ${r.out} (${r.partitions.length} partitions)\n`);
    });

  const query = program.command('query').description('the canned query library: privileged activity, logging gaps, coverage');
  query
    .command('list')
    .description('list canned queries')
    .addOption(new Option('--pack <pack>', 'only this pack').choices(PACKS))
    .option('--family <family>', 'only queries for this source family (e.g. aws_cloudtrail, windows, linux)')
    .option('--control <id>', 'only queries citing this control (e.g. 10.2.1.6, CC7.2, A.8.15, AU-9)')
    .option('--json', 'print as JSON')
    .action(async (o: { pack?: Pack; family?: string; control?: string; json?: boolean }) => {
      const list = await api.invoke('query.list', { pack: o.pack, family: o.family, control: o.control });
      print(o.json ? JSON.stringify(list, null, 2) + '\n' : queryListText(list));
    });
  query
    .command('show <id>')
    .description('a query\'s metadata and SQL')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const q = await api.invoke('query.show', { id });
      print(o.json ? JSON.stringify(q, null, 2) + '\n' : queryShowText(q));
    });
  const collect = (v: string, acc: string[]) => [...acc, v];
  query
    .command('run <case> <id>')
    .description('run one canned query; the run (SQL, parameters, rows) is kept in the case')
    .option('--param <k=v>', 'parameter value (repeatable)', collect, [] as string[])
    .option('--json', 'rows as JSON')
    .option('--csv', 'rows as CSV')
    .action(async (dir: string, id: string, o: { param: string[]; json?: boolean; csv?: boolean }) => {
      const params: Record<string, string> = {};
      for (const kv of o.param) {
        const i = kv.indexOf('=');
        if (i <= 0) throw new InvalidArgumentError(`--param takes name=value, got "${kv}"`);
        params[kv.slice(0, i)] = kv.slice(i + 1);
      }
      const r = await api.invoke('query.run', { dir, id, params });
      const table = { columns: r.columns, types: [], rows: r.rows, rowCount: r.rowCount, truncated: r.rows.length < r.rowCount };
      if (o.json) print(JSON.stringify({ ...r, rows: r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))) }, null, 2) + '\n');
      else if (o.csv) print(csvOf(table));
      else print(`run ${r.runId}: ${r.queryId} v${r.queryVersion} (sql sha256 ${r.sqlSha256.slice(0, 12)}…), params ${JSON.stringify(r.params)}\n` + tableOf(table));
    });
  query
    .command('run-all <case>')
    .description('run every canned query (or the packs given) and summarise per control')
    .addOption(new Option('--pack <pack>', 'pack to run (repeatable)').choices(PACKS).argParser(collect).default([]))
    .option('--json', 'print as JSON')
    .action(async (dir: string, o: { pack: Pack[]; json?: boolean }) => {
      const r = await api.invoke('query.runAll', { dir, packs: o.pack });
      print(o.json ? JSON.stringify(r, null, 2) + '\n' : runAllText(r));
    });
  query
    .command('runs <case>')
    .description('the query runs kept in a case')
    .option('--json', 'print as JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const runs = await api.invoke('query.runs', { dir });
      print(o.json ? JSON.stringify(runs, null, 2) + '\n' : runs.map((r) => `${String(r.runId).padStart(5)}  ${r.startedAt}  ${r.queryId} v${r.queryVersion}  ${r.rowCount} rows${r.batchId ? `  (batch ${r.batchId})` : ''}`).join('\n') + '\n');
    });
  query
    .command('result <case> <run-id>')
    .description('the rows a stored run returned')
    .option('--json', 'print as JSON')
    .option('--csv', 'rows as CSV')
    .action(async (dir: string, runId: string, o: { json?: boolean; csv?: boolean }) => {
      const r = await api.invoke('query.result', { dir, runId: Number(runId) });
      const table = { columns: r.columns, types: [], rows: r.rows, rowCount: r.rowCount, truncated: r.rows.length < r.rowCount };
      print(o.json ? JSON.stringify(r, null, 2) + '\n' : o.csv ? csvOf(table) : tableOf(table));
    });

  program
    .command('cloudtrail')
    .description('AWS CloudTrail tools')
    .command('verify-digests <case>')
    .description('offline log-file integrity check from the digest files in the case')
    .option('--public-keys <file>', 'output of "aws cloudtrail list-public-keys" (JSON) to check digest signatures')
    .option('--json', 'print as JSON')
    .action(async (dir: string, o: { publicKeys?: string; json?: boolean }) => {
      const r = await api.invoke('cloudtrail.verifyDigests', { dir, publicKeysFile: o.publicKeys });
      print(o.json ? JSON.stringify(r, null, 2) + '\n' : digestText(r));
      const t = r.totals;
      if (t.mismatched > 0 || t.missing > 0 || r.digests.some((d) => d.chain === 'mismatch' || d.signature === 'invalid')) exit = 3;
    });

  program
    .command('formats')
    .description('list the formats the workbench reads')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) => {
      const list = FORMATS.map((f) => ({ name: f.name, family: f.family, description: f.description }));
      print(o.json ? JSON.stringify(list, null, 2) + '\n' : list.map((f) => `${f.name.padEnd(18)} ${f.family.padEnd(16)} ${f.description}`).join('\n') + '\n');
    });

  try {
    await program.parseAsync(argv);
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    const err = toApiError(e);
    process.stderr.write(`ewb: ${err.message}\n`);
    return err.code === 'invalid-input' ? 2 : 1;
  }
}

process.exitCode = await main(process.argv);
