/**
 * GitHub organization and enterprise audit log: the web UI's JSON export (an array) and CSV export (one column per
 * key, nested keys dotted: `actor_location.country_code`, `data.hook_id`), the REST API (`GET /orgs/{org}/audit-log`,
 * `GET /enterprises/{enterprise}/audit-log`: JSON arrays), Git-events exports and audit-log streaming to storage
 * (JSON Lines, `.json.log.gz`), and SIEM wrappers around single events (Splunk HEC `event`, Elasticsearch `_source`,
 * a JSON string in `message`). GitHub webhook deliveries (`GitHub.Webhook` in Panther's corpus) are not the audit log:
 * they describe repository activity (`action: "opened"` plus `sender`/`repository` objects, usually without a time of
 * their own) and are left to the generic formats. Each JSON record is parsed once by DuckDB (json_transform into the
 * struct below). Layer: engine (format module).
 */
import type { FormatModule, Mapping, MapContext, SniffHit, SniffSample } from './types.js';
import { isObj, majority, parseJson, shapeFraming, sniffJsonShape } from './sniff-json.js';
import { splitCsvRecord } from '../framing/csv-framer.js';
import { csvColumns, csvFieldsMap, jsonRecordReason, lit, wrappedRecordExpr } from './sql.js';

export type GithubWrapper = 'none' | 'event' | '_source' | 'message';

/** The audit-log members the mapping reads; everything else stays in `raw`. */
const GH_STRUCT = {
  '@timestamp': 'VARCHAR',
  // Panther's data lake renames `@timestamp` to this.
  at_sign_timestamp: 'VARCHAR',
  created_at: 'VARCHAR',
  action: 'VARCHAR',
  actor: 'VARCHAR',
  actor_id: 'VARCHAR',
  actor_ip: 'VARCHAR',
  actor_is_bot: 'VARCHAR',
  actor_location: { country_code: 'VARCHAR' },
  user: 'VARCHAR',
  org: 'VARCHAR',
  repo: 'VARCHAR',
  repository: 'VARCHAR',
  team: 'VARCHAR',
  business: 'VARCHAR',
  _document_id: 'VARCHAR',
  user_agent: 'VARCHAR',
  operation_type: 'VARCHAR',
  programmatic_access_type: 'VARCHAR',
  token_id: 'VARCHAR',
  hashed_token: 'VARCHAR',
  external_identity_nameid: 'VARCHAR',
};

/** Members only audit-log entries carry (webhook payloads and other products' audit logs lack them). */
const GH_MARKERS = ['@timestamp', 'at_sign_timestamp', '_document_id', 'actor_location', 'org', 'repo', 'business', 'programmatic_access_type', 'operation_type'];

/** A GitHub audit-log entry: a `category.verb` action, the actor as a login string (or absent), a GitHub member. */
export function isGithubAuditEntry(o: unknown): boolean {
  if (!isObj(o)) return false;
  const action = o['action'];
  if (typeof action !== 'string' || !/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(action)) return false;
  if (o['actor'] !== undefined && o['actor'] !== null && typeof o['actor'] !== 'string') return false;
  if ('sender' in o) return false;
  return GH_MARKERS.some((k) => k in o) || (typeof o['created_at'] === 'number' && typeof o['actor'] === 'string');
}

export function githubWrapper(o: unknown): GithubWrapper | null {
  if (isGithubAuditEntry(o)) return 'none';
  if (!isObj(o)) return null;
  if (isGithubAuditEntry(o['event'])) return 'event';
  if (isGithubAuditEntry(o['_source'])) return '_source';
  if (typeof o['message'] === 'string' && isGithubAuditEntry(parseJson(o['message']))) return 'message';
  return null;
}

const HAS_OFFSET = `'(?i)(z|[+-]\\d{2}(:?\\d{2})?)$'`;

/**
 * GitHub writes `@timestamp` and `created_at` as epoch milliseconds. Other epoch units are told by their digit count;
 * ISO strings with an offset are read as stated; ISO strings without one (a pipeline rewrote the number) have no
 * documented zone and are read in the case time zone.
 */
function ghTime(v: string, tz: string): { time: string; inferred: string } {
  return {
    time: `CASE
      WHEN regexp_full_match(${v}, '\\d{9,10}') THEN try(make_timestamptz(${v}::BIGINT * 1000000))
      WHEN regexp_full_match(${v}, '\\d{11,13}') THEN try(make_timestamptz(${v}::BIGINT * 1000))
      WHEN regexp_full_match(${v}, '\\d{14,16}') THEN try(make_timestamptz(${v}::BIGINT))
      WHEN regexp_full_match(${v}, '\\d{17,19}') THEN try(make_timestamptz((${v}::HUGEINT // 1000)::BIGINT))
      WHEN regexp_matches(${v}, ${HAS_OFFSET}) THEN try_cast(${v} AS TIMESTAMPTZ)
      ELSE timezone(${lit(tz)}, try_cast(${v} AS TIMESTAMP)) END`,
    inferred: `CASE WHEN NOT regexp_full_match(${v}, '\\d+') AND NOT regexp_matches(${v}, ${HAS_OFFSET}) THEN ${lit(`no UTC offset: read as local time in ${tz}`)} END`,
  };
}

