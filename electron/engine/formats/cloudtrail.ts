/**
 * AWS CloudTrail: S3 delivery objects and console JSON downloads (`{"Records":[...]}`), JSON arrays, one event per
 * line as SIEM shippers forward it (bare, or inside a wrapper: EventBridge `detail`, Elasticsearch `_source`,
 * Splunk HEC `event`, a JSON string in `message`; Logstash-shaped records whose `eventTime` became `@timestamp`),
 * the console's Event history CSV download, and CloudTrail digest files (stored for verification, not events).
 * Layer: engine (format module).
 */
import type { FormatModule, Mapping, MapContext, SniffHit, SniffSample } from './types.js';
import { isObj, majority, parseJson, sniffJsonShape } from './sniff-json.js';
import { csvFieldsMap, lit, wrappedRecordExpr } from './sql.js';

/** The fields DuckDB extracts from each record in one parse (json_transform). Everything else stays in `raw`. */
const CT_STRUCT = {
  eventVersion: 'VARCHAR',
  eventTime: 'VARCHAR',
  '@timestamp': 'VARCHAR',
  eventSource: 'VARCHAR',
  eventName: 'VARCHAR',
  awsRegion: 'VARCHAR',
  sourceIPAddress: 'VARCHAR',
  userAgent: 'VARCHAR',
  errorCode: 'VARCHAR',
  errorMessage: 'VARCHAR',
  requestID: 'VARCHAR',
  eventID: 'VARCHAR',
  eventType: 'VARCHAR',
  eventCategory: 'VARCHAR',
  readOnly: 'VARCHAR',
  managementEvent: 'VARCHAR',
  recipientAccountId: 'VARCHAR',
  sharedEventID: 'VARCHAR',
  vpcEndpointId: 'VARCHAR',
  userIdentity: {
    type: 'VARCHAR',
    principalId: 'VARCHAR',
    arn: 'VARCHAR',
    accountId: 'VARCHAR',
    accessKeyId: 'VARCHAR',
    userName: 'VARCHAR',
    invokedBy: 'VARCHAR',
    sessionContext: {
      sessionIssuer: { type: 'VARCHAR', userName: 'VARCHAR', arn: 'VARCHAR' },
      attributes: { mfaAuthenticated: 'VARCHAR', creationDate: 'VARCHAR' },
    },
  },
  // Only the members the mapping reads: converting whole sub-objects back to JSON text would cost a second pass.
  requestParameters: {
    userName: 'VARCHAR',
    roleName: 'VARCHAR',
    groupName: 'VARCHAR',
    policyArn: 'VARCHAR',
    bucketName: 'VARCHAR',
    name: 'VARCHAR',
    keyId: 'VARCHAR',
    groupId: 'VARCHAR',
    instanceId: 'VARCHAR',
    roleArn: 'VARCHAR',
  },
  responseElements: { ConsoleLogin: 'VARCHAR' },
  additionalEventData: { MFAUsed: 'VARCHAR' },
  resources: [{ ARN: 'VARCHAR' }],
};

export type CloudTrailWrapper = 'none' | 'detail' | '_source' | 'event' | 'message';

function isCloudTrailRecord(o: unknown): boolean {
  if (!isObj(o)) return false;
  const r = o;
  return (
    typeof r['eventName'] === 'string' &&
    typeof r['eventSource'] === 'string' &&
    (typeof r['eventTime'] === 'string' || typeof r['@timestamp'] === 'string') &&
    ('awsRegion' in r || 'userIdentity' in r || 'eventVersion' in r)
  );
}

/** Which wrapper (if any) holds the CloudTrail event in this record. */
export function cloudTrailWrapper(o: unknown): CloudTrailWrapper | null {
  if (isCloudTrailRecord(o)) return 'none';
  if (!isObj(o)) return null;
  const r = o;
  if (isCloudTrailRecord(r['detail'])) return 'detail';
  if (isCloudTrailRecord(r['_source'])) return '_source';
  if (isCloudTrailRecord(r['event'])) return 'event';
  if (typeof r['message'] === 'string' && isCloudTrailRecord(parseJson(r['message']))) return 'message';
  return null;
}

