/**
 * Microsoft 365 unified audit log. Format modules of this family, in order of specificity. Layer: engine (format modules).
 */
import type { FormatModule } from './types.js';

export const m365Formats: FormatModule[] = [];
