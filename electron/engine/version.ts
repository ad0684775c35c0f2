/** The tool version recorded in every case, ingest and (later) bundle. */
export const TOOL_VERSION = '0.1.0';
