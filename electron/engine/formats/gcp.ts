/**
 * Google Cloud audit logs: Cloud Audit Logs LogEntry records (`protoPayload` of type AuditLog) as Cloud Logging
 * exports them — JSON Lines from Cloud Storage sinks (`cloudaudit.googleapis.com/activity/YYYY/MM/DD/*.json`), JSON
 * arrays from `gcloud logging read --format=json` or the Logs Explorer download — and the shapes they take on the way
 * elsewhere: BigQuery sink rows (`protopayload_auditlog`, times written `… UTC`), Pub/Sub messages (the LogEntry
 * base64-encoded in `message.data`), forwarder wrappers (Splunk HEC `event`, Elasticsearch `_source`, a JSON string
 * in `message`) and SIEM data-lake rows whose top-level keys were lower-cased (`protopayload`, `insertid`, `logname`).
 * Each record is parsed once by DuckDB (json_transform into the struct below); the wrapper and key style are chosen
 * per member by the sniffer and reach the mapping through `params`. Layer: engine (format module).
 */
import type { FormatModule, Mapping, MapContext, SniffHit, SniffSample } from './types.js';
import { isObj, majority, type Obj, parseJson, shapeFraming, sniffJsonShape } from './sniff-json.js';
import { jsonRecordReason, lit, wrappedRecordExpr } from './sql.js';

export type GcpWrapper = 'none' | 'pubsub' | 'event' | '_source' | 'message';
/** `camel`: LogEntry keys as the Logging API writes them; `lower`: top-level keys lower-cased by a data lake. */
export type GcpKeys = 'camel' | 'lower';

/** The AuditLog members the mapping reads (identical in the LogEntry and in BigQuery's `protopayload_auditlog`). */
const AUDIT_LOG = {
  serviceName: 'VARCHAR',
  methodName: 'VARCHAR',
  resourceName: 'VARCHAR',
  authenticationInfo: { principalEmail: 'VARCHAR', principalSubject: 'VARCHAR', serviceAccountKeyName: 'VARCHAR' },
  requestMetadata: { callerIp: 'VARCHAR', callerSuppliedUserAgent: 'VARCHAR' },
  authorizationInfo: [{ permission: 'VARCHAR', granted: 'VARCHAR' }],
  status: { code: 'VARCHAR', message: 'VARCHAR' },
  resourceLocation: { currentLocations: ['VARCHAR'] },
  // Only to recognise SetIamPolicy calls that change audit-log configuration (a logging gap), kept as JSON text.
  serviceData: { policyDelta: { auditConfigDeltas: 'VARCHAR' } },
};

/**
 * The LogEntry struct for one key style. Both styles list the same fields in the same order, so DuckDB (whose struct
 * field names are case-insensitive) treats the two results as one type and a CASE can pick either.
 */
function logEntryStruct(keys: GcpKeys): Record<string, unknown> {
  const k = (camel: string) => (keys === 'lower' ? camel.toLowerCase() : camel);
  return {
    [k('insertId')]: 'VARCHAR',
    [k('logName')]: 'VARCHAR',
    timestamp: 'VARCHAR',
    [k('receiveTimestamp')]: 'VARCHAR',
    severity: 'VARCHAR',
    resource: { type: 'VARCHAR', labels: { project_id: 'VARCHAR', location: 'VARCHAR', region: 'VARCHAR', zone: 'VARCHAR' } },
    [k('protoPayload')]: AUDIT_LOG,
    protopayload_auditlog: AUDIT_LOG,
  };
}

/** Text that only a record with top-level keys of this style contains (a substring test, no parse). */
function styleHint(keys: GcpKeys, src: string): string {
  const names = keys === 'lower' ? ['protopayload', 'logname', 'insertid', 'receivetimestamp'] : ['protoPayload', 'logName', 'insertId', 'receiveTimestamp'];
  return names.map((n) => `contains(${src}, '"${n}"')`).join(' OR ');
}

/** google.rpc.Code names, for `error_code` (the number alone means little to a reader). */
const RPC_CODES: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  15: 'DATA_LOSS',
  16: 'UNAUTHENTICATED',
};