/** The event's category from its name, source and type: one rule for every CloudTrail format (JSON and console CSV). */
function categoryExpr(name: string, source: string, type: string): string {
  return `CASE
        WHEN ${name} IN ('ConsoleLogin', 'CheckMfa', 'ExitRole', 'SwitchRole', 'GetSigninToken') OR ${source} = 'signin.amazonaws.com' THEN 'authentication'
        WHEN ${source} IN ('iam.amazonaws.com', 'sts.amazonaws.com', 'sso.amazonaws.com', 'organizations.amazonaws.com', 'identitystore.amazonaws.com') THEN 'iam'
        WHEN ${source} IN ('cloudtrail.amazonaws.com', 'config.amazonaws.com', 'guardduty.amazonaws.com', 'securityhub.amazonaws.com', 'logs.amazonaws.com') THEN 'audit_logging'
        WHEN ${source} = 'kms.amazonaws.com' THEN 'key_management'
        WHEN ${type} = 'AwsServiceEvent' THEN 'service_event'
        ELSE 'api_call' END`;
}

export function cloudTrailMapping(ctx: MapContext): Mapping {
  const wrapper = (ctx.params['wrapper'] as CloudTrailWrapper | undefined) ?? 'none';
  const ui = 'j.userIdentity';
  return {
    steps: [
      // One parse per record: try() turns invalid JSON into NULL, and the reject reason looks closer only then.
      ...(wrapper === 'none' ? [] : [{ rec: `try(${wrappedRecordExpr(wrapper)})` }]),
      { j: `try(json_transform(${wrapper === 'none' ? 's.raw' : 'rec'}, ${lit(JSON.stringify(CT_STRUCT))}))` },
    ],
    columns: {
      time_raw: `coalesce(j.eventTime, j."@timestamp")`,
      time: `try_cast(coalesce(j.eventTime, j."@timestamp") AS TIMESTAMPTZ)`,
      time_inferred: `CASE WHEN j.eventTime IS NULL AND j."@timestamp" IS NOT NULL THEN 'eventTime missing: @timestamp of the forwarder used' END`,
      activity: 'j.eventName',
      service: 'j.eventSource',
      category: categoryExpr('j.eventName', 'j.eventSource', 'j.eventType'),
      status: `CASE
        WHEN j.errorCode IS NOT NULL THEN 'failure'
        WHEN j.responseElements.ConsoleLogin = 'Failure' THEN 'failure'
        ELSE 'success' END`,
      error_code: `coalesce(j.errorCode, CASE WHEN j.responseElements.ConsoleLogin = 'Failure' THEN j.errorMessage END)`,
      // AssumedRole: the session name (usually the person or SSO login) is the actor; the role is in fields.sessionIssuer.
      actor_user: `CASE WHEN ${ui}.type = 'Root' THEN 'root'
        WHEN ${ui}.type = 'AssumedRole' THEN coalesce(nullif(regexp_extract(${ui}.arn, 'assumed-role/[^/]+/(.+)$', 1), ''), ${ui}.sessionContext.sessionIssuer.userName, ${ui}.principalId)
        ELSE coalesce(${ui}.userName, ${ui}.sessionContext.sessionIssuer.userName,
                      nullif(regexp_extract(${ui}.arn, '[:/]([^:/]+)$', 1), ''), ${ui}.principalId, ${ui}.invokedBy) END`,
      actor_type: `${ui}.type`,
      actor_id: `${ui}.principalId`,
      record_id: 'j.eventID',
      src_ip: 'j.sourceIPAddress',
      user_agent: 'j.userAgent',
      cloud_account: `coalesce(j.recipientAccountId, ${ui}.accountId)`,
      region: 'j.awsRegion',
      target: `coalesce(j.resources[1].ARN, j.requestParameters.userName, j.requestParameters.roleName, j.requestParameters.groupName,
        j.requestParameters.policyArn, j.requestParameters.bucketName, j.requestParameters.name, j.requestParameters.keyId,
        j.requestParameters.groupId, j.requestParameters.instanceId, j.requestParameters.roleArn)`,
      // No `fields`: the record is JSON, queried as raw->>'$.path' (building a map per event would double the load time).
    },
    reject: `CASE
      WHEN j IS NULL THEN CASE
        WHEN NOT json_valid(s.raw) THEN 'invalid JSON'
        WHEN json_type(s.raw) <> 'OBJECT' THEN 'not a JSON object'
        ${wrapper === 'none' ? '' : `WHEN try(${wrappedRecordExpr(wrapper)}) IS NULL OR NOT json_valid(${wrappedRecordExpr(wrapper)}) THEN ${lit(`no CloudTrail event inside the record (expected it in "${wrapper}")`)}`}
        ELSE 'not a JSON object' END
      WHEN j.eventName IS NULL OR j.eventSource IS NULL THEN 'not a CloudTrail event: eventName or eventSource missing'
      END`,
  };
}