/** The action's category prefix (`org.add_member` → `org`): GitHub's own grouping of audit events. */
const prefixOf = (a: string) => `nullif(split_part(${a}, '.', 1), '')`;

/**
 * Category from the action, checked in order (see docs/schema.md (its family section)): audit-log configuration,
 * sign-in, identity and access (membership, roles, credentials, SSO/SCIM/2FA), Git reads, Git pushes, workflow runs,
 * and everything else GitHub audits (settings of orgs, repositories, enterprises, hooks, apps, rules) as `admin`.
 */
function categoryExpr(a: string): string {
  return `CASE
    WHEN ${a} IS NULL THEN NULL
    WHEN ${a} LIKE '%audit_log%' THEN 'audit_logging'
    WHEN ${a} IN ('org.sso_response', 'business.sso_response', 'user.login', 'user.failed_login', 'user.logout') THEN 'authentication'
    WHEN ${prefixOf(a)} IN ('team', 'org_credential_authorization', 'personal_access_token', 'oauth_access', 'oauth_authorization', 'public_key',
        'two_factor_authentication', 'organization_role', 'role', 'enterprise_role', 'organization_moderators', 'business_member')
      OR regexp_matches(${a}, '\\.\\w*(member|admin|owner|collaborator|billing_manager|maintainer|moderator|invite|saml|scim|sso|two_factor|oauth)') THEN 'iam'
    WHEN ${a} IN ('git.clone', 'git.fetch', 'repo.download_zip') THEN 'data_access'
    WHEN ${a} = 'git.push' THEN 'code_change'
    WHEN ${prefixOf(a)} IN ('workflows', 'actions') THEN 'automation'
    ELSE 'admin' END`;
}

/**
 * The object acted on: for identity and access actions the user (or team) they concern, for the others the
 * repository; `user` on a repository action is usually the actor again.
 */
function targetExpr(cat: string, user: string, team: string, repo: string): string {
  return `CASE WHEN ${cat} = 'iam' THEN coalesce(${user}, ${team}, ${repo}) ELSE coalesce(${repo}, ${user}, ${team}) END`;
}

/** GitHub records no outcome; only an action that names one sets the status. */
function statusExpr(a: string): string {
  return `CASE WHEN regexp_matches(${a}, '(^|[._])fail(ed|ure)?([._]|$)') THEN 'failure'
    WHEN regexp_matches(${a}, '(^|[._])(success|succeeded|successful)([._]|$)') THEN 'success' END`;
}

export function githubMapping(ctx: MapContext): Mapping {
  const wrapper = (ctx.params['wrapper'] as GithubWrapper | undefined) ?? 'none';
  const src = wrapper === 'none' ? 's.raw' : 'rec';
  const noInner = lit(`no GitHub audit event inside the record (expected it in "${wrapper}")`);
  const tv = 'coalesce(j."@timestamp", j.at_sign_timestamp, j.created_at)';
  const t = ghTime('tv', ctx.caseTimezone);
  return {
    steps: [...(wrapper === 'none' ? [] : [{ rec: `try(${wrappedRecordExpr(wrapper)})` }]), { j: `try(json_transform(${src}, ${lit(JSON.stringify(GH_STRUCT))}))` }, { tv, cat: categoryExpr('j.action') }],
    columns: {
      time_raw: 'tv',
      time: t.time,
      time_inferred: t.inferred,
      activity: 'j.action',
      service: prefixOf('j.action'),
      category: 'cat',
      status: statusExpr('j.action'),
      actor_user: 'j.actor',
      actor_id: 'j.actor_id',
      actor_type: `CASE WHEN j.actor_is_bot = 'true' OR j.actor LIKE '%[bot]' THEN 'bot' WHEN j.actor_is_bot = 'false' THEN 'user' END`,
      src_ip: 'j.actor_ip',
      user_agent: 'j.user_agent',
      // The organization; enterprise-level events carry only the enterprise (`business`).
      cloud_account: 'coalesce(j.org, j.business)',
      target: targetExpr('cat', 'j.user', 'j.team', 'coalesce(j.repo, j.repository)'),
      record_id: 'j._document_id',
      // A few values a query needs without knowing the wrapper; everything else stays in `raw`.
      fields: `map_from_entries(list_filter([
        {'k': 'country_code', 'v': j.actor_location.country_code},
        {'k': 'operation_type', 'v': j.operation_type},
        {'k': 'business', 'v': j.business},
        {'k': 'repo', 'v': coalesce(j.repo, j.repository)},
        {'k': 'programmatic_access_type', 'v': j.programmatic_access_type},
        {'k': 'token_id', 'v': j.token_id},
        {'k': 'hashed_token', 'v': j.hashed_token},
        {'k': 'external_identity_nameid', 'v': j.external_identity_nameid}
      ], e -> e.v IS NOT NULL))`,
    },
    reject: `CASE
      WHEN j.action IS NULL THEN ${jsonRecordReason(wrapper !== 'none', src, noInner, "'not a GitHub audit log event: action missing'")}
      END`,
  };
}

