// The report's one-way lifecycle in the editor: the state badge and what it means, the buttons
// that move it (mark ready, back to draft, submit, queue a supplement) and the line that says how
// the last step went. Every step goes through the autosave queue, after the edits typed before it.

import { call } from '../../lib/ipc.js';
import { clear, h } from '../../lib/dom.js';
import { showLocal } from '../../lib/local-time.js';
import { button, confirmDialog, stateBadge } from './ui.js';

const STATE_TEXT = {
  draft: 'Draft: saved on this workstation as you type. Mark it ready when the required fields are in.',
  ready: 'Ready: checked and waiting to be submitted. Return it to draft to edit.',
  queued: 'Queued, not yet received by Cal-CSIRS: the 60-minute clock keeps counting until the portal confirms receipt. Queued: in the outbox, going to Cal-CSIRS as soon as the portal answers. Edits from now on go as a supplement.',
  sent: 'Sent to Cal-CSIRS. Edits from now on go as a supplement.',
};

// editor: { reportId, state, saver, applyView(view), renderStatus(), focusPath(path) }.
export function createLifecycle(editor) {
  const { reportId, state, saver } = editor;
  const badge = h('span', { id: 'report-state' });
  const meta = h('p', { class: 'muted report-meta', id: 'report-meta' });
  const stateText = h('p', { class: 'state-text', id: 'state-text' });
  const buttons = h('div', { class: 'lifecycle-buttons' });
  const actionStatus = h('p', { class: 'form-status', id: 'report-action-status', role: 'status' });

  // How the last action went: kind '' (under way), 'ok' or 'error'.
  function announce(kind, text) {
    actionStatus.className = kind ? `form-status ${kind}` : 'form-status';
    actionStatus.textContent = text;
  }

  async function step(run, done) {
    announce('', '');
    try {
      const view = await saver.op(run);
      editor.applyView(view);
      announce('ok', done);
    } catch (error) {
      if (error.fields?.length) {
        state.stepRefused(error.fields);
        editor.renderStatus();
        announce('error', `${error.message}. ${error.fields.length} field${error.fields.length === 1 ? '' : 's'} to fill or correct: see \u201cStill missing\u201d.`);
        editor.focusPath(error.fields[0].field);
      } else {
        announce('error', error.message);
      }
    }
  }

  function markReady() {
    step(() => call('report_ready', { reportId }), 'Ready: checked. Submit it to queue it for Cal-CSIRS.');
  }

  function toDraft() {
    step(() => call('report_to_draft', { reportId }), 'Back to draft: you can edit it again.');
  }

  async function submit() {
    const ok = await confirmDialog({
      title: 'Submit this report to Cal-CSIRS?',
      text: 'It goes into the outbox now and is delivered as soon as the portal answers. This cannot be undone: later changes go as supplements.',
      confirm: 'Submit',
    });
    if (ok) step(() => call('report_submit', { reportId }), 'Queued for Cal-CSIRS.');
  }

  async function queueSupplement() {
    const ok = await confirmDialog({
      title: 'Queue a supplement?',
      text: 'The fields changed since the last revision queued go to Cal-CSIRS as a supplement to this incident. This cannot be undone.',
      confirm: 'Queue supplement',
    });
    if (ok) step(() => call('report_queue_supplement', { reportId }), 'Supplement queued for Cal-CSIRS.');
  }

  function render() {
    const { report, status } = state;
    clear(badge).append(stateBadge(report.state));
    const bits = [`Report id ${report.report_id}`, `created ${showLocal(new Date(report.created_at))}`];
    if (report.incident_number) bits.push(`Cal-CSIRS incident number ${report.incident_number}`);
    meta.textContent = bits.join(' · ');
    stateText.textContent = STATE_TEXT[report.state] ?? report.state;
    clear(buttons);
    if (report.state === 'draft') {
      buttons.append(button('Mark ready', 'report-ready', markReady, 'primary'));
    } else if (report.state === 'ready') {
      buttons.append(button('Submit to Cal-CSIRS (queue)', 'report-submit', submit, 'primary'), button('Back to draft', 'report-to-draft', toDraft));
    } else {
      const supplement = button('Queue supplement', 'report-supplement', queueSupplement, 'primary');
      supplement.disabled = !status.unsent_changes;
      buttons.append(supplement, h('span', { class: 'muted' }, status.unsent_changes ? ' Changes since the last revision queued will go as a supplement.' : ' No changes since the last revision queued.'));
    }
  }

  return { badge, meta, stateText, buttons, actionStatus, announce, render };
}
