import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVITY_EVERY_MS, shouldReport } from '../lib/lock.js';

test('input is reported to Rust at most once per interval', () => {
  assert.equal(shouldReport(null, 1000), true, 'the first input is reported');
  assert.equal(shouldReport(1000, 1000 + ACTIVITY_EVERY_MS - 1), false);
  assert.equal(shouldReport(1000, 1000 + ACTIVITY_EVERY_MS), true);
});