export const githubAudit: FormatModule = {
  name: 'github_audit',
  family: 'github',
  description: 'GitHub organization/enterprise audit log: web UI JSON export, REST API pages, Git-events and streaming JSON Lines, SIEM wrappers',
  defaultFraming: { kind: 'json', layout: 'concat' },
  defaultParams: { wrapper: 'none' },
  sniff(s: SniffSample): SniffHit | null {
    if (s.text === null) return null;
    const shape = sniffJsonShape(s.text, s.complete);
    if (!shape) return null;
    const wrappers = shape.samples.map(githubWrapper).filter((w): w is GithubWrapper => w !== null);
    if (wrappers.length === 0) return null;
    const wrapper = majority(wrappers)!;
    return {
      confidence: 0.95 * (wrappers.length / Math.max(1, shape.samples.length)),
      framing: shapeFraming(shape),
      params: { wrapper },
      note: wrapper === 'none' ? undefined : `GitHub audit events inside "${wrapper}"`,
    };
  },
  mapping: githubMapping,
};

/** CSV export columns, matched by header name (csvColumns: trimmed, case-insensitive; the first name present wins). */
const CSV_COLUMNS: Record<string, string[]> = {
  timestamp: ['@timestamp'],
  created_at: ['created_at'],
  action: ['action'],
  actor: ['actor'],
  actor_id: ['actor_id'],
  actor_ip: ['actor_ip'],
  actor_is_bot: ['actor_is_bot'],
  country_code: ['actor_location.country_code', 'country_code'],
  user: ['user'],
  org: ['org'],
  repo: ['repo'],
  repository: ['repository'],
  team: ['team', 'data.team'],
  business: ['business'],
  document_id: ['_document_id'],
  user_agent: ['user_agent'],
};

export const githubAuditCsv: FormatModule = {
  name: 'github_audit_csv',
  family: 'github',
  description: 'GitHub organization/enterprise audit log: web UI CSV export',
  defaultFraming: { kind: 'csv', delimiter: ',' },
  sniff(s) {
    if (s.text === null) return null;
    const nl = s.text.indexOf('\n');
    if (nl < 0 && !s.complete) return null;
    const header = splitCsvRecord(s.text.slice(0, nl < 0 ? undefined : nl).replace(/\r$/, ''), ',');
    if (!header) return null;
    const c = csvColumns(header, CSV_COLUMNS);
    if (c['action'] === undefined || c['actor'] === undefined || (c['timestamp'] === undefined && c['created_at'] === undefined)) return null;
    return { confidence: 0.9, framing: { kind: 'csv', delimiter: ',' }, params: {} };
  },
  mapping(ctx): Mapping {
    const header = (ctx.params['header'] as string[] | undefined) ?? [];
    const c = csvColumns(header, CSV_COLUMNS);
    const f = (k: string) => (c[k] === undefined ? 'NULL' : `nullif(f[${c[k]}], '')`);
    const t = ghTime('tv', ctx.caseTimezone);
    return {
      steps: [{ f: `from_json(s.parsed, '["VARCHAR"]')` }, { tv: `coalesce(${f('timestamp')}, ${f('created_at')})`, a: f('action') }, { cat: categoryExpr('a') }],
      columns: {
        time_raw: 'tv',
        time: t.time,
        time_inferred: t.inferred,
        activity: 'a',
        service: prefixOf('a'),
        category: 'cat',
        status: statusExpr('a'),
        actor_user: f('actor'),
        actor_id: f('actor_id'),
        actor_type: `CASE WHEN lower(${f('actor_is_bot')}) = 'true' OR ${f('actor')} LIKE '%[bot]' THEN 'bot' WHEN lower(${f('actor_is_bot')}) = 'false' THEN 'user' END`,
        src_ip: f('actor_ip'),
        user_agent: f('user_agent'),
        cloud_account: `coalesce(${f('org')}, ${f('business')})`,
        target: targetExpr('cat', f('user'), f('team'), `coalesce(${f('repo')}, ${f('repository')})`),
        record_id: f('document_id'),
        fields: csvFieldsMap(header),
      },
      reject: `CASE WHEN a IS NULL THEN 'not a GitHub audit log event: action missing' END`,
    };
  },
};

export const githubFormats: FormatModule[] = [githubAudit, githubAuditCsv];
