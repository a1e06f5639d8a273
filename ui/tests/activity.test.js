import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVE_MS, activeFor, noteInput, onActivityStart } from '../lib/activity.js';

test('the ISO counts as working in the window for a while after an input, and listeners hear only the start', () => {
  assert.equal(activeFor(), 0, 'nobody has worked here yet');
  let starts = 0;
  const stop = onActivityStart(() => { starts += 1; });
  noteInput();
  const left = activeFor();
  assert.ok(left > ACTIVE_MS - 1000 && left <= ACTIVE_MS, `${left}`);
  noteInput();
  assert.equal(starts, 1, 'a second input while working is no new start');
  stop();
});
