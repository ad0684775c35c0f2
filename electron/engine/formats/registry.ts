/**
 * The list of format modules, in order of specificity, and the sniffer that picks one for a member. A forced
 * `--format` bypasses sniffing. Layer: engine.
 */
import type { FormatModule, SniffHit, SniffSample } from './types.js';
import { cloudTrailCsv, cloudTrailDigest, cloudTrailJson } from './cloudtrail.js';
import { syslog } from './syslog.js';
import { csv, jsonDocument, jsonLines, parquet } from './generic.js';
import { windowsFormats } from './windows.js';
import { azureFormats } from './azure.js';
import { m365Formats } from './m365.js';
import { gcpFormats } from './gcp.js';
import { oktaFormats } from './okta.js';
import { githubFormats } from './github.js';
import { kubernetesFormats } from './kubernetes.js';
import { journaldFormats } from './journald.js';
import { auditdFormats } from './auditd.js';

/** Specific families first: on equal confidence the earlier module wins. Generic formats come last. */
export const FORMATS: FormatModule[] = [
  cloudTrailDigest,
  cloudTrailJson,
  cloudTrailCsv,
  ...windowsFormats,
  ...azureFormats,
  ...m365Formats,
  ...gcpFormats,
  ...oktaFormats,
  ...githubFormats,
  ...kubernetesFormats,
  ...journaldFormats,
  ...auditdFormats,
  syslog,
  parquet,
  jsonLines,
  jsonDocument,
  csv,
];

export function formatByName(name: string): FormatModule | undefined {
  return FORMATS.find((f) => f.name === name);
}

export interface SniffResult {
  format: FormatModule;
  hit: SniffHit;
}

export function sniffFormat(sample: SniffSample): SniffResult | null {
  let best: SniffResult | null = null;
  for (const format of FORMATS) {
    let hit: SniffHit | null = null;
    try {
      hit = format.sniff(sample);
    } catch {
      hit = null; // a sniffer that chokes on odd input simply does not claim the member
    }
    if (hit && (!best || hit.confidence > best.hit.confidence)) best = { format, hit };
  }
  return best;
}
