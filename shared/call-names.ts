/**
 * The names of the contract's calls, kept apart from the zod schemas so the sandboxed preload can allow-list them
 * without bundling a validator. `contract.ts` is typed against this list, so the two cannot drift. Layer: shared.
 */
export const CALL_NAMES = [
  'case.create',
  'case.info',
  'case.verify',
  'ingest.run',
  'sql.run',
  'export.parquet',
  'query.list',
  'query.show',
  'query.run',
  'query.runAll',
  'query.runs',
  'query.result',
  'cloudtrail.verifyDigests',
] as const;
export type CallName = (typeof CALL_NAMES)[number];