/** Services whose calls are identity and access management. */
const IAM_SERVICES = ['iam.googleapis.com', 'iamcredentials.googleapis.com', 'sts.googleapis.com', 'cloudidentity.googleapis.com', 'admin.googleapis.com', 'accesscontextmanager.googleapis.com'];

function payloadOf(r: Obj): Obj | null {
  const p = r['protoPayload'] ?? r['protopayload'] ?? r['protopayload_auditlog'];
  return isObj(p) ? p : null;
}

/** A Cloud Audit Logs entry: a protoPayload that names its method or service, or says it is an AuditLog. */
export function isGcpAuditEntry(o: unknown): boolean {
  if (!isObj(o)) return false;
  const p = payloadOf(o);
  if (!p) return false;
  const type = p['@type'] ?? p['at_sign_type'];
  return typeof p['methodName'] === 'string' || typeof p['serviceName'] === 'string' || (typeof type === 'string' && type.includes('google.cloud.audit.AuditLog'));
}

/** Where the LogEntry sits in this record, or null when it holds none. */
export function gcpWrapper(o: unknown): GcpWrapper | null {
  if (isGcpAuditEntry(o)) return 'none';
  if (!isObj(o)) return null;
  const msg = o['message'];
  if (isObj(msg) && typeof msg['data'] === 'string' && isGcpAuditEntry(parseJson(Buffer.from(msg['data'], 'base64').toString('utf8')))) return 'pubsub';
  if (typeof msg === 'string' && isGcpAuditEntry(parseJson(msg))) return 'message';
  if (isGcpAuditEntry(o['event'])) return 'event';
  if (isGcpAuditEntry(o['_source'])) return '_source';
  return null;
}

function keysOf(o: unknown, wrapper: GcpWrapper): GcpKeys {
  let r: unknown = o;
  if (isObj(o) && wrapper === 'pubsub') r = parseJson(Buffer.from(String((o['message'] as Obj)['data']), 'base64').toString('utf8'));
  else if (isObj(o) && wrapper === 'message') r = parseJson(String(o['message']));
  else if (isObj(o) && wrapper !== 'none') r = o[wrapper];
  return isObj(r) && isObj(r['protopayload']) ? 'lower' : 'camel';
}

/** The LogEntry as JSON text, unwrapped according to the member's wrapper. */
function entryExpr(wrapper: GcpWrapper): string {
  return wrapper === 'pubsub' ? `decode(from_base64(json_extract_string(s.raw, '$.message.data')))` : wrappedRecordExpr(wrapper);
}

/**
 * A LogEntry time as TIMESTAMPTZ. LogEntry times are UTC by definition (protobuf Timestamp, written as RFC 3339 with
 * `Z`); BigQuery exports write `… UTC`. A time with no offset at all comes from a pipeline that dropped the `Z`, so it
 * is read as UTC (and `time_inferred` says so). DuckDB keeps microseconds: nanoseconds are truncated here and kept in
 * `time_raw`.
 */
function utcTime(v: string): string {
  return `CASE WHEN regexp_matches(${v}, '(?i)(z|[+-]\\d{2}(:?\\d{2})?|\\sutc)$') THEN try_cast(${v} AS TIMESTAMPTZ)
    ELSE timezone('UTC', try_cast(${v} AS TIMESTAMP)) END`;
}

