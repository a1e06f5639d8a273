import { test } from 'node:test';
import assert from 'node:assert/strict';
import { navigationQueue } from '../lib/navigation.js';

const tick = () => new Promise((r) => setImmediate(r));

// A page load the test finishes when it wants.
function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

test('a navigation that arrives while a page loads runs after it, and the loading page learns it is stale', async () => {
  const navigate = navigationQueue();
  const log = [];
  const firstLoad = deferred();
  const first = navigate(async (isCurrent) => {
    log.push('first starts');
    await firstLoad.promise;
    log.push(`first loaded, current: ${isCurrent()}`);
  });
  await tick();
  const second = navigate(async (isCurrent) => { log.push(`second runs, current: ${isCurrent()}`); });
  await tick();
  assert.deepEqual(log, ['first starts'], 'the second waits for the first: two pages never draw at once');
  firstLoad.resolve();
  await Promise.all([first, second]);
  assert.deepEqual(log, ['first starts', 'first loaded, current: false', 'second runs, current: true']);
});

test('only the newest of several queued navigations runs', async () => {
  const navigate = navigationQueue();
  const ran = [];
  const load = deferred();
  const all = [navigate(() => load.promise.then(() => ran.push('a')))];
  await tick();
  for (const name of ['b', 'c', 'd']) all.push(navigate(async () => { ran.push(name); }));
  load.resolve();
  await Promise.all(all);
  assert.deepEqual(ran, ['a', 'd'], 'b and c were superseded before they started');
});

test('a failed navigation does not stop the next one', async () => {
  const navigate = navigationQueue();
  const failed = navigate(async () => { throw new Error('page failed'); });
  await assert.rejects(failed, /page failed/);
  let ran = false;
  await navigate(async (isCurrent) => { ran = isCurrent(); });
  assert.equal(ran, true);
});

test('two navigations in the same turn: only the second runs', async () => {
  const navigate = navigationQueue();
  const ran = [];
  await Promise.all([navigate(async () => ran.push('first')), navigate(async () => ran.push('second'))]);
  assert.deepEqual(ran, ['second']);
});
