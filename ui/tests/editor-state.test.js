import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOLD_MS, SAVING_NOTICE_MS, createEditorState } from '../pages/report/editor-state.js';
import { emptyRow, schemaIndex } from '../pages/report/schema.js';

const status = (extra = {}) => ({ field_errors: [], missing_required: [], missing_recommended: [], tasks: [], ...extra });
const view = (report = {}, extra = {}) => ({
  report: { report_id: 'R1', revision: 3, state: 'draft', doc: {}, portal_messages: [], ...report },
  status: status(extra),
});

test('a save commits the revision, the state and the status, and clears that field\'s refusal', () => {
  const state = createEditorState(view());
  state.refused({ code: 'invalid', message: 'bad', fields: [{ field: 'network.source_port', message: 'not a port' }] }, { field: 'network.source_port', value: 'x' });
  assert.deepEqual(state.messagesByPath().get('network.source_port'), ['Not saved: not a port']);
  state.committed({ revision: 4, state: 'draft', portal_messages: [], status: status({ field_errors: [{ field: 'iso.email', message: 'not an e-mail' }] }) }, 1000, 'network.source_port');
  assert.equal(state.knownRevision, 4);
  assert.equal(state.report.revision, 4);
  assert.deepEqual([...state.messagesByPath()], [['iso.email', ['not an e-mail']]]);
});

test('a value refused as not editable is held while the report is ready and released once it is a draft', () => {
  const state = createEditorState(view({ state: 'ready' }));
  const { held, alert } = state.refused({ code: 'report_not_editable', message: 'ready' }, { field: 'incident.description', value: 'late' });
  assert.equal(held, true);
  assert.equal(state.holdsValues, true, 'the window may not be released with it');
  assert.match(alert, /saved when the report is back to draft/);
  assert.match(state.messagesByPath().get('incident.description')[0], /^Not saved yet/);
  assert.deepEqual(state.releaseHeld(), [], 'still ready: kept');
  state.loaded(view({ state: 'draft', revision: 5 }));
  assert.deepEqual(state.releaseHeld(), [['incident.description', 'late']]);
  assert.equal(state.holdsValues, false);
  assert.equal(state.messagesByPath().size, 0);
  assert.deepEqual(state.releaseHeld(), [], 'released once');
});

test('any other conflict is a refusal with its message, not a value held for later', () => {
  const state = createEditorState(view({ state: 'ready' }));
  const { held, alert } = state.refused({ code: 'conflict', message: 'something else' }, { field: 'incident.description', value: 'late' });
  assert.equal(held, false);
  assert.equal(alert, 'Not saved: something else');
  state.loaded(view({ state: 'draft', revision: 5 }));
  assert.deepEqual(state.releaseHeld(), [], 'nothing held');
});

test('the message of the field being typed is held until the pause or the blur', () => {
  const state = createEditorState(view());
  state.typed('iso.email', 10_000);
  assert.equal(state.holdingPath(10_000 + HOLD_MS - 1, 'iso.email'), 'iso.email');
  assert.equal(state.holdingPath(10_000 + HOLD_MS, 'iso.email'), null, 'the typing paused');
  assert.equal(state.holdingPath(10_001, 'iso.name'), null, 'the focus is elsewhere');
  assert.equal(state.blurred('iso.name'), false);
  assert.equal(state.blurred('iso.email'), true);
  assert.equal(state.holdingPath(10_001, 'iso.email'), null, 'left once: shown');
});

test('the save line: saved, saving only when slow, retrying, and unchanged in between', () => {
  const state = createEditorState(view());
  assert.deepEqual(state.saveLine(0, 0), { mode: 'saved', text: 'Saved · revision 3' });
  state.queueChanged({ pending: 1, retrying: null }, 1000);
  assert.equal(state.saveLine(1000 + SAVING_NOTICE_MS, 1), null, 'a quick save leaves the line alone');
  assert.deepEqual(state.saveLine(1001 + SAVING_NOTICE_MS, 1), { mode: 'saving', text: 'Saving…' });
  state.queueChanged({ pending: 1, retrying: { field: 'x', error: { message: 'database is locked' }, attempt: 1 } }, 1500);
  assert.equal(state.saveLine(1500, 1).mode, 'retrying');
  assert.match(state.saveLine(1500, 1).text, /database is locked/);
  state.committed({ revision: 4, state: 'draft', portal_messages: [], status: status() }, Date.UTC(2026, 0, 1, 12), 'x');
  state.queueChanged({ pending: 0, retrying: null }, 1600);
  const saved = state.saveLine(1600, 0);
  assert.equal(saved.mode, 'saved');
  assert.match(saved.text, /^Saved .* · revision 4$/);
});

test('inputs since idle tell a refresh started before a keystroke that it is stale', () => {
  const state = createEditorState(view());
  state.queueChanged({ pending: 0, retrying: null }, 0);
  const before = state.inputsSinceIdle;
  state.typed('iso.name', 1);
  assert.notEqual(state.inputsSinceIdle, before);
  state.queueChanged({ pending: 0, retrying: null }, 2);
  assert.equal(state.inputsSinceIdle, 0);
});

test('a view from elsewhere: content when the revision is newer, state when the lifecycle or the portal changed', () => {
  const state = createEditorState(view());
  assert.deepEqual(state.changesIn(view()), { content: false, state: false });
  assert.deepEqual(state.changesIn(view({ revision: 4 })), { content: true, state: false });
  assert.deepEqual(state.changesIn(view({ state: 'sent', incident_number: 'CA-1' })), { content: false, state: true });
  assert.deepEqual(state.changesIn(view({ portal_messages: [{ field: null, message: 'refused' }] })), { content: false, state: true });
});

test('a refused step lists as errors the fields not already missing', () => {
  const state = createEditorState(view({}, { missing_required: [{ field: 'incident.description', label: 'Description' }] }));
  state.stepRefused([{ field: 'incident.description', message: 'required' }, { field: 'iso.email', message: 'not an e-mail' }]);
  assert.deepEqual(state.status.field_errors, [{ field: 'iso.email', message: 'not an e-mail' }]);
  assert.deepEqual(state.messagesByPath().get('iso.email'), ['not an e-mail']);
});

test('paths are named for a person: rows by number, a label used twice by its section', () => {
  const schema = { sections: [
    { id: 'iso', title: 'ISO', fields: [{ id: 'iso.name', label: 'Name', kind: { type: 'text' } }] },
    { id: 'ciso', title: 'CISO', fields: [{ id: 'ciso.name', label: 'Name', kind: { type: 'text' } }] },
    { id: 'computers', title: 'Computers', repeat: { list: 'computers', row_label: 'Computer' }, fields: [
      { id: 'computers.*.ip', label: 'IP address', kind: { type: 'ip_address' } },
      { id: 'computers.*.seen', label: 'Seen', kind: { type: 'date_time' } },
      { id: 'computers.*.wiped', label: 'Wiped', kind: { type: 'checkbox' } },
      { id: 'computers.*.phones', label: 'Phones', kind: { type: 'phones' } },
    ] },
  ] };
  const names = schemaIndex(schema);
  assert.equal(names.describePath('iso.name', 'Name'), 'Name (ISO)');
  assert.equal(names.describePath('computers.1.ip', names.labelOf('computers.1.ip')), 'IP address (computer 2)');
  assert.equal(names.labelOf('nowhere.at.all'), 'nowhere.at.all');
  assert.equal(names.repeatSection('computers').title, 'Computers');
  assert.deepEqual(emptyRow(names.repeatSection('computers')), { ip: '', seen: null, wiped: false, phones: [] });
});
