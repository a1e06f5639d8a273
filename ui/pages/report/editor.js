// The report editor: the form drawn from the core's schema, autosaved on every input (no save
// button), with the two deadlines ticking beside it, what is still missing (links focus the
// field), the tasks the report implies, the one-way lifecycle, the history, and the outputs
// (print, PDF, JSON export, phone summary).
//
// This module puts the pieces together around one state object (editor-state.js): saving.js (the
// autosave queue and the save line), messages.js (messages on fields), lifecycle.js, deadlines.js,
// panels.js (missing, tasks, portal, law enforcement), outputs.js, history.js.

import { call } from '../../lib/ipc.js';
import { everyWhileShown, h } from '../../lib/dom.js';
import { getPath } from '../../lib/paths.js';
import { templateId } from '../../lib/conditions.js';
import { renderDeadlines, tickDeadlines } from './deadlines.js';
import { createEditorState } from './editor-state.js';
import { renderReportForm } from './form.js';
import { openHistory } from './history.js';
import { createLifecycle } from './lifecycle.js';
import { createMessages } from './messages.js';
import { createOutputs } from './outputs.js';
import { renderLawEnforcement, renderMissing, renderPortal, renderTasks } from './panels.js';
import { createSaving } from './saving.js';
import { holdUnsaved } from '../../lib/unsaved.js';
import { emptyRow, schemaIndex } from './schema.js';
import { button } from './ui.js';

const LAW_ENFORCEMENT_FIELD = 'incident.law_enforcement_sensitive';

