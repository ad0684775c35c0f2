/**
 * Microsoft 365 unified audit log (family `m365`): Management Activity API JSON and Purview / Search-UnifiedAuditLog
 * records (`CreationTime`, `Operation`, `Workload`, `UserId`, `ClientIP`, `ResultStatus`…), Search-UnifiedAuditLog
 * objects converted to JSON (the record is the `AuditData` string), Graph `auditLogRecord` objects, Sentinel
 * `OfficeActivity` rows, and the CSV exports (Purview portal: `CreationDate,UserIds,Operations,AuditData`, newer
 * `RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits…`; Export-Csv with or without
 * a `#TYPE` line). The `AuditData` JSON text of wrappers and CSV rows is parsed by DuckDB in the same pass.
 * Microsoft 365 Defender advanced-hunting rows are not the unified audit log and stay with the generic formats.
 * Layer: engine (format modules).
 */
import {
  csvCol,
  csvFraming,
  csvHeader,
  ipOnly,
  msJsonHit,
  msTime,
  msTimeNote,
  packSpec,
  parseObject,
  parseReject,
  structSpec,
  tf,
  upnDomain,
  type MsWrapper,
  type TopField,
} from './microsoft-common.js';
import { csvColumns, csvFieldsMap, lit, wrappedRecordExpr } from './sql.js';
import type { FormatModule, MapContext, Mapping } from './types.js';

/** The members of an audit record the mapping reads (top-level keys in PascalCase, camelCase or lower case). */
const M365_FIELDS: TopField[] = [
  tf('CreationTime', 'VARCHAR'),
  tf('TimeGenerated', 'VARCHAR'),
  tf('createdDateTime', 'VARCHAR'),
  tf('Id', 'VARCHAR'),
  tf('OfficeId', 'VARCHAR'),
  tf('Operation', 'VARCHAR'),
  tf('OrganizationId', 'VARCHAR'),
  tf('RecordType', 'VARCHAR', 'auditLogRecordType'),
  tf('ResultStatus', 'VARCHAR'),
  tf('LogonError', 'VARCHAR'),
  tf('ErrorNumber', 'VARCHAR'),
  tf('UserKey', 'VARCHAR'),
  tf('UserType', 'VARCHAR'),
  tf('UserId', 'VARCHAR'),
  // Graph auditLogRecord: `userId` is the object id, the sign-in name is `userPrincipalName`.
  tf('userPrincipalName', 'VARCHAR'),
  tf('Workload', 'VARCHAR', 'OfficeWorkload', 'service'),
  tf('ClientIP', 'VARCHAR', 'clientIp', 'Client_IPAddress', 'ClientIPAddress', 'ActorIpAddress'),
  tf('ObjectId', 'VARCHAR', 'OfficeObjectId'),
  tf('MailboxOwnerUPN', 'VARCHAR'),
  tf('TargetUserOrGroupName', 'VARCHAR'),
  tf('UserAgent', 'VARCHAR'),
  tf('ExtendedProperties', [{ Name: 'VARCHAR', Value: 'VARCHAR' }]),
  // Graph auditLogRecord: the outcome stays inside the original record.
  tf('auditData', { ResultStatus: 'VARCHAR', LogonError: 'VARCHAR', ErrorNumber: 'VARCHAR' }),
];

/** Search-UnifiedAuditLog objects (ConvertTo-Json): the audit record is the AuditData text. */
const SEARCH_FIELDS: TopField[] = [
  tf('CreationDate', 'VARCHAR'),
  tf('UserIds', 'VARCHAR'),
  tf('Operations', 'VARCHAR'),
  tf('RecordType', 'VARCHAR'),
  tf('AuditData', 'VARCHAR'),
  tf('Identity', 'VARCHAR'),
];

