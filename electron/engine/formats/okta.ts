/**
 * Okta System Log: LogEvent objects as the API returns them (`GET /api/v1/logs`: a JSON array per page), one per line
 * (JSON Lines, e.g. `jq -c '.[]'` of those pages or a SIEM export), and the wrappers SIEMs put around them: Okta Log
 * Streaming to Amazon EventBridge (`detail`), Splunk HEC (`event`), Elasticsearch (`_source`), a JSON string in
 * `message`, and data-lake rows whose top-level keys were lower-cased (`eventtype`, `displaymessage`,
 * `debugcontext`). Each record is parsed once by DuckDB (json_transform into the struct below); the wrapper and key
 * style are chosen per member by the sniffer and reach the mapping through `params`. Layer: engine (format module).
 */
import type { FormatModule, Mapping, MapContext, SniffHit, SniffSample } from './types.js';
import { isObj, majority, parseJson, shapeFraming, sniffJsonShape } from './sniff-json.js';
import { jsonRecordReason, lit, wrappedRecordExpr } from './sql.js';

export type OktaWrapper = 'none' | 'detail' | 'event' | '_source' | 'message';
/** `camel`: LogEvent keys as Okta writes them; `lower`: top-level keys lower-cased by a data lake. */
export type OktaKeys = 'camel' | 'lower';

/** Top-level LogEvent keys that are camel-cased (the others are single lower-case words in both styles). */
const CAMEL_KEYS = ['eventType', 'legacyEventType', 'displayMessage', 'debugContext', 'authenticationContext'];

/**
 * The LogEvent members the mapping reads, for one key style. Both styles list the same fields in the same order, so
 * DuckDB (whose struct field names are case-insensitive) treats both results as one type.
 */
function logEventStruct(keys: OktaKeys): Record<string, unknown> {
  const k = (camel: string) => (keys === 'lower' ? camel.toLowerCase() : camel);
  return {
    uuid: 'VARCHAR',
    published: 'VARCHAR',
    [k('eventType')]: 'VARCHAR',
    [k('legacyEventType')]: 'VARCHAR',
    [k('displayMessage')]: 'VARCHAR',
    severity: 'VARCHAR',
    actor: { id: 'VARCHAR', type: 'VARCHAR', alternateId: 'VARCHAR', displayName: 'VARCHAR' },
    client: { ipAddress: 'VARCHAR', userAgent: { rawUserAgent: 'VARCHAR' } },
    outcome: { result: 'VARCHAR', reason: 'VARCHAR' },
    target: [{ id: 'VARCHAR', type: 'VARCHAR', alternateId: 'VARCHAR', displayName: 'VARCHAR' }],
    transaction: { id: 'VARCHAR' },
    request: { ipChain: [{ ip: 'VARCHAR' }] },
    [k('debugContext')]: { debugData: { origin: 'VARCHAR', redirectUri: 'VARCHAR', url: 'VARCHAR', requestUri: 'VARCHAR' } },
    [k('authenticationContext')]: { externalSessionId: 'VARCHAR' },
  };
}

/** Text that only a record with top-level keys of this style contains (a substring test, no parse). */
function styleHint(keys: OktaKeys, src: string): string {
  return CAMEL_KEYS.map((n) => `contains(${src}, '"${keys === 'lower' ? n.toLowerCase() : n}"')`).join(' OR ');
}

/** Hosts Okta runs orgs on; a URL on one of them names the org (custom domains cannot be told from other sites). */
const OKTA_HOST = String.raw`^https?://([a-z0-9-]+\.(?:okta|oktapreview|okta-emea|okta-gov|okta-mil|trexcloud)\.com)(?:[:/?#]|$)`;

/** An Okta LogEvent: a dotted eventType plus one of the members only the System Log writes. */
export function isOktaEvent(o: unknown): boolean {
  if (!isObj(o)) return false;
  const type = o['eventType'] ?? o['eventtype'];
  if (typeof type !== 'string' || !/^[a-z0-9_]+(\.[a-z0-9_]+)+$/i.test(type)) return false;
  const actor = o['actor'];
  return (
    typeof o['published'] === 'string' ||
    typeof (o['displayMessage'] ?? o['displaymessage']) === 'string' ||
    typeof (o['legacyEventType'] ?? o['legacyeventtype']) === 'string' ||
    (isObj(actor) && typeof actor['alternateId'] === 'string')
  );
}

