import { test } from 'node:test';
import assert from 'node:assert/strict';
import { everyWhileShown } from '../lib/dom.js';

test('work runs on its interval while shown, not while hidden, and at once when shown again', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const saved = globalThis.document;
  globalThis.document = Object.assign(new EventTarget(), { hidden: false });
  t.after(() => { globalThis.document = saved; });
  const show = (shown) => { document.hidden = !shown; document.dispatchEvent(new Event('visibilitychange')); };
  let runs = 0;
  const stop = everyWhileShown(() => { runs += 1; }, 1000);
  t.mock.timers.tick(3000);
  assert.equal(runs, 3);
  show(false);
  t.mock.timers.tick(10_000);
  assert.equal(runs, 3, 'nothing while hidden');
  show(true);
  assert.equal(runs, 4, 'at once when shown again');
  stop();
  t.mock.timers.tick(5000);
  show(false);
  show(true);
  assert.equal(runs, 4, 'nothing once stopped');
});

test('what runs when the window is shown again can differ from the interval\'s work', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const saved = globalThis.document;
  globalThis.document = Object.assign(new EventTarget(), { hidden: false });
  t.after(() => { globalThis.document = saved; });
  const runs = [];
  const stop = everyWhileShown(() => runs.push('tick'), 1000, () => runs.push('shown'));
  t.mock.timers.tick(1000);
  document.hidden = true;
  document.dispatchEvent(new Event('visibilitychange'));
  document.hidden = false;
  document.dispatchEvent(new Event('visibilitychange'));
  assert.deepEqual(runs, ['tick', 'shown']);
  stop();
});