/** RecordType numbers of the Management Activity API schema, by name (CSV and JSON exports write either). */
const RECORD_TYPES: Record<number, string> = {
  1: 'ExchangeAdmin',
  2: 'ExchangeItem',
  3: 'ExchangeItemGroup',
  4: 'SharePoint',
  6: 'SharePointFileOperation',
  7: 'OneDrive',
  8: 'AzureActiveDirectory',
  9: 'AzureActiveDirectoryAccountLogon',
  10: 'DataCenterSecurityCmdlet',
  11: 'ComplianceDLPSharePoint',
  13: 'ComplianceDLPExchange',
  14: 'SharePointSharingOperation',
  15: 'AzureActiveDirectoryStsLogon',
  18: 'SecurityComplianceCenterEOPCmdlet',
  25: 'MicrosoftTeams',
  28: 'ThreatIntelligence',
  33: 'ComplianceDLPSharePointClassification',
  40: 'SecurityComplianceAlerts',
  47: 'ThreatIntelligenceAtpContent',
  50: 'ExchangeItemAggregated',
  64: 'AirInvestigation',
};

/** The normalized category set of the unified audit log (see docs/schema.md (its family section)). `rt` is lower case. */
function m365Category(rt: string, workload: string, op: string): string {
  const names = (...xs: string[]) => xs.map((x) => lit(x.toLowerCase())).join(', ');
  return `CASE
    WHEN ${rt} IN (${names('AzureActiveDirectoryStsLogon', 'AzureActiveDirectoryAccountLogon')}) OR ${op} IN ('UserLoggedIn', 'UserLoginFailed', 'MailboxLogin') THEN 'authentication'
    WHEN ${rt} = 'azureactivedirectory' OR (${workload} = 'exchange' AND regexp_matches(${op}, '(?i)permission|^(add|remove)-rolegroupmember|^(new|remove)-managementroleassignment')) THEN 'iam'
    WHEN ${rt} IN (${names('ExchangeAdmin', 'DataCenterSecurityCmdlet', 'SecurityComplianceCenterEOPCmdlet')}) THEN 'admin'
    WHEN ${rt} IN (${names('ExchangeItem', 'ExchangeItemGroup', 'ExchangeItemAggregated')}) OR ${op} = 'MailItemsAccessed' THEN 'mailbox_access'
    WHEN ${rt} = 'sharepointsharingoperation' OR (${workload} IN ('sharepoint', 'onedrive') AND regexp_matches(${op}, '(?i)shar|link')) THEN 'sharing'
    WHEN ${rt} = 'sharepointfileoperation' OR (${workload} IN ('sharepoint', 'onedrive') AND regexp_matches(${op}, '(?i)^(file|folder)')) THEN 'file_access'
    WHEN ${rt} IN (${names('ComplianceDLPSharePoint', 'ComplianceDLPExchange', 'ComplianceDLPSharePointClassification')}) OR regexp_matches(${op}, '(?i)^dlp') THEN 'dlp'
    WHEN ${rt} IN (${names('ThreatIntelligence', 'ThreatIntelligenceAtpContent', 'SecurityComplianceAlerts', 'AirInvestigation')}) THEN 'security_alert'
    WHEN ${rt} = 'microsoftteams' OR ${workload} = 'microsoftteams' THEN 'collaboration'
    ELSE 'audit' END`;
}

/** UserType (number or name) as an actor type. */
function userType(v: string): string {
  return `CASE lower(${v})
    WHEN '0' THEN 'user' WHEN 'regular' THEN 'user' WHEN '1' THEN 'reserved' WHEN 'reserved' THEN 'reserved'
    WHEN '2' THEN 'admin' WHEN 'admin' THEN 'admin' WHEN '3' THEN 'datacenterAdmin' WHEN 'dcadmin' THEN 'datacenterAdmin'
    WHEN '4' THEN 'system' WHEN 'system' THEN 'system' WHEN '5' THEN 'app' WHEN 'application' THEN 'app'
    WHEN '6' THEN 'servicePrincipal' WHEN 'serviceprincipal' THEN 'servicePrincipal'
    WHEN '7' THEN 'policy' WHEN 'custompolicy' THEN 'policy' WHEN '8' THEN 'policy' WHEN 'systempolicy' THEN 'policy' END`;
}

