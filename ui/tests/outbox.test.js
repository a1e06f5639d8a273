import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockTime, dueText, portalBanner, relative, stateLabel } from '../lib/outbox-view.js';

const base = { paused: null, offline: false, offline_since: null, configured: true, pending: 0, sent: 0 };
const now = Date.parse('2024-05-01T17:00:00Z');

test('relative times read as a person says them', () => {
  assert.equal(relative('2024-05-01T17:00:12Z', now), 'in 12 s');
  assert.equal(relative('2024-05-01T16:55:00Z', now), '5 min ago');
  assert.equal(relative('2024-05-01T17:00:00.500Z', now), 'now');
  assert.equal(relative(null, now), '');
});

test('deadline wording counts down and then up', () => {
  assert.equal(dueText(12), 'due in 12 minutes');
  assert.equal(dueText(1), 'due in 1 minute');
  assert.equal(dueText(0), 'due now');
  assert.equal(dueText(-5), '5 minutes overdue');
});

test('item states name what waits and what needs the user', () => {
  assert.equal(stateLabel({ state: 'pending', attempts: 0 }).text, 'queued');
  assert.equal(stateLabel({ state: 'pending', attempts: 3 }).text, 'queued, retrying');
  assert.equal(stateLabel({ state: 'pending', attempts: 0, waits_for: 7 }).text, 'queued, after item 7');
  assert.deepEqual(stateLabel({ state: 'parked' }), { text: 'parked: needs you', tone: 'parked' });
  assert.equal(stateLabel({ state: 'sent' }).tone, 'sent');
});

test('no banner while the portal answers or nothing waits without an address', () => {
  assert.equal(portalBanner({ ...base, pending: 3 }, null, now), null);
  assert.equal(portalBanner({ ...base, configured: false }, null, now), null);
  assert.equal(portalBanner(null, null, now), null);
});

test('offline: a critical banner; with a report near its deadline, the fallback headline', () => {
  const offline = { ...base, offline: true, offline_since: '2024-05-01T16:50:00Z', pending: 2 };
  const plain = portalBanner(offline, { owed: [], guidance: { headline: 'x' } }, now);
  assert.equal(plain.level, 'critical');
  assert.ok(plain.text.startsWith(`Cal-CSIRS portal unreachable since ${clockTime('2024-05-01T16:50:00Z')}: 2 items queued`), plain.text);
  assert.equal(plain.action, 'outbox');
  const fallback = {
    owed: [{ title: 'Phishing at DMV', minutes_left: 12 }, { title: 'Other', minutes_left: 25 }],
    guidance: { headline: 'Business hours: call the CISO at (916) 445-5239 or e-mail security@state.ca.gov.' },
  };
  const urgent = portalBanner(offline, fallback, now);
  assert.equal(urgent.action, 'fallback');
  assert.match(urgent.text, /“Phishing at DMV” due in 12 minutes \(and 1 more report\): Business hours: call the CISO at \(916\) 445-5239/);
});

test('a refused token or a missing address with items waiting say what to do', () => {
  const paused = portalBanner({ ...base, paused: 'token needed', pending: 1 }, null, now);
  assert.equal(paused.level, 'warn');
  assert.equal(paused.action, 'token');
  assert.match(paused.text, /Token needed/);
  const unset = portalBanner({ ...base, configured: false, pending: 4 }, null, now);
  assert.match(unset.text, /No portal address is set: 4 items queued/);
});
