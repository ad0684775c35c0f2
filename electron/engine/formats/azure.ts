/**
 * Azure Activity Log (family `azure`) and Microsoft Entra audit and sign-in logs (family `entra`): JSON exports in
 * the shapes Microsoft ships them (diagnostic-setting records from Event Hub `{"records":[...]}` documents or Storage
 * JSON Lines, `az monitor activity-log list` / REST arrays, Graph `directoryAudits` / `signIns` responses, Log
 * Analytics `AzureActivity` / `AuditLogs` / `SigninLogs` rows, Elasticsearch `_source` wrappers) and the portal CSV
 * downloads. Each module's sniffer classifies sample records and passes the shape (`variant`) and wrapper to one SQL
 * mapping per log type; every record is parsed once by DuckDB (json_transform) and its columns derive from that
 * struct. Helpers shared with Microsoft 365 are in microsoft-common.ts. Layer: engine (format modules).
 */
import { csvColumns, csvFieldsMap, lit, wrappedRecordExpr } from './sql.js';
import type { FormatModule, MapContext, Mapping } from './types.js';
import { ENTRA_SIGNIN_CATEGORIES, SIGNIN_TABLES, csvCol, csvFraming, csvHeader, ipOnly, msJsonHit, msTime, msTimeNote, packSpec, parseObject, parseReject, structSpec, tf, upnDomain, type JType, type MsWrapper, type TopField } from './microsoft-common.js';

// ---------------------------------------------------------------------------------------------------------------
// Azure Activity Log
// ---------------------------------------------------------------------------------------------------------------

/** Token claims of the caller (Activity Log `identity.claims`, REST `claims`, Log Analytics `Claims_d`). */
const CLAIMS: JType = {
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'VARCHAR',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': 'VARCHAR',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'VARCHAR',
  'http://schemas.microsoft.com/identity/claims/objectidentifier': 'VARCHAR',
  oid: 'VARCHAR',
  appid: 'VARCHAR',
  ipaddr: 'VARCHAR',
  idtyp: 'VARCHAR',
  xms_mirid: 'VARCHAR',
};

function claimsOf(c: string): { user: string; oid: string; appid: string; ip: string; type: string } {
  const g = (k: string) => `nullif(struct_extract(${c}, ${lit(k)}), '')`;
  const oid = `coalesce(${g('http://schemas.microsoft.com/identity/claims/objectidentifier')}, ${g('oid')})`;
  return {
    user: `coalesce(${g('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn')}, ${g('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name')},
      ${g('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress')}, ${oid}, ${g('appid')})`,
    oid,
    appid: g('appid'),
    ip: g('ipaddr'),
    type: `CASE WHEN ${g('xms_mirid')} IS NOT NULL THEN 'managedIdentity'
      WHEN lower(${g('idtyp')}) = 'user' OR ${g('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn')} IS NOT NULL THEN 'user'
      WHEN lower(${g('idtyp')}) = 'app' OR ${g('appid')} IS NOT NULL THEN 'servicePrincipal' END`,
  };
}

/** Role-assignment evidence (Activity Log `identity.authorization.evidence`): who was authorised, as what. */
const AUTHORIZATION: JType = { action: 'VARCHAR', scope: 'VARCHAR', evidence: { principalId: 'VARCHAR', principalType: 'VARCHAR', role: 'VARCHAR' } };

const DIAG_FIELDS: TopField[] = [
  tf('time', 'VARCHAR'),
  tf('resourceId', 'VARCHAR', 'ResourceId'),
  tf('operationName', 'VARCHAR', 'OperationName'),
  tf('category', 'VARCHAR', 'Category'),
  tf('resultType', 'VARCHAR', 'ResultType'),
  tf('resultSignature', 'VARCHAR', 'ResultSignature'),
  tf('callerIpAddress', 'VARCHAR', 'CallerIpAddress'),
  tf('correlationId', 'VARCHAR', 'CorrelationId'),
  tf('location', 'VARCHAR', 'Location'),
  tf('tenantId', 'VARCHAR', 'TenantId'),
  tf('identity', { authorization: AUTHORIZATION, claims: CLAIMS }, 'Identity'),
  tf('properties', { eventDataId: 'VARCHAR', entity: 'VARCHAR', statusCode: 'VARCHAR', eventCategory: 'VARCHAR', userAgentHeader: 'VARCHAR' }, 'Properties'),
  // Resource logs of the same schema (Storage, Key Vault…) give an HTTP status and the request URI instead.
  tf('statusCode', 'VARCHAR', 'StatusCode'),
  tf('uri', 'VARCHAR', 'Uri'),
];

const REST_FIELDS: TopField[] = [
  tf('eventTimestamp', 'VARCHAR', 'event_timestamp'),
  tf('operationName', { value: 'VARCHAR' }),
  tf('operation_name', { value: 'VARCHAR' }),
  tf('category', { value: 'VARCHAR' }),
  tf('status', { value: 'VARCHAR' }),
  tf('subStatus', { value: 'VARCHAR' }, 'sub_status'),
  tf('resourceProviderName', { value: 'VARCHAR' }, 'resource_provider_name'),
  tf('caller', 'VARCHAR'),
  tf('claims', CLAIMS),
  tf('authorization', AUTHORIZATION),
  tf('correlationId', 'VARCHAR', 'correlation_id'),
  tf('eventDataId', 'VARCHAR', 'event_data_id'),
  tf('httpRequest', { clientIpAddress: 'VARCHAR' }),
  tf('http_request', { client_ip_address: 'VARCHAR' }),
  tf('resourceId', 'VARCHAR', 'resource_id'),
  tf('subscriptionId', 'VARCHAR', 'subscription_id'),
  tf('tenantId', 'VARCHAR', 'tenant_id'),
  tf('properties', { statusCode: 'VARCHAR', entity: 'VARCHAR' }),
];

