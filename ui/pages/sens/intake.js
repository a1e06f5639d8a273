// SEN intake: .eml and Outlook .msg files (dropped on the window or picked), a pasted subject line, or a SEN typed in
// by hand. Each is read first without storing anything (a preview with the clock it would start);
// "Record SEN" stores it. Mail that is not a SEN notification is refused with the reason.

import { call } from '../../lib/ipc.js';
import { append, clear, h } from '../../lib/dom.js';
import { formatLocal } from '../../lib/time.js';
import { tooLarge } from '../../lib/limits.js';
import { STAGE_LABELS, levelBadge, showFieldErrors } from './common.js';

export function renderIntake({ timeZone, onRecorded }) {
  const results = h('div', { class: 'intake-results', id: 'sen-intake-results', 'aria-live': 'polite' });

  function showError(title, error) {
    const box = h('div', { class: 'intake-card intake-refused', role: 'alert' },
      h('strong', {}, title), ' ', h('span', { class: 'intake-reason' }, error.message), ' ',
      h('span', { class: 'muted' }, 'Nothing was stored.'),
      h('button', { type: 'button', class: 'link dismiss', onclick: () => box.remove() }, 'Dismiss'));
    results.prepend(box);
  }

  // A preview card for what was read, with the button that records it.
  function showPreview(source, intake, record) {
    const card = intake.card;
    const notice = intake.notice;
    const box = h('div', { class: 'intake-card', 'data-intake': notice.sen_number });
    const stages = card.schedule
      ? h('ul', { class: 'intake-stages' }, card.schedule.stages.map((s, i) => h('li', {},
        `${STAGE_LABELS[s.stage]}: `, h('span', { class: 'mono' }, formatLocal(card.local.stages[i].due)),
        s.projected_start ? h('span', { class: 'tag' }, 'projected') : null)))
      : h('p', { class: 'muted' }, card.level.note);
    const actions = h('div', { class: 'toolbar' });
    if (intake.already_recorded) {
      actions.append(h('span', { class: 'muted' }, `${notice.sen_number} is already recorded; nothing to do.`), ' ',
        h('a', { href: `#/sens/${encodeURIComponent(notice.sen_number)}`, class: 'button' }, 'Open it'),
        h('button', { type: 'button', onclick: () => box.remove() }, 'Dismiss'));
    } else {
      const status = h('span', { class: 'form-status', role: 'status' });
      const recordButton = h('button', { type: 'button', class: 'primary intake-record', id: `intake-record-${notice.sen_number}` }, `Record ${notice.sen_number}`);
      recordButton.addEventListener('click', async () => {
        recordButton.disabled = true;
        status.className = 'form-status';
        status.textContent = 'Recording\u2026';
        try {
          const stored = await record();
          box.remove();
          onRecorded(stored);
        } catch (error) {
          recordButton.disabled = false;
          status.className = 'form-status error';
          status.textContent = `Not recorded: ${error.message}`;
        }
      });
      actions.append(recordButton, h('button', { type: 'button', onclick: () => box.remove() }, 'Discard'), status);
    }
    append(box, [
      h('div', { class: 'intake-head' }, levelBadge(card.level), ' ', h('strong', {}, notice.sen_number), ' ',
        h('span', { class: 'muted' }, `from ${source} \u00b7 sent `), h('span', { class: 'mono' }, formatLocal(card.local.sent_at))),
      notice.sender ? h('p', { class: 'muted intake-sender' }, `Sender: ${notice.sender}`) : null,
      notice.summary ? h('p', { class: 'summary' }, notice.summary) : null,
      notice.warnings.map((w) => h('p', { class: 'warning' }, `\u26A0 ${w}`)),
      stages,
      actions]);
    results.prepend(box);
    box.querySelector('.intake-record')?.focus();
  }

  async function readEml(file) {
    const refused = await tooLarge(file, 'eml', 'SEN notification e-mail (.eml)');
    if (refused) {
      showError(file.name, { message: refused });
      return;
    }
    let bytes;
    try {
      bytes = Array.from(new Uint8Array(await file.arrayBuffer()));
    } catch (error) {
      showError(file.name, { message: `cannot read the file: ${error.message ?? error}` });
      return;
    }
    try {
      const intake = await call('sen_import_eml', { bytes, dryRun: true, fileName: file.name });
      showPreview(file.name, intake, () => call('sen_import_eml', { bytes, dryRun: false, fileName: file.name }));
    } catch (error) {
      showError(`${file.name}:`, error);
    }
  }

  async function readFiles(files) {
    for (const file of files) await readEml(file);
  }

  // .eml / .msg file picker.
  const fileInput = h('input', { type: 'file', id: 'sen-eml-input', accept: '.eml,.msg,message/rfc822,application/vnd.ms-outlook', multiple: true,
    onchange: async () => { await readFiles([...fileInput.files]); fileInput.value = ''; } });

  // Pasted subject line.
  const subject = h('input', { type: 'text', id: 'sen-subject', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'Cal-CSIRS Notification: A Security Event Notification \u2013 SOC-0123 requires your attention. The SEN Level is: CRITICAL',
    'aria-describedby': 'sen-subject-error' });
  const subjectSent = h('input', { type: 'datetime-local', id: 'sen-subject-sent', 'aria-describedby': 'sen-subject-sent-help sen-subject-sent-error' });
  const subjectForm = h('form', { class: 'intake-subject', id: 'sen-subject-form', novalidate: true },
    h('div', { class: 'field grow' }, h('label', { for: 'sen-subject' }, 'Paste a SEN subject line ', h('kbd', {}, 'P')), subject,
      h('div', { class: 'field-error', id: 'sen-subject-error', role: 'alert' })),
    h('div', { class: 'field' }, h('label', { for: 'sen-subject-sent' }, 'Sent at'), subjectSent,
      h('div', { class: 'help', id: 'sen-subject-sent-help' }, `${timeZone}; empty = now`),
      h('div', { class: 'field-error', id: 'sen-subject-sent-error', role: 'alert' })),
    h('button', { type: 'submit', id: 'sen-subject-read' }, 'Read subject'));
  subjectForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const args = { subject: subject.value, sentAt: subjectSent.value || null, dryRun: true };
    try {
      const intake = await call('sen_from_subject', args);
      showFieldErrors(subjectForm, 'sen-', []);
      // Record with the time the preview used, so "now" does not move between preview and record.
      showPreview('pasted subject', intake, () => call('sen_from_subject', { ...args, sentAt: intake.notice.sent_at, dryRun: false }));
      subject.value = '';
      subjectSent.value = '';
    } catch (error) {
      const fields = (error.fields ?? []).map((f) => ({ ...f, field: f.field === 'sent_at' ? 'subject-sent' : f.field }));
      const first = showFieldErrors(subjectForm, 'sen-', fields.length ? fields : [{ field: 'subject', message: error.message }]);
      first?.focus();
    }
  });

  // A SEN typed in by hand.
  const manual = h('form', { class: 'intake-manual', id: 'sen-manual-form', novalidate: true },
    field('sen-new-sen_number', 'SEN number', h('input', { type: 'text', placeholder: 'SOC-0123', autocomplete: 'off' })),
    field('sen-new-level', 'Level', h('select', {},
      h('option', { value: 'critical' }, 'Critical (red)'), h('option', { value: 'high' }, 'High (orange)'),
      h('option', { value: 'medium' }, 'Medium (yellow)'), h('option', { value: 'low' }, 'Low (no windows in this edition)'))),
    field('sen-new-sent_at', `Sent at (${timeZone})`, h('input', { type: 'datetime-local' })),
    field('sen-new-summary', 'Summary', h('input', { type: 'text', autocomplete: 'off' }), 'grow'),
    h('button', { type: 'submit', id: 'sen-new-create' }, 'Record SEN'));
  manual.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = (name) => manual.querySelector(`#sen-new-${name}`).value;
    try {
      const detail = await call('sen_create', { sen: { sen_number: value('sen_number'), level: value('level'), sent_at: value('sent_at'), summary: value('summary') } });
      showFieldErrors(manual, 'sen-new-', []);
      manual.reset();
      onRecorded({ card: detail.card });
    } catch (error) {
      const first = showFieldErrors(manual, 'sen-new-', error.fields?.length ? error.fields : [{ field: 'sen_number', message: error.message }]);
      first?.focus();
    }
  });

  const panel = h('section', { class: 'intake panel', 'aria-labelledby': 'sen-intake-title' },
    h('h2', { id: 'sen-intake-title', class: 'visually-hidden' }, 'New SEN'),
    h('div', { class: 'intake-row' },
      h('div', { class: 'field' }, h('label', { for: 'sen-eml-input' }, 'Import SEN e-mail (.eml, .msg) ', h('kbd', {}, 'I')), fileInput,
        h('div', { class: 'help' }, 'or drop .eml or .msg files anywhere on this page')),
      subjectForm),
    h('details', { class: 'intake-manual-wrap' }, h('summary', {}, 'Enter a SEN by hand ', h('kbd', {}, 'N')), manual),
    results);

  return {
    element: panel,
    readFiles,
    focusFile: () => fileInput.focus(),
    focusSubject: () => subject.focus(),
    openManual: () => { panel.querySelector('details').open = true; manual.querySelector('input')?.focus(); },
    clearResults: () => clear(results),
  };
}

function field(id, label, control, extra = '') {
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: `field ${extra}` }, h('label', { for: id }, label), control, h('div', { class: 'field-error', id: `${id}-error`, role: 'alert' }));
}
