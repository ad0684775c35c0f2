/**
 * Azure Activity Log and Microsoft Entra audit and sign-in logs. Format modules of this family, in order of specificity. Layer: engine (format modules).
 */
import type { FormatModule } from './types.js';

export const azureFormats: FormatModule[] = [];