const LA_ACTIVITY_FIELDS: TopField[] = [
  tf('TimeGenerated', 'VARCHAR'),
  tf('OperationNameValue', 'VARCHAR'),
  tf('OperationName', 'VARCHAR'),
  tf('CategoryValue', 'VARCHAR'),
  tf('Category', 'VARCHAR'),
  tf('ActivityStatusValue', 'VARCHAR'),
  tf('ActivityStatus', 'VARCHAR'),
  tf('ActivitySubstatusValue', 'VARCHAR'),
  tf('Caller', 'VARCHAR'),
  tf('CallerIpAddress', 'VARCHAR'),
  tf('CorrelationId', 'VARCHAR'),
  tf('EventDataId', 'VARCHAR'),
  tf('SubscriptionId', 'VARCHAR'),
  tf('ResourceProviderValue', 'VARCHAR'),
  tf('ResourceProvider', 'VARCHAR'),
  tf('_ResourceId', 'VARCHAR'),
  tf('ResourceId', 'VARCHAR'),
  // Dynamic columns arrive as objects (API) or as JSON text (portal, some exports): kept as text, parsed on their own.
  tf('Claims_d', 'VARCHAR'),
  tf('Claims', 'VARCHAR'),
  tf('Authorization_d', 'VARCHAR'),
  tf('Authorization', 'VARCHAR'),
  tf('Properties_d', 'VARCHAR'),
  tf('Properties', 'VARCHAR'),
];

/** Normalized category of an Activity Log record from its log category and operation. */
export function activityCategory(category: string, operation: string): string {
  return `CASE
    WHEN lower(${category}) = 'administrative' AND regexp_matches(${operation}, '(?i)^microsoft\\.authorization/(roleassignments|roledefinitions|elevateaccess|denyassignments|classicadministrators|locks)')
      THEN 'iam'
    WHEN lower(${category}) = 'administrative' AND regexp_matches(${operation}, '(?i)^microsoft\\.authorization/polic') THEN 'policy'
    WHEN lower(${category}) = 'administrative' THEN 'admin'
    WHEN lower(${category}) = 'policy' THEN 'policy'
    WHEN lower(${category}) = 'security' THEN 'security_alert'
    WHEN lower(${category}) IN ('servicehealth', 'resourcehealth') THEN 'service_health'
    WHEN lower(${category}) IN ('alert', 'autoscale') THEN 'monitoring'
    WHEN lower(${category}) = 'recommendation' THEN 'recommendation'
    WHEN ${category} IS NULL OR ${category} = '' THEN NULL
    ELSE 'resource_log' END`;
}

/** success / failure / NULL (started, accepted, active… : not an outcome) from an Activity Log status. */
export function activityStatus(v: string): string {
  return `CASE WHEN lower(${v}) IN ('success', 'succeeded') THEN 'success' WHEN lower(${v}) IN ('failure', 'failed') THEN 'failure' END`;
}

/** success / failure from an HTTP status code (resource logs): 1xx-3xx success, 4xx-5xx failure. */
function httpStatus(v: string): string {
  return `CASE WHEN regexp_matches(${v}, '^[123]\\d\\d$') THEN 'success' WHEN regexp_matches(${v}, '^[45]\\d\\d$') THEN 'failure' END`;
}

/** Resource provider from an operation name (`Microsoft.Compute/virtualMachines/write`) or a resource id. */
function providerOf(operation: string, resourceId: string): string {
  return `coalesce(nullif(regexp_extract(${operation}, '^([A-Za-z]+\\.[A-Za-z.]+)/', 1), ''), nullif(regexp_extract(${resourceId}, '(?i)/providers/([^/]+)', 1), ''))`;
}

function subscriptionOf(resourceId: string): string {
  return `nullif(regexp_extract(${resourceId}, '(?i)^/subscriptions/([^/]+)', 1), '')`;
}

