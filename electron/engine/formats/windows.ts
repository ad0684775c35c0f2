/**
 * Windows event logs: native EVTX, XML exports, Event Viewer CSV, and JSON as shipped by collectors. Format modules of this family, in order of specificity. Layer: engine (format modules).
 */
import type { FormatModule } from './types.js';

export const windowsFormats: FormatModule[] = [];