export async function mountEditor(main, reportId) {
  const [schema, first, defaultFolder] = await Promise.all([
    call('report_schema'),
    call('report_get', { reportId }),
    call('report_output_dir').catch(() => ''),
  ]);
  const state = createEditorState(first);
  const names = schemaIndex(schema);
  let unmounted = false;

  // What the pieces share: each takes the editor and calls back through it.
  const editor = {
    reportId,
    schema,
    state,
    doc: () => form.doc(),
    renderStatus,
    renderMessages: () => messages.render(),
    applyView,
    refreshState,
    reload,
    focusPath,
    announce: (kind, text) => lifecycle.announce(kind, text),
  };
  const saving = createSaving(editor);
  const { saver } = saving;
  editor.saver = saver;
  // Until its queue is empty (it keeps going after the page is left) and while values are held.
  const stopHolding = holdUnsaved(() => !saver.idle() || (!unmounted && state.holdsValues));

  const form = renderReportForm(schema, structuredClone(state.report.doc), {
    onChange(path, value) {
      state.typed(path, Date.now());
      saving.alert('');
      saver.set(path, value);
      if (path === LAW_ENFORCEMENT_FIELD) showLawEnforcement();
      messages.schedule();
    },
    onAddRow(list) {
      const section = names.repeatSection(list);
      const rows = [...(getPath(form.doc(), list) ?? []), emptyRow(section)];
      form.rowsChanged(list, rows);
      form.focus(section.fields[0].id.replace('*', String(rows.length - 1)));
      saving.structural(() => call('report_add_row', { reportId, list }));
    },
    onRemoveRow(rowPath) {
      const [list, index] = rowPath.split('.');
      const section = names.repeatSection(list);
      const rows = [...(getPath(form.doc(), list) ?? [])];
      rows.splice(Number(index), 1);
      form.rowsChanged(list, rows);
      const label = `${section.repeat.row_label} ${Number(index) + 1}`;
      lifecycle.announce('ok', `${label} removed. The history keeps it: restore an earlier revision to bring it back.`);
      (document.getElementById(`add-${list}`) ?? null)?.focus();
      saving.structural(() => call('report_remove_row', { reportId, row: rowPath }));
    },
  });
  const messages = createMessages(form, state);
  const lifecycle = createLifecycle(editor);
  const outputs = createOutputs(editor, defaultFolder);

  // ---- the side panel ----
  const leBox = h('section', { class: 'panel le-guidance', id: 'law-enforcement-guidance', 'aria-label': 'Law enforcement sensitive', hidden: true });
  const deadlinesBox = h('div', { id: 'deadlines' });
  const missingBox = h('div', { id: 'missing' });
  const tasksBox = h('div', { id: 'tasks' });
  const portalBox = h('div', { id: 'portal-messages' });

  // The missing list's links and a refused step put the focus on a field (or its section).
  function focusPath(path) {
    if (!form.focus(path)) form.focus(templateId(path).split('.')[0]);
  }

  // As typed: it shows before the save returns.
  function showLawEnforcement() {
    renderLawEnforcement(leBox, getPath(form.doc(), LAW_ENFORCEMENT_FIELD) === 'yes');
  }

  function renderStatus() {
    showLawEnforcement();
    lifecycle.render();
    form.setReadOnly(state.report.state === 'ready');
    renderDeadlines(deadlinesBox, state);
    renderMissing(missingBox, state, names, focusPath);
    renderTasks(tasksBox, state);
    renderPortal(portalBox, state);
    messages.render();
    saving.renderSaveLine();
  }

  // A view of the report from the core; `content`: its fields replace what the form shows.
  function applyView(view, { content = false } = {}) {
    state.loaded(view);
    if (content) form.setDoc(structuredClone(state.report.doc));
    renderStatus();
    const held = state.releaseHeld();
    if (held.length) {
      for (const [path, value] of held) saver.set(path, value);
      saving.alert('');
    }
  }

  async function refreshState() {
    try {
      applyView(await call('report_get', { reportId }));
    } catch (error) {
      saving.alert(error.message);
    }
  }

  async function reload() {
    try {
      applyView(await call('report_get', { reportId }), { content: true });
    } catch (error) {
      saving.alert(error.message);
    }
  }

  function history() {
    openHistory({
      schema,
      reportId,
      currentDoc: () => form.doc(),
      editable: () => state.report.state !== 'ready',
      describePath: names.describePath,
      restore: async (revision) => {
        const view = await saver.op(() => call('report_restore', { reportId, revision }));
        applyView(view, { content: true });
        lifecycle.announce('ok', `Revision ${revision} restored as revision ${view.report.revision}.`);
      },
    });
  }

  // ---- layout ----
  main.append(
    h('div', { class: 'report-editor' },
      h('div', { class: 'report-head' },
        h('p', { class: 'back' }, h('a', { href: '#/reports', id: 'back-to-reports' }, '\u2190 All reports')),
        h('h1', {}, 'Incident report ', lifecycle.badge),
        lifecycle.meta,
        h('div', { class: 'save-line' }, saving.saveStatus, saving.saveAlert)),
      leBox,
      h('section', { class: 'lifecycle panel', 'aria-label': 'Report state' }, lifecycle.stateText,
        h('div', { class: 'toolbar' }, lifecycle.buttons, h('span', { class: 'spacer' }),
          button('History', 'report-history', history),
          button('Phone summary', 'report-phone-summary', outputs.phoneSummary),
          button('Print', 'report-print', outputs.print)),
        lifecycle.actionStatus),
      h('div', { class: 'report-layout' },
        h('div', { class: 'report-main' }, form.element),
        h('aside', { class: 'report-side', 'aria-label': 'Deadlines, what is missing, and outputs' },
          h('section', { class: 'side-block', 'aria-labelledby': 'deadlines-title' }, deadlinesBox),
          h('section', { class: 'side-block tasks-block', 'aria-label': 'Tasks' }, tasksBox),
          h('section', { class: 'side-block', 'aria-label': 'Portal messages' }, portalBox),
          h('section', { class: 'side-block', 'aria-labelledby': 'missing-title' }, missingBox),
          outputs.files)),
      outputs.printView));
  renderStatus();

  const stopTicking = everyWhileShown(() => { tickDeadlines(deadlinesBox, state.report.state); saving.renderSaveLine(); }, 1000);
  const onBeforePrint = () => outputs.renderPrintView();
  window.addEventListener('beforeprint', onBeforePrint);

  // Another part of the desk changed this report (the outbox delivered it, the portal refused it):
  // refresh the state and messages; the content only when nothing is being typed.
  const onChanged = async (e) => {
    if (e.detail?.topic !== 'reports' || unmounted || !saver.idle()) return;
    const before = state.inputsSinceIdle;
    try {
      const view = await call('report_get', { reportId });
      if (unmounted || !saver.idle() || state.inputsSinceIdle !== before) return;
      const changes = state.changesIn(view);
      if (changes.content || changes.state) applyView(view, { content: changes.content });
    } catch { /* the next change will try again */ }
  };
  window.addEventListener('desk:changed', onChanged);

  return () => {
    unmounted = true;
    stopTicking();
    messages.stop();
    window.removeEventListener('desk:changed', onChanged);
    window.removeEventListener('beforeprint', onBeforePrint);
    // The saver keeps going: edits typed just before leaving still reach the disk.
    saver.flush().then(stopHolding);
  };
}
