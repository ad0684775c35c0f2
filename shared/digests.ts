/** CloudTrail digest verification results. Layer: shared. */

/** Per log file listed in (or missing from) the digests. */
export interface DigestLogFileResult {
  s3Object: string;
  /** The member of the case holding that file, when found. */
  memberPath: string | null;
  /** verified: hash equals the digest's; mismatched: content differs; missing: listed but not in the case; unlisted: in the case, in no digest. */
  status: 'verified' | 'mismatched' | 'missing' | 'unlisted';
  digest: string | null;
  expectedSha256: string | null;
  actualSha256: string | null;
}

export interface DigestFileResult {
  s3Object: string;
  memberPath: string;
  account: string | null;
  region: string | null;
  start: string | null;
  end: string | null;
  /** Link to the previous digest: ok (found, hash matches), mismatch, first (chain start: no previous), previous-missing. */
  chain: 'ok' | 'mismatch' | 'first' | 'previous-missing';
  /**
   * RSA signature: verified / invalid against the public key with the digest's fingerprint; no-key when that key was
   * not supplied; no-successor when the digest's signature (kept in S3 metadata, copied into the next digest) is not
   * in the case.
   */
  signature: 'verified' | 'invalid' | 'no-key' | 'no-successor';
  logFiles: { listed: number; verified: number; mismatched: number; missing: number };
}

export interface DigestGap {
  account: string | null;
  region: string | null;
  /** The period with no digest (ISO 8601 UTC). */
  from: string;
  to: string;
  reason: string;
}

export interface DigestReport {
  checkId: number;
  digests: DigestFileResult[];
  logFiles: DigestLogFileResult[];
  gaps: DigestGap[];
  totals: { digests: number; digestsVerified: number; logFiles: number; verified: number; mismatched: number; missing: number; unlisted: number };
  publicKeys: number;
}