export function gcpAuditMapping(ctx: MapContext): Mapping {
  const wrapper = (ctx.params['wrapper'] as GcpWrapper | undefined) ?? 'none';
  const keys = (ctx.params['keys'] as GcpKeys | undefined) ?? 'camel';
  const other: GcpKeys = keys === 'camel' ? 'lower' : 'camel';
  const src = wrapper === 'none' ? 's.raw' : 'rec';
  const noInner = lit(wrapper === 'pubsub' ? 'no LogEntry inside the Pub/Sub message (expected base64 JSON in message.data)' : `no LogEntry inside the record (expected it in "${wrapper}")`);
  const lt = 'log_type';
  const status = `CASE WHEN coalesce(code, 0) = 0 THEN 'success' ELSE 'failure' END`;
  const codeName = `CASE code ${Object.entries(RPC_CODES).map(([n, name]) => `WHEN ${n} THEN '${name}'`).join(' ')} ELSE code::VARCHAR END`;
  return {
    steps: [
      ...(wrapper === 'none' ? [] : [{ rec: `try(${entryExpr(wrapper)})` }]),
      // One parse per record in the member's key style. A record that also carries keys of the other style (a
      // cheap text search tells) is parsed a second time in that style and the two are merged field by field.
      { j0: `try(json_transform(${src}, ${lit(JSON.stringify(logEntryStruct(keys)))}))` },
      { j1: `CASE WHEN ${styleHint(other, src)} THEN try(json_transform(${src}, ${lit(JSON.stringify(logEntryStruct(other)))})) END` },
      {
        j: `CASE WHEN j0 IS NOT NULL OR j1 IS NOT NULL THEN {
          'insertId': coalesce(j0.insertId, j1.insertId),
          'logName': coalesce(j0.logName, j1.logName),
          'timestamp': coalesce(j0."timestamp", j1."timestamp"),
          'receiveTimestamp': coalesce(j0.receiveTimestamp, j1.receiveTimestamp),
          'severity': coalesce(j0.severity, j1.severity),
          'resource': coalesce(j0.resource, j1.resource),
          'payload': coalesce(j0.protoPayload, j1.protoPayload, j0.protopayload_auditlog, j1.protopayload_auditlog)} END`,
      },
      { p: 'j.payload' },
      {
        code: 'try_cast(p.status.code AS INTEGER)',
        log_type: `nullif(regexp_extract(j.logName, 'cloudaudit\\.googleapis\\.com(?:%2[Ff]|/)(\\w+)$', 1), '')`,
        principal: 'coalesce(p.authenticationInfo.principalEmail, p.authenticationInfo.principalSubject)',
        // Panther and some data lakes spell the caller address `callerIP`; DuckDB struct names are case-insensitive, so
        // that spelling is looked up (text search first) only where `callerIp` is absent.
        caller_ip: `coalesce(p.requestMetadata.callerIp, CASE WHEN p IS NOT NULL AND contains(${src}, '"callerIP"') THEN try(coalesce(
          json_extract_string(${src}, '$.protoPayload.requestMetadata.callerIP'), json_extract_string(${src}, '$.protopayload.requestMetadata.callerIP'))) END)`,
      },
    ],
    columns: {
      time_raw: 'coalesce(j."timestamp", j.receiveTimestamp)',
      time: utcTime('coalesce(j."timestamp", j.receiveTimestamp)'),
      time_inferred: `nullif(concat_ws('; ',
        CASE WHEN j."timestamp" IS NULL AND j.receiveTimestamp IS NOT NULL THEN 'timestamp missing: receiveTimestamp (when Cloud Logging received the entry) used' END,
        CASE WHEN NOT regexp_matches(coalesce(j."timestamp", j.receiveTimestamp), '(?i)(z|[+-]\\d{2}(:?\\d{2})?|\\sutc)$') THEN 'no UTC offset: read as UTC (LogEntry times are UTC)' END), '')`,
      activity: 'p.methodName',
      service: 'p.serviceName',
      category: `CASE
        WHEN ${lt} = 'policy' THEN 'policy_denied'
        WHEN p.serviceName = 'logging.googleapis.com' THEN 'audit_logging'
        WHEN p.methodName ILIKE '%SetIamPolicy' AND p.serviceData.policyDelta.auditConfigDeltas IS NOT NULL THEN 'audit_logging'
        WHEN p.serviceName IN (${IAM_SERVICES.map(lit).join(', ')}) OR p.methodName ILIKE '%IamPolicy' OR p.methodName ILIKE '%IamPermissions'
          OR starts_with(p.methodName, 'io.k8s.authorization.rbac.') THEN 'iam'
        WHEN p.serviceName = 'cloudkms.googleapis.com' THEN 'key_management'
        WHEN p.serviceName = 'login.googleapis.com' THEN 'authentication'
        WHEN ${lt} = 'system_event' THEN 'service_event'
        WHEN ${lt} = 'data_access' THEN 'data_access'
        ELSE 'api_call' END`,
      status,
      error_code: `CASE WHEN coalesce(code, 0) <> 0 THEN ${codeName} END`,
      actor_user: 'principal',
      actor_id: 'p.authenticationInfo.principalSubject',
      // The LogEntry does not state the kind of principal; it is read from the principal's form.
      actor_type: `CASE
        WHEN principal ILIKE '%gserviceaccount.com' THEN 'service_account'
        WHEN principal LIKE 'principal://%' OR principal LIKE 'principalSet://%' THEN 'federated'
        WHEN principal LIKE '%@%' THEN 'user' END`,
      src_ip: 'caller_ip',
      user_agent: 'p.requestMetadata.callerSuppliedUserAgent',
      cloud_account: `coalesce(j.resource.labels.project_id, nullif(regexp_extract(j.logName, '^projects/([^/]+)/logs/', 1), ''),
        nullif(regexp_extract(j.logName, '^((?:organizations|folders|billingAccounts)/[^/]+)/logs/', 1), ''))`,
      region: 'coalesce(j.resource.labels.location, j.resource.labels.region, j.resource.labels.zone, p.resourceLocation.currentLocations[1])',
      target: 'p.resourceName',
      record_id: 'j.insertId',
      // A few values a query needs without knowing the record's key style or wrapper; the rest stays in `raw`.
      fields: `map_from_entries(list_filter([
        {'k': 'log_type', 'v': ${lt}},
        {'k': 'severity', 'v': j.severity},
        {'k': 'resource_type', 'v': j.resource.type},
        {'k': 'status_message', 'v': p.status.message},
        {'k': 'permissions', 'v': nullif(array_to_string(list_transform(p.authorizationInfo, a -> a.permission), ','), '')},
        {'k': 'denied_permissions', 'v': nullif(array_to_string(list_transform(list_filter(p.authorizationInfo, a -> a.granted = 'false'), a -> a.permission), ','), '')}
      ], e -> e.v IS NOT NULL))`,
    },
    reject: `CASE
      WHEN p IS NULL THEN ${jsonRecordReason(wrapper !== 'none', src, noInner, "'not a Cloud Audit Logs entry: protoPayload missing'")}
      WHEN p.methodName IS NULL THEN 'not a Cloud Audit Logs entry: protoPayload.methodName missing'
      END`,
  };
}

