import os from 'node:os';
import { expect, it } from 'vitest';

it('tests make their temp folders under the run\'s own temp root, which is removed when the run ends', () => {
  expect(process.env['EWB_TEST_TMP']).toBeTruthy();
  expect(os.tmpdir()).toBe(process.env['EWB_TEST_TMP']);
});
