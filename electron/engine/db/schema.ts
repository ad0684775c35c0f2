/**
 * DDL of a case database: the tables every other module writes and the views auditors query.
 * Layer: engine. Documented column by column in docs/schema.md; keep both in step.
 */

export const SCHEMA_VERSION = 1;

/** Columns of `events` in table order. The ingest pipeline and the docs test read this list. */
export const EVENT_COLUMNS = [
  'event_id',
  'time',
  'time_raw',
  'time_inferred',
  'source_family',
  'source_format',
  'activity',
  'event_code',
  'category',
  'service',
  'status',
  'error_code',
  'actor_user',
  'actor_domain',
  'actor_id',
  'actor_type',
  'src_ip',
  'user_agent',
  'host',
  'cloud_account',
  'region',
  'target',
  'process',
  'command_line',
  'record_id',
  'fields',
  'archive_sha256',
  'member_id',
  'member_path',
  'record_index',
  'line',
  'byte_offset',
  'ingest_id',
  'raw',
] as const;

export const DDL = `
CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL);

CREATE SEQUENCE IF NOT EXISTS ingest_seq START 1;
CREATE SEQUENCE IF NOT EXISTS member_seq START 1;

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