export function azureActivityMapping(ctx: MapContext): Mapping {
  const variant = (ctx.params['variant'] as string | undefined) ?? 'diagnostic';
  const wrapper = (ctx.params['wrapper'] as MsWrapper | undefined) ?? 'none';
  const fields = variant === 'rest' ? REST_FIELDS : variant === 'loganalytics' ? LA_ACTIVITY_FIELDS : DIAG_FIELDS;
  const steps: Array<Record<string, string>> = [
    { j: parseObject(wrappedRecordExpr(wrapper), structSpec(fields)) },
    { r: packSpec(fields, 'j') },
  ];
  let cols: Mapping['columns'];
  let missing: string;
  if (variant === 'rest') {
    const c = claimsOf('r.claims');
    const op = 'coalesce(r.operationName.value, r.operation_name.value)';
    const failed = `lower(r.status.value) IN ('failure', 'failed')`;
    missing = `CASE WHEN ${op} IS NULL THEN 'not an Azure Activity Log event: operationName.value missing'
      WHEN r.eventTimestamp IS NULL THEN 'no event time: eventTimestamp missing' END`;
    cols = {
      time_raw: 'r.eventTimestamp',
      time: msTime('r.eventTimestamp'),
      time_inferred: msTimeNote('r.eventTimestamp', 'UTC', 'documented'),
      activity: op,
      category: activityCategory('r.category.value', op),
      service: `coalesce(nullif(r.resourceProviderName.value, ''), ${providerOf(op, 'r.resourceId')})`,
      status: activityStatus('r.status.value'),
      error_code: `CASE WHEN ${failed} THEN coalesce(nullif(r.subStatus.value, ''), nullif(r.properties.statusCode, '')) END`,
      actor_user: `coalesce(nullif(r.caller, ''), ${c.user}, r.authorization.evidence.principalId)`,
      actor_id: `coalesce(${c.oid}, r.authorization.evidence.principalId)`,
      actor_type: c.type,
      src_ip: ipOnly(`coalesce(r.httpRequest.clientIpAddress, r.http_request.client_ip_address, ${c.ip})`),
      cloud_account: `coalesce(nullif(r.subscriptionId, ''), ${subscriptionOf('r.resourceId')}, r.tenantId)`,
      target: `coalesce(nullif(r.resourceId, ''), nullif(r.properties.entity, ''), r.authorization.scope)`,
      record_id: 'r.eventDataId',
    };
  } else if (variant === 'loganalytics') {
    steps.push({
      claims: `try(json_transform(coalesce(r.Claims_d, r.Claims), ${lit(JSON.stringify(CLAIMS))}))`,
      auth: `try(json_transform(coalesce(r.Authorization_d, r.Authorization), ${lit(JSON.stringify(AUTHORIZATION))}))`,
    });
    const c = claimsOf('claims');
    const op = 'coalesce(nullif(r.OperationNameValue, \'\'), r.OperationName)';
    const st = 'coalesce(nullif(r.ActivityStatusValue, \'\'), r.ActivityStatus)';
    const rid = 'coalesce(nullif(r._ResourceId, \'\'), r.ResourceId)';
    missing = `CASE WHEN ${op} IS NULL THEN 'not an AzureActivity row: OperationNameValue missing'
      WHEN r.TimeGenerated IS NULL THEN 'no event time: TimeGenerated missing' END`;
    cols = {
      time_raw: 'r.TimeGenerated',
      time: msTime('r.TimeGenerated'),
      time_inferred: msTimeNote('r.TimeGenerated', 'UTC', 'documented'),
      activity: op,
      category: activityCategory('coalesce(nullif(r.CategoryValue, \'\'), r.Category)', op),
      service: `coalesce(nullif(r.ResourceProviderValue, ''), nullif(r.ResourceProvider, ''), ${providerOf(op, rid)})`,
      status: activityStatus(st),
      error_code: `CASE WHEN lower(${st}) IN ('failure', 'failed') THEN nullif(r.ActivitySubstatusValue, '') END`,
      actor_user: `coalesce(nullif(r.Caller, ''), ${c.user}, auth.evidence.principalId)`,
      actor_id: `coalesce(${c.oid}, auth.evidence.principalId)`,
      actor_type: c.type,
      src_ip: ipOnly(`coalesce(nullif(r.CallerIpAddress, ''), ${c.ip})`),
      // `TenantId` of a Log Analytics row is the workspace, not the directory: not an account of the event.
      cloud_account: `coalesce(nullif(r.SubscriptionId, ''), ${subscriptionOf(rid)})`,
      target: `nullif(${rid}, '')`,
      record_id: 'nullif(r.EventDataId, \'\')',
    };
  } else {
    const c = claimsOf('r.identity.claims');
    const ev = 'r.identity.authorization.evidence';
    // Some forwarders write operationName in the REST form ({"value", "localizedValue"}): its value is the name.
    steps.push({ op: `CASE WHEN starts_with(r.operationName, '{') THEN json_extract_string(r.operationName, '$.value') ELSE r.operationName END` });
    missing = `CASE WHEN op IS NULL THEN 'not an Azure diagnostic record: operationName missing'
      WHEN r."time" IS NULL THEN 'no event time: "time" missing' END`;
    cols = {
      time_raw: 'r."time"',
      time: msTime('r."time"'),
      time_inferred: msTimeNote('r."time"', 'UTC', 'documented'),
      activity: 'op',
      category: activityCategory('r.category', 'op'),
      service: providerOf('op', 'r.resourceId'),
      status: `coalesce(${activityStatus('r.resultType')}, ${httpStatus('r.statusCode')})`,
      error_code: `CASE WHEN lower(r.resultType) IN ('failure', 'failed') THEN coalesce(nullif(r.properties.statusCode, ''), nullif(r.resultSignature, ''))
        WHEN r.resultType IS NULL AND ${httpStatus('r.statusCode')} = 'failure' THEN r.statusCode END`,
      actor_user: `coalesce(${c.user}, ${ev}.principalId)`,
      actor_id: `coalesce(${c.oid}, ${ev}.principalId)`,
      actor_type: `coalesce(${c.type}, CASE lower(${ev}.principalType) WHEN 'user' THEN 'user' WHEN 'serviceprincipal' THEN 'servicePrincipal' WHEN 'group' THEN 'group' END)`,
      src_ip: ipOnly(`coalesce(r.callerIpAddress, ${c.ip})`),
      user_agent: `nullif(r.properties.userAgentHeader, '')`,
      cloud_account: `coalesce(${subscriptionOf('r.resourceId')}, nullif(r.tenantId, ''))`,
      region: `nullif(r.location, '')`,
      target: `coalesce(nullif(r.resourceId, ''), nullif(r.properties.entity, ''), nullif(r.uri, ''))`,
      // Activity records carry no per-event id outside `properties.eventDataId`; the correlation id is shared by the
      // Start and Success/Failure records of one operation.
      record_id: `coalesce(nullif(r.properties.eventDataId, ''), r.correlationId)`,
    };
  }
  return {
    steps,
    columns: { ...cols, source_format: lit(`azure_activity_${variant}`) },
    reject: `CASE WHEN j IS NULL THEN ${parseReject(wrapper)} ELSE ${missing} END`,
  };
}

export const azureActivity: FormatModule = {
  name: 'azure_activity',
  family: 'azure',
  description:
    'Azure Activity Log (and resource-log records of the same schema): diagnostic-setting records (Event Hub {"records":[...]}, Storage JSON Lines), az monitor activity-log list / REST arrays, Log Analytics AzureActivity rows',
  defaultFraming: { kind: 'lines' },
  defaultParams: { variant: 'diagnostic', wrapper: 'none' },
  sniff: (s) => msJsonHit(s, ['azure_activity'], 'azure_activity'),
  mapping: azureActivityMapping,
};

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Entra audit and sign-in logs
// ---------------------------------------------------------------------------------------------------------------

const INITIATED: JType = {
  user: { id: 'VARCHAR', displayName: 'VARCHAR', userPrincipalName: 'VARCHAR', ipAddress: 'VARCHAR' },
  app: { appId: 'VARCHAR', displayName: 'VARCHAR', servicePrincipalId: 'VARCHAR', servicePrincipalName: 'VARCHAR' },
};
const TARGETS: JType = [{ id: 'VARCHAR', displayName: 'VARCHAR', type: 'VARCHAR', userPrincipalName: 'VARCHAR' }];
const DETAILS: JType = [{ key: 'VARCHAR', value: 'VARCHAR' }];
const SIGNIN_STATUS: JType = { errorCode: 'VARCHAR', failureReason: 'VARCHAR' };

