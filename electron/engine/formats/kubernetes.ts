/**
 * Kubernetes API-server audit log (`audit.k8s.io/v1` Event) as clusters and cloud providers hand it over: the
 * API server's log backend (one Event per line), `EventList` documents (`items`), JSON arrays, and managed-cluster
 * wrappers: AKS diagnostic records (`category` kube-audit / kube-audit-admin, the Event as a JSON string in
 * `properties.log`; Event Hub / storage `{"records":[...]}` documents or one record per line; Log Analytics
 * `AzureDiagnostics` rows with `log_s`), EKS control-plane logs from CloudWatch Logs (the Event as a string in
 * `@message` of Logs Insights exports or `message` of `aws logs filter-log-events` / subscription records, also
 * inside `{"events":[...]}` / `{"logEvents":[...]}` documents) and Elasticsearch `_source`. GKE audit logs are Cloud
 * Logging LogEntry records (protoPayload) and belong to the GCP family: nothing here claims them.
 *
 * The sniffer decides the container and the wrapper per member (`params.wrapper`); the mapping parses the wrapper
 * and the Event once each (json_transform) and derives the columns from the struct. One Event is one record: the
 * stages of one request (RequestReceived, ResponseStarted, ResponseComplete, Panic) are separate events sharing
 * `record_id` = auditID, told apart by `fields['stage']`. Layer: engine (format module).
 */
import type { FormatModule, Mapping, MapContext, SniffHit, SniffSample } from './types.js';
import { isObj, majority, parseJson, sampleKeyedRecords, sniffJsonShape } from './sniff-json.js';
import { lit } from './sql.js';

/** The Event fields the mapping reads (one json_transform per record; the rest stays in `raw`). */
const EVENT_STRUCT = {
  kind: 'VARCHAR',
  apiVersion: 'VARCHAR',
  level: 'VARCHAR',
  auditID: 'VARCHAR',
  stage: 'VARCHAR',
  requestURI: 'VARCHAR',
  verb: 'VARCHAR',
  user: { username: 'VARCHAR', uid: 'VARCHAR', groups: ['VARCHAR'], extra: { arn: ['VARCHAR'], sessionName: ['VARCHAR'], accessKeyId: ['VARCHAR'] } },
  impersonatedUser: { username: 'VARCHAR', groups: ['VARCHAR'] },
  sourceIPs: ['VARCHAR'],
  userAgent: 'VARCHAR',
  objectRef: { resource: 'VARCHAR', subresource: 'VARCHAR', namespace: 'VARCHAR', name: 'VARCHAR', apiGroup: 'VARCHAR', apiVersion: 'VARCHAR' },
  responseStatus: { code: 'BIGINT', status: 'VARCHAR', reason: 'VARCHAR', message: 'VARCHAR' },
  requestReceivedTimestamp: 'VARCHAR',
  stageTimestamp: 'VARCHAR',
  annotations: { 'authorization.k8s.io/decision': 'VARCHAR', 'authorization.k8s.io/reason': 'VARCHAR' },
  // Panther's normalized copy of the event time (its EKS exports drop the timestamps' "Z").
  p_event_time: 'VARCHAR',
};

export type K8sWrapper = 'none' | '_source' | 'properties.log' | 'log_s' | '@message' | 'message';

/** The wrapper struct of each wrapped shape: where the Event string is and what the wrapper adds. */
const WRAPPER_STRUCT: Record<Exclude<K8sWrapper, 'none' | '_source'>, Record<string, unknown>> = {
  'properties.log': { category: 'VARCHAR', time: 'VARCHAR', resourceId: 'VARCHAR', properties: { log: 'VARCHAR', pod: 'VARCHAR' } },
  log_s: { Category: 'VARCHAR', TimeGenerated: 'VARCHAR', ResourceId: 'VARCHAR', _ResourceId: 'VARCHAR', log_s: 'VARCHAR', pod_s: 'VARCHAR' },
  '@message': { '@message': 'VARCHAR', '@timestamp': 'VARCHAR', '@log': 'VARCHAR', '@logStream': 'VARCHAR' },
  message: { message: 'VARCHAR', timestamp: 'VARCHAR', logStreamName: 'VARCHAR', logGroup: 'VARCHAR' },
};

