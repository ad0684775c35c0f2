/**
 * Offline CloudTrail log-file integrity validation, from the digest files loaded into the case:
 * - every log file a digest lists is looked up among the case's members by its S3 key and its SHA-256 compared
 *   (both are over the decompressed content, as CloudTrail hashes it);
 * - each digest's link to the previous one (previousDigestS3Object and previousDigestHashValue = SHA-256 of the
 *   previous digest's decompressed content) is checked, and periods with no digest are reported per chain;
 * - each digest's RSA signature (SHA256withRSA over "digestEndTime\nbucket/key\nsha256(digest)\npreviousSignature",
 *   as `aws cloudtrail validate-logs` builds it) is verified with the public key whose fingerprint the digest names,
 *   when the user supplies the keys (`aws cloudtrail list-public-keys` output). A digest's own signature lives in S3
 *   object metadata; offline it is known from the next digest's previousDigestSignature.
 * Log files in the case that no digest lists are reported too. Results are kept in the case (integrity_checks).
 * Layer: engine.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CallParsed } from '../../../shared/contract.js';
import type { DigestFileResult, DigestGap, DigestLogFileResult, DigestReport } from '../../../shared/digests.js';
import { withCaseWriter } from '../case/writer.js';
import { queryRows } from '../db/database.js';
import { EngineError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';

interface DigestRow {
  member_path: string;
  member_sha256: string;
  raw: string;
}

interface Digest {
  memberPath: string;
  sha256: string;
  doc: Record<string, unknown>;
  key: string;
  account: string | null;
  region: string | null;
  chain: string;
  start: string | null;
  end: string | null;
}

interface PublicKey {
  fingerprint: string;
  key: crypto.KeyObject;
}

/** The part of an S3 key or member path from `AWSLogs/` on (bucket prefixes and archive nesting removed). */
export function awsLogsKey(p: string): string | null {
  const i = p.lastIndexOf('AWSLogs/');
  return i < 0 ? null : p.slice(i);
}

function chainOf(key: string, account: string | null, region: string | null): string {
  // <acct>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHMMSSZ>.json.gz → account|region|trail_home
  const base = path.posix.basename(key).replace(/_\d{8}T\d{6}Z(_backfill)?\.json\.gz$/, '');
  return `${account ?? '-'}|${region ?? '-'}|${base}`;
}

export function readPublicKeys(file: string): PublicKey[] {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new EngineError('invalid-input', `public keys file ${file} is not JSON: ${(e as Error).message}`);
  }
  const list = (doc as { PublicKeyList?: unknown }).PublicKeyList;
  if (!Array.isArray(list)) throw new EngineError('invalid-input', `public keys file ${file}: expected the output of "aws cloudtrail list-public-keys" ({"PublicKeyList": [...]})`);
  return list.map((k, i) => {
    const e = k as { Value?: string; Fingerprint?: string };
    if (!e.Value || !e.Fingerprint) throw new EngineError('invalid-input', `public keys file ${file}: entry ${i + 1} lacks Value or Fingerprint`);
    try {
      return { fingerprint: e.Fingerprint.toLowerCase(), key: crypto.createPublicKey({ key: Buffer.from(e.Value, 'base64'), format: 'der', type: 'pkcs1' }) };
    } catch (err) {
      throw new EngineError('invalid-input', `public keys file ${file}: key ${e.Fingerprint} is not a PKCS#1 RSA public key: ${(err as Error).message}`);
    }
  });
}

/** The string CloudTrail signs for a digest. */
export function stringToSign(doc: Record<string, unknown>, digestSha256: string): string {
  const prev = doc['previousDigestSignature'];
  return `${String(doc['digestEndTime'])}\n${String(doc['digestS3Bucket'])}/${String(doc['digestS3Object'])}\n${digestSha256}\n${prev === null || prev === undefined ? 'null' : String(prev)}`;
}

export async function verifyDigests(input: CallParsed<'cloudtrail.verifyDigests'>): Promise<DigestReport> {
  const keys = input.publicKeysFile ? readPublicKeys(input.publicKeysFile) : [];
  return withCaseWriter(input.dir, 'ewb cloudtrail verify-digests', async (con) => {
    const rows = await queryRows<DigestRow>(
      con,
      `SELECT d.member_path, m.sha256 AS member_sha256, d.raw FROM cloudtrail_digests d JOIN members m ON m.member_id = d.member_id ORDER BY d.digest_end_time, d.member_path`,
    );
    const logMembers = await queryRows<{ path: string; sha256: string }>(
      con,
      `SELECT path, sha256 FROM members WHERE format = 'cloudtrail' AND sha256 IS NOT NULL AND path LIKE '%AWSLogs/%/CloudTrail/%'`,
    );
    const report = verify(rows, logMembers, keys);
    const checkId = Number((await queryRows<{ n: number }>(con, `SELECT nextval('check_seq')::INTEGER AS n`))[0]!.n);
    report.checkId = checkId;
    await con.run(`INSERT INTO integrity_checks VALUES ($1, 'cloudtrail_digests', now(), $2, $3)`, [checkId, TOOL_VERSION, JSON.stringify(report)] as never);
    return report;
  });
}

