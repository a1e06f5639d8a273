// The editor's autosave: every change goes into the queue (autosave.js) as it is typed, and the
// save line under the title says where it stands (saved and at which revision, saving, retrying)
// with the alert for a refused save.

import { call } from '../../lib/ipc.js';
import { h } from '../../lib/dom.js';
import { createSaver } from './autosave.js';

// editor: { reportId, state, renderStatus(), renderMessages(), refreshState(), reload() }.
export function createSaving(editor) {
  const { reportId, state } = editor;
  const saveStatus = h('p', { class: 'save-status', id: 'save-status', dataset: { pending: '0', revision: String(state.report.revision) } });
  const saveAlert = h('div', { class: 'save-alert', id: 'save-alert', role: 'alert' });

  const saver = createSaver({
    send: (field, value) => call('report_set_field', { reportId, field, value }),
    onSaved(saved, field) {
      state.committed(saved, Date.now(), field);
      editor.renderStatus();
    },
    onRefused(error, entry) {
      const { held, alert } = state.refused(error, entry);
      saveAlert.textContent = alert;
      // Refused as not editable (typed while the report was being marked ready): kept, and saved
      // once it is a draft again.
      if (held) editor.refreshState();
      else editor.renderMessages();
    },
    onState(queue) {
      saveStatus.dataset.pending = String(queue.pending);
      state.queueChanged(queue, Date.now());
      renderSaveLine();
    },
  });

  function renderSaveLine() {
    saveStatus.dataset.revision = String(state.knownRevision);
    saveStatus.classList.remove('saving', 'retrying');
    const line = state.saveLine(Date.now(), saver.pending());
    if (!line) return;
    if (line.mode !== 'saved') saveStatus.classList.add(line.mode);
    saveStatus.textContent = line.text;
  }

  // A row added or removed: after the edits typed before it; refused, the report is read again.
  function structural(run) {
    saver.op(run).then((saved) => {
      state.committed(saved, Date.now());
      editor.renderStatus();
    }, (error) => {
      saveAlert.textContent = `Not saved: ${error.message}`;
      editor.reload();
    });
  }

  return {
    saver,
    saveStatus,
    saveAlert,
    renderSaveLine,
    structural,
    alert: (text) => { saveAlert.textContent = text; },
  };
}
