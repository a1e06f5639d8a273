import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countdown, formatLocal, formatMinutes, formatSpan, parseLocal, splitLocal, toInputValue } from '../lib/time.js';

test('local RFC 3339 times keep their own wall clock and offset', () => {
  assert.equal(formatLocal('2026-03-09T09:30:00-07:00'), 'Mon 2026-03-09 09:30 \u221207:00');
  assert.equal(formatLocal('2026-03-06T16:30:00-08:00', { short: true }), 'Fri 03-06 16:30 \u221208:00');
  assert.equal(formatLocal('2026-11-01T01:30:00-08:00', { seconds: true }), 'Sun 2026-11-01 01:30:00 \u221208:00');
  assert.equal(formatLocal('2026-07-04T12:00:00Z'), 'Sat 2026-07-04 12:00 +00:00');
  assert.equal(formatLocal('2026-01-01T08:00:00+05:30'), 'Thu 2026-01-01 08:00 +05:30');
  assert.equal(formatLocal('not a time'), 'not a time');
  assert.equal(formatLocal(null), '');
  assert.equal(parseLocal('2026-03-09 09:30'), null);
  assert.deepEqual(splitLocal('2026-03-09T09:30:00-07:00', { short: true }), ['Mon 03-09 09:30', '\u221207:00']);
  assert.deepEqual(splitLocal('junk'), ['junk', '']);
});

test('datetime-local input values come from the local wall clock', () => {
  assert.equal(toInputValue('2026-03-09T09:30:15-07:00'), '2026-03-09T09:30');
  assert.equal(toInputValue(''), '');
});

test('spans count down in whole seconds and round up once overdue', () => {
  assert.equal(formatSpan(45_900), '45 s');
  assert.equal(formatSpan(12 * 60_000 + 5_000), '12 min 05 s');
  assert.equal(formatSpan(2 * 3_600_000 + 4 * 60_000 + 5_999), '2 h 04 min 05 s');
  assert.equal(formatSpan(3 * 86_400_000 + 4 * 3_600_000 + 10 * 60_000), '3 d 04 h 10 min');
  assert.equal(formatSpan(-400, { overdue: true }), '1 s');
});

test('a countdown says in or overdue, and words a passed escalation its own way', () => {
  const due = '2026-03-09T16:30:00Z';
  const at = Date.parse(due);
  assert.deepEqual(countdown(due, at - 3_723_000), { overdue: false, text: 'in 1 h 02 min 03 s' });
  assert.deepEqual(countdown(due, at + 903_000), { overdue: true, text: 'overdue by 15 min 03 s' });
  assert.deepEqual(countdown(due, at), { overdue: true, text: 'overdue by 0 s' });
  assert.deepEqual(countdown(due, at + 60_000, { past: 'escalated {} ago' }), { overdue: true, text: 'escalated 1 min 00 s ago' });
  assert.deepEqual(countdown('garbage', at), { overdue: false, text: '' });
  // The same instant written with an offset counts the same.
  assert.deepEqual(countdown('2026-03-09T09:30:00-07:00', at - 1000), { overdue: false, text: 'in 1 s' });
});

test('minutes are worded like the core words them', () => {
  assert.equal(formatMinutes(45), '45 min');
  assert.equal(formatMinutes(120), '2 h');
  assert.equal(formatMinutes(135), '2 h 15 min');
  assert.equal(formatMinutes(1440 + 180), '1 d 3 h');
});
