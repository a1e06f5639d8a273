import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasUnsaved, holdUnsaved } from '../lib/unsaved.js';

test('the window holds unsaved work while any registered check says so, and not after it is removed', () => {
  assert.equal(hasUnsaved(), false);
  let pending = 1;
  const stop = holdUnsaved(() => pending > 0);
  const other = holdUnsaved(() => false);
  assert.equal(hasUnsaved(), true);
  pending = 0;
  assert.equal(hasUnsaved(), false);
  pending = 2;
  stop();
  assert.equal(hasUnsaved(), false);
  other();
});
