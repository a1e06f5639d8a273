// The report editor: the form drawn from the core's schema, autosaved on every input (no save
// button), with the two deadlines ticking beside it, what is still missing (links focus the
// field), the tasks the report implies, the one-way lifecycle, the history, and the outputs
// (print, PDF, JSON export, phone summary).

import { call } from '../../lib/ipc.js';
import { LE_GUIDANCE, LE_SEED_WORDS, QUEUED_NOT_RECEIVED } from '../../lib/outbox-view.js';
import { clear, h, toast } from '../../lib/dom.js';
import { getPath } from '../../lib/paths.js';
import { createSaver } from './autosave.js';
import { rowIndex, templateId } from './conditions.js';
import { renderReportForm } from './form.js';
import { openHistory } from './history.js';
import { renderDocView } from './readonly.js';
import { countdown, showLocal } from './time.js';
import { confirmDialog, dialog, stateBadge } from './ui.js';

// A message on the field being typed waits this long after the last keystroke (or the blur):
// "not an IP address" after "10." is noise.
const HOLD_MS = 900;
// "Saving…" only shows when a save takes longer than this; quick saves just update "Saved".
const SAVING_NOTICE_MS = 400;

const STATE_TEXT = {
  draft: 'Draft: saved on this workstation as you type. Mark it ready when the required fields are in.',
  ready: 'Ready: checked and waiting to be submitted. Return it to draft to edit.',
  queued: 'Queued, not yet received by Cal-CSIRS: the 60-minute clock keeps counting until the portal confirms receipt. Queued: in the outbox, going to Cal-CSIRS as soon as the portal answers. Edits from now on go as a supplement.',
  sent: 'Sent to Cal-CSIRS. Edits from now on go as a supplement.',
};

const FOLDER_KEY = 'incident-desk.report-folder';

function emptyRow(section) {
  const row = {};
  for (const field of section.fields) {
    const key = field.id.split('.').pop();
    row[key] = field.kind.type === 'checkbox' ? false : field.kind.type === 'phones' ? [] : field.kind.type === 'date_time' ? null : '';
  }
  return row;
}

