/**
 * The engine's implementation of the contract: one handler per call in `shared/contract.ts`, every input validated
 * with the call's zod schema here, errors turned into `{code, message}`. The CLI, the tests, the loopback host and the
 * Electron IPC bridge all call `createApi()`. Layer: engine.
 */
import { CALLS, type Api, type ApiErrorShape, type CallHooks, type CallName, type CallParsed, type CallResults } from '../../shared/contract.js';
import { EngineError } from './errors.js';
import { caseInfo, createCase, verifyCase } from './case/case-service.js';
import { runIngest } from './ingest/ingest.js';
import { runSql } from './query/sql-console.js';
import { exportParquet } from './query/export-parquet.js';
import { listQueries, listRuns, runAll, runOne, showQuery, showRun } from './queries/query-service.js';
import { verifyDigests } from './queries/cloudtrail-digests.js';

type Handlers = { [C in CallName]: (input: CallParsed<C>, hooks: CallHooks) => Promise<CallResults[C]> };

const handlers: Handlers = {
  'case.create': (i) => createCase(i),
  'case.info': (i) => caseInfo(i),
  'case.verify': (i) => verifyCase(i),
  'ingest.run': (i, h) => runIngest(i, h),
  'sql.run': (i) => runSql(i),
  'export.parquet': (i) => exportParquet(i),
  'query.list': async (i) => listQueries(i),
  'query.show': async (i) => showQuery(i),
  'query.run': (i) => runOne(i),
  'query.runAll': (i) => runAll(i),
  'query.runs': (i) => listRuns(i),
  'query.result': (i) => showRun(i),
  'cloudtrail.verifyDigests': (i) => verifyDigests(i),
};

export class ApiError extends Error implements ApiErrorShape {
  constructor(
    readonly code: ApiErrorShape['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof EngineError) return new ApiError(e.code, e.message);
  return new ApiError('failed', (e as Error)?.message ?? String(e));
}

export function createApi(): Api {
  return {
    async invoke<C extends CallName>(call: C, input: unknown, hooks: CallHooks = {}): Promise<CallResults[C]> {
      const schema = CALLS[call];
      if (!schema) throw new ApiError('invalid-input', `unknown call "${String(call)}"`);
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        throw new ApiError('invalid-input', parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
      }
      try {
        return await (handlers[call] as (i: unknown, h: CallHooks) => Promise<CallResults[C]>)(parsed.data, hooks);
      } catch (e) {
        throw toApiError(e);
      }
    },
  } as Api;
}
