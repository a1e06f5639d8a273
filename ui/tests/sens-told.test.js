import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helpState, outcomeChoices, whoWasTold } from '../pages/sens/told.js';

const ladder = [1, 2, 3].map((level) => ({
  level, to: `to ${level}`, email_from: `from ${level}`, telephone: [`phone ${level}`], email_copies: [`copy ${level}`],
}));

test('who was told: Table 2 for the level and each escalation level in full', () => {
  const detail = {
    initial_distribution: { level: 'high', from: 'SOC Analyst', telephone: ['Designated entity ISO', 'Designated entity backup ISO'], email: ['Designated entity ISO'] },
    ladder,
    card: {
      schedule: { escalations: [
        { stage: 'acknowledge', level: 1, at: '2026-03-02T19:00:00Z', averted: true },
        { stage: 'acknowledge', level: 2, at: '2026-03-02T19:30:00Z', averted: false },
      ] },
      local: { escalations: ['2026-03-02T11:00:00-08:00', '2026-03-02T11:30:00-08:00'] },
    },
  };
  const told = whoWasTold(detail);
  assert.deepEqual(told.initial, { from: 'SOC Analyst', phoned: ['Designated entity ISO', 'Designated entity backup ISO'], emailed: ['Designated entity ISO'], phones: true });
  assert.equal(told.levels.length, 3);
  assert.deepEqual(told.levels[0], {
    level: 1, to: 'to 1', emailFrom: 'from 1', phoned: ['phone 1'], copied: ['copy 1'],
    stages: [{ stage: 'acknowledge', at: '2026-03-02T19:00:00Z', atLocal: '2026-03-02T11:00:00-08:00', averted: true }],
  });
  assert.equal(told.levels[1].stages[0].atLocal, '2026-03-02T11:30:00-08:00');
  assert.deepEqual(told.levels[2].stages, []);
});

test('a Medium SEN has no telephone attempts; a level without a Table 2 row has none', () => {
  const medium = whoWasTold({ initial_distribution: { from: 'SOC Analyst', telephone: [], email: ['a', 'b', 'c'] }, ladder, card: {} });
  assert.equal(medium.initial.phones, false);
  assert.deepEqual(medium.initial.emailed, ['a', 'b', 'c']);
  assert.equal(whoWasTold({ initial_distribution: null, ladder: [], card: { schedule: null } }).initial, null);
});

test('help state: pending, answered, late or none', () => {
  const card = (det, sen = {}) => ({ sen, schedule: { stages: [{ stage: 'acknowledge' }, { stage: 'determine', ...det }] } });
  assert.equal(helpState(card({ help_pending: true, help_requested_at: 't' })), 'pending');
  assert.equal(helpState(card({ help_pending: false, help_requested_at: 't' })), 'answered');
  assert.equal(helpState(card({ late_request_at: 't' }, { help_requested_at: 't' })), 'late');
  assert.equal(helpState(card({ late_request_at: 't' }, { help_requested_at: null })), null, 'a late more-time request is not a help request');
  assert.equal(helpState(card({})), null);
  assert.equal(helpState({ schedule: null }), null);
});

test('only more time asks for a findings date; request help shows who to contact', () => {
  const choices = outcomeChoices([{ id: 'confirmed_incident', label: 'C' }, { id: 'more_time', label: 'M' }, { id: 'request_help', label: 'H' }]);
  assert.deepEqual(choices.map((c) => [c.id, c.needsFindingsBy, c.showsHelp]), [
    ['confirmed_incident', false, false], ['more_time', true, false], ['request_help', false, true]]);
});