export async function mountEditor(main, reportId) {
  const [schema, first, defaultFolder] = await Promise.all([
    call('report_schema'),
    call('report_get', { reportId }),
    call('report_output_dir').catch(() => ''),
  ]);
  let report = first.report;
  let status = first.status;
  let knownRevision = report.revision;
  const refusedMessages = new Map(); // path -> message from a refused save
  const held = new Map(); // path -> value typed while the report was ready, saved when it is a draft again
  let activePath = null;
  let lastInputAt = 0;
  let holdTimer = null;
  let inputsSinceIdle = 0;
  let savingSince = null;
  let savedAt = null;
  let retrying = null;
  let unmounted = false;

  // Labels for the missing list: a label used in several sections says which one.
  const labelCount = new Map();
  for (const s of schema.sections) for (const f of s.fields) labelCount.set(f.label, (labelCount.get(f.label) ?? 0) + 1);
  const sectionOf = (path) => schema.sections.find((s) => path === s.id || path.startsWith(`${s.id}.`) || (s.repeat && path.startsWith(`${s.repeat.list}.`)));
  function describePath(path, label) {
    const section = sectionOf(path);
    const row = rowIndex(path);
    if (section?.repeat && row !== null) return `${label} (${section.repeat.row_label.toLowerCase()} ${row + 1})`;
    if (section && labelCount.get(label) > 1) return `${label} (${section.title})`;
    return label || section?.title || path;
  }

  // ---- header, save state, lifecycle ----
  const badge = h('span', { id: 'report-state' });
  const meta = h('p', { class: 'muted report-meta', id: 'report-meta' });
  const saveStatus = h('p', { class: 'save-status', id: 'save-status', dataset: { pending: '0', revision: String(report.revision) } });
  const saveAlert = h('div', { class: 'save-alert', id: 'save-alert', role: 'alert' });
  const stateText = h('p', { class: 'state-text', id: 'state-text' });
  const lifecycle = h('div', { class: 'lifecycle-buttons' });
  const actionStatus = h('p', { class: 'form-status', id: 'report-action-status', role: 'status' });

  // ---- the side panel ----
  // Seed 000: law enforcement sensitive → CHP CCIU directly for guidance, shown before anything else.
  const leBox = h('section', { class: 'panel le-guidance', id: 'law-enforcement-guidance', 'aria-label': 'Law enforcement sensitive', hidden: true });
  const deadlinesBox = h('div', { id: 'deadlines' });
  const missingBox = h('div', { id: 'missing' });
  const tasksBox = h('div', { id: 'tasks' });
  const portalBox = h('div', { id: 'portal-messages' });
  const folder = h('input', { type: 'text', id: 'output-folder', value: localStorage.getItem(FOLDER_KEY) || defaultFolder, spellcheck: 'false', 'aria-describedby': 'output-folder-help' });
  folder.addEventListener('change', () => localStorage.setItem(FOLDER_KEY, folder.value.trim()));
  const outputStatus = h('p', { class: 'output-status', id: 'output-status', role: 'status' });
  const printView = h('div', { class: 'print-only', id: 'print-view' });

  const saver = createSaver({
    send: (field, value) => call('report_set_field', { reportId, field, value }),
    onSaved(saved, field) {
      knownRevision = saved.revision;
      report = { ...report, revision: saved.revision, state: saved.state, portal_messages: saved.portal_messages };
      status = saved.status;
      refusedMessages.delete(field);
      savedAt = new Date();
      renderStatus();
    },
    onRefused(error, entry) {
      if (error.code === 'conflict') {
        // Typed while the report was being marked ready: kept, and saved once it is a draft again.
        held.set(entry.field, entry.value);
        refusedMessages.set(entry.field, 'Not saved yet: the report is ready. This value is saved when you return it to draft.');
        saveAlert.textContent = 'A change typed after \u201cMark ready\u201d is kept on screen and saved when the report is back to draft.';
        refreshState();
        return;
      }
      const message = error.fields?.find((f) => f.field === entry.field)?.message ?? error.message;
      refusedMessages.set(entry.field, `Not saved: ${message}`);
      saveAlert.textContent = `Not saved: ${message}`;
      renderMessages();
    },
    onState(s) {
      saveStatus.dataset.pending = String(s.pending);
      retrying = s.retrying;
      if (s.pending > 0 && savingSince === null) savingSince = Date.now();
      if (s.pending === 0) {
        savingSince = null;
        inputsSinceIdle = 0;
      }
      renderSaveStatus();
    },
  });

  const form = renderReportForm(schema, structuredClone(report.doc), {
    onChange(path, value) {
      activePath = path;
      lastInputAt = Date.now();
      inputsSinceIdle += 1;
      saveAlert.textContent = '';
      saver.set(path, value);
      if (path === 'incident.law_enforcement_sensitive') renderLawEnforcement();
      scheduleMessages();
    },
    onAddRow(list) {
      const section = schema.sections.find((s) => s.repeat?.list === list);
      const rows = [...(getPath(form.doc(), list) ?? []), emptyRow(section)];
      form.rowsChanged(list, rows);
      form.focus(section.fields[0].id.replace('*', String(rows.length - 1)));
      saver.op(() => call('report_add_row', { reportId, list })).then(onStructural, onStructuralRefused);
    },
    onRemoveRow(rowPath) {
      const [list, index] = rowPath.split('.');
      const section = schema.sections.find((s) => s.repeat?.list === list);
      const rows = [...(getPath(form.doc(), list) ?? [])];
      rows.splice(Number(index), 1);
      form.rowsChanged(list, rows);
      const label = `${section.repeat.row_label} ${Number(index) + 1}`;
      actionStatus.className = 'form-status ok';
      actionStatus.textContent = `${label} removed. The history keeps it: restore an earlier revision to bring it back.`;
      (document.getElementById(`add-${list}`) ?? null)?.focus();
      saver.op(() => call('report_remove_row', { reportId, row: rowPath })).then(onStructural, onStructuralRefused);
    },
  });

  function onStructural(saved) {
    knownRevision = saved.revision;
    report = { ...report, revision: saved.revision, state: saved.state, portal_messages: saved.portal_messages };
    status = saved.status;
    savedAt = new Date();
    renderStatus();
  }

  function onStructuralRefused(error) {
    saveAlert.textContent = `Not saved: ${error.message}`;
    reload();
  }

  // ---- messages on fields ----
  function messagesByPath() {
    const map = new Map();
    const add = (path, text) => map.set(path, [...(map.get(path) ?? []), text]);
    for (const e of status.field_errors) add(e.field, e.message);
    for (const e of report.portal_messages ?? []) add(e.field, `Cal-CSIRS: ${e.message}`);
    for (const [path, text] of refusedMessages) add(path, text);
    return map;
  }

  function renderMessages() {
    const holding = activePath && Date.now() - lastInputAt < HOLD_MS && document.activeElement?.name === activePath;
    form.setMessages(messagesByPath(), holding ? activePath : null);
  }

  function scheduleMessages() {
    clearTimeout(holdTimer);
    holdTimer = setTimeout(renderMessages, HOLD_MS + 20);
  }

  // ---- save state ----
  function renderSaveStatus() {
    saveStatus.dataset.revision = String(knownRevision);
    saveStatus.classList.remove('saving', 'retrying');
    if (retrying) {
      saveStatus.classList.add('retrying');
      saveStatus.textContent = `Not saved yet, retrying: ${retrying.error?.message ?? 'the database did not answer'}. Keep typing: nothing is dropped.`;
    } else if (savingSince !== null && Date.now() - savingSince > SAVING_NOTICE_MS) {
      saveStatus.classList.add('saving');
      saveStatus.textContent = 'Saving…';
    } else if (saver.pending() === 0) {
      saveStatus.textContent = savedAt ? `Saved ${savedAt.toLocaleTimeString()} · revision ${knownRevision}` : `Saved · revision ${knownRevision}`;
    }
  }

  // ---- deadlines ----
  function deadlineBlock(deadline, id) {
    const frame = deadline.timeframe;
    const clockEl = h('p', { class: 'deadline-clock', id: `${id}-clock` });
    const block = h('div', { class: 'deadline', id },
      h('h3', {}, deadline.title), clockEl);
    // Queued is not reported: the clock runs until the portal confirms receipt (state sent).
    const stillRunning = report.state !== 'sent';
    if (deadline.due_at) {
      block.append(h('p', { class: 'deadline-at' }, `Due ${showLocal(new Date(deadline.due_at))}`));
      clockEl.dataset.due = deadline.due_at;
      clockEl.dataset.running = String(stillRunning);
    } else if (frame.kind === 'within_hours') {
      clockEl.textContent = `Within ${frame.hours === 1 ? '60 minutes' : `${frame.hours} hours`} of discovery: enter the discovery time to start the clock.`;
    } else {
      const words = { daily: 'Report daily.', weekly: 'Report weekly.', monthly: 'Report monthly.', not_required: 'Not required under the condition given.', not_applicable: 'Not applicable (internal use).' };
      clockEl.textContent = words[frame.kind] ?? frame.kind;
    }
    if (deadline.condition) block.append(h('p', { class: 'deadline-condition' }, `Because: ${deadline.condition}.`));
    block.append(h('blockquote', {}, `\u201c${deadline.words}\u201d`), h('p', { class: 'source' }, deadline.source));
    if (deadline.reading) block.append(h('p', { class: 'deadline-reading', id: `${id}-reading` }, h('strong', {}, 'Reading: '), deadline.reading));
    return block;
  }

  function tick() {
    for (const el of deadlinesBox.querySelectorAll('.deadline-clock[data-due]')) {
      const running = el.dataset.running === 'true';
      if (!running) {
        el.textContent = 'Filed with Cal-CSIRS.';
        el.className = 'deadline-clock done';
        continue;
      }
      const c = countdown(el.dataset.due);
      el.textContent = report.state === 'queued' ? `${c.text} \u00b7 ${QUEUED_NOT_RECEIVED}` : c.text;
      el.className = `deadline-clock${c.overdue ? ' overdue' : c.soon ? ' soon' : ''}`;
    }
  }

  function renderDeadlines() {
    clear(deadlinesBox);
    deadlinesBox.append(h('h2', { id: 'deadlines-title' }, 'Deadlines'), deadlineBlock(status.deadlines.cal_csirs, 'deadline-cal-csirs'));
    if (status.deadlines.federal) deadlinesBox.append(deadlineBlock(status.deadlines.federal, 'deadline-federal'));
    else deadlinesBox.append(h('p', { class: 'muted', id: 'deadline-federal' }, 'Federal timeframe: choose a federal incident category.'));
    tick();
  }

  // ---- what is missing ----
  // items: [{ field, text }]; each is a link that puts the focus on its field.
  function missingList(items, cls) {
    return h('ul', { class: `missing-list ${cls}` }, items.map((m) =>
      h('li', {}, h('button', { type: 'button', class: 'link', dataset: { path: m.field }, onclick: () => focusPath(m.field) }, m.text))));
  }
  const named = (list) => list.map((m) => ({ field: m.field, text: describePath(m.field, m.label) }));

  function focusPath(path) {
    if (!form.focus(path)) form.focus(templateId(path).split('.')[0]);
  }

  function renderMissing() {
    clear(missingBox);
    const { missing_required: required, missing_recommended: recommended, field_errors: errors } = status;
    missingBox.append(h('h2', { id: 'missing-title' }, 'Still missing'));
    const problems = [...errors, ...(report.portal_messages ?? [])].filter((e) => e.field);
    if (problems.length) {
      missingBox.append(h('h3', {}, `To correct (${problems.length})`),
        missingList(problems.map((e) => ({ field: e.field, text: `${describePath(e.field, labelOf(e.field))}: ${e.message}` })), 'errors'));
    }
    missingBox.append(h('h3', {}, `Required before it can be sent (${required.length})`));
    const noneRequired = report.state === 'draft' ? 'None: the report can be marked ready.' : 'None.';
    missingBox.append(required.length ? missingList(named(required), 'required') : h('p', { class: 'ok-text' }, noneRequired));
    missingBox.append(h('h3', {}, `Recommended (${recommended.length})`));
    missingBox.append(recommended.length
      ? missingList(named(recommended), 'recommended')
      : h('p', { class: 'muted' }, 'None.'));
    missingBox.append(h('p', { class: 'muted small-print' }, 'Reporting must not wait for complete information: a report can be sent with only the required fields and supplemented later.'));
  }

  function labelOf(path) {
    const id = templateId(path);
    for (const s of schema.sections) for (const f of s.fields) if (f.id === id) return f.label;
    return path;
  }

  function renderTasks() {
    clear(tasksBox);
    if (!status.tasks.length) return;
    tasksBox.append(h('h2', {}, 'To do'), h('ul', { class: 'tasks' }, status.tasks.map((t) =>
      h('li', { id: `task-${t.id}` }, h('span', { class: 'task-text' }, t.text), h('p', { class: 'source' }, t.source)))));
  }

  function renderPortal() {
    clear(portalBox);
    const general = (report.portal_messages ?? []).filter((m) => !m.field);
    if (!general.length) return;
    portalBox.append(h('h2', {}, 'Cal-CSIRS refused the report'), h('ul', {}, general.map((m) => h('li', {}, m.message))));
  }

  // ---- lifecycle ----
  function button(label, id, onclick, cls = '') {
    return h('button', { type: 'button', id, class: cls, onclick }, label);
  }

  function renderLifecycle() {
    clear(badge).append(stateBadge(report.state));
    const bits = [`Report id ${report.report_id}`, `created ${showLocal(new Date(report.created_at))}`];
    if (report.incident_number) bits.push(`Cal-CSIRS incident number ${report.incident_number}`);
    meta.textContent = bits.join(' · ');
    stateText.textContent = STATE_TEXT[report.state] ?? report.state;
    clear(lifecycle);
    if (report.state === 'draft') {
      lifecycle.append(button('Mark ready', 'report-ready', markReady, 'primary'));
    } else if (report.state === 'ready') {
      lifecycle.append(button('Submit to Cal-CSIRS (queue)', 'report-submit', submit, 'primary'), button('Back to draft', 'report-to-draft', toDraft));
    } else {
      const supplement = button('Queue supplement', 'report-supplement', queueSupplement, 'primary');
      supplement.disabled = !status.unsent_changes;
      lifecycle.append(supplement, h('span', { class: 'muted' }, status.unsent_changes ? ' Changes since the last revision queued will go as a supplement.' : ' No changes since the last revision queued.'));
    }
    form.setReadOnly(report.state === 'ready');
  }

  function renderLawEnforcement() {
    const yes = getPath(form.doc(), 'incident.law_enforcement_sensitive') === 'yes';
    leBox.hidden = !yes;
    clear(leBox);
    if (yes) {
      leBox.append(h('h2', {}, 'Law enforcement sensitive: contact CHP CCIU first'),
        h('p', {}, LE_GUIDANCE),
        h('blockquote', {}, LE_SEED_WORDS), h('p', { class: 'source' }, 'CA-CND (Cal-CSIRS reporting page)'));
    }
  }

  function renderStatus() {
    renderLawEnforcement();
    renderLifecycle();
    renderDeadlines();
    renderMissing();
    renderTasks();
    renderPortal();
    renderMessages();
    renderSaveStatus();
  }

  function applyView(view, { content = false } = {}) {
    report = view.report;
    status = view.status;
    knownRevision = report.revision;
    if (content) form.setDoc(structuredClone(report.doc));
    renderStatus();
    if (report.state !== 'ready' && held.size) {
      for (const [path, value] of held) {
        refusedMessages.delete(path);
        saver.set(path, value);
      }
      held.clear();
      saveAlert.textContent = '';
    }
  }

  async function refreshState() {
    try {
      applyView(await call('report_get', { reportId }));
    } catch (error) {
      saveAlert.textContent = error.message;
    }
  }

  async function lifecycleStep(run, done) {
    actionStatus.className = 'form-status';
    actionStatus.textContent = '';
    try {
      const view = await saver.op(run);
      applyView(view);
      actionStatus.className = 'form-status ok';
      actionStatus.textContent = done;
    } catch (error) {
      actionStatus.className = 'form-status error';
      if (error.fields?.length) {
        status = { ...status, field_errors: error.fields.filter((f) => !status.missing_required.some((m) => m.field === f.field)) };
        renderStatus();
        actionStatus.textContent = `${error.message}. ${error.fields.length} field${error.fields.length === 1 ? '' : 's'} to fill or correct: see \u201cStill missing\u201d.`;
        focusPath(error.fields[0].field);
      } else {
        actionStatus.textContent = error.message;
      }
    }
  }

  function markReady() {
    lifecycleStep(() => call('report_ready', { reportId }), 'Ready: checked. Submit it to queue it for Cal-CSIRS.');
  }

  function toDraft() {
    lifecycleStep(() => call('report_to_draft', { reportId }), 'Back to draft: you can edit it again.');
  }

  async function submit() {
    const ok = await confirmDialog({
      title: 'Submit this report to Cal-CSIRS?',
      text: 'It goes into the outbox now and is delivered as soon as the portal answers. This cannot be undone: later changes go as supplements.',
      confirm: 'Submit',
    });
    if (ok) lifecycleStep(() => call('report_submit', { reportId }), 'Queued for Cal-CSIRS.');
  }

  async function queueSupplement() {
    const ok = await confirmDialog({
      title: 'Queue a supplement?',
      text: 'The fields changed since the last revision queued go to Cal-CSIRS as a supplement to this incident. This cannot be undone.',
      confirm: 'Queue supplement',
    });
    if (ok) lifecycleStep(() => call('report_queue_supplement', { reportId }), 'Supplement queued for Cal-CSIRS.');
  }

  async function reload() {
    try {
      applyView(await call('report_get', { reportId }), { content: true });
    } catch (error) {
      saveAlert.textContent = error.message;
    }
  }

  // ---- outputs ----
  async function writeFile(command, what) {
    outputStatus.className = 'output-status';
    outputStatus.textContent = `Writing the ${what}…`;
    try {
      await saver.flush();
      const written = await call(command, { reportId, folder: folder.value.trim() || null });
      outputStatus.className = 'output-status ok';
      outputStatus.textContent = `${what} written: `;
      outputStatus.append(h('span', { class: 'mono path', id: `${command}-path` }, written.path));
    } catch (error) {
      outputStatus.className = 'output-status error';
      outputStatus.textContent = `${what} not written: ${error.message}`;
    }
  }

  function renderPrintView() {
    clear(printView).append(
      h('h1', {}, 'Incident report'),
      h('p', {}, `Report id ${report.report_id} · ${report.state} · revision ${knownRevision}${report.incident_number ? ` · incident number ${report.incident_number}` : ''} · printed ${showLocal(new Date())}`),
      renderDocView(schema, form.doc(), { headingLevel: 2 }));
  }

  async function printReport() {
    await saver.flush();
    renderPrintView();
    window.print();
  }

  async function phoneSummary() {
    await saver.flush();
    let text;
    try {
      text = await call('report_phone_summary', { reportId });
    } catch (error) {
      actionStatus.className = 'form-status error';
      actionStatus.textContent = error.message;
      return;
    }
    const pre = h('pre', { class: 'phone-summary', id: 'phone-summary-text', tabindex: '0', role: 'region', 'aria-label': 'Phone summary text' }, text);
    const copyStatus = h('p', { class: 'form-status', role: 'status' });
    const copy = h('button', { type: 'button', id: 'phone-summary-copy' }, 'Copy');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(text);
        copyStatus.textContent = 'Copied.';
      } catch {
        const range = document.createRange();
        range.selectNodeContents(pre);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        copyStatus.textContent = 'Selected: press Ctrl+C to copy.';
      }
    });
    dialog({ id: 'phone-summary-dialog', title: 'Phone summary', body: [h('p', { class: 'muted' }, 'Read this to the CISO or CHP ENTAC when Cal-CSIRS is down. The Cal-CSIRS report is still owed.'), pre, h('div', { class: 'toolbar' }, copy, copyStatus)] });
  }

  function history() {
    openHistory({
      schema,
      reportId,
      currentDoc: () => form.doc(),
      editable: () => report.state !== 'ready',
      describePath,
      restore: async (revision) => {
        const view = await saver.op(() => call('report_restore', { reportId, revision }));
        applyView(view, { content: true });
        actionStatus.className = 'form-status ok';
        actionStatus.textContent = `Revision ${revision} restored as revision ${view.report.revision}.`;
      },
    });
  }

  // ---- layout ----
  const outputs = h('section', { class: 'side-block', 'aria-labelledby': 'outputs-title' },
    h('h2', { id: 'outputs-title' }, 'Files'),
    h('div', { class: 'field' },
      h('label', { for: 'output-folder' }, 'Save files in folder'),
      folder,
      h('div', { class: 'help', id: 'output-folder-help' }, 'A full path (or ~/…). Files are named after the report and its revision.')),
    h('div', { class: 'toolbar' },
      button('Write PDF', 'report-write-pdf', () => writeFile('report_write_pdf', 'PDF')),
      button('Export JSON', 'report-export', () => writeFile('report_export_file', 'JSON export'))),
    outputStatus);

  main.append(
    h('div', { class: 'report-editor' },
      h('div', { class: 'report-head' },
        h('p', { class: 'back' }, h('a', { href: '#/reports', id: 'back-to-reports' }, '\u2190 All reports')),
        h('h1', {}, 'Incident report ', badge),
        meta,
        h('div', { class: 'save-line' }, saveStatus, saveAlert)),
      leBox,
      h('section', { class: 'lifecycle panel', 'aria-label': 'Report state' }, stateText,
        h('div', { class: 'toolbar' }, lifecycle, h('span', { class: 'spacer' }),
          button('History', 'report-history', history),
          button('Phone summary', 'report-phone-summary', phoneSummary),
          button('Print', 'report-print', printReport)),
        actionStatus),
      h('div', { class: 'report-layout' },
        h('div', { class: 'report-main' }, form.element),
        h('aside', { class: 'report-side', 'aria-label': 'Deadlines, what is missing, and outputs' },
          h('section', { class: 'side-block', 'aria-labelledby': 'deadlines-title' }, deadlinesBox),
          h('section', { class: 'side-block tasks-block', 'aria-label': 'Tasks' }, tasksBox),
          h('section', { class: 'side-block', 'aria-label': 'Portal messages' }, portalBox),
          h('section', { class: 'side-block', 'aria-labelledby': 'missing-title' }, missingBox),
          outputs)),
      printView));
  renderStatus();

  const timer = setInterval(() => { tick(); renderSaveStatus(); }, 1000);
  const onBlur = (e) => { if (e.target?.name === activePath) { lastInputAt = 0; renderMessages(); } };
  form.element.addEventListener('focusout', onBlur);
  const onBeforePrint = () => renderPrintView();
  window.addEventListener('beforeprint', onBeforePrint);

  // Another part of the desk changed this report (the outbox delivered it, the portal refused it):
  // refresh the state and messages; the content only when nothing is being typed.
  const onChanged = async (e) => {
    if (e.detail?.topic !== 'reports' || unmounted || !saver.idle()) return;
    const before = inputsSinceIdle;
    try {
      const view = await call('report_get', { reportId });
      if (unmounted || !saver.idle() || inputsSinceIdle !== before) return;
      const contentChanged = view.report.revision > knownRevision;
      const stateChanged = view.report.state !== report.state || view.report.incident_number !== report.incident_number
        || JSON.stringify(view.report.portal_messages) !== JSON.stringify(report.portal_messages);
      if (contentChanged || stateChanged) applyView(view, { content: contentChanged });
    } catch { /* the next change will try again */ }
  };
  window.addEventListener('desk:changed', onChanged);

  return () => {
    unmounted = true;
    clearInterval(timer);
    clearTimeout(holdTimer);
    window.removeEventListener('desk:changed', onChanged);
    window.removeEventListener('beforeprint', onBeforePrint);
    // The saver keeps going: edits typed just before leaving still reach the disk.
  };
}
