/**
 * One temp root per test run: every test (and every process it starts: the CLI, python3-evtx, DuckDB spills) makes
 * its temp folders under it through TMPDIR, and the whole root is removed when the run ends, so a run leaves nothing
 * behind in the system temp dir. Set EWB_KEEP_TEST_TMP=1 to keep it for a post-mortem (its path is printed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  if (process.env['EWB_TEST_TMP']) return () => {}; // another project of the same run made it
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ewb-tests-'));
  process.env['EWB_TEST_TMP'] = root;
  process.env['TMPDIR'] = root;
  return () => {
    if (process.env['EWB_KEEP_TEST_TMP']) {
      process.stderr.write(`test temp folders kept in ${root}\n`);
      return;
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
}
