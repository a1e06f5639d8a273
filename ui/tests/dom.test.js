import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atWhileShown, everyWhileShown } from '../lib/dom.js';

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

test('a wait for an instant runs at it, looks again at least every minute, sleeps while hidden and runs when shown again', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const saved = globalThis.document;
  globalThis.document = Object.assign(new EventTarget(), { hidden: false });
  t.after(() => { globalThis.document = saved; });
  let clock = 0;
  let at = 150_000;
  const runs = [];
  const waiting = atWhileShown({ next: () => at, run: () => runs.push(clock), onShown: () => runs.push('shown'), now: () => clock });
  const advance = (ms) => { clock += ms; t.mock.timers.tick(ms); };
  waiting.arm();
  advance(60_000);
  advance(60_000);
  assert.deepEqual(runs, [], 'looked twice, not yet');
  advance(30_000);
  assert.deepEqual(runs, [150_000], 'at the instant');
  // The instant moves: arm() reads it again; an instant already passed runs at once.
  at = 100_000;
  waiting.arm();
  advance(0);
  assert.deepEqual(runs, [150_000, 150_000]);
  // Hidden: no timer; shown again: onShown at once. None: nothing is waited for.
  at = Number.POSITIVE_INFINITY;
  document.hidden = true;
  document.dispatchEvent(new Event('visibilitychange'));
  advance(600_000);
  document.hidden = false;
  document.dispatchEvent(new Event('visibilitychange'));
  assert.deepEqual(runs, [150_000, 150_000, 'shown']);
  waiting.stop();
  document.dispatchEvent(new Event('visibilitychange'));
  assert.equal(runs.length, 3, 'nothing once stopped');
});