/** A Graph `directoryAudit` or `signIn` object: only the members the mapping reads (the rest stays in `raw`). */
const GRAPH: Record<string, JType> = {
  id: 'VARCHAR',
  category: 'VARCHAR',
  correlationId: 'VARCHAR',
  result: 'VARCHAR',
  resultReason: 'VARCHAR',
  activityDisplayName: 'VARCHAR',
  activityDateTime: 'VARCHAR',
  loggedByService: 'VARCHAR',
  initiatedBy: INITIATED,
  targetResources: TARGETS,
  additionalDetails: DETAILS,
  createdDateTime: 'VARCHAR',
  userPrincipalName: 'VARCHAR',
  userId: 'VARCHAR',
  appId: 'VARCHAR',
  appDisplayName: 'VARCHAR',
  ipAddress: 'VARCHAR',
  resourceDisplayName: 'VARCHAR',
  userAgent: 'VARCHAR',
  servicePrincipalId: 'VARCHAR',
  servicePrincipalName: 'VARCHAR',
  signInEventTypes: ['VARCHAR'],
  status: SIGNIN_STATUS,
  resourceTenantId: 'VARCHAR',
};

const ENTRA_DIAG_FIELDS: TopField[] = [
  tf('time', 'VARCHAR'),
  tf('operationName', 'VARCHAR', 'OperationName'),
  tf('category', 'VARCHAR', 'Category'),
  tf('resultType', 'VARCHAR', 'ResultType'),
  tf('callerIpAddress', 'VARCHAR', 'CallerIpAddress'),
  tf('tenantId', 'VARCHAR', 'TenantId'),
  tf('resourceId', 'VARCHAR', 'ResourceId'),
  tf('correlationId', 'VARCHAR', 'CorrelationId'),
  tf('properties', GRAPH, 'Properties'),
];

const ENTRA_LA_FIELDS: TopField[] = [
  tf('TimeGenerated', 'VARCHAR'),
  tf('ActivityDateTime', 'VARCHAR'),
  tf('CreatedDateTime', 'VARCHAR'),
  tf('Type', 'VARCHAR'),
  tf('Category', 'VARCHAR'),
  tf('OperationName', 'VARCHAR'),
  tf('ActivityDisplayName', 'VARCHAR'),
  tf('Result', 'VARCHAR'),
  tf('ResultReason', 'VARCHAR'),
  tf('ResultType', 'VARCHAR'),
  tf('LoggedByService', 'VARCHAR'),
  tf('Id', 'VARCHAR'),
  tf('AADTenantId', 'VARCHAR'),
  tf('ResourceId', 'VARCHAR'),
  tf('UserPrincipalName', 'VARCHAR'),
  tf('UserId', 'VARCHAR'),
  tf('AppDisplayName', 'VARCHAR'),
  tf('AppId', 'VARCHAR'),
  tf('IPAddress', 'VARCHAR'),
  tf('UserAgent', 'VARCHAR'),
  tf('ResourceDisplayName', 'VARCHAR'),
  tf('ServicePrincipalName', 'VARCHAR'),
  tf('ServicePrincipalId', 'VARCHAR'),
  // Dynamic columns: objects from the API, JSON text from the portal and Sentinel exports.
  tf('InitiatedBy', 'VARCHAR'),
  tf('TargetResources', 'VARCHAR'),
  tf('AdditionalDetails', 'VARCHAR'),
  tf('Status', 'VARCHAR'),
];

/** What the Entra columns are computed from, whatever the export shape (one struct per record). */
interface EntraNorm {
  kind: string;
  time_raw: string;
  op: string;
  display: string;
  log_type: string;
  result: string;
  result_reason: string;
  code: string;
  upn: string;
  user_id: string;
  app_name: string;
  app_id: string;
  sp_name: string;
  sp_id: string;
  ib: string;
  target: string;
  details: string;
  ip: string;
  ua: string;
  tenant: string;
  resource: string;
  logged_by: string;
  record_id: string;
  event_types: string;
}

function signinCategory(v: string): string {
  return `(${v} IN (${[...ENTRA_SIGNIN_CATEGORIES, ...SIGNIN_TABLES].map(lit).join(', ')}))`;
}

