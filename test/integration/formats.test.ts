/**
 * Format variants of the ingest spine beyond the corpus: CloudTrail console CSV and digest files, forwarder
 * wrappers, generic JSON arrays, TSV, Parquet and `--map`, folder inputs, re-import, and one large JSON document.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { newCase, tmpDir } from '../support/tmp-case.js';

let work: string;
beforeAll(() => {
  work = tmpDir();
});

const ct = (i: number, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  eventTime: `2024-02-01T10:00:${String(i % 60).padStart(2, '0')}Z`,
  eventSource: 'ec2.amazonaws.com',
  eventName: 'DescribeInstances',
  awsRegion: 'eu-west-1',
  sourceIPAddress: `192.0.2.${i % 250}`,
  userAgent: 'aws-cli/2.15',
  userIdentity: { type: 'IAMUser', userName: `user${i % 7}`, arn: `arn:aws:iam::111122223333:user/user${i % 7}`, accountId: '111122223333' },
  eventID: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
  recipientAccountId: '111122223333',
  ...extra,
});

describe('CloudTrail variants', () => {
  it('reads the console Event history CSV download', async () => {
    const header = 'Event ID,Event time,User name,Event name,Resource type,Resource name,AWS access key,Event source,AWS region,Error code,Source IP address,Read-only';
    const rows = [
      'a1,2024-02-01T10:00:00Z,alice,ConsoleLogin,,,,signin.amazonaws.com,us-east-1,,198.51.100.1,false',
      'a2,2024-02-01T10:05:00Z,alice,CreateUser,AWS::IAM::User,"bob, the builder",AKIAEXAMPLE,iam.amazonaws.com,us-east-1,AccessDenied,198.51.100.1,false',
      'a3,2024-02-01T10:06:00Z,root,StopLogging,AWS::CloudTrail::Trail,main-trail,,cloudtrail.amazonaws.com,us-east-1,,198.51.100.2',
    ];
    const file = path.join(work, 'event_history.csv');
    fs.writeFileSync(file, [header, ...rows].join('\r\n') + '\r\n');
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'cloudtrail_csv', records: 3, loaded: 2, rejected: 1 });
    const ev = await c.rows<Record<string, unknown>>(`SELECT activity, actor_user, status, error_code, target, category, fields['Event ID'] AS id FROM events ORDER BY time`);
    expect(ev).toEqual([
      { activity: 'ConsoleLogin', actor_user: 'alice', status: 'success', error_code: null, target: null, category: 'authentication', id: 'a1' },
      { activity: 'CreateUser', actor_user: 'alice', status: 'failure', error_code: 'AccessDenied', target: 'bob, the builder', category: 'iam', id: 'a2' },
    ]);
    expect(await c.rows(`SELECT line, reason FROM rejects`)).toEqual([{ line: '4', reason: 'wrong column count: expected 12 fields (header), found 11' }]);
  });

  it('reads the event JSON of the download\'s "CloudTrail event" column, and categorises as the JSON formats do', async () => {
    const header = 'Event ID,Event time,User name,Event name,Event source,AWS region,Error code,Source IP address,CloudTrail event';
    const csvCell = (o: unknown) => `"${JSON.stringify(o).replaceAll('"', '""')}"`;
    const rows = [
      [
        'b1,2024-02-01T11:00:00Z,,ConsoleLogin,signin.amazonaws.com,us-east-1,,203.0.113.9',
        csvCell({ eventTime: '2024-02-01T11:00:00Z', userIdentity: { type: 'Root', accountId: '111122223333' }, userAgent: 'Mozilla/5.0', responseElements: { ConsoleLogin: 'Failure' }, recipientAccountId: '111122223333' }),
      ],
      [
        'b2,2024-02-01T11:01:00Z,alice,BatchImportFindings,securityhub.amazonaws.com,,,',
        csvCell({ userIdentity: { type: 'IAMUser', accountId: '111122223333' }, sourceIPAddress: '198.51.100.7', awsRegion: 'eu-west-1' }),
      ],
      ['b3,2024-02-01T11:02:00Z,,RotateKey,kms.amazonaws.com,us-east-1,,', csvCell({ eventType: 'AwsServiceEvent', recipientAccountId: '444455556666' })],
      ['b4,2024-02-01T11:03:00Z,bob,DescribeInstances,ec2.amazonaws.com,us-east-1,,198.51.100.8,not json'],
    ].map((r) => r.join(','));
    const file = path.join(work, 'event_history_with_json.csv');
    fs.writeFileSync(file, [header, ...rows].join('\n') + '\n');
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'cloudtrail_csv', records: 4, loaded: 4, rejected: 0 });
    expect(await c.rows(`SELECT fields['Event ID'] AS id, category, status, actor_user, actor_type, src_ip, user_agent, cloud_account, region FROM events ORDER BY time`)).toEqual([
      { id: 'b1', category: 'authentication', status: 'failure', actor_user: 'root', actor_type: 'Root', src_ip: '203.0.113.9', user_agent: 'Mozilla/5.0', cloud_account: '111122223333', region: 'us-east-1' },
      { id: 'b2', category: 'audit_logging', status: 'success', actor_user: 'alice', actor_type: 'IAMUser', src_ip: '198.51.100.7', user_agent: null, cloud_account: '111122223333', region: 'eu-west-1' },
      { id: 'b3', category: 'key_management', status: 'success', actor_user: null, actor_type: null, src_ip: null, user_agent: null, cloud_account: '444455556666', region: 'us-east-1' },
      { id: 'b4', category: 'api_call', status: 'success', actor_user: 'bob', actor_type: null, src_ip: '198.51.100.8', user_agent: null, cloud_account: null, region: 'us-east-1' },
    ]);
  });

  it('unwraps events forwarded inside EventBridge, Elasticsearch, HEC and message wrappers', async () => {
    const lines = [
      JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', detail: ct(1) }),
      JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', detail: ct(2) }),
      JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', detail: { note: 'not an event' } }),
    ];
    const eb = path.join(work, 'eventbridge.jsonl');
    fs.writeFileSync(eb, lines.join('\n') + '\n');
    const msg = path.join(work, 'shipper.jsonl');
    fs.writeFileSync(msg, [1, 2, 3].map((i) => JSON.stringify({ '@timestamp': '2024-02-01T11:00:00Z', host: 'fwd-1', message: JSON.stringify(ct(i)) })).join('\n') + '\n');
    const es = path.join(work, 'es.json');
    fs.writeFileSync(es, JSON.stringify([1, 2].map((i) => ({ _index: 'cloudtrail', _id: String(i), _source: ct(i) })), null, 2));
    const c = await newCase();
    const r = await c.ingest([eb, msg, es]);
    expect(r.archives.map((a) => [a.members[0]!.format, a.members[0]!.records, a.members[0]!.loaded, a.members[0]!.rejected])).toEqual([
      ['cloudtrail', 3, 2, 1],
      ['cloudtrail', 3, 3, 0],
      ['cloudtrail', 2, 2, 0],
    ]);
    expect(r.archives[0]!.members[0]!.reason).toMatch(/CloudTrail events inside "detail"/);
    expect(await c.rows(`SELECT reason FROM rejects`)).toEqual([{ reason: 'not a CloudTrail event: eventName or eventSource missing' }]);
    expect(await c.one(`SELECT count(DISTINCT activity) FROM events`)).toBe('1');
    // raw keeps the whole forwarded record, wrapper included
    expect(await c.one<string>(`SELECT raw FROM events WHERE member_path = 'shipper.jsonl' AND record_index = 1`)).toBe(fs.readFileSync(msg, 'utf8').split('\n')[0]);
  });

  it('stores CloudTrail digest files apart from events', async () => {
    const digest = {
      awsAccountId: '111122223333',
      digestStartTime: '2024-02-01T10:00:00Z',
      digestEndTime: '2024-02-01T11:00:00Z',
      digestS3Bucket: 'trail-bucket',
      digestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/02/01/111122223333_CloudTrail-Digest_eu-west-1_main_eu-west-1_20240201T110000Z.json.gz',
      digestPublicKeyFingerprint: '0123456789abcdef0123456789abcdef',
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: '2024-02-01T10:59:00Z',
      oldestEventTime: '2024-02-01T10:00:00Z',
      previousDigestS3Bucket: 'trail-bucket',
      previousDigestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/02/01/prev.json.gz',
      previousDigestHashValue: 'aa'.repeat(32),
      previousDigestHashAlgorithm: 'SHA-256',
      previousDigestSignature: 'bb'.repeat(256),
      logFiles: [{ s3Bucket: 'trail-bucket', s3Object: 'AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02/01/x.json.gz', hashValue: 'cc'.repeat(32), hashAlgorithm: 'SHA-256', newestEventTime: '2024-02-01T10:59:00Z', oldestEventTime: '2024-02-01T10:00:00Z' }],
    };
    const dir = path.join(work, 'trail', 'AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/02/01');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'd.json.gz'), zlib.gzipSync(JSON.stringify(digest)));
    const logDir = path.join(work, 'trail', 'AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02/01');
    fs.mkdirSync(logDir, { recursive: true });
    fs.writeFileSync(path.join(logDir, 'x.json.gz'), zlib.gzipSync(JSON.stringify({ Records: [ct(1), ct(2)] })));
    const c = await newCase();
    const r = await c.ingest([path.join(work, 'trail')]);
    const a = r.archives[0]!;
    expect(a.status).toBe('loaded');
    expect(a.members.map((m) => [m.path, m.format, m.records, m.loaded])).toEqual([
      ['AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02/01/x.json.gz', 'cloudtrail', 2, 2],
      ['AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/02/01/d.json.gz', 'cloudtrail_digest', 1, 1],
    ]);
    expect(await c.one('SELECT count(*) FROM events')).toBe('2');
    const d = await c.rows(`SELECT aws_account_id, digest_start_time, digest_end_time, previous_digest_hash_value, json_array_length(log_files) AS n FROM cloudtrail_digests`);
    expect(d).toEqual([{ aws_account_id: '111122223333', digest_start_time: '2024-02-01T10:00:00Z', digest_end_time: '2024-02-01T11:00:00Z', previous_digest_hash_value: 'aa'.repeat(32), n: '1' }]);
  });

  it('loads a single JSON document far larger than a parser object limit, without holding it whole', async () => {
    // ~70 MB in one {"Records": [...]} object (DuckDB's read_json refuses objects over 16 MB by default).
    const file = path.join(work, 'huge.json');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '{"Records":[');
    const N = 100_000;
    const pad = 'x'.repeat(300);
    for (let i = 0; i < N; i++) fs.writeSync(fd, (i ? ',' : '') + JSON.stringify(ct(i, { requestParameters: { note: pad } })));
    fs.writeSync(fd, ']}');
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBeGreaterThan(70e6);
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.totals).toEqual({ records: N, loaded: N, rejected: 0 });
    expect(await c.one('SELECT count(DISTINCT record_id) FROM events')).toBe(String(N));
  }, 120_000);
});

describe('generic formats', () => {
  it('reads a JSON array, TSV with a detected epoch time, and Parquet', async () => {
    const arr = path.join(work, 'vpn.json');
    fs.writeFileSync(arr, JSON.stringify([
      { ts: 1706781600, user: 'alice', client_ip: '203.0.113.9', action: 'connect', outcome: 'success' },
      { ts: 1706781660, user: 'bob', client_ip: '203.0.113.10', action: 'connect', outcome: 'failure' },
    ]));
    const tsv = path.join(work, 'badge.tsv');
    fs.writeFileSync(tsv, 'timestamp\tusername\tdoor\n2024-02-01 08:00:00\talice\tDC-1\n2024-02-01 08:05:30\tcarol\tDC-2\n');
    const pq = path.join(work, 'app.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`COPY (SELECT TIMESTAMPTZ '2024-02-01 09:00:00+00' + INTERVAL (i) MINUTE AS event_time, 'u' || i AS user_name, i AS n FROM range(5) t(i)) TO '${pq}' (FORMAT parquet)`);
    con.closeSync();
    const c = await newCase({ timezone: 'Europe/Berlin' });
    const r = await c.ingest([arr, tsv, pq]);
    expect(r.archives.map((a) => [a.members[0]!.format, a.members[0]!.loaded, a.members[0]!.rejected])).toEqual([
      ['json', 2, 0],
      ['csv', 2, 0],
      ['parquet', 5, 0],
    ]);
    const ev = await c.rows<Record<string, unknown>>(`SELECT source_format, time, time_inferred, actor_user, src_ip, activity, status FROM events ORDER BY source_format, time`);
    expect(ev).toEqual([
      { source_format: 'json', time: '2024-02-01T10:00:00Z', time_inferred: null, actor_user: 'alice', src_ip: '203.0.113.9', activity: 'connect', status: 'success' },
      { source_format: 'json', time: '2024-02-01T10:01:00Z', time_inferred: null, actor_user: 'bob', src_ip: '203.0.113.10', activity: 'connect', status: 'failure' },
      { source_format: 'parquet', time: '2024-02-01T09:00:00Z', time_inferred: null, actor_user: 'u0', src_ip: null, activity: null, status: null },
      { source_format: 'parquet', time: '2024-02-01T09:01:00Z', time_inferred: null, actor_user: 'u1', src_ip: null, activity: null, status: null },
      { source_format: 'parquet', time: '2024-02-01T09:02:00Z', time_inferred: null, actor_user: 'u2', src_ip: null, activity: null, status: null },
      { source_format: 'parquet', time: '2024-02-01T09:03:00Z', time_inferred: null, actor_user: 'u3', src_ip: null, activity: null, status: null },
      { source_format: 'parquet', time: '2024-02-01T09:04:00Z', time_inferred: null, actor_user: 'u4', src_ip: null, activity: null, status: null },
      // TSV times have no offset: read in the case time zone (CET = UTC+1 in February)
      { source_format: 'tsv', time: '2024-02-01T07:00:00Z', time_inferred: 'no UTC offset: read as local time in Europe/Berlin', actor_user: 'alice', src_ip: null, activity: null, status: null },
      { source_format: 'tsv', time: '2024-02-01T07:05:30Z', time_inferred: 'no UTC offset: read as local time in Europe/Berlin', actor_user: 'carol', src_ip: null, activity: null, status: null },
    ]);
    expect(await c.one(`SELECT fields['door'] FROM events WHERE actor_user = 'carol'`)).toBe('DC-2');
  });

  it('keeps every column of a CSV whose header repeats a name (the second one becomes "name (2)")', async () => {
    const csv = path.join(work, 'dup-header.csv');
    fs.writeFileSync(csv, 'time,user,user,user (2),action\n2024-03-01T10:00:00Z,alice,bob,carol,login\n');
    const c = await newCase();
    const r = await c.ingest([csv]);
    expect(r.totals).toMatchObject({ loaded: 1, rejected: 0 });
    const f = await c.one<Record<string, string>>(`SELECT fields FROM events`);
    expect(f).toEqual({ time: '2024-03-01T10:00:00Z', user: 'alice', 'user (2)': 'bob', 'user (2) (2)': 'carol', action: 'login' });
  });

  it('uses a --map file for a time the sniffer cannot know, and rejects everything without one', async () => {
    const file = path.join(work, 'legacy.csv');
    fs.writeFileSync(file, 'when;who;what\n01/02/2024 10:00;alice;export\n02/02/2024 11:30;bob;delete\n31/02/2024 00:00;eve;bad date\n');
    const plain = await newCase();
    const r0 = await plain.ingest([file]);
    expect(r0.archives[0]!.members[0]).toMatchObject({ format: 'csv', records: 3, loaded: 0, rejected: 3 });
    expect(await plain.rows(`SELECT DISTINCT reason FROM rejects`)).toEqual([{ reason: 'no time field detected in this member (name one with --map)' }]);
    const map = path.join(work, 'legacy.map.yaml');
    fs.writeFileSync(map, 'time: when\ntime_format: "%d/%m/%Y %H:%M"\ntimezone: UTC\nsource_family: legacy_app\ncolumns:\n  actor_user: who\n  activity: what\n');
    const c = await newCase();
    const r = await c.ingest([file], { mapFile: map });
    expect(r.archives[0]!.members[0]).toMatchObject({ records: 3, loaded: 2, rejected: 1 });
    expect(await c.rows(`SELECT source_family, time, actor_user, activity FROM events ORDER BY time`)).toEqual([
      { source_family: 'legacy_app', time: '2024-02-01T10:00:00Z', actor_user: 'alice', activity: 'export' },
      { source_family: 'legacy_app', time: '2024-02-02T11:30:00Z', actor_user: 'bob', activity: 'delete' },
    ]);
    expect(await c.rows(`SELECT line, reason FROM rejects`)).toEqual([{ line: '4', reason: 'unparseable or missing timestamp: "31/02/2024 00:00"' }]);
    const bad = path.join(work, 'bad.map.yaml');
    fs.writeFileSync(bad, 'tme: when\n');
    await expect(c.ingest([file], { mapFile: bad })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^mapping file .*bad\.map\.yaml: .*time/) });
  });
});

describe('inputs', () => {
  it('takes a folder as one input: manifest hash, nested archives, links refused', async () => {
    const dir = path.join(work, 'delivery');
    fs.mkdirSync(path.join(dir, 'host-a'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'host-a', 'auth.log'), 'Feb  1 10:00:00 host-a sshd[1]: Accepted password for alice from 192.0.2.1 port 22 ssh2\n');
    fs.writeFileSync(path.join(dir, 'events.jsonl.gz'), zlib.gzipSync(JSON.stringify(ct(1)) + '\n'));
    fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd-link'));
    const c = await newCase();
    const r = await c.ingest([dir]);
    const a = r.archives[0]!;
    expect(a.members.map((m) => [m.path, m.status, m.loaded])).toEqual([
      ['passwd-link', 'refused', 0],
      ['events.jsonl.gz', 'loaded', 1],
      ['host-a/auth.log', 'loaded', 1],
    ]);
    const info = await c.rows<{ kind: string; evidence_path: string }>('SELECT kind, evidence_path FROM archives');
    expect(info[0]!.kind).toBe('folder');
    const manifest = JSON.parse(fs.readFileSync(path.join(c.dir, info[0]!.evidence_path), 'utf8')) as { entries: Array<{ path: string }> };
    expect(manifest.entries.map((e) => e.path)).toEqual(['events.jsonl.gz', 'host-a/auth.log']);
    // same folder again: already loaded; after a change: a new input
    expect((await c.ingest([dir])).archives[0]!.status).toBe('already-loaded');
    fs.appendFileSync(path.join(dir, 'host-a', 'auth.log'), 'Feb  1 10:05:00 host-a sshd[2]: Accepted password for bob from 192.0.2.2 port 22 ssh2\n');
    expect((await c.ingest([dir])).totals.loaded).toBe(3);
  });

  it('replaces an already-loaded archive with --reimport (e.g. after raising a limit)', async () => {
    const file = path.join(work, 'reimport.jsonl');
    fs.writeFileSync(file, [1, 2, 3].map((i) => JSON.stringify(ct(i))).join('\n') + '\n');
    const c = await newCase();
    await c.ingest([file], { limits: { maxRecordBytes: 100 } });
    expect(await c.one('SELECT count(*) FROM rejects')).toBe('3');
    const ids = await c.rows('SELECT event_id FROM events');
    expect(ids).toEqual([]);
    const r = await c.ingest([file], { reimport: true });
    expect(r.archives[0]!.status).toBe('loaded');
    expect(await c.one('SELECT count(*) FROM rejects')).toBe('0');
    expect(await c.one('SELECT count(*) FROM events')).toBe('3');
    expect(await c.one('SELECT count(*) FROM archives')).toBe('1');
    expect(await c.one('SELECT count(*) FROM members')).toBe('1');
  });
});
