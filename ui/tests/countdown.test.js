import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passedTracker } from '../lib/countdown.js';
import { renderingOf } from '../lib/dom.js';
import { countdown, countdownAt } from '../lib/time.js';

test('passed instants are followed as time goes on, each reported once when it turns', () => {
  const passed = passedTracker([3000, 1000, Number.NaN, 2000, 1000]);
  assert.deepEqual(passed.advance(500), []);
  assert.deepEqual(passed.advance(1000).sort(), [1, 4]);
  assert.deepEqual(passed.advance(1500), []);
  assert.deepEqual(passed.advance(10_000), [3, 0]);
  assert.ok(passed.has(0) && passed.has(1) && passed.has(3) && passed.has(4));
  assert.ok(!passed.has(2), 'an instant that is not one never passes');
  // A clock set back un-passes what is ahead of it again.
  assert.deepEqual(passed.advance(1999), [0, 3]);
  assert.ok(!passed.has(0) && !passed.has(3) && passed.has(1));
  assert.deepEqual(passed.advance(1999), []);
});

test('the next instant to pass is known, so one timer waits for it', () => {
  const passed = passedTracker([3000, 1000, Number.NaN]);
  assert.equal(passed.next(), 1000);
  passed.advance(1000);
  assert.equal(passed.next(), 3000);
  passed.advance(5000);
  assert.equal(passed.next(), Infinity);
});

test('the first advance reports everything already passed', () => {
  const passed = passedTracker([1, 2, 3]);
  assert.deepEqual(passed.advance(2), [0, 1]);
  assert.deepEqual(passedTracker([]).advance(5), []);
});

test('an instant parsed once counts as the same instant written out', () => {
  const due = '2026-03-09T09:30:00-07:00';
  for (const now of [Date.parse(due) - 90_061_000, Date.parse(due) - 1, Date.parse(due), Date.parse(due) + 61_000]) {
    assert.deepEqual(countdownAt(Date.parse(due), now, { past: 'escalated {} ago' }), countdown(due, now, { past: 'escalated {} ago' }));
  }
  assert.deepEqual(countdownAt(Number.NaN, 0), { overdue: false, text: '' });
});

// Nodes as the DOM shapes them: enough for renderingOf.
const text = (data) => ({ nodeType: 3, data });
const el = (nodeName, attributes = {}, ...childNodes) => ({
  nodeType: 1, nodeName, attributes: Object.entries(attributes).map(([name, value]) => ({ name, value })), childNodes,
});

test('a rendering tells parts apart by tag, attributes and text, and nothing else', () => {
  const cell = (left) => el('TD', { class: 'stage-cell', 'data-due': '2026-03-09T17:30:00Z' },
    el('SPAN', { class: 'countdown', 'data-countdown': '2026-03-09T17:30:00Z' }),
    el('DIV', { class: 'small muted' }, text(`${left} of business time left`)));
  assert.equal(renderingOf(cell('45 min')), renderingOf(cell('45 min')));
  assert.notEqual(renderingOf(cell('45 min')), renderingOf(cell('44 min')));
  assert.notEqual(renderingOf(el('TD', { class: 'a' })), renderingOf(el('TD', { class: 'b' })));
  assert.notEqual(renderingOf(el('TD', {}, text('a'), text('b'))), renderingOf(el('TD', {}, text('ab'))));
  assert.notEqual(renderingOf(el('TD', { title: 'x">' })), renderingOf(el('TD', { title: 'x', '">': '' })));
  assert.equal(renderingOf({ nodeType: 8, data: 'a comment' }), '');
});