export const cloudTrailJson: FormatModule = {
  name: 'cloudtrail',
  family: 'aws_cloudtrail',
  description: 'AWS CloudTrail events: S3 objects and console JSON ({"Records":[...]}), JSON arrays, one event per line (bare or in a forwarder wrapper)',
  defaultFraming: { kind: 'json', layout: 'records', recordsKey: 'Records' },
  defaultParams: { wrapper: 'none' },
  sniff(s: SniffSample): SniffHit | null {
    if (s.text === null) return null;
    const shape = sniffJsonShape(s.text, s.complete);
    if (!shape) return null;
    const wrappers = shape.samples.map(cloudTrailWrapper).filter((w): w is CloudTrailWrapper => w !== null);
    if (wrappers.length === 0) {
      // An empty S3 object ({"Records":[]}) under a CloudTrail path is still CloudTrail.
      if (shape.kind === 'json' && shape.layout === 'records' && /(^|\/)CloudTrail\//.test(s.path)) {
        return { confidence: 0.9, framing: { kind: 'json', layout: 'records', recordsKey: 'Records' }, params: { wrapper: 'none' } };
      }
      return null;
    }
    const wrapper = majority(wrappers)!;
    const framing = shape.kind === 'jsonl' ? ({ kind: 'lines' } as const) : ({ kind: 'json', layout: shape.layout, recordsKey: shape.kind === 'json' ? shape.recordsKey : undefined } as const);
    return {
      confidence: 0.95 * (wrappers.length / Math.max(1, shape.samples.length)),
      framing: framing.kind === 'json' && framing.recordsKey === undefined ? { kind: 'json', layout: framing.layout } : framing,
      params: { wrapper },
      note: wrapper === 'none' ? undefined : `CloudTrail events inside "${wrapper}"`,
    };
  },
  mapping: cloudTrailMapping,
};

/** Console Event history CSV download: columns are matched by header name, case-insensitively. */
const CSV_COLUMNS: Record<string, string[]> = {
  eventId: ['event id'],
  eventTime: ['event time'],
  userName: ['user name', 'username'],
  eventName: ['event name'],
  eventSource: ['event source'],
  resourceType: ['resource type'],
  resourceName: ['resource name'],
  accessKey: ['aws access key', 'access key id'],
  region: ['aws region', 'region'],
  errorCode: ['error code'],
  sourceIp: ['source ip address', 'source ip'],
  readOnly: ['read-only', 'read only'],
  event: ['cloudtrail event'],
};

export function cloudTrailCsvColumns(header: string[]): Record<string, number> {
  const lower = header.map((h) => h.trim().toLowerCase());
  const idx: Record<string, number> = {};
  for (const [k, names] of Object.entries(CSV_COLUMNS)) {
    const i = lower.findIndex((h) => names.includes(h));
    if (i >= 0) idx[k] = i;
  }
  return idx;
}