function entraNorm(variant: string): { fields: TopField[] | null; extra: Record<string, string>; n: EntraNorm } {
  if (variant === 'diagnostic') {
    const p = 'r.properties';
    const kind = `CASE WHEN ${signinCategory('r.category')} OR r.operationName = 'Sign-in activity' OR ${p}.createdDateTime IS NOT NULL THEN 'signin' ELSE 'audit' END`;
    return {
      fields: ENTRA_DIAG_FIELDS,
      extra: {},
      n: {
        kind,
        // The event's own time (activityDateTime / createdDateTime) before the record's `time`: same instant in
        // Microsoft's records, with full precision and its own offset.
        time_raw: `coalesce(CASE WHEN ${kind} = 'signin' THEN ${p}.createdDateTime ELSE ${p}.activityDateTime END, r."time")`,
        op: 'r.operationName',
        display: `${p}.activityDisplayName`,
        log_type: 'r.category',
        result: `coalesce(${p}.result, r.resultType)`,
        result_reason: `${p}.resultReason`,
        code: `coalesce(${p}.status.errorCode, CASE WHEN regexp_matches(r.resultType, '^\\d+$') THEN r.resultType END)`,
        upn: `${p}.userPrincipalName`,
        user_id: `${p}.userId`,
        app_name: `${p}.appDisplayName`,
        app_id: `${p}.appId`,
        sp_name: `${p}.servicePrincipalName`,
        sp_id: `${p}.servicePrincipalId`,
        ib: `${p}.initiatedBy`,
        target: `${p}.targetResources[1]`,
        details: `${p}.additionalDetails`,
        ip: `coalesce(nullif(${p}.ipAddress, ''), nullif(${p}.initiatedBy.user.ipAddress, ''), r.callerIpAddress)`,
        ua: `${p}.userAgent`,
        tenant: `coalesce(nullif(r.tenantId, ''), nullif(regexp_extract(r.resourceId, '(?i)^/tenants/([^/]+)', 1), ''))`,
        resource: `${p}.resourceDisplayName`,
        logged_by: `${p}.loggedByService`,
        record_id: `coalesce(nullif(${p}.id, ''), r.correlationId)`,
        event_types: `${p}.signInEventTypes`,
      },
    };
  }
  if (variant === 'loganalytics') {
    const kind = `CASE WHEN ${signinCategory('r.Type')} OR ${signinCategory('r.Category')} OR (r.CreatedDateTime IS NOT NULL AND r.ActivityDateTime IS NULL) THEN 'signin' ELSE 'audit' END`;
    return {
      fields: ENTRA_LA_FIELDS,
      extra: {
        ib: `try(json_transform(r.InitiatedBy, ${lit(JSON.stringify(INITIATED))}))`,
        tr: `try(json_transform(r.TargetResources, ${lit(JSON.stringify(TARGETS))}))`,
        ad: `try(json_transform(r.AdditionalDetails, ${lit(JSON.stringify(DETAILS))}))`,
        st: `try(json_transform(r.Status, ${lit(JSON.stringify(SIGNIN_STATUS))}))`,
      },
      n: {
        kind,
        time_raw: `coalesce(CASE WHEN ${kind} = 'signin' THEN r.CreatedDateTime ELSE r.ActivityDateTime END, r.TimeGenerated)`,
        op: 'r.OperationName',
        display: 'r.ActivityDisplayName',
        log_type: 'coalesce(r.Type, r.Category)',
        result: 'r.Result',
        result_reason: 'coalesce(r.ResultReason, st.failureReason)',
        code: `coalesce(st.errorCode, CASE WHEN regexp_matches(r.ResultType, '^\\d+$') THEN r.ResultType END)`,
        upn: 'r.UserPrincipalName',
        user_id: 'r.UserId',
        app_name: 'r.AppDisplayName',
        app_id: 'r.AppId',
        sp_name: 'r.ServicePrincipalName',
        sp_id: 'r.ServicePrincipalId',
        ib: 'ib',
        target: 'tr[1]',
        details: 'ad',
        ip: `coalesce(nullif(r.IPAddress, ''), nullif(ib.user.ipAddress, ''))`,
        ua: 'r.UserAgent',
        // `TenantId` of a Log Analytics row is the workspace; the directory is `AADTenantId`.
        tenant: `coalesce(nullif(r.AADTenantId, ''), nullif(regexp_extract(r.ResourceId, '(?i)^/tenants/([^/]+)', 1), ''))`,
        resource: 'r.ResourceDisplayName',
        logged_by: 'r.LoggedByService',
        record_id: 'r.Id',
        event_types: 'NULL::VARCHAR[]',
      },
    };
  }
  const kind = `CASE WHEN j.activityDateTime IS NOT NULL OR j.activityDisplayName IS NOT NULL THEN 'audit' WHEN j.createdDateTime IS NOT NULL THEN 'signin' END`;
  return {
    fields: null,
    extra: {},
    n: {
      kind,
      time_raw: 'coalesce(j.activityDateTime, j.createdDateTime)',
      op: 'NULL::VARCHAR',
      display: 'j.activityDisplayName',
      log_type: `CASE WHEN ${kind} = 'audit' THEN 'directoryAudit' ELSE 'signIn' END`,
      result: 'j.result',
      result_reason: 'coalesce(j.resultReason, j.status.failureReason)',
      code: 'j.status.errorCode',
      upn: 'j.userPrincipalName',
      user_id: 'j.userId',
      app_name: 'j.appDisplayName',
      app_id: 'j.appId',
      sp_name: 'j.servicePrincipalName',
      sp_id: 'j.servicePrincipalId',
      ib: 'j.initiatedBy',
      target: 'j.targetResources[1]',
      details: 'j.additionalDetails',
      ip: `coalesce(nullif(j.ipAddress, ''), nullif(j.initiatedBy.user.ipAddress, ''))`,
      ua: 'j.userAgent',
      tenant: 'j.resourceTenantId',
      resource: 'j.resourceDisplayName',
      logged_by: 'j.loggedByService',
      record_id: 'j.id',
      event_types: 'j.signInEventTypes',
    },
  };
}

/** success / failure from a result word (Entra `result`, diagnostic `resultType`); NULL for anything else. */
function resultWord(v: string): string {
  return `CASE WHEN lower(${v}) IN ('success', 'succeeded') THEN 'success' WHEN lower(${v}) IN ('failure', 'failed', 'timeout') THEN 'failure' END`;
}