/** What wraps the audit record: nothing (API, OfficeActivity), a Search-UnifiedAuditLog object, or a CSV row. */
interface Outer {
  steps: Array<Record<string, string>>;
  /** The audit record's JSON text. */
  text: string;
  creation: string;
  operation: string;
  user: string;
  recordType: string;
  recordId: string;
  /** Reject reasons before the record itself is looked at. */
  reject: string;
}

function m365Columns(o: Outer, variant: string): { steps: Array<Record<string, string>>; columns: Mapping['columns']; reject: string } {
  const rtNames = Object.entries(RECORD_TYPES).map(([n, name]) => `WHEN '${n}' THEN '${name}'`).join(' ');
  const steps = [
    ...o.steps,
    { j: parseObject(o.text, structSpec(M365_FIELDS)) },
    { r: packSpec(M365_FIELDS, 'j') },
    {
      rt: `lower(CASE coalesce(r.RecordType, ${o.recordType}) ${rtNames} ELSE coalesce(r.RecordType, ${o.recordType}) END)`,
      op: `coalesce(nullif(r.Operation, ''), ${o.operation})`,
      result: `coalesce(r.ResultStatus, r.auditData.ResultStatus)`,
      logon_error: `coalesce(nullif(r.LogonError, ''), nullif(r.auditData.LogonError, ''))`,
      error_number: `coalesce(nullif(r.ErrorNumber, ''), nullif(r.auditData.ErrorNumber, ''))`,
      time_txt: `coalesce(r.CreationTime, r.TimeGenerated, r.createdDateTime, ${o.creation})`,
    },
  ];
  const failedLogin = `(op = 'UserLoginFailed' OR logon_error IS NOT NULL)`;
  const status = `CASE WHEN ${failedLogin} THEN 'failure'
      WHEN lower(result) IN ('succeeded', 'success', 'true') THEN 'success'
      WHEN lower(result) IN ('failed', 'failure', 'false') THEN 'failure' END`;
  return {
    steps,
    columns: {
      // CreationTime is documented as UTC and written without an offset.
      time_raw: 'time_txt',
      time: msTime('time_txt'),
      time_inferred: msTimeNote('time_txt', 'UTC', 'documented'),
      source_format: lit(`m365_audit_${variant}`),
      activity: 'op',
      event_code: 'coalesce(r.RecordType, ' + o.recordType + ')',
      category: m365Category('rt', 'lower(r.Workload)', 'op'),
      service: `nullif(r.Workload, '')`,
      status,
      error_code: `CASE WHEN ${status} = 'failure' THEN coalesce(logon_error, error_number) END`,
      actor_user: `coalesce(nullif(r.userPrincipalName, ''), nullif(r.UserId, ''), ${o.user})`,
      actor_domain: upnDomain(`coalesce(r.userPrincipalName, r.UserId, ${o.user})`),
      actor_id: `coalesce(nullif(r.UserKey, ''), CASE WHEN r.userPrincipalName IS NOT NULL THEN nullif(r.UserId, '') END)`,
      actor_type: userType('r.UserType'),
      src_ip: ipOnly('r.ClientIP'),
      user_agent: `coalesce(nullif(r.UserAgent, ''), list_filter(r.ExtendedProperties, x -> x.Name = 'UserAgent')[1].Value)`,
      cloud_account: `nullif(r.OrganizationId, '')`,
      target: `coalesce(nullif(r.ObjectId, ''), nullif(r.MailboxOwnerUPN, ''), nullif(r.TargetUserOrGroupName, ''))`,
      record_id: `coalesce(nullif(r.Id, ''), nullif(r.OfficeId, ''), ${o.recordId})`,
    },
    reject: `coalesce((${o.reject}), CASE
      WHEN op IS NULL THEN 'not a Microsoft 365 audit record: Operation missing'
      WHEN time_txt IS NULL THEN 'no event time: CreationTime missing' END)`,
  };
}