export const cloudTrailCsv: FormatModule = {
  name: 'cloudtrail_csv',
  family: 'aws_cloudtrail',
  description: 'AWS CloudTrail console Event history download (CSV)',
  defaultFraming: { kind: 'csv', delimiter: ',' },
  sniff(s) {
    if (s.text === null) return null;
    const nl = s.text.indexOf('\n');
    const firstLine = (nl < 0 ? s.text.slice(0, 4096) : s.text.slice(0, Math.min(nl, 4096))).toLowerCase();
    if (firstLine.includes('event name') && firstLine.includes('event time') && firstLine.includes('event source')) {
      return { confidence: 0.97, framing: { kind: 'csv', delimiter: ',' }, params: {} };
    }
    return null;
  },
  mapping(ctx): Mapping {
    const header = (ctx.params['header'] as string[] | undefined) ?? [];
    const c = cloudTrailCsvColumns(header);
    const f = (k: string) => (c[k] === undefined ? 'NULL' : `nullif(f[${c[k]! + 1}], '')`);
    // The "CloudTrail event" column, when the download has it, holds the whole event as JSON: parsed once, into the same
    // struct as the JSON formats; `e(path)` reads a member of it (a VARCHAR NULL without that column).
    const col = c['event'] === undefined ? null : `f[${c['event'] + 1}]`;
    const e = (p: string) => (col === null ? 'NULL::VARCHAR' : `ev.${p}`);
    return {
      steps: [
        { f: `from_json(s.parsed, '["VARCHAR"]')` },
        ...(col === null ? [] : [{ ev: `CASE WHEN json_valid(${col}) THEN try(json_transform(${col}, ${lit(JSON.stringify(CT_STRUCT))})) END` }]),
      ],
      columns: {
        time_raw: f('eventTime'),
        time: `coalesce(try_cast(${f('eventTime')} AS TIMESTAMPTZ), try_cast(${e('eventTime')} AS TIMESTAMPTZ))`,
        activity: f('eventName'),
        service: f('eventSource'),
        category: categoryExpr(f('eventName'), f('eventSource'), e('eventType')),
        status: `CASE WHEN ${f('errorCode')} IS NOT NULL OR ${e('responseElements.ConsoleLogin')} = 'Failure' THEN 'failure' ELSE 'success' END`,
        error_code: f('errorCode'),
        actor_user: `coalesce(CASE WHEN ${e('userIdentity.type')} = 'Root' THEN 'root' END, ${f('userName')})`,
        actor_type: e('userIdentity.type'),
        record_id: f('eventId'),
        src_ip: `coalesce(${f('sourceIp')}, ${e('sourceIPAddress')})`,
        user_agent: e('userAgent'),
        cloud_account: `coalesce(${e('recipientAccountId')}, ${e('userIdentity.accountId')})`,
        region: `coalesce(${f('region')}, ${e('awsRegion')})`,
        target: f('resourceName'),
        fields: csvFieldsMap(header),
      },
      reject: `CASE WHEN ${f('eventName')} IS NULL THEN 'no event name in this row' END`,
    };
  },
};

/** CloudTrail digest files (CloudTrail-Digest/…): one JSON document per file, verified later (see docs). */
export const cloudTrailDigest: FormatModule = {
  name: 'cloudtrail_digest',
  family: 'aws_cloudtrail',
  description: 'AWS CloudTrail digest file (stored in cloudtrail_digests for offline integrity verification)',
  defaultFraming: { kind: 'json', layout: 'concat' },
  target: 'cloudtrail_digests',
  sniff(s) {
    if (s.text === null) return null;
    const t = s.text.trimStart();
    if (!t.startsWith('{')) return null;
    if (/"digestStartTime"\s*:/.test(t) && /"digestEndTime"\s*:/.test(t) && (/"logFiles"\s*:/.test(t) || /"awsAccountId"\s*:/.test(t))) {
      return { confidence: 0.99, framing: { kind: 'json', layout: 'concat' }, params: {} };
    }
    return null;
  },
  mapping(): Mapping {
    const g = (k: string) => `json_extract_string(s.raw, '$.${k}')`;
    return {
      steps: [],
      columns: {
        aws_account_id: g('awsAccountId'),
        digest_start_time: `try_cast(${g('digestStartTime')} AS TIMESTAMPTZ)`,
        digest_end_time: `try_cast(${g('digestEndTime')} AS TIMESTAMPTZ)`,
        digest_s3_bucket: g('digestS3Bucket'),
        digest_s3_object: g('digestS3Object'),
        digest_public_key_fingerprint: g('digestPublicKeyFingerprint'),
        digest_signature_algorithm: g('digestSignatureAlgorithm'),
        previous_digest_s3_bucket: g('previousDigestS3Bucket'),
        previous_digest_s3_object: g('previousDigestS3Object'),
        previous_digest_hash_value: g('previousDigestHashValue'),
        previous_digest_hash_algorithm: g('previousDigestHashAlgorithm'),
        previous_digest_signature: g('previousDigestSignature'),
        log_files: `json_extract(s.raw, '$.logFiles')`,
      },
      reject: `CASE WHEN NOT json_valid(s.raw) THEN 'invalid JSON'
        WHEN try_cast(${g('digestStartTime')} AS TIMESTAMPTZ) IS NULL THEN 'digest without a readable digestStartTime' END`,
    };
  },
};
