#!/usr/bin/env node
// Entry point of the `ewb` command: runs the compiled CLI (build it with `npm run build:node`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('../out/node/electron/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('ewb: the CLI is not built yet; run "npm run build:node" (or "npm run build") first\n');
  process.exit(2);
}
await import(pathToFileURL(main).href);