export function m365JsonMapping(ctx: MapContext): Mapping {
  const variant = (ctx.params['variant'] as string | undefined) ?? 'api';
  const wrapper = (ctx.params['wrapper'] as MsWrapper | undefined) ?? 'none';
  const outer: Outer =
    variant === 'search'
      ? {
          steps: [{ w: parseObject(wrappedRecordExpr(wrapper), structSpec(SEARCH_FIELDS)) }, { o: packSpec(SEARCH_FIELDS, 'w') }],
          text: 'o.AuditData',
          creation: 'o.CreationDate',
          operation: 'o.Operations',
          user: 'o.UserIds',
          recordType: 'o.RecordType',
          recordId: 'NULL::VARCHAR',
          reject: `CASE WHEN w IS NULL THEN ${parseReject(wrapper)}
            WHEN o.AuditData IS NULL THEN 'no AuditData in this Search-UnifiedAuditLog record'
            WHEN j IS NULL THEN 'AuditData is not a JSON object (cut off or edited?)' END`,
        }
      : {
          steps: [],
          text: wrappedRecordExpr(wrapper),
          creation: 'NULL::VARCHAR',
          operation: 'NULL::VARCHAR',
          user: 'NULL::VARCHAR',
          recordType: 'NULL::VARCHAR',
          recordId: 'NULL::VARCHAR',
          reject: `CASE WHEN j IS NULL THEN ${parseReject(wrapper)} END`,
        };
  const { steps, columns, reject } = m365Columns(outer, variant);
  return { steps, columns, reject };
}

export const m365Audit: FormatModule = {
  name: 'm365_audit',
  family: 'm365',
  description:
    'Microsoft 365 unified audit log, JSON: Management Activity API content, Search-UnifiedAuditLog output (ConvertTo-Json), Graph auditLogRecord, Sentinel OfficeActivity rows',
  defaultFraming: { kind: 'lines' },
  defaultParams: { variant: 'api', wrapper: 'none' },
  sniff: (s) => msJsonHit(s, ['m365_audit'], 'm365_audit'),
  mapping: m365JsonMapping,
};

/** CSV column names of the Purview export, Search-UnifiedAuditLog | Export-Csv and their older spellings. */
const M365_CSV_COLUMNS: Record<string, string[]> = {
  recordId: ['recordid'],
  creation: ['creationdate', 'creationtime', 'createddatetime'],
  recordType: ['recordtype'],
  operation: ['operations', 'operation'],
  user: ['userids', 'userid'],
  audit: ['auditdata'],
};

export function m365CsvMapping(ctx: MapContext): Mapping {
  const header = (ctx.params['header'] as string[] | undefined) ?? [];
  const c = csvColumns(header, M365_CSV_COLUMNS);
  const audit = csvCol(c, 'audit');
  const outer: Outer = {
    steps: [{ f: `from_json(s.parsed, '["VARCHAR"]')` }, { ad: audit }],
    text: 'ad',
    creation: csvCol(c, 'creation'),
    operation: csvCol(c, 'operation'),
    user: csvCol(c, 'user'),
    recordType: csvCol(c, 'recordType'),
    recordId: csvCol(c, 'recordId'),
    reject: `CASE WHEN ad IS NULL THEN 'AuditData column empty'
      WHEN j IS NULL THEN 'AuditData column is not a JSON object (cut off or edited?)' END`,
  };
  const { steps, columns, reject } = m365Columns(outer, 'csv');
  return { steps, columns: { ...columns, fields: csvFieldsMap(header) }, reject };
}

export const m365AuditCsv: FormatModule = {
  name: 'm365_audit_csv',
  family: 'm365',
  description: 'Microsoft 365 unified audit log, CSV: Purview audit search export, Search-UnifiedAuditLog | Export-Csv (AuditData column expanded)',
  defaultFraming: { kind: 'csv', delimiter: ',' },
  sniff(s) {
    const h = csvHeader(s);
    if (!h) return null;
    const c = csvColumns(h.header, M365_CSV_COLUMNS);
    if (c['audit'] === undefined || c['creation'] === undefined) return null;
    return {
      confidence: 0.97,
      framing: csvFraming(h.typeLine),
      params: { header: h.header },
      note: h.typeLine ? 'PowerShell Export-Csv file (#TYPE line skipped)' : undefined,
    };
  },
  mapping: m365CsvMapping,
};

export const m365Formats: FormatModule[] = [m365Audit, m365AuditCsv];
