/**
 * DDL of a case database: the tables every other module writes and the views auditors query.
 * Layer: engine. Documented column by column in docs/schema.md; keep both in step.
 */

export const SCHEMA_VERSION = 2;

export const DDL = `
CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL);

CREATE SEQUENCE IF NOT EXISTS ingest_seq START 1;

CREATE TABLE IF NOT EXISTS ingests (
  ingest_id     INTEGER PRIMARY KEY,
  started_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ,
  tool_version  VARCHAR NOT NULL,
  host_user     VARCHAR,
  options       JSON
);

CREATE TABLE IF NOT EXISTS archives (
  sha256        VARCHAR PRIMARY KEY,
  path          VARCHAR NOT NULL,
  kind          VARCHAR NOT NULL,          -- file | folder
  size          BIGINT NOT NULL,
  mtime         TIMESTAMPTZ,
  stored_as     VARCHAR NOT NULL,          -- copy | reference
  evidence_path VARCHAR,                   -- relative to the case folder, null for reference
  status        VARCHAR NOT NULL,
  reason        VARCHAR,
  ingest_id     INTEGER NOT NULL,
  imported_at   TIMESTAMPTZ NOT NULL,
  manifest      JSON                       -- folders: sorted [{path,sha256,size}]
);

CREATE TABLE IF NOT EXISTS members (
  member_id       INTEGER PRIMARY KEY,
  archive_sha256  VARCHAR NOT NULL,
  path            VARCHAR NOT NULL,
  depth           INTEGER NOT NULL,
  sha256          VARCHAR,
  size            BIGINT,                  -- bytes of content read (decompressed)
  compressed_size BIGINT,
  compression     VARCHAR,                 -- gzip when a gzip layer was removed
  mtime           TIMESTAMPTZ,
  format          VARCHAR,
  source_family   VARCHAR,
  encoding        VARCHAR,
  records         BIGINT NOT NULL DEFAULT 0,
  loaded          BIGINT NOT NULL DEFAULT 0,
  rejected        BIGINT NOT NULL DEFAULT 0,
  status          VARCHAR NOT NULL,
  reason          VARCHAR,
  params          JSON,
  ingest_id       INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
  event_id       VARCHAR NOT NULL,
  time           TIMESTAMPTZ NOT NULL,
  time_raw       VARCHAR,
  time_inferred  VARCHAR,
  source_family  VARCHAR NOT NULL,
  source_format  VARCHAR NOT NULL,
  stream         VARCHAR NOT NULL,         -- ewb_stream(...): the log stream the event belongs to (gaps, coverage)
  activity       VARCHAR,
  event_code     VARCHAR,
  category       VARCHAR,
  service        VARCHAR,
  status         VARCHAR,
  error_code     VARCHAR,
  actor_user     VARCHAR,
  actor_domain   VARCHAR,
  actor_id       VARCHAR,
  actor_type     VARCHAR,
  src_ip         VARCHAR,
  user_agent     VARCHAR,
  host           VARCHAR,
  cloud_account  VARCHAR,
  region         VARCHAR,
  target         VARCHAR,
  process        VARCHAR,
  command_line   VARCHAR,
  record_id      VARCHAR,
  fields         MAP(VARCHAR, VARCHAR),
  archive_sha256 VARCHAR NOT NULL,
  member_id      INTEGER NOT NULL,
  member_path    VARCHAR NOT NULL,
  record_index   BIGINT NOT NULL,
  line           BIGINT,
  byte_offset    BIGINT,
  ingest_id      INTEGER NOT NULL,
  raw            VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS rejects (
  archive_sha256 VARCHAR NOT NULL,
  member_id      INTEGER NOT NULL,
  member_path    VARCHAR NOT NULL,
  record_index   BIGINT NOT NULL,
  line           BIGINT,
  byte_offset    BIGINT,
  reason         VARCHAR NOT NULL,
  raw            BLOB,
  ingest_id      INTEGER NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS run_seq START 1;
CREATE SEQUENCE IF NOT EXISTS check_seq START 1;

-- Integrity checks run on the case (e.g. CloudTrail digest verification), with their full report.
CREATE TABLE IF NOT EXISTS integrity_checks (
  check_id     INTEGER PRIMARY KEY,
  kind         VARCHAR NOT NULL,
  checked_at   TIMESTAMPTZ NOT NULL,
  tool_version VARCHAR NOT NULL,
  report       JSON NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS batch_seq START 1;

-- Every canned query run is evidence: what ran (id, version, exact SQL and its hash, parameters), when, and what it
-- returned (every row, as JSON, with the event_id that traces it to its raw record).
CREATE TABLE IF NOT EXISTS query_batches (
  batch_id     INTEGER PRIMARY KEY,
  started_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ,
  packs        JSON,
  tool_version VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS query_runs (
  run_id        INTEGER PRIMARY KEY,
  batch_id      INTEGER,
  query_id      VARCHAR NOT NULL,
  query_version INTEGER NOT NULL,
  sql_sha256    VARCHAR NOT NULL,
  sql           VARCHAR NOT NULL,
  params        JSON NOT NULL,
  started_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ NOT NULL,
  row_count     BIGINT NOT NULL,
  columns       JSON NOT NULL,
  tool_version  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS query_results (
  run_id    INTEGER NOT NULL,
  row_index INTEGER NOT NULL,
  event_id  VARCHAR,
  row       JSON NOT NULL
);

-- The raw record as JSON, or NULL when it is not JSON (CSV, syslog, XML records). Queries read raw JSON through this:
-- DuckDB may evaluate a WHERE clause's conditions in any order, so \`source_family = 'x' AND raw->>'$.a' = 'b'\` can
-- parse a syslog line as JSON and fail the whole query; try_cast cannot fail and costs the same single parse.
CREATE OR REPLACE MACRO ewb_json(raw) AS try_cast(raw AS JSON);

-- The vendor record inside a SIEM or bus wrapper (EventBridge detail, Splunk HEC event, Elasticsearch _source, a
-- JSON string in message), or the record itself when \`native\` (a test of its own fields) holds. NULL when none fits.
CREATE OR REPLACE MACRO ewb_unwrap(j, native) AS
  CASE WHEN native THEN j
       WHEN json_type(j, '$.detail') = 'OBJECT' THEN j->'$.detail'
       WHEN json_type(j, '$.event') = 'OBJECT' THEN j->'$.event'
       WHEN json_type(j, '$._source') = 'OBJECT' THEN j->'$._source'
       WHEN json_type(j, '$.message') = 'VARCHAR' AND json_valid(j->>'$.message') THEN try_cast((j->>'$.message') AS JSON) END;
-- Okta System Log event (docs/schema.md (its family section): every wrapper and key style the format reads).
CREATE OR REPLACE MACRO ewb_okta_event(raw) AS
  ewb_unwrap(ewb_json(raw), json_type(ewb_json(raw), '$.eventType') = 'VARCHAR' OR json_type(ewb_json(raw), '$.eventtype') = 'VARCHAR');
-- GitHub audit event (docs/schema.md (its family section)); NULL for CSV rows, whose values are in fields.
CREATE OR REPLACE MACRO ewb_github_event(raw) AS
  ewb_unwrap(ewb_json(raw), json_type(ewb_json(raw), '$.action') = 'VARCHAR');
-- Kubernetes audit Event (j = ewb_json(raw)) inside whichever wrapper delivered it: none, Elasticsearch _source, AKS
-- properties.log / log_s, CloudWatch @message / message (docs/schema.md, its family section).
CREATE OR REPLACE MACRO ewb_k8s_event(j) AS
  CASE WHEN (j->>'$.kind') = 'Event' THEN j
       WHEN json_type(j, '$._source') = 'OBJECT' THEN j->'$._source'
       ELSE try_cast(coalesce((j->>'$.properties.log'), (j->>'$.log_s'), (j->>'$."@message"'), (j->>'$.message')) AS JSON) END;
-- The order of a Kubernetes audit stage within one request (RequestReceived < ResponseStarted < ResponseComplete or
-- no stage < Panic), so a query keeps one row per request: the last stage logged of it.
CREATE OR REPLACE MACRO ewb_k8s_stage_rank(stage) AS
  CASE stage WHEN 'RequestReceived' THEN 1 WHEN 'ResponseStarted' THEN 2 WHEN 'Panic' THEN 4 ELSE 3 END;
-- GCP AuditLog payload (protoPayload) of a LogEntry in any shape the format reads: plain, lower-cased keys, BigQuery
-- rows, Splunk/Elasticsearch/message wrappers and Pub/Sub messages (base64 in message.data).
CREATE OR REPLACE MACRO ewb_gcp_payload(raw) AS
  coalesce(ewb_json(raw)->'$.protoPayload', ewb_json(raw)->'$.protopayload', ewb_json(raw)->'$.protopayload_auditlog', ewb_json(raw)->'$.event.protoPayload', ewb_json(raw)->'$._source.protoPayload',
           CASE WHEN json_type(ewb_json(raw), '$.message') = 'VARCHAR' AND json_valid(ewb_json(raw)->>'$.message') THEN try_cast((ewb_json(raw)->>'$.message') AS JSON)->'$.protoPayload' END,
           CASE WHEN json_type(ewb_json(raw), '$.message.data') = 'VARCHAR' AND json_valid(try(decode(from_base64(ewb_json(raw)->>'$.message.data'))))
             THEN try_cast(try(decode(from_base64(ewb_json(raw)->>'$.message.data'))) AS JSON)->'$.protoPayload' END);

-- The Microsoft 365 unified audit log record of an m365 event: the event itself, or the AuditData of a
-- Search-UnifiedAuditLog object or CSV row; NULL for other families.
CREATE OR REPLACE MACRO ewb_m365_record(family, fields, raw) AS
  CASE WHEN family = 'm365' THEN CASE WHEN fields IS NOT NULL THEN fields['AuditData']
       ELSE coalesce(ewb_json(raw)->>'$.AuditData', ewb_json(raw)->>'$.auditData', raw) END END;

-- The target resources of an Entra audit record (diagnostic, Graph and Log Analytics shapes; Log Analytics dynamic
-- columns may be JSON text); NULL for other records and for the portal CSV download, which has no modified properties.
CREATE OR REPLACE MACRO ewb_entra_targets(family, fields, raw) AS
  CASE WHEN family = 'entra' AND fields IS NULL THEN from_json(
    coalesce(json_extract(ewb_json(raw), '$.properties.targetResources'), json_extract(ewb_json(raw), '$.Properties.targetResources'),
             json_extract(ewb_json(raw), '$.targetResources'),
             CASE WHEN json_type(ewb_json(raw), '$.TargetResources') = 'VARCHAR' THEN try_cast(ewb_json(raw)->>'$.TargetResources' AS JSON)
                  ELSE json_extract(ewb_json(raw), '$.TargetResources') END),
    '[{"id":"VARCHAR","displayName":"VARCHAR","type":"VARCHAR","userPrincipalName":"VARCHAR","modifiedProperties":[{"displayName":"VARCHAR","oldValue":"VARCHAR","newValue":"VARCHAR"}]}]') END;

-- Modified properties as a list of {name, old, new}: every Entra target's (targets = ewb_entra_targets), or the
-- unified audit log record's own (rec = ewb_m365_record).
CREATE OR REPLACE MACRO ewb_modified_properties(family, targets, rec) AS
  CASE WHEN family = 'entra'
    THEN flatten(list_transform(coalesce(targets, []), t -> list_transform(coalesce(t.modifiedProperties, []), m -> {'name': m.displayName, 'old': m.oldValue, 'new': m.newValue})))
    ELSE list_transform(from_json(coalesce(json_extract(rec, '$.ModifiedProperties'), json_extract(rec, '$.modifiedProperties'), json_extract(rec, '$.modifiedproperties')),
           '[{"Name":"VARCHAR","OldValue":"VARCHAR","NewValue":"VARCHAR"}]'), m -> {'name': m.Name, 'old': m.OldValue, 'new': m.NewValue}) END;

-- An instant as ISO 8601 UTC, microseconds only when present (the tool's one text form of a time: db/values.ts).
CREATE OR REPLACE MACRO ewb_iso(ts) AS
  CASE WHEN ts IS NULL THEN NULL
       WHEN epoch_us(ts) % 1000000 = 0 THEN strftime(timezone('UTC', ts), '%Y-%m-%dT%H:%M:%SZ')
       ELSE strftime(timezone('UTC', ts), '%Y-%m-%dT%H:%M:%S.%fZ') END;

-- A log stream: one source of events whose continuity can be judged on its own (an AWS account and region, a
-- Windows host and channel, a Linux host, a tenant or organisation...).
CREATE OR REPLACE MACRO ewb_stream(family, account, region, host, service) AS
  family || ' | ' || coalesce(account, '-') || ' | ' || coalesce(region, host, '-')
  || CASE WHEN family = 'windows' THEN ' | ' || coalesce(service, '-') ELSE '' END;

-- Per member, stream and quarter hour: how many events and the first and last of them. Written by the same
-- transaction that loads the events (see eventBucketsInsert) and checked against events by \`ewb case verify\`. The gap
-- and coverage queries read it instead of the events: a silence longer than a bucket always crosses a bucket boundary,
-- so it is measured exactly from the last and first event times kept here; a quarter hour divides every UTC offset in
-- use, so local days are whole buckets in any case time zone.
CREATE TABLE IF NOT EXISTS event_buckets (
  archive_sha256 VARCHAR NOT NULL,
  member_id      INTEGER NOT NULL,
  ingest_id      INTEGER NOT NULL,
  stream         VARCHAR NOT NULL,
  source_family  VARCHAR NOT NULL,
  cloud_account  VARCHAR,
  bucket         TIMESTAMPTZ NOT NULL,   -- start of the UTC quarter hour the events fall in (ewb_bucket)
  events         BIGINT NOT NULL,
  first_time     TIMESTAMPTZ NOT NULL,
  last_time      TIMESTAMPTZ NOT NULL,
  first_event_id VARCHAR NOT NULL,       -- ties on time broken by event_id, so reruns pick the same event
  last_event_id  VARCHAR NOT NULL
);

-- The bucket of event_buckets an instant falls in: its UTC quarter hour.
CREATE OR REPLACE MACRO ewb_bucket(t) AS time_bucket(INTERVAL 15 MINUTE, t, TIMESTAMPTZ '2000-01-01 00:00:00+00');

-- Events that switch logging off, clear it or narrow it, across families: what a logging gap is checked against.
-- One branch per family, each a plain filter DuckDB pushes into the scan, so the view costs a few column scans.
CREATE OR REPLACE VIEW tamper_events AS
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       CASE WHEN activity IN ('StopLogging', 'DeleteTrail') THEN 'audit trail stopped or deleted'
            WHEN activity IN ('UpdateTrail', 'PutEventSelectors') THEN 'audit trail narrowed or redirected'
            ELSE 'log source or detector disabled' END AS tamper
FROM events WHERE source_family = 'aws_cloudtrail' AND activity IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'StopConfigurationRecorder', 'DeleteDeliveryChannel', 'DeleteDetector', 'DeleteFlowLogs', 'DeleteLogGroup', 'DeleteResolverQueryLogConfig', 'DisableSecurityHub')
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       CASE WHEN event_code IN ('1102', '517') THEN 'security log cleared'
            WHEN event_code = '104' THEN 'event log cleared'
            WHEN event_code = '1100' THEN 'event logging service shut down'
            ELSE 'audit policy changed' END AS tamper
FROM events WHERE source_family = 'windows' AND ((service = 'Security' AND event_code IN ('1102', '517', '1100', '4719', '4912')) OR (service = 'System' AND event_code = '104'))
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'syslog daemon stopped' AS tamper
FROM events WHERE source_family = 'linux' AND service IN ('rsyslogd', 'syslog-ng') AND fields['message'] LIKE '%exiting on signal%'
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       CASE WHEN event_code IN ('DAEMON_END', 'DAEMON_ABORT') THEN 'audit daemon stopped' ELSE 'audit rules removed or auditing disabled' END AS tamper
FROM events WHERE source_family = 'linux' AND service = 'auditd' AND (event_code IN ('DAEMON_END', 'DAEMON_ABORT') OR (event_code = 'CONFIG_CHANGE' AND (fields['op'] IN ('remove_rule', 'remove rule') OR fields['audit_enabled'] = '0')))
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'audit daemon stopped or rules removed' AS tamper
FROM events WHERE source_family = 'linux' AND service IN ('kernel', 'audit', 'audispd', 'auditctl') AND (raw LIKE '%type=DAEMON_END%' OR raw LIKE '%op=remove_rule%' OR raw LIKE '%audit_enabled=0 %')
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'log sink or bucket changed' AS tamper
FROM events WHERE source_family = 'gcp' AND service LIKE 'logging%' AND regexp_matches(activity, '(DeleteSink|UpdateSink|DeleteBucket|UpdateBucket|DeleteExclusion|CreateExclusion|UpdateCmekSettings)$')
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'data access audit logging removed' AS tamper
FROM events WHERE source_family = 'gcp' AND activity ILIKE '%SetIamPolicy' AND category = 'audit_logging'
  AND list_bool_or(list_transform(json_extract(coalesce(ewb_gcp_payload(raw)->'$.serviceData', ewb_gcp_payload(raw)->'$.servicedata_v1_iam'), '$.policyDelta.auditConfigDeltas[*]'), x -> (x->>'$.action') = 'REMOVE'))
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'VPC flow logs disabled' AS tamper
FROM events WHERE source_family = 'gcp' AND activity LIKE '%.compute.subnetworks.patch'
  AND list_transform([coalesce(ewb_gcp_payload(raw)->'$.request', try_cast((ewb_gcp_payload(raw)->>'$.requestJson') AS JSON))],
                     r -> (r->>'$.enableFlowLogs') = 'false' OR (r->>'$.logConfig.enable') = 'false')[1]
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'diagnostic setting or workspace deleted' AS tamper
FROM events WHERE source_family = 'azure' AND upper(activity) IN ('MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE', 'MICROSOFT.OPERATIONALINSIGHTS/WORKSPACES/DELETE')
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'kubernetes events deleted' AS tamper
FROM events WHERE source_family = 'kubernetes' AND lower(activity) LIKE 'delete%' AND target LIKE '%events%'
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'audit log streaming changed' AS tamper
FROM events WHERE source_family = 'github' AND activity LIKE 'audit_log_streaming.%' AND activity NOT LIKE '%create'
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'log stream or event hook disabled' AS tamper
FROM events WHERE source_family = 'okta' AND activity IN ('system.log_stream.lifecycle.deactivate', 'system.log_stream.lifecycle.delete', 'system.log_stream.deactivate', 'system.log_stream.delete', 'event_hook.deactivated', 'event_hook.deleted')
UNION ALL
SELECT event_id, time, source_family, cloud_account, region, host, service, activity, event_code, actor_user, status, stream,
       'audit log configuration changed' AS tamper
FROM events WHERE source_family = 'm365' AND activity = 'Set-AdminAuditLogConfig';

CREATE TABLE IF NOT EXISTS cloudtrail_digests (
  archive_sha256          VARCHAR NOT NULL,
  member_id               INTEGER NOT NULL,
  member_path             VARCHAR NOT NULL,
  aws_account_id          VARCHAR,
  digest_start_time       TIMESTAMPTZ,
  digest_end_time         TIMESTAMPTZ,
  digest_s3_bucket        VARCHAR,
  digest_s3_object        VARCHAR,
  digest_public_key_fingerprint VARCHAR,
  digest_signature_algorithm    VARCHAR,
  previous_digest_s3_bucket     VARCHAR,
  previous_digest_s3_object     VARCHAR,
  previous_digest_hash_value    VARCHAR,
  previous_digest_hash_algorithm VARCHAR,
  previous_digest_signature     VARCHAR,
  log_files               JSON,
  raw                     VARCHAR NOT NULL,
  ingest_id               INTEGER NOT NULL
);
`;