/** Where each wrapper keeps the Event text, its own time, the cluster's resource path and the extra fields it has. */
const WRAPPER_SQL: Record<Exclude<K8sWrapper, 'none' | '_source'>, { event: string; time: string; timeMs?: boolean; resource: string; category: string; pod: string; stream: string }> = {
  'properties.log': { event: 'w.properties.log', time: 'w.time', resource: 'w.resourceId', category: 'w.category', pod: 'w.properties.pod', stream: 'NULL' },
  log_s: { event: 'w.log_s', time: 'w.TimeGenerated', resource: 'coalesce(w._ResourceId, w.ResourceId)', category: 'w.Category', pod: 'w.pod_s', stream: 'NULL' },
  '@message': { event: `w."@message"`, time: `w."@timestamp"`, resource: `w."@log"`, category: 'NULL', pod: 'NULL', stream: `w."@logStream"` },
  message: { event: 'w.message', time: 'w.timestamp', timeMs: true, resource: 'w.logGroup', category: 'NULL', pod: 'NULL', stream: 'w.logStreamName' },
};

/** Whether a parsed object is an audit.k8s.io Event (and not a core `v1` Event of `kubectl get events`). */
export function isAuditEvent(o: unknown): boolean {
  if (!isObj(o)) return false;
  const r = o;
  if (r['kind'] !== 'Event' || 'involvedObject' in r) return false;
  if (r['apiVersion'] !== undefined && !(typeof r['apiVersion'] === 'string' && r['apiVersion'].startsWith('audit.k8s.io/'))) return false;
  return typeof r['verb'] === 'string' || typeof r['requestURI'] === 'string' || typeof r['auditID'] === 'string';
}

function parsedString(v: unknown): unknown {
  return typeof v === 'string' && v.trimStart().startsWith('{') ? parseJson(v) : undefined;
}

/** Which wrapper holds the Event in this record, or null when it holds none. */
export function k8sWrapper(o: unknown): K8sWrapper | null {
  if (isAuditEvent(o)) return 'none';
  if (!isObj(o)) return null;
  const r = o;
  if (isAuditEvent(r['_source'])) return '_source';
  const props = r['properties'] as Record<string, unknown> | undefined;
  if (props && typeof props === 'object' && isAuditEvent(parsedString(props['log']))) return 'properties.log';
  if (isAuditEvent(parsedString(r['log_s']))) return 'log_s';
  if (isAuditEvent(parsedString(r['@message']))) return '@message';
  if (isAuditEvent(parsedString(r['message']))) return 'message';
  return null;
}

/** Time text → TIMESTAMPTZ; audit times without an offset are UTC (Kubernetes writes them in UTC). */
function k8sTime(v: string): string {
  return `CASE WHEN regexp_matches(${v}, '(?i)(z|[+-]\\d{2}:?\\d{2})$') THEN try_cast(${v} AS TIMESTAMPTZ) ELSE timezone('UTC', try_cast(${v} AS TIMESTAMP)) END`;
}

