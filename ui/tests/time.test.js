import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SECONDS_NEAR_MS, businessLeftAt, countdown, formatLocal, formatMinutes, formatSpan, liveCountdownAt, parseLocal, splitLocal, toInputValue,
} from '../lib/time.js';

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
  // Whole minutes, for a countdown far from its instant.
  assert.equal(formatSpan(2 * 3_600_000 + 4 * 60_000, { seconds: false }), '2 h 04 min');
  assert.equal(formatSpan(49 * 60_000, { seconds: false }), '49 min');
  assert.equal(formatSpan(0, { seconds: false }), '0 min');
});

const MIN = 60_000;

test('far from its instant a live countdown shows whole minutes, rounded up at the start of the clock minute, all changing together', () => {
  const minute = Date.parse('2026-03-09T16:00:00Z');
  const due = minute + 49 * MIN + 40_000; // 16:49:40
  // 16:00:20: 49 min 20 s left; as of 16:00:00, 49 min 40 s, rounded up: 50 (as the core words it).
  assert.deepEqual(liveCountdownAt(due, minute + 20_000), { overdue: false, text: 'in 50 min', until: minute + MIN });
  assert.deepEqual(liveCountdownAt(due, minute + 59_999), { overdue: false, text: 'in 50 min', until: minute + MIN });
  // Another instant on another second changes at the same clock minute.
  assert.equal(liveCountdownAt(minute + 2 * 3_600_000 + 5_000, minute + 20_000).until, minute + MIN);
  assert.deepEqual(liveCountdownAt(due, minute + MIN), { overdue: false, text: 'in 49 min', until: minute + 2 * MIN });
  // Long past: whole minutes too, in the page's own words.
  const past = liveCountdownAt(minute - 3 * 3_600_000 - 30_000, minute + 5_000, { past: 'escalated {} ago' });
  assert.deepEqual(past, { overdue: true, text: 'escalated 3 h 01 min ago', until: minute + MIN });
});

test('near its instant, and while the ISO works in the window, a live countdown shows seconds', () => {
  const minute = Date.parse('2026-03-09T16:00:00Z');
  // Due 16:10:30: the minute 16:00 comes within 10 minutes of it, so seconds all through it.
  const due = minute + 10 * MIN + 30_000;
  assert.ok(due - (minute + MIN) < SECONDS_NEAR_MS);
  assert.deepEqual(liveCountdownAt(due, minute + 200), { overdue: false, text: 'in 10 min 29 s', until: minute + 1001 });
  // The minute before does not: whole minutes until 16:00.
  assert.deepEqual(liveCountdownAt(due, minute - 30_000), { overdue: false, text: 'in 12 min', until: minute });
  // With `seconds` (the ISO is working here) seconds whatever the distance.
  assert.deepEqual(liveCountdownAt(minute + 49 * MIN, minute + 20_500, { seconds: true }),
    { overdue: false, text: 'in 48 min 39 s', until: minute + 21_001 });
  // The last second turns overdue at the instant itself; past it, seconds round up.
  assert.deepEqual(liveCountdownAt(due, due - 400), { overdue: false, text: 'in 0 s', until: due });
  assert.deepEqual(liveCountdownAt(due, due), { overdue: true, text: 'overdue by 0 s', until: due + 1 });
  assert.deepEqual(liveCountdownAt(due, due + 1500), { overdue: true, text: 'overdue by 2 s', until: due + 2001 });
  // A wording without a span never changes again; an instant that is none never does either.
  assert.equal(liveCountdownAt(due, due + 5, { past: 'projected time passed' }).until, Infinity);
  assert.deepEqual(liveCountdownAt(Number.NaN, minute), { overdue: false, text: '', until: Infinity });
});

test('business time left counts down with the clock minute while business time runs, and stands still when it does not', () => {
  const from = Date.parse('2026-03-09T16:00:20Z');
  const minute = Date.parse('2026-03-09T16:00:00Z');
  const running = { running: true, fromMs: from, untilMs: minute + 60 * MIN };
  const left = 49 * MIN + 40_000;
  // As the core counted it, until the next clock minute.
  assert.deepEqual(businessLeftAt(left, running, from), { minutes: 50, until: minute + MIN });
  // 16:01: 40 s of it elapsed: 49 min left.
  assert.deepEqual(businessLeftAt(left, running, minute + MIN + 5), { minutes: 49, until: minute + 2 * MIN });
  // Nothing left: 0, not less.
  assert.deepEqual(businessLeftAt(left, running, minute + 55 * MIN), { minutes: 0, until: minute + 56 * MIN });
  // Business time stops at 17:00: two hours left at 16:00:20 stand at 61 min from then on.
  assert.deepEqual(businessLeftAt(120 * MIN, running, minute + 59 * MIN + 1), { minutes: 62, until: minute + 60 * MIN });
  assert.deepEqual(businessLeftAt(120 * MIN, running, minute + 60 * MIN), { minutes: 61, until: Infinity });
  assert.deepEqual(businessLeftAt(120 * MIN, running, minute + 90 * MIN), { minutes: 61, until: Infinity });
  const stopped = { running: false, fromMs: from, untilMs: minute + 16 * 3_600_000 };
  assert.deepEqual(businessLeftAt(left, stopped, minute + 3 * 3_600_000), { minutes: 50, until: Infinity });
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