/**
 * What the case holds per member: `loaded` (events, plus stored CloudTrail digests) and `rejected` (rejects), as a
 * relation of `member_id, loaded, rejected` — for the ingest's accounting check and `case verify`. `where` filters
 * the three tables alike (e.g. one archive).
 */
export function memberStoredCounts(where = 'true'): string {
  return `SELECT member_id, sum(loaded)::BIGINT AS loaded, sum(rejected)::BIGINT AS rejected FROM (
      SELECT member_id, count(*) AS loaded, 0 AS rejected FROM events WHERE ${where} GROUP BY member_id
      UNION ALL SELECT member_id, count(*), 0 FROM cloudtrail_digests WHERE ${where} GROUP BY member_id
      UNION ALL SELECT member_id, 0, count(*) FROM rejects WHERE ${where} GROUP BY member_id
    ) GROUP BY member_id`;
}

/** Summarizes one archive's events into event_buckets (run inside the transaction that loads it, once its events are final). */
export function eventBucketsInsert(archiveSha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(archiveSha256)) throw new Error(`not a SHA-256: ${archiveSha256}`);
  return `INSERT INTO event_buckets
SELECT archive_sha256, member_id, ingest_id, stream, source_family, cloud_account, ewb_bucket(time) AS bucket, count(*),
       min(time), max(time), arg_min(event_id, (time, event_id)), arg_max(event_id, (time, event_id))
FROM events WHERE archive_sha256 = '${archiveSha256}'
GROUP BY ALL`;
}
