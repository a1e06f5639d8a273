import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSaver, isRefusal } from '../pages/report/autosave.js';
import { holds, needNow, rowIndex, templateId } from '../lib/conditions.js';
import { clock, countdown, localMinute, offsetText, parseStored, toStored, toTyped } from '../lib/local-time.js';

// A fake IPC whose answers the test releases one by one.
function fakeSend() {
  const calls = [];
  const send = (field, value) => new Promise((resolve, reject) => calls.push({ field, value, resolve, reject }));
  return { calls, send };
}
const tick = () => new Promise((r) => setImmediate(r));

test('autosave sends at once, coalesces keystrokes typed during a save, keeps per-field order', async () => {
  const { calls, send } = fakeSend();
  const saved = [];
  const saver = createSaver({ send, onSaved: (s, f) => saved.push([f, s]) });
  saver.set('incident.description', 'a');
  assert.equal(calls.length, 1, 'the first keystroke goes immediately');
  saver.set('incident.description', 'ab');
  saver.set('incident.description', 'abc');
  saver.set('iso.name', 'Ada');
  saver.set('incident.description', 'abcd');
  assert.equal(saver.pending(), 4);
  calls[0].resolve(1);
  await tick();
  assert.deepEqual(calls.map((c) => [c.field, c.value]).slice(1), [['incident.description', 'abc']]);
  calls[1].resolve(2);
  await tick();
  calls[2].resolve(3);
  await tick();
  calls[3].resolve(4);
  await tick();
  assert.deepEqual(calls.map((c) => [c.field, c.value]), [
    ['incident.description', 'a'], ['incident.description', 'abc'], ['iso.name', 'Ada'], ['incident.description', 'abcd'],
  ], 'the last value of every field is sent, in the order typed');
  assert.equal(saver.pending(), 0);
  assert.deepEqual(saved.map(([f]) => f), ['incident.description', 'incident.description', 'iso.name', 'incident.description']);
});

test('autosave retries transient failures without losing the value, drops refusals', async () => {
  const { calls, send } = fakeSend();
  const refused = [];
  const states = [];
  const saver = createSaver({ send, onRefused: (e, entry) => refused.push([e.code, entry.field]), onState: (s) => states.push(s), sleep: () => tick() });
  saver.set('network.source_port', '80');
  calls[0].reject({ code: 'database', message: 'database is locked' });
  await tick(); await tick();
  assert.equal(calls.length, 2, 'retried');
  assert.deepEqual([calls[1].field, calls[1].value], ['network.source_port', '80']);
  assert.ok(states.some((s) => s.retrying?.field === 'network.source_port'));
  calls[1].resolve(7);
  await tick();
  saver.set('incident.nope', 'x');
  calls[2].reject({ code: 'invalid', message: 'no such field' });
  await tick();
  assert.deepEqual(refused, [['invalid', 'incident.nope']]);
  await saver.flush();
  assert.equal(saver.pending(), 0);
  assert.ok(isRefusal({ code: 'conflict' }) && isRefusal({ code: 'report_not_editable' }) && !isRefusal({ code: 'database' }));
  for (const code of ['report_not_ready', 'report_submitted', 'report_not_submitted']) assert.ok(isRefusal({ code }), code);
});

test('operations run after the edits typed before them', async () => {
  const { calls, send } = fakeSend();
  const order = [];
  const saver = createSaver({ send, onSaved: (_, f) => order.push(f) });
  saver.set('computers.1.ip', '10.0.0.1');
  const removed = saver.op(async () => { order.push('remove computers.0'); return 'done'; });
  saver.set('computers.0.ip', '10.0.0.2');
  calls[0].resolve(1);
  assert.equal(await removed, 'done');
  await tick();
  calls[1].resolve(2);
  await saver.flush();
  assert.deepEqual(order, ['computers.1.ip', 'remove computers.0', 'computers.0.ip']);
});

