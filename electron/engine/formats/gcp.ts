/**
 * Google Cloud audit logs. Format modules of this family, in order of specificity. Layer: engine (format modules).
 */
import type { FormatModule } from './types.js';

export const gcpFormats: FormatModule[] = [];