export function kubernetesMapping(ctx: MapContext): Mapping {
  const wrapper = (ctx.params['wrapper'] as K8sWrapper | undefined) ?? 'none';
  const ev = lit(JSON.stringify(EVENT_STRUCT));
  const wsql = wrapper === 'none' || wrapper === '_source' ? null : WRAPPER_SQL[wrapper];
  const steps: Array<Record<string, string>> =
    wrapper === 'none'
      ? [{ j: `try(json_transform(s.raw, ${ev}))` }]
      : wrapper === '_source'
        ? [{ w: `try(json_transform(s.raw, ${lit(JSON.stringify({ _source: EVENT_STRUCT }))}))` }, { j: 'w._source' }]
        : [{ w: `try(json_transform(s.raw, ${lit(JSON.stringify(WRAPPER_STRUCT[wrapper]))}))` }, { j: `try(json_transform(${wsql!.event}, ${ev}))` }];
  const wrapTime = wsql ? wsql.time : 'NULL';
  const resource = wsql ? wsql.resource : 'NULL';
  const a = `j.annotations."authorization.k8s.io/decision"`;
  const ar = `j.annotations."authorization.k8s.io/reason"`;
  const uname = 'j.user.username';
  steps.push(
    {
      t_src: `CASE WHEN j.requestReceivedTimestamp IS NOT NULL THEN 'requestReceivedTimestamp'
        WHEN j.stageTimestamp IS NOT NULL THEN 'stageTimestamp'
        WHEN j.p_event_time IS NOT NULL THEN 'p_event_time'
        WHEN ${wrapTime} IS NOT NULL THEN 'wrapper' END`,
      code: 'j.responseStatus.code',
      has_ref: 'j.objectRef.resource IS NOT NULL',
      iam_arn: 'j.user.extra.arn[1]',
      res_path: resource,
    },
    {
      t_raw: `CASE t_src WHEN 'requestReceivedTimestamp' THEN j.requestReceivedTimestamp WHEN 'stageTimestamp' THEN j.stageTimestamp
        WHEN 'p_event_time' THEN j.p_event_time WHEN 'wrapper' THEN ${wrapTime} END`,
      // kubectl sends "exec" commands as repeated command= query parameters (Go query escaping: "+" is a space).
      // The cluster, when the wrapper names it: AKS resource ids end in managedClusters/<name>; EKS log groups are
      // /aws/eks/<name>/cluster. It is the event's host: one cluster's API server is one log stream.
      cluster: `nullif(coalesce(nullif(regexp_extract(res_path, '(?i)/managedClusters/([^/]+)', 1), ''), regexp_extract(res_path, '/aws/eks/([^/]+)/', 1)), '')`,
      exec_cmd: `CASE WHEN j.objectRef.subresource IN ('exec', 'attach') THEN nullif(array_to_string(list_transform(
        regexp_extract_all(j.requestURI, '[?&]command=([^&]*)', 1), x -> url_decode(replace(x, '+', ' '))), ' '), '') END`,
    },
  );
  const parsedTime =
    wsql?.timeMs === true
      ? `CASE WHEN t_src = 'wrapper' THEN try(make_timestamptz(try_cast(t_raw AS BIGINT) * 1000)) ELSE ${k8sTime('t_raw')} END`
      : k8sTime('t_raw');
  // A JSON value that is not an object parses to a struct of NULLs: looked at only when kind is missing.
  const eventText = wrapper === 'none' ? 's.raw' : wrapper === '_source' ? `json_extract(s.raw, '$._source')` : wsql!.event;
  const notObject = wrapper === 'none' ? lit('not a JSON object') : lit(`the Kubernetes audit event in "${wrapper}" is not a JSON object`);
  const wrapperReason = wrapper === 'none' ? lit('not a JSON object') : `CASE WHEN ${wrapper === '_source' ? 'w._source' : wsql!.event} IS NULL THEN ${lit(`no Kubernetes audit event inside the record (expected it in "${wrapper}")`)} ELSE ${lit(`the Kubernetes audit event in "${wrapper}" is not a JSON object`)} END`;
  return {
    steps,
    columns: {
      time_raw: 't_raw',
      time: parsedTime,
      time_inferred: `nullif(concat_ws('; ',
        CASE t_src WHEN 'stageTimestamp' THEN 'requestReceivedTimestamp missing: stageTimestamp used'
          WHEN 'p_event_time' THEN 'requestReceivedTimestamp missing: Panther p_event_time used'
          WHEN 'wrapper' THEN 'requestReceivedTimestamp missing: the time of the ${wrapper} wrapper used' END,
        CASE WHEN NOT regexp_matches(t_raw, '(?i)(z|[+-]\\d{2}:?\\d{2})$') AND NOT (t_src = 'wrapper' AND ${wsql?.timeMs === true}) THEN 'no UTC offset: read as UTC (Kubernetes writes audit times in UTC)' END), '')`,
      activity: `j.verb || CASE WHEN has_ref THEN ' ' || j.objectRef.resource || coalesce('/' || nullif(j.objectRef.subresource, ''), '') ELSE '' END`,
      event_code: 'j.verb',
      category: `CASE
        WHEN j.objectRef.apiGroup = 'rbac.authorization.k8s.io' OR j.objectRef.resource IN ('serviceaccounts', 'certificatesigningrequests')
          OR j.objectRef.apiGroup = 'certificates.k8s.io' THEN 'iam'
        WHEN j.objectRef.apiGroup = 'authentication.k8s.io' THEN 'authentication'
        WHEN j.objectRef.subresource IN ('exec', 'attach') THEN 'process'
        WHEN j.verb IS NOT NULL THEN 'api_call' END`,
      service: `CASE WHEN has_ref THEN coalesce(nullif(j.objectRef.apiGroup, ''), 'core') END`,
      status: `CASE WHEN code IS NULL THEN NULL WHEN code < 400 THEN 'success' ELSE 'failure' END`,
      error_code: `CASE WHEN code >= 400 THEN code::VARCHAR END`,
      actor_user: uname,
      actor_id: 'j.user.uid',
      actor_type: `CASE
        WHEN ${uname} IS NULL THEN NULL
        WHEN ${uname} LIKE 'system:serviceaccount:%' THEN 'serviceaccount'
        WHEN ${uname} LIKE 'system:node:%' THEN 'node'
        WHEN ${uname} IN ('system:anonymous') THEN 'anonymous'
        WHEN ${uname} LIKE 'system:%' OR ${uname} LIKE 'eks:%' THEN 'system'
        ELSE 'user' END`,
      src_ip: 'j.sourceIPs[1]',
      user_agent: 'j.userAgent',
      host: 'cluster',
      cloud_account: `coalesce(
        nullif(regexp_extract(res_path, '(?i)^/subscriptions/([^/]+)/', 1), ''),
        nullif(regexp_extract(res_path, '^(\\d{12}):/aws/', 1), ''),
        nullif(regexp_extract(iam_arn, '^arn:aws[\\w-]*:(?:iam|sts)::(\\d{12}):', 1), ''))`,
      target: `CASE WHEN has_ref THEN concat_ws('/', nullif(j.objectRef.namespace, ''), j.objectRef.resource, nullif(j.objectRef.name, ''))
        ELSE j.requestURI END`,
      command_line: 'exec_cmd',
      record_id: 'j.auditID',
      fields: `map_from_entries(list_filter([
        {'k': 'stage', 'v': j.stage},
        {'k': 'stage_timestamp', 'v': j.stageTimestamp},
        {'k': 'level', 'v': j.level},
        {'k': 'request_uri', 'v': j.requestURI},
        {'k': 'groups', 'v': CASE WHEN j.user.groups IS NOT NULL THEN to_json(j.user.groups)::VARCHAR END},
        {'k': 'decision', 'v': ${a}},
        {'k': 'authz_reason', 'v': nullif(${ar}, '')},
        {'k': 'impersonated_user', 'v': j.impersonatedUser.username},
        {'k': 'impersonated_groups', 'v': CASE WHEN j.impersonatedUser.groups IS NOT NULL THEN to_json(j.impersonatedUser.groups)::VARCHAR END},
        {'k': 'response_code', 'v': code::VARCHAR},
        {'k': 'response_reason', 'v': j.responseStatus.reason},
        {'k': 'response_message', 'v': j.responseStatus.message},
        {'k': 'source_ips', 'v': CASE WHEN len(j.sourceIPs) > 1 THEN to_json(j.sourceIPs)::VARCHAR END},
        {'k': 'subresource', 'v': nullif(j.objectRef.subresource, '')},
        {'k': 'object_api_version', 'v': j.objectRef.apiVersion},
        {'k': 'iam_arn', 'v': iam_arn},
        {'k': 'iam_session', 'v': j.user.extra.sessionName[1]},
        {'k': 'access_key_id', 'v': j.user.extra.accessKeyId[1]},
        {'k': 'cluster', 'v': cluster},
        {'k': 'wrapper_category', 'v': ${wsql ? wsql.category : 'NULL'}},
        {'k': 'apiserver_pod', 'v': ${wsql ? wsql.pod : 'NULL'}},
        {'k': 'log_stream', 'v': ${wsql ? wsql.stream : 'NULL'}}
      ], x -> x.v IS NOT NULL))`,
    },
    reject: `CASE
      WHEN j IS NULL THEN CASE WHEN NOT json_valid(s.raw) THEN 'invalid JSON' WHEN json_type(s.raw) <> 'OBJECT' THEN 'not a JSON object' ELSE ${wrapperReason} END
      WHEN j.kind IS DISTINCT FROM 'Event' THEN CASE WHEN j.kind IS NULL AND json_type(${eventText}) <> 'OBJECT' THEN ${notObject}
        ELSE 'not a Kubernetes audit event: kind is ' || coalesce('"' || j.kind || '"', 'missing') || ', not "Event"' END
      WHEN j.apiVersion IS NOT NULL AND NOT starts_with(j.apiVersion, 'audit.k8s.io/') THEN 'not a Kubernetes audit event: apiVersion "' || j.apiVersion || '" is not audit.k8s.io'
      WHEN j.verb IS NULL AND j.requestURI IS NULL AND j.auditID IS NULL THEN 'not a Kubernetes audit event: verb, requestURI and auditID missing'
      WHEN t_src IS NULL THEN 'no time: requestReceivedTimestamp and stageTimestamp missing'
      END`,
  };
}

