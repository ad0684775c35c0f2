/**
 * The `--map` file (YAML or JSON) that tells the generic formats which field holds the time and, optionally, which
 * fields fill other event columns. Example:
 *   time: event.created          # field or dotted path (CSV: column name)
 *   time_format: '%d/%m/%Y %H:%M:%S'   # optional strptime format; ISO 8601 and epoch numbers need none
 *   timezone: Europe/Berlin      # for times without an offset; default: the case time zone
 *   source_family: vpn           # optional label for source_family (default generic)
 *   columns: { actor_user: user.name, src_ip: client.ip, activity: action }
 * Layer: engine.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { EngineError } from '../errors.js';
import type { UserMap } from '../formats/types.js';

/** Event columns a mapping file may fill from fields (time has its own keys). */
export const MAPPABLE_COLUMNS = [
  'activity', 'event_code', 'category', 'service', 'status', 'error_code', 'actor_user', 'actor_domain', 'actor_id', 'actor_type',
  'src_ip', 'user_agent', 'host', 'cloud_account', 'region', 'target', 'process', 'command_line', 'record_id', 'source_format',
] as const;
const COLUMN_KEYS = MAPPABLE_COLUMNS;

const UserMapSchema = z
  .object({
    time: z.string().min(1),
    time_format: z.string().min(1).optional(),
    timezone: z.string().min(1).optional(),
    source_family: z.string().regex(/^[a-z0-9_]+$/).optional(),
    columns: z.partialRecord(z.enum(COLUMN_KEYS), z.string().min(1)).default({}),
  })
  .strict();

export function readUserMap(file: string): UserMap {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new EngineError('invalid-input', `mapping file ${file} cannot be read: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new EngineError('invalid-input', `mapping file ${file} is not valid YAML/JSON: ${(e as Error).message}`);
  }
  const r = UserMapSchema.safeParse(doc);
  if (!r.success) {
    throw new EngineError('invalid-input', `mapping file ${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  return r.data as UserMap;
}