export function verify(rows: DigestRow[], logMembers: Array<{ path: string; sha256: string }>, keys: PublicKey[]): DigestReport {
  const digests: Digest[] = rows.map((r) => {
    const doc = JSON.parse(r.raw) as Record<string, unknown>;
    const key = awsLogsKey(String(doc['digestS3Object'] ?? r.member_path)) ?? r.member_path;
    const account = (doc['awsAccountId'] as string | undefined) ?? null;
    const region = /CloudTrail-Digest\/([^/]+)\//.exec(key)?.[1] ?? null;
    return { memberPath: r.member_path, sha256: r.member_sha256, doc, key, account, region, chain: chainOf(key, account, region), start: (doc['digestStartTime'] as string) ?? null, end: (doc['digestEndTime'] as string) ?? null };
  });
  const byKey = new Map(digests.map((d) => [d.key, d]));
  // The signature of a digest, as recorded by its successor.
  const signatureOf = new Map<string, string>();
  for (const d of digests) {
    const prev = d.doc['previousDigestS3Object'];
    const sig = d.doc['previousDigestSignature'];
    if (typeof prev === 'string' && typeof sig === 'string') signatureOf.set(awsLogsKey(prev) ?? prev, sig);
  }
  const members = new Map<string, { path: string; sha256: string }>();
  for (const m of logMembers) {
    const k = awsLogsKey(m.path);
    if (k) members.set(k, m);
  }
  const listed = new Set<string>();
  const logFiles: DigestLogFileResult[] = [];
  const results: DigestFileResult[] = [];
  for (const d of digests) {
    const files = Array.isArray(d.doc['logFiles']) ? (d.doc['logFiles'] as Array<Record<string, unknown>>) : [];
    const counts = { listed: files.length, verified: 0, mismatched: 0, missing: 0 };
    for (const f of files) {
      const k = awsLogsKey(String(f['s3Object'] ?? '')) ?? String(f['s3Object']);
      listed.add(k);
      const m = members.get(k);
      const expected = String(f['hashValue'] ?? '').toLowerCase();
      const status = !m ? 'missing' : m.sha256 === expected ? 'verified' : 'mismatched';
      counts[status]++;
      logFiles.push({ s3Object: k, memberPath: m?.path ?? null, status, digest: d.key, expectedSha256: expected || null, actualSha256: m?.sha256 ?? null });
    }
    let chain: DigestFileResult['chain'];
    const prevKey = d.doc['previousDigestS3Object'];
    if (prevKey === null || prevKey === undefined || d.doc['previousDigestSignature'] === null) chain = 'first';
    else {
      const p = byKey.get(awsLogsKey(String(prevKey)) ?? String(prevKey));
      chain = !p ? 'previous-missing' : p.sha256 === String(d.doc['previousDigestHashValue'] ?? '').toLowerCase() ? 'ok' : 'mismatch';
    }
    let signature: DigestFileResult['signature'];
    const sig = signatureOf.get(d.key);
    const fp = String(d.doc['digestPublicKeyFingerprint'] ?? '').toLowerCase();
    const pk = keys.find((k) => k.fingerprint === fp);
    if (!sig) signature = 'no-successor';
    else if (!pk) signature = 'no-key';
    else {
      let ok = false;
      try {
        ok = crypto.verify('sha256', Buffer.from(stringToSign(d.doc, d.sha256)), pk.key, Buffer.from(sig, 'hex'));
      } catch {
        ok = false;
      }
      signature = ok ? 'verified' : 'invalid';
    }
    results.push({ s3Object: d.key, memberPath: d.memberPath, account: d.account, region: d.region, start: d.start, end: d.end, chain, signature, logFiles: counts });
  }
  for (const [k, m] of members) {
    if (!listed.has(k)) logFiles.push({ s3Object: k, memberPath: m.path, status: 'unlisted', digest: null, expectedSha256: null, actualSha256: m.sha256 });
  }
  // Periods without digests, per chain: consecutive digests must meet (end of one = start of the next).
  const gaps: DigestGap[] = [];
  const chains = new Map<string, Digest[]>();
  for (const d of digests) (chains.get(d.chain) ?? chains.set(d.chain, []).get(d.chain)!).push(d);
  for (const list of chains.values()) {
    list.sort((a, b) => Date.parse(a.end ?? '') - Date.parse(b.end ?? ''));
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      if (a.end && b.start && Date.parse(b.start) > Date.parse(a.end) + 1000) {
        gaps.push({
          account: b.account,
          region: b.region,
          from: a.end,
          to: b.start,
          reason: b.doc['previousDigestSignature'] === null ? 'the chain restarts (logging or validation was off, or the trail was recreated)' : 'no digest in the case for this period',
        });
      }
    }
  }
  const count = (s: DigestLogFileResult['status']) => logFiles.filter((f) => f.status === s).length;
  return {
    checkId: 0,
    digests: results,
    logFiles,
    gaps,
    totals: {
      digests: results.length,
      digestsVerified: results.filter((r) => r.signature === 'verified').length,
      logFiles: logFiles.length,
      verified: count('verified'),
      mismatched: count('mismatched'),
      missing: count('missing'),
      unlisted: count('unlisted'),
    },
    publicKeys: keys.length,
  };
}
