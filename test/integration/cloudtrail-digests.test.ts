/**
 * Offline CloudTrail log-file validation against digest chains the test builds and signs with its own RSA key:
 * a valid chain verifies end to end; tampered, deleted, extra and unsigned files, a missing digest and an altered
 * digest are each reported as such.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../electron/engine/api.js';
import { stringToSign } from '../../electron/engine/queries/cloudtrail-digests.js';
import { newCase, tmpDir } from '../support/tmp-case.js';

const api = createApi();
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const BUCKET = 'org-trail-bucket';

interface Built {
  root: string;
  keysFile: string;
  logKeys: string[];
  digestKeys: string[];
}

function sha256(b: Buffer | string): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}

/** Three hourly digests over six log files, signed like CloudTrail signs them. */
function buildChain(opts: { hours?: number } = {}): Built {
  const hours = opts.hours ?? 3;
  const root = tmpDir('ewb-digests-');
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const fingerprint = crypto.createHash('md5').update(publicKey.export({ type: 'pkcs1', format: 'der' })).digest('hex');
  const keysFile = path.join(root, 'public-keys.json');
  fs.writeFileSync(keysFile, JSON.stringify({ PublicKeyList: [{ Value: publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64'), ValidityStartTime: '2024-01-01T00:00:00Z', ValidityEndTime: '2025-01-01T00:00:00Z', Fingerprint: fingerprint }] }));
  const logKeys: string[] = [];
  const digestKeys: string[] = [];
  let prev: { key: string; sha: string; sig: string } | null = null;
  for (let h = 0; h < hours; h++) {
    const start = new Date(Date.UTC(2024, 1, 1, 10 + h, 0, 0));
    const end = new Date(start.getTime() + 3600_000);
    const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const day = `${start.getUTCFullYear()}/02/01`;
    const files: Array<Record<string, unknown>> = [];
    for (let f = 0; f < 2; f++) {
      const key = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${day}/${ACCOUNT}_CloudTrail_${REGION}_${stamp(start).slice(0, 13)}${f}5Z_h${h}f${f}abcdefghijk.json.gz`;
      const records = [0, 1, 2].map((i) => ({ eventVersion: '1.08', eventTime: new Date(start.getTime() + (f * 3 + i) * 60_000).toISOString().replace(/\.\d+Z/, 'Z'), eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: REGION, sourceIPAddress: '192.0.2.1', userIdentity: { type: 'IAMUser', userName: 'alice' }, recipientAccountId: ACCOUNT }));
      const content = JSON.stringify({ Records: records });
      fs.mkdirSync(path.join(root, 'export', path.dirname(key)), { recursive: true });
      fs.writeFileSync(path.join(root, 'export', key), zlib.gzipSync(content));
      files.push({ s3Bucket: BUCKET, s3Object: key, hashValue: sha256(content), hashAlgorithm: 'SHA-256', newestEventTime: records[2]!.eventTime, oldestEventTime: records[0]!.eventTime });
      logKeys.push(key);
    }
    const dkey = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${REGION}/${day}/${ACCOUNT}_CloudTrail-Digest_${REGION}_org-trail_us-east-1_${stamp(end)}.json.gz`;
    const doc: Record<string, unknown> = {
      awsAccountId: ACCOUNT,
      digestStartTime: start.toISOString().replace(/\.\d+Z/, 'Z'),
      digestEndTime: end.toISOString().replace(/\.\d+Z/, 'Z'),
      digestS3Bucket: BUCKET,
      digestS3Object: dkey,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: (files[1] as { newestEventTime: string }).newestEventTime,
      oldestEventTime: (files[0] as { oldestEventTime: string }).oldestEventTime,
      previousDigestS3Bucket: prev ? BUCKET : null,
      previousDigestS3Object: prev ? prev.key : null,
      previousDigestHashValue: prev ? prev.sha : null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev ? prev.sig : null,
      logFiles: files,
    };
    const content = JSON.stringify(doc);
    const sig = crypto.sign('sha256', Buffer.from(stringToSign(doc, sha256(content))), privateKey).toString('hex');
    fs.mkdirSync(path.join(root, 'export', path.dirname(dkey)), { recursive: true });
    fs.writeFileSync(path.join(root, 'export', dkey), zlib.gzipSync(content));
    digestKeys.push(dkey);
    prev = { key: dkey, sha: sha256(content), sig };
  }
  return { root, keysFile, logKeys, digestKeys };
}

describe('CloudTrail digest verification', () => {
  it('verifies a complete, untouched chain', async () => {
    const b = buildChain();
    const c = await newCase({ periodStart: '2024-02-01', periodEnd: '2024-02-29' });
    await c.ingest([path.join(b.root, 'export')]);
    const r = await api.invoke('cloudtrail.verifyDigests', { dir: c.dir, publicKeysFile: b.keysFile });
    expect(r.totals).toEqual({ digests: 3, digestsVerified: 2, logFiles: 6, verified: 6, mismatched: 0, missing: 0, unlisted: 0 });
    expect(r.digests.map((d) => [d.chain, d.signature])).toEqual([
      ['first', 'verified'],
      ['ok', 'verified'],
      ['ok', 'no-successor'], // its signature is only in S3 metadata
    ]);
    expect(r.gaps).toEqual([]);
    expect(r.publicKeys).toBe(1);
    const kept = await c.one<string>(`SELECT json_extract_string(report, '$.totals.verified') FROM integrity_checks WHERE check_id = ${r.checkId}`);
    expect(kept).toBe('6');
    // Without keys: hashes and chain still checked, signatures reported unchecked.
    const nokeys = await api.invoke('cloudtrail.verifyDigests', { dir: c.dir });
    expect(nokeys.digests.map((d) => d.signature)).toEqual(['no-key', 'no-key', 'no-successor']);
    expect(nokeys.totals.verified).toBe(6);
  });

  it('reports changed, deleted and extra log files, a missing digest and an altered digest', async () => {
    const b = buildChain({ hours: 4 });
    const exp = path.join(b.root, 'export');
    // 1. a log file edited after delivery (one record's user changed)
    const edited = path.join(exp, b.logKeys[0]!);
    const doc = JSON.parse(zlib.gunzipSync(fs.readFileSync(edited)).toString()) as { Records: Array<{ userIdentity: { userName: string } }> };
    doc.Records[1]!.userIdentity.userName = 'mallory';
    fs.writeFileSync(edited, zlib.gzipSync(JSON.stringify(doc)));
    // 2. a log file deleted
    fs.rmSync(path.join(exp, b.logKeys[3]!));
    // 3. a log file no digest lists
    const extra = b.logKeys[0]!.replace('h0f0', 'h0f9');
    fs.copyFileSync(path.join(exp, b.logKeys[1]!), path.join(exp, extra));
    // 4. the third digest removed (hour 12:00-13:00 has no digest)
    fs.rmSync(path.join(exp, b.digestKeys[2]!));
    // 5. the second digest altered (a listed hash rewritten), so its successor's link and its signature fail
    const d2 = path.join(exp, b.digestKeys[1]!);
    const d2doc = JSON.parse(zlib.gunzipSync(fs.readFileSync(d2)).toString()) as { logFiles: Array<{ hashValue: string }> };
    d2doc.logFiles[0]!.hashValue = '0'.repeat(64);
    fs.writeFileSync(d2, zlib.gzipSync(JSON.stringify(d2doc)));

    const c = await newCase({ periodStart: '2024-02-01', periodEnd: '2024-02-29' });
    await c.ingest([exp]);
    const r = await api.invoke('cloudtrail.verifyDigests', { dir: c.dir, publicKeysFile: b.keysFile });
    const status = Object.fromEntries(r.logFiles.map((f) => [f.s3Object, f.status]));
    expect(status[b.logKeys[0]!]).toBe('mismatched');
    expect(status[b.logKeys[3]!]).toBe('missing');
    expect(status[extra]).toBe('unlisted');
    expect(status[b.logKeys[1]!]).toBe('verified');
    expect(status[b.logKeys[2]!]).toBe('mismatched'); // the altered digest now lists a wrong hash for it
    expect(status[b.logKeys[4]!]).toBe('unlisted'); // its digest was removed
    expect(r.digests.map((d) => [path.basename(d.s3Object).slice(-24), d.chain, d.signature])).toEqual([
      ['20240201T110000Z.json.gz', 'first', 'verified'],
      ['20240201T120000Z.json.gz', 'ok', 'no-successor'], // its successor (hour 3) was removed
      ['20240201T140000Z.json.gz', 'previous-missing', 'no-successor'],
    ]);
    expect(r.gaps).toEqual([{ account: ACCOUNT, region: REGION, from: '2024-02-01T12:00:00Z', to: '2024-02-01T13:00:00Z', reason: 'no digest in the case for this period' }]);
    // The digest altered in place: its hash no longer matches what its successor recorded.
    const b2 = buildChain();
    const d = path.join(b2.root, 'export', b2.digestKeys[1]!);
    const dd = JSON.parse(zlib.gunzipSync(fs.readFileSync(d)).toString()) as { newestEventTime: string };
    dd.newestEventTime = '2024-02-01T11:59:59Z';
    fs.writeFileSync(d, zlib.gzipSync(JSON.stringify(dd)));
    const c2 = await newCase({ periodStart: '2024-02-01', periodEnd: '2024-02-29' });
    await c2.ingest([path.join(b2.root, 'export')]);
    const r2 = await api.invoke('cloudtrail.verifyDigests', { dir: c2.dir, publicKeysFile: b2.keysFile });
    expect(r2.digests.map((x) => [x.chain, x.signature])).toEqual([
      ['first', 'verified'],
      ['ok', 'invalid'],
      ['mismatch', 'no-successor'],
    ]);
    // The gap query sees the missing hour too.
    const q = await api.invoke('query.run', { dir: c.dir, id: 'gaps.cloudtrail_digest_missing_hours', params: {} });
    expect(q.rows.map((row) => Date.parse(String(row[q.columns.indexOf('hour_start')])))).toEqual([Date.parse('2024-02-01T12:00:00Z')]);
  });
});