/** One mapping for both Entra logs: a member may hold audit and sign-in records (one Event Hub, one table export). */
export function entraMapping(ctx: MapContext): Mapping {
  const variant = (ctx.params['variant'] as string | undefined) ?? 'graph';
  const wrapper = (ctx.params['wrapper'] as MsWrapper | undefined) ?? 'none';
  const { fields, extra, n } = entraNorm(variant);
  const steps: Array<Record<string, string>> = fields
    ? [{ j: parseObject(wrappedRecordExpr(wrapper), structSpec(fields)) }, { r: packSpec(fields, 'j') }]
    : [{ j: parseObject(wrappedRecordExpr(wrapper), lit(JSON.stringify(GRAPH))) }];
  if (Object.keys(extra).length > 0) steps.push(extra);
  steps.push({ n: `struct_pack(${Object.entries(n).map(([k, v]) => `"${k}" := ${v}`).join(', ')})` });
  // Sign-in actor kinds by log (diagnostic category, Log Analytics table, Graph signInEventTypes).
  steps.push({
    who: `CASE WHEN n.kind = 'audit' THEN CASE WHEN coalesce(n.ib.user.userPrincipalName, n.ib.user.id) IS NOT NULL THEN 'user'
                                               WHEN coalesce(n.ib.app.appId, n.ib.app.servicePrincipalId, n.ib.app.displayName) IS NOT NULL THEN 'app' END
      WHEN n.log_type IN ('ManagedIdentitySignInLogs', 'AADManagedIdentitySignInLogs') OR list_contains(n.event_types, 'managedIdentity') THEN 'managedIdentity'
      WHEN n.log_type IN ('ServicePrincipalSignInLogs', 'MicrosoftServicePrincipalSignInLogs', 'AADServicePrincipalSignInLogs') OR list_contains(n.event_types, 'servicePrincipal') THEN 'servicePrincipal'
      ELSE 'user' END`,
    tgt: 'n.target',
  });
  const audit = `n.kind = 'audit'`;
  const code = `nullif(trim(n.code), '')`;
  const upnOrId = `coalesce(nullif(n.upn, ''), nullif(n.user_id, ''))`;
  const spName = `coalesce(nullif(n.sp_name, ''), nullif(n.app_name, ''), nullif(n.upn, ''), nullif(n.sp_id, ''), nullif(n.app_id, ''))`;
  const missing =
    variant === 'graph'
      ? `CASE WHEN n.kind IS NULL THEN 'not an Entra audit or sign-in record: activityDateTime and createdDateTime missing' END`
      : variant === 'diagnostic'
        ? `CASE WHEN r.operationName IS NULL AND r.properties IS NULL THEN 'not an Entra diagnostic record: operationName and properties missing'
            WHEN n.time_raw IS NULL THEN 'no event time: "time" and properties.' || CASE WHEN n.kind = 'signin' THEN 'createdDateTime' ELSE 'activityDateTime' END || ' missing' END`
        : `CASE WHEN coalesce(r.OperationName, r.ActivityDisplayName, r.UserPrincipalName, r.AppDisplayName) IS NULL THEN 'not an Entra AuditLogs or SigninLogs row: OperationName, ActivityDisplayName, UserPrincipalName and AppDisplayName missing'
            WHEN n.time_raw IS NULL THEN 'no event time: TimeGenerated missing' END`;
  return {
    steps,
    columns: {
      time_raw: 'n.time_raw',
      time: msTime('n.time_raw'),
      time_inferred: msTimeNote('n.time_raw', 'UTC', 'documented'),
      source_format: `CASE WHEN ${audit} THEN 'entra_audit' ELSE 'entra_signin' END || '_' || ${lit(variant)}`,
      activity: `CASE WHEN ${audit} THEN coalesce(nullif(n.display, ''), n.op) ELSE coalesce(nullif(n.op, ''), 'Sign-in activity') END`,
      category: `CASE WHEN ${audit} THEN 'iam' ELSE 'authentication' END`,
      service: `CASE WHEN ${audit} THEN nullif(n.logged_by, '') ELSE nullif(n.app_name, '') END`,
      // Sign-ins: status.errorCode 0 is success, any other code a failure (interrupts such as 50140 included, as the
      // portal counts them); a result word only when no code was written.
      status: `CASE WHEN ${audit} THEN ${resultWord('n.result')}
        WHEN ${code} = '0' THEN 'success' WHEN ${code} IS NOT NULL THEN 'failure' ELSE ${resultWord('n.result')} END`,
      error_code: `CASE WHEN ${audit} THEN CASE WHEN ${resultWord('n.result')} = 'failure' THEN coalesce(nullif(n.result_reason, ''), n.result) END
        WHEN ${code} <> '0' THEN ${code} END`,
      actor_user: `CASE WHEN ${audit} THEN CASE who WHEN 'user' THEN coalesce(nullif(n.ib.user.userPrincipalName, ''), n.ib.user.id)
                                                  WHEN 'app' THEN coalesce(nullif(n.ib.app.servicePrincipalName, ''), nullif(n.ib.app.displayName, ''), n.ib.app.appId) END
        WHEN who = 'user' THEN ${upnOrId} ELSE ${spName} END`,
      actor_domain: upnDomain(`CASE WHEN ${audit} THEN n.ib.user.userPrincipalName WHEN who = 'user' THEN n.upn END`),
      actor_id: `CASE WHEN ${audit} THEN CASE who WHEN 'user' THEN n.ib.user.id WHEN 'app' THEN coalesce(nullif(n.ib.app.servicePrincipalId, ''), n.ib.app.appId) END
        WHEN who = 'user' THEN nullif(n.user_id, '') ELSE coalesce(nullif(n.sp_id, ''), nullif(n.app_id, '')) END`,
      actor_type: 'who',
      src_ip: ipOnly('n.ip'),
      user_agent: `coalesce(nullif(n.ua, ''), list_filter(n.details, x -> lower(x.key) = 'user-agent')[1].value)`,
      cloud_account: 'n.tenant',
      // Audit: the first target resource (users by UPN, other objects by display name); sign-in: the resource signed in to.
      target: `CASE WHEN ${audit} THEN CASE WHEN lower(tgt.type) = 'user' THEN coalesce(nullif(tgt.userPrincipalName, ''), nullif(tgt.displayName, ''), tgt.id)
                                             ELSE coalesce(nullif(tgt.displayName, ''), nullif(tgt.userPrincipalName, ''), tgt.id) END
        ELSE nullif(n.resource, '') END`,
      record_id: `nullif(n.record_id, '')`,
    },
    reject: `CASE WHEN j IS NULL THEN ${parseReject(wrapper)} ELSE ${missing} END`,
  };
}

export const entraAudit: FormatModule = {
  name: 'entra_audit',
  family: 'entra',
  description:
    'Microsoft Entra audit log: Graph directoryAudits JSON (and the portal JSON download), diagnostic-setting records (category AuditLogs), Log Analytics AuditLogs rows',
  defaultFraming: { kind: 'json', layout: 'array' },
  defaultParams: { variant: 'graph', wrapper: 'none' },
  sniff: (s) => msJsonHit(s, ['entra_audit', 'entra_signin'], 'entra_audit'),
  mapping: entraMapping,
};

export const entraSignin: FormatModule = {
  name: 'entra_signin',
  family: 'entra',
  description:
    'Microsoft Entra sign-in logs: Graph signIns JSON, diagnostic-setting records (SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs…), Log Analytics SigninLogs rows',
  defaultFraming: { kind: 'json', layout: 'array' },
  defaultParams: { variant: 'graph', wrapper: 'none' },
  sniff: (s) => msJsonHit(s, ['entra_audit', 'entra_signin'], 'entra_signin'),
  mapping: entraMapping,
};

// ---------------------------------------------------------------------------------------------------------------
// Portal CSV downloads
// ---------------------------------------------------------------------------------------------------------------

