import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bannerFor, safeRoute } from '../lib/reminders.js';
import { formatMinutes, parseMinutes } from '../pages/settings/reminders.js';

const notice = {
  id: 7,
  title: 'SOC-0123 Critical: acknowledgement due in 15 min',
  body: 'Acknowledge receipt of the SEN by Tue 2026-03-10 10:00 PDT. Window: 1 clock hour from Tue 2026-03-10 09:00 PDT.\nSOC summary: beaconing',
  critical: true,
  route: '#/sens/SOC-0123',
};

test('a reminder banner says what is due and offers Open and Dismiss', () => {
  const opened = [];
  const dismissed = [];
  const b = bannerFor(notice, { open: (r) => opened.push(r), dismiss: (id) => dismissed.push(id) });
  assert.equal(b.level, 'critical');
  assert.equal(b.text, 'SOC-0123 Critical: acknowledgement due in 15 min \u2014 Acknowledge receipt of the SEN by Tue 2026-03-10 10:00 PDT.');
  assert.deepEqual(b.actions.map((a) => a.label), ['Open SOC-0123', 'Dismiss']);
  b.actions[0].run();
  b.actions[1].run();
  assert.deepEqual(opened, ['#/sens/SOC-0123']);
  assert.deepEqual(dismissed, [7]);
  const summary = bannerFor({ ...notice, critical: false, route: '#/sens', title: '3 deadline reminders: A, B, C' }, { open() {}, dismiss() {} });
  assert.equal(summary.level, 'warn');
  assert.equal(summary.actions[0].label, 'Open SEN board');
  assert.equal(bannerFor({ ...notice, route: '#/reports/abc' }, { open() {}, dismiss() {} }).actions[0].label, 'Open report');
});

test('only the app\u2019s own routes are followed', () => {
  assert.equal(safeRoute('#/sens/SOC-0123'), '#/sens/SOC-0123');
  assert.equal(safeRoute('#/reports/8f0c-11'), '#/reports/8f0c-11');
  assert.equal(safeRoute('javascript:alert(1)'), null);
  assert.equal(safeRoute('https://example.com'), null);
  assert.equal(safeRoute(undefined), null);
});

test('minutes before are written as a comma list', () => {
  assert.deepEqual(parseMinutes('30, 15'), [30, 15]);
  assert.deepEqual(parseMinutes(' 15 '), [15]);
  assert.deepEqual(parseMinutes(''), []);
  assert.ok(Number.isNaN(parseMinutes('15, soon')[1]));
  assert.equal(formatMinutes([30, 15]), '30, 15');
});