/** Where the LogEvent sits in this record, or null when it holds none. */
export function oktaWrapper(o: unknown): OktaWrapper | null {
  if (isOktaEvent(o)) return 'none';
  if (!isObj(o)) return null;
  if (isOktaEvent(o['detail'])) return 'detail';
  if (isOktaEvent(o['event'])) return 'event';
  if (isOktaEvent(o['_source'])) return '_source';
  if (typeof o['message'] === 'string' && isOktaEvent(parseJson(o['message']))) return 'message';
  return null;
}

function unwrap(o: unknown, wrapper: OktaWrapper): unknown {
  if (!isObj(o) || wrapper === 'none') return o;
  return wrapper === 'message' ? parseJson(String(o['message'])) : o[wrapper];
}

/**
 * eventType patterns → category, checked in order; the first match wins and no match leaves the category NULL
 * (the list is in docs/schema.md (its family section)).
 */
const CATEGORY_RULES: Array<[string, string]> = [
  ['audit_logging', String.raw`^(system\.log_stream|log_stream|event_hook|system\.event_hook)\.`],
  [
    'authentication',
    String.raw`^(user\.session|user\.authentication|app\.oauth2)\.|^policy\.evaluate_sign_on$|^user\.account\.lock|^user\.mfa\.okta_verify\.deny_push|^user\.mfa\.attempt_bypass|^app\.generic\.unauth_app_access_attempt$`,
  ],
  ['security', String.raw`^(security|user\.risk)\.|rate_limit`],
  ['iam', String.raw`^(user\.lifecycle|user\.account|user\.mfa\.factor|user\.credential|group|application\.user_membership|app\.user_management|role|iam|system\.api_token)\.`],
  ['admin', String.raw`^(policy|application|system|zone|network_zone|org|brand|domain)\.`],
];