/** Time of a CSV row: UTC when the header says so (`Date (UTC)`, `TimeGenerated [UTC]`), else the case time zone. */
function csvTime(header: string[], col: number | undefined, ctx: MapContext): { raw: string; time: string; note: string } {
  if (col === undefined) return { raw: 'NULL::VARCHAR', time: 'NULL::TIMESTAMPTZ', note: 'NULL' };
  const utc = /utc/i.test(header[col - 1] ?? '');
  const tz = utc ? 'UTC' : ctx.caseTimezone;
  const raw = `nullif(trim(f[${col}]), '')`;
  return { raw, time: msTime(raw, tz), note: msTimeNote(raw, tz, utc ? 'stated' : 'local') };
}

const ACTIVITY_CSV_COLUMNS: Record<string, string[]> = {
  // The portal's "Time" column holds relative text ("4 hours ago"): "Time stamp" is the time.
  time: ['time stamp', 'timestamp', 'event timestamp', 'eventtimestamp', 'timegenerated [utc]', 'timegenerated', 'date (utc)', 'time'],
  operation: ['operation name', 'operationnamevalue', 'operationname', 'operation'],
  status: ['status', 'activitystatusvalue', 'activitystatus'],
  substatus: ['activitysubstatusvalue', 'sub status', 'substatus'],
  category: ['event category', 'categoryvalue', 'category'],
  caller: ['event initiated by', 'caller'],
  ip: ['caller ip address', 'calleripaddress', 'ip address'],
  subscription: ['subscription id', 'subscriptionid', 'subscription'],
  resourceId: ['resource id', '_resourceid', 'resourceid'],
  resource: ['resource'],
  provider: ['resource provider', 'resourceprovidervalue', 'resourceprovider'],
  resourceType: ['resource type', 'resourcetype'],
  correlation: ['correlation id', 'correlationid'],
  eventDataId: ['event data id', 'eventdataid', 'event id'],
  region: ['location', 'region'],
  claims: ['claims', 'claims_d'],
};

function hasAny(cols: Record<string, number>, keys: string[]): boolean {
  return keys.some((k) => cols[k] !== undefined);
}

export const azureActivityCsv: FormatModule = {
  name: 'azure_activity_csv',
  family: 'azure',
  description: 'Azure Activity Log CSV: the portal\'s "Download as CSV" and Log Analytics AzureActivity exports (columns matched by header name)',
  defaultFraming: { kind: 'csv', delimiter: ',' },
  sniff(s) {
    const h = csvHeader(s);
    if (!h) return null;
    const c = csvColumns(h.header, ACTIVITY_CSV_COLUMNS);
    if (c['operation'] === undefined || c['time'] === undefined) return null;
    if (!hasAny(c, ['caller', 'category', 'subscription', 'status'])) return null;
    return { confidence: 0.9, framing: csvFraming(h.typeLine), params: { header: h.header } };
  },
  mapping(ctx): Mapping {
    const header = (ctx.params['header'] as string[] | undefined) ?? [];
    const c = csvColumns(header, ACTIVITY_CSV_COLUMNS);
    const col = (k: string) => csvCol(c, k);
    const t = csvTime(header, c['time'], ctx);
    const rid = `coalesce(${col('resourceId')}, CASE WHEN ${col('resource')} LIKE '/subscriptions/%' THEN ${col('resource')} END)`;
    const cl = claimsOf('cl');
    return {
      steps: [{ f: `from_json(s.parsed, '["VARCHAR"]')` }, { cl: `try(json_transform(${col('claims')}, ${lit(JSON.stringify(CLAIMS))}))` }],
      columns: {
        time_raw: t.raw,
        time: t.time,
        time_inferred: t.note,
        activity: col('operation'),
        // The portal writes display names ("Create role assignment"): the resource type says what was touched.
        category: activityCategory(col('category'), `CASE WHEN ${col('operation')} LIKE '%/%' THEN ${col('operation')} ELSE coalesce(${col('resourceType')}, ${col('operation')}) END`),
        service: `coalesce(${col('provider')}, ${providerOf(col('operation'), rid)})`,
        status: activityStatus(col('status')),
        error_code: `CASE WHEN ${activityStatus(col('status'))} = 'failure' THEN ${col('substatus')} END`,
        actor_user: `coalesce(${col('caller')}, ${cl.user})`,
        actor_id: cl.oid,
        actor_type: cl.type,
        src_ip: ipOnly(col('ip')),
        cloud_account: `coalesce(${subscriptionOf(rid)}, ${col('subscription')})`,
        region: col('region'),
        target: `coalesce(${rid}, ${col('resource')})`,
        record_id: col('eventDataId'),
        fields: csvFieldsMap(header),
      },
      reject: `CASE WHEN ${col('operation')} IS NULL THEN 'no operation name in this row' END`,
    };
  },
};

const SIGNIN_CSV_COLUMNS: Record<string, string[]> = {
  time: ['date (utc)', 'date', 'createddatetime'],
  requestId: ['request id'],
  ua: ['user agent'],
  userId: ['user id'],
  upn: ['username', 'user principal name'],
  app: ['application'],
  appId: ['application id'],
  resource: ['resource'],
  resourceTenant: ['resource tenant id'],
  homeTenant: ['home tenant id'],
  ip: ['ip address'],
  status: ['status'],
  code: ['sign-in error code'],
  spId: ['service principal id'],
  spName: ['service principal name'],
  miType: ['managed identity type'],
};

const AUDIT_CSV_COLUMNS: Record<string, string[]> = {
  time: ['date (utc)', 'date', 'activitydatetime'],
  correlation: ['correlationid', 'correlation id'],
  service: ['service'],
  activity: ['activity'],
  result: ['result'],
  reason: ['resultreason', 'result reason'],
  ua: ['user agent', 'useragent'],
  actorType: ['actortype'],
  actorName: ['actordisplayname'],
  actorId: ['actorobjectid'],
  actorUpn: ['actoruserprincipalname'],
  ip: ['ipaddress', 'ip address'],
  spId: ['actorserviceprincipalid'],
  spName: ['actorserviceprincipalname'],
  t1type: ['target1type'],
  t1name: ['target1displayname'],
  t1id: ['target1objectid'],
  t1upn: ['target1userprincipalname'],
};