/** Containers with a records array under a key, recognised from the first bytes of a document. */
const CONTAINERS: Array<{ key: string; test: RegExp; note: string }> = [
  { key: 'items', test: /"kind"\s*:\s*"EventList"/, note: 'EventList document (items)' },
  { key: 'records', test: /^\{\s*"records"\s*:\s*\[/, note: 'diagnostic-setting document (records)' },
  { key: 'logEvents', test: /"logEvents"\s*:\s*\[/, note: 'CloudWatch Logs subscription document (logEvents)' },
  { key: 'events', test: /^\{\s*"events"\s*:\s*\[/, note: 'aws logs filter-log-events output (events)' },
];

/** Up to 20 parsed records from the records array under `key` of a sample document. */

function hitFor(samples: unknown[], framing: SniffHit['framing'], container?: string): SniffHit | null {
  const wrappers = samples.map(k8sWrapper).filter((w): w is K8sWrapper => w !== null);
  if (wrappers.length === 0) return null;
  const wrapper = majority(wrappers)!;
  const notes = [container, wrapper === 'none' ? undefined : `Kubernetes audit events inside "${wrapper}"`].filter(Boolean);
  return {
    confidence: 0.97 * (wrappers.length / Math.max(1, samples.length)),
    framing,
    params: { wrapper },
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

export const kubernetesAudit: FormatModule = {
  name: 'k8s_audit',
  family: 'kubernetes',
  description: 'Kubernetes API-server audit events (audit.k8s.io): JSON Lines, EventList, JSON arrays; AKS, EKS (CloudWatch) and Elasticsearch wrappers',
  defaultFraming: { kind: 'lines' },
  defaultParams: { wrapper: 'none' },
  sniff(s: SniffSample) {
    if (s.text === null) return null;
    const t = s.text.trimStart();
    if (t[0] !== '{' && t[0] !== '[') return null;
    const head = t.slice(0, 4096);
    if (t[0] === '{') {
      for (const c of CONTAINERS) {
        if (!c.test.test(head)) continue;
        const hit = hitFor(sampleKeyedRecords(t, c.key), { kind: 'json', layout: 'records', recordsKey: c.key }, c.note);
        if (hit) return hit;
      }
    }
    const shape = sniffJsonShape(s.text, s.complete);
    if (!shape) return null;
    if (shape.kind === 'jsonl') return hitFor(shape.samples, { kind: 'lines' });
    if (shape.layout === 'records') return null; // {"Records": [...]} is CloudTrail's shape, never an audit log's
    return hitFor(shape.samples, { kind: 'json', layout: shape.layout });
  },
  mapping: kubernetesMapping,
};

export const kubernetesFormats: FormatModule[] = [kubernetesAudit];