export function oktaMapping(ctx: MapContext): Mapping {
  const wrapper = (ctx.params['wrapper'] as OktaWrapper | undefined) ?? 'none';
  const keys = (ctx.params['keys'] as OktaKeys | undefined) ?? 'camel';
  const other: OktaKeys = keys === 'camel' ? 'lower' : 'camel';
  const src = wrapper === 'none' ? 's.raw' : 'rec';
  const noInner = lit(`no Okta event inside the record (expected it in "${wrapper}")`);
  const merged = (f: string) => `coalesce(j0.${f}, j1.${f})`;
  const category = `CASE ${CATEGORY_RULES.map(([cat, re]) => `WHEN regexp_matches(j.eventType, ${lit(re)}) THEN ${lit(cat)}`).join('\n        ')} END`;
  const naive = `NOT regexp_matches(j.published, '(?i)(z|[+-]\\d{2}(:?\\d{2})?)$')`;
  return {
    steps: [
      ...(wrapper === 'none' ? [] : [{ rec: `try(${wrappedRecordExpr(wrapper)})` }]),
      // One parse per record in the member's key style; a record that also carries keys of the other style (a text
      // search tells) is parsed in that style too and the two are merged field by field.
      { j0: `try(json_transform(${src}, ${lit(JSON.stringify(logEventStruct(keys)))}))` },
      { j1: `CASE WHEN ${styleHint(other, src)} THEN try(json_transform(${src}, ${lit(JSON.stringify(logEventStruct(other)))})) END` },
      {
        j: `CASE WHEN j0 IS NOT NULL OR j1 IS NOT NULL THEN {
          'uuid': ${merged('uuid')}, 'published': ${merged('published')}, 'eventType': ${merged('eventType')},
          'legacyEventType': ${merged('legacyEventType')}, 'displayMessage': ${merged('displayMessage')}, 'severity': ${merged('severity')},
          'actor': ${merged('actor')}, 'client': ${merged('client')}, 'outcome': ${merged('outcome')}, 'target': ${merged('target')},
          'transaction': ${merged('transaction')}, 'request': ${merged('request')}, 'debugData': struct_extract(${merged('debugContext')}, 'debugData'),
          'session': struct_extract(${merged('authenticationContext')}, 'externalSessionId')} END`,
      },
      { result: 'upper(j.outcome.result)' },
    ],
    columns: {
      time_raw: 'j.published',
      // Okta documents `published` as UTC; a time without an offset lost its `Z` on the way and is read as UTC.
      time: `CASE WHEN ${naive} THEN timezone('UTC', try_cast(j.published AS TIMESTAMP)) ELSE try_cast(j.published AS TIMESTAMPTZ) END`,
      time_inferred: `CASE WHEN ${naive} THEN 'no UTC offset: read as UTC (Okta publishes UTC)' END`,
      activity: 'j.eventType',
      event_code: 'j.legacyEventType',
      service: `'okta'`,
      category,
      // CHALLENGE, SKIPPED and UNKNOWN say nothing final about the attempt: status stays NULL (result is in fields).
      status: `CASE WHEN result IN ('SUCCESS', 'ALLOW') THEN 'success' WHEN result IN ('FAILURE', 'DENY') THEN 'failure' END`,
      error_code: `CASE WHEN result IS DISTINCT FROM 'SUCCESS' AND result IS DISTINCT FROM 'ALLOW' THEN j.outcome.reason END`,
      actor_user: 'j.actor.alternateId',
      actor_id: 'j.actor.id',
      actor_type: 'j.actor.type',
      src_ip: 'coalesce(j.client.ipAddress, j.request.ipChain[1].ip)',
      user_agent: 'j.client.userAgent.rawUserAgent',
      // The admin console runs on `<org>-admin.okta.com`: the org is named without the suffix.
      cloud_account: `regexp_replace(nullif(coalesce(
        nullif(regexp_extract(lower(j.debugData.origin), ${lit(OKTA_HOST)}, 1), ''),
        nullif(regexp_extract(lower(j.debugData.redirectUri), ${lit(OKTA_HOST)}, 1), ''),
        nullif(regexp_extract(lower(j.debugData.url), ${lit(OKTA_HOST)}, 1), ''),
        nullif(regexp_extract(lower(j.debugData.requestUri), ${lit(OKTA_HOST)}, 1), '')), ''), '^([a-z0-9-]+)-admin\\.', '\\1.')`,
      // Okta writes the literal `unknown` as alternateId of authenticators, rules and policies; their name is then the target.
      target: `coalesce(nullif(j.target[1].alternateId, 'unknown'), j.target[1].displayName, j.target[1].id)`,
      record_id: 'j.uuid',
      // A few values a query needs without knowing the record's key style or wrapper; the rest stays in `raw`.
      fields: `map_from_entries(list_filter([
        {'k': 'display_message', 'v': j.displayMessage},
        {'k': 'outcome_result', 'v': j.outcome.result},
        {'k': 'outcome_reason', 'v': j.outcome.reason},
        {'k': 'severity', 'v': j.severity},
        {'k': 'actor_display_name', 'v': j.actor.displayName},
        {'k': 'target_type', 'v': j.target[1].type},
        {'k': 'target_display_name', 'v': j.target[1].displayName},
        {'k': 'targets', 'v': CASE WHEN len(j.target) > 1 THEN array_to_string(list_transform(j.target, t -> coalesce(nullif(t.alternateId, 'unknown'), t.displayName, t.id)), ',') END},
        {'k': 'session_id', 'v': j.session},
        {'k': 'transaction_id', 'v': j.transaction.id}
      ], e -> e.v IS NOT NULL))`,
    },
    reject: `CASE
      WHEN j.eventType IS NULL THEN ${jsonRecordReason(wrapper !== 'none', src, noInner, "'not an Okta System Log event: eventType missing'")}
      END`,
  };
}

export const oktaSystemLog: FormatModule = {
  name: 'okta_system_log',
  family: 'okta',
  description: 'Okta System Log events: /api/v1/logs JSON arrays, JSON Lines, SIEM wrappers (EventBridge detail, Splunk HEC event, Elasticsearch _source, message)',
  defaultFraming: { kind: 'json', layout: 'concat' },
  defaultParams: { wrapper: 'none', keys: 'camel' },
  sniff(s: SniffSample): SniffHit | null {
    if (s.text === null) return null;
    const shape = sniffJsonShape(s.text, s.complete);
    if (!shape) return null;
    const found = shape.samples.map((o) => ({ o, w: oktaWrapper(o) })).filter((x): x is { o: unknown; w: OktaWrapper } => x.w !== null);
    if (found.length === 0) return null;
    const wrapper = majority(found.map((x) => x.w))!;
    const keys = majority(
      found.filter((x) => x.w === wrapper).map((x): OktaKeys => {
        const r = unwrap(x.o, wrapper);
        return isObj(r) && typeof r['eventtype'] === 'string' ? 'lower' : 'camel';
      }),
    )!;
    return {
      confidence: 0.95 * (found.length / Math.max(1, shape.samples.length)),
      framing: shapeFraming(shape),
      params: { wrapper, keys },
      note: wrapper === 'none' ? (keys === 'lower' ? 'top-level keys lower-cased (data-lake export)' : undefined) : `Okta events inside "${wrapper}"`,
    };
  },
  mapping: oktaMapping,
};

export const oktaFormats: FormatModule[] = [oktaSystemLog];