export const entraSigninCsv: FormatModule = {
  name: 'entra_signin_csv',
  family: 'entra',
  description: 'Microsoft Entra sign-in logs, portal "Download" CSV (interactive, non-interactive, service principal, managed identity)',
  defaultFraming: { kind: 'csv', delimiter: ',' },
  sniff(s) {
    const h = csvHeader(s);
    if (!h) return null;
    const c = csvColumns(h.header, SIGNIN_CSV_COLUMNS);
    if (c['time'] === undefined || !hasAny(c, ['requestId', 'code']) || !hasAny(c, ['upn', 'app', 'spName'])) return null;
    return { confidence: 0.95, framing: csvFraming(h.typeLine), params: { header: h.header } };
  },
  mapping(ctx): Mapping {
    const header = (ctx.params['header'] as string[] | undefined) ?? [];
    const c = csvColumns(header, SIGNIN_CSV_COLUMNS);
    const col = (k: string) => csvCol(c, k);
    const t = csvTime(header, c['time'], ctx);
    const code = col('code');
    return {
      steps: [
        { f: `from_json(s.parsed, '["VARCHAR"]')` },
        {
          who: `CASE WHEN lower(coalesce(${col('miType')}, 'none')) NOT IN ('none', '') THEN 'managedIdentity'
            WHEN ${col('upn')} IS NULL AND coalesce(${col('spId')}, ${col('spName')}) IS NOT NULL THEN 'servicePrincipal' ELSE 'user' END`,
        },
      ],
      columns: {
        time_raw: t.raw,
        time: t.time,
        time_inferred: t.note,
        activity: `'Sign-in activity'`,
        category: `'authentication'`,
        service: col('app'),
        status: `CASE WHEN ${code} = '0' THEN 'success' WHEN ${code} IS NOT NULL THEN 'failure'
          WHEN lower(${col('status')}) = 'success' THEN 'success' WHEN lower(${col('status')}) IN ('failure', 'interrupted') THEN 'failure' END`,
        error_code: `CASE WHEN ${code} <> '0' THEN ${code} END`,
        actor_user: `CASE WHEN who = 'user' THEN coalesce(${col('upn')}, ${col('userId')}) ELSE coalesce(${col('spName')}, ${col('app')}, ${col('spId')}) END`,
        actor_domain: upnDomain(col('upn')),
        actor_id: `CASE WHEN who = 'user' THEN ${col('userId')} ELSE coalesce(${col('spId')}, ${col('appId')}) END`,
        actor_type: 'who',
        src_ip: ipOnly(col('ip')),
        user_agent: col('ua'),
        cloud_account: `coalesce(${col('resourceTenant')}, ${col('homeTenant')})`,
        target: col('resource'),
        record_id: col('requestId'),
        fields: csvFieldsMap(header),
      },
      reject: `CASE WHEN coalesce(${col('upn')}, ${col('userId')}, ${col('app')}, ${col('spName')}, ${col('requestId')}) IS NULL THEN 'not a sign-in row: no user, application or request id' END`,
    };
  },
};

export const entraAuditCsv: FormatModule = {
  name: 'entra_audit_csv',
  family: 'entra',
  description: 'Microsoft Entra audit log, portal "Download" CSV (Actor*, Target1…, AdditionalDetail… columns)',
  defaultFraming: { kind: 'csv', delimiter: ',' },
  sniff(s) {
    const h = csvHeader(s);
    if (!h) return null;
    const c = csvColumns(h.header, AUDIT_CSV_COLUMNS);
    if (c['time'] === undefined || c['activity'] === undefined || !hasAny(c, ['actorType', 'actorUpn', 't1type'])) return null;
    return { confidence: 0.95, framing: csvFraming(h.typeLine), params: { header: h.header } };
  },
  mapping(ctx): Mapping {
    const header = (ctx.params['header'] as string[] | undefined) ?? [];
    const c = csvColumns(header, AUDIT_CSV_COLUMNS);
    const col = (k: string) => csvCol(c, k);
    const t = csvTime(header, c['time'], ctx);
    const isUser = `(${col('actorUpn')} IS NOT NULL OR lower(${col('actorType')}) = 'user')`;
    return {
      steps: [{ f: `from_json(s.parsed, '["VARCHAR"]')` }],
      columns: {
        time_raw: t.raw,
        time: t.time,
        time_inferred: t.note,
        activity: col('activity'),
        category: `'iam'`,
        service: col('service'),
        status: resultWord(col('result')),
        error_code: `CASE WHEN ${resultWord(col('result'))} = 'failure' THEN coalesce(${col('reason')}, ${col('result')}) END`,
        actor_user: `CASE WHEN ${isUser} THEN coalesce(${col('actorUpn')}, ${col('actorName')}, ${col('actorId')})
          ELSE coalesce(${col('spName')}, ${col('actorName')}, ${col('spId')}, ${col('actorId')}) END`,
        actor_domain: upnDomain(col('actorUpn')),
        actor_id: `CASE WHEN ${isUser} THEN ${col('actorId')} ELSE coalesce(${col('spId')}, ${col('actorId')}) END`,
        actor_type: `CASE WHEN ${isUser} THEN 'user' WHEN coalesce(${col('spId')}, ${col('spName')}, ${col('actorType')}) IS NOT NULL THEN 'app' END`,
        src_ip: ipOnly(col('ip')),
        user_agent: col('ua'),
        target: `CASE WHEN lower(${col('t1type')}) = 'user' THEN coalesce(${col('t1upn')}, ${col('t1name')}, ${col('t1id')})
          ELSE coalesce(${col('t1name')}, ${col('t1upn')}, ${col('t1id')}) END`,
        fields: csvFieldsMap(header),
      },
      reject: `CASE WHEN ${col('activity')} IS NULL THEN 'no activity in this row' END`,
    };
  },
};

export const azureFormats: FormatModule[] = [azureActivity, entraAudit, entraSignin, azureActivityCsv, entraAuditCsv, entraSigninCsv];