export const gcpAudit: FormatModule = {
  name: 'gcp_audit',
  family: 'gcp',
  description:
    'Google Cloud Audit Logs (LogEntry with an AuditLog protoPayload): Cloud Storage sink JSON Lines, gcloud/Logs Explorer JSON arrays, BigQuery sink rows, Pub/Sub messages, forwarder wrappers',
  defaultFraming: { kind: 'json', layout: 'concat' },
  defaultParams: { wrapper: 'none', keys: 'camel' },
  sniff(s: SniffSample): SniffHit | null {
    if (s.text === null) return null;
    const shape = sniffJsonShape(s.text, s.complete);
    if (!shape) return null;
    const found = shape.samples.map((o) => ({ o, w: gcpWrapper(o) })).filter((x): x is { o: unknown; w: GcpWrapper } => x.w !== null);
    if (found.length === 0) return null;
    const wrapper = majority(found.map((x) => x.w))!;
    const keys = majority(found.filter((x) => x.w === wrapper).map((x) => keysOf(x.o, wrapper)))!;
    return {
      confidence: 0.95 * (found.length / Math.max(1, shape.samples.length)),
      framing: shapeFraming(shape),
      params: { wrapper, keys },
      note: wrapper === 'none' ? (keys === 'lower' ? 'top-level keys lower-cased (data-lake export)' : undefined) : wrapper === 'pubsub' ? 'LogEntries inside Pub/Sub messages' : `LogEntries inside "${wrapper}"`,
    };
  },
  mapping: gcpAuditMapping,
};

export const gcpFormats: FormatModule[] = [gcpAudit];