test('conditions follow the Rust rules', () => {
  const doc = { federal: { category: 'cat_2' }, categories: { criminal_activity: true }, incident: { occurred_unknown: false } };
  assert.ok(holds({ op: 'equals', field: 'federal.category', value: 'cat_2' }, doc));
  assert.ok(!holds({ op: 'equals', field: 'federal.category', value: 'cat_3' }, doc));
  assert.ok(holds({ op: 'ticked', field: 'categories.criminal_activity' }, doc));
  assert.ok(holds({ op: 'not_ticked', field: 'incident.occurred_unknown' }, doc));
  assert.ok(holds(undefined, doc));
  assert.equal(needNow({ need: 'recommended', need_when: { op: 'ticked', field: 'categories.media_coverage' } }, doc), 'optional');
  assert.equal(needNow({ need: 'required' }, doc), 'required');
  assert.equal(templateId('computers.12.ip'), 'computers.*.ip');
  assert.equal(rowIndex('computers.12.ip'), 12);
  assert.equal(rowIndex('incident.description'), null);
});

test('typed local times become RFC 3339 with the offset in force then', () => {
  process.env.TZ = 'America/Los_Angeles';
  assert.equal(toStored('2024-03-01 08:00'), '2024-03-01T08:00:00-08:00');
  assert.equal(toStored('2024-07-04T17:30:15'), '2024-07-04T17:30:15-07:00', 'summer time');
  assert.equal(toStored('2024-03-01 08:00 Z'), '2024-03-01T08:00:00+00:00');
  assert.equal(toStored('2024-03-01 08:00 -0500'), '2024-03-01T08:00:00-05:00');
  for (const partial of ['2024-03-0', '2024-03-01 08:', '2024-02-30 08:00', '2024-13-01 08:00', '2024-03-10 02:30', 'yesterday']) {
    assert.equal(toStored(partial), null, partial);
  }
  assert.equal(toTyped('2024-03-01T08:00:00-08:00'), '2024-03-01 08:00');
  assert.equal(toTyped('2024-03-01T08:00:05-05:00'), '2024-03-01 08:00:05 -05:00');
  assert.equal(toTyped('as typed'), 'as typed');
  assert.equal(toTyped(null), '');
  assert.equal(toStored(toTyped('2024-11-03T01:30:00-07:00')), '2024-11-03T01:30:00-07:00', 'round trip on the DST change');
  assert.ok(parseStored('2024-03-01T08:00:00-08:00') instanceof Date);
  assert.equal(parseStored('2024-03-01 08:00'), null);
  assert.equal(offsetText(-480), '-08:00');
  assert.equal(localMinute(new Date(2024, 0, 2, 3, 4)), '2024-01-02 03:04');
});

test('countdowns', () => {
  const now = Date.parse('2024-03-01T16:00:00Z');
  assert.deepEqual(countdown('2024-03-01T17:00:00Z', now), { overdue: false, soon: false, text: 'due in 1:00:00' });
  assert.deepEqual(countdown('2024-03-01T16:10:05Z', now), { overdue: false, soon: true, text: 'due in 10:05' });
  assert.deepEqual(countdown('2024-03-01T15:55:00Z', now), { overdue: true, soon: false, text: 'OVERDUE by 5:00' });
  assert.equal(clock(3 * 86400e3 + 4 * 3600e3), '3 d 4 h');
});

test('history groups consecutive saves of one field, newest first', async () => {
  const { groupEntries } = await import('../pages/report/history.js');
  const entries = [
    { revision: 6, kind: 'set', field: 'incident.description', at: 't6', preview: 'abc' },
    { revision: 5, kind: 'set', field: 'incident.description', at: 't5', preview: 'ab' },
    { revision: 4, kind: 'set', field: 'iso.name', at: 't4', preview: 'Ada' },
    { revision: 3, kind: 'set', field: 'incident.description', at: 't3', preview: 'a' },
    { revision: 2, kind: 'add_row', field: 'computers', at: 't2', preview: null },
    { revision: 1, kind: 'created', field: null, at: 't1', preview: null },
  ];
  const groups = groupEntries(entries);
  assert.deepEqual(groups.map((g) => [g.kind, g.field, g.revision, g.oldest, g.count]), [
    ['set', 'incident.description', 6, 5, 2], ['set', 'iso.name', 4, 4, 1], ['set', 'incident.description', 3, 3, 1],
    ['add_row', 'computers', 2, 2, 1], ['created', null, 1, 1, 1],
  ]);
  assert.equal(groups[0].preview, 'abc', 'a group shows its newest value');
});
