// The list of reports: search (SQLite FTS5 in the core), state filter, the Cal-CSIRS deadline at
// a glance, a new draft, and import of an export file.

import { call } from '../../lib/ipc.js';
import { QUEUED_NOT_RECEIVED } from '../../lib/outbox-view.js';
import { clear, everyWhileShown, h } from '../../lib/dom.js';
import { countdown, showLocal } from '../../lib/local-time.js';
import { dialog, stateBadge } from './ui.js';
import { tooLarge } from '../../lib/limits.js';

const SEARCH_DELAY_MS = 120;

export async function mountList(main) {
  const search = h('input', { type: 'search', id: 'report-search', placeholder: 'Words in any field', autocomplete: 'off', spellcheck: 'false' });
  const state = h('select', { id: 'report-state-filter' },
    h('option', { value: '' }, 'Any state'),
    ['draft', 'ready', 'queued', 'sent'].map((s) => h('option', { value: s }, s[0].toUpperCase() + s.slice(1))));
  const body = h('tbody', { id: 'report-rows' });
  const summary = h('p', { class: 'muted', id: 'report-count', role: 'status' });
  const listStatus = h('p', { class: 'form-status', id: 'report-list-status', role: 'status' });
  let rows = [];
  let searchTimer = null;
  let generation = 0;

  async function newReport() {
    try {
      const view = await call('report_create');
      location.hash = `#/reports/${view.report.report_id}`;
    } catch (error) {
      listStatus.className = 'form-status error';
      listStatus.textContent = `No report created: ${error.message}`;
    }
  }

  function dueCell(r) {
    if (!r.cal_csirs_due_at) return h('td', { class: 'due muted' }, r.state === 'draft' ? 'No discovery time yet' : '\u2014');
    if (r.state === 'sent') return h('td', { class: 'due muted' }, 'Filed');
    // Queued still counts: the report is owed until the portal confirms receipt.
    const c = countdown(r.cal_csirs_due_at);
    return h('td', { class: `due${c.overdue ? ' overdue' : c.soon ? ' soon' : ''}`, dataset: { due: r.cal_csirs_due_at } },
      h('span', { class: 'due-clock' }, c.text), h('span', { class: 'muted due-at' }, `at ${showLocal(new Date(r.cal_csirs_due_at))}`),
      r.state === 'queued' ? h('span', { class: 'muted due-queued' }, ` \u00b7 ${QUEUED_NOT_RECEIVED}`) : null);
  }

  function render() {
    clear(body);
    for (const r of rows) {
      const title = r.title || '(no description yet)';
      body.append(h('tr', { dataset: { report: r.report_id } },
        h('td', {}, h('a', { href: `#/reports/${r.report_id}`, class: r.title ? 'report-link' : 'report-link untitled' }, title)),
        h('td', {}, stateBadge(r.state)),
        h('td', { class: 'when' }, r.discovered_at ? showLocal(new Date(r.discovered_at)) : h('span', { class: 'muted' }, 'not entered')),
        dueCell(r),
        h('td', {}, r.incident_number ?? ''),
        h('td', { class: 'muted when' }, showLocal(new Date(r.updated_at)))));
    }
    const text = search.value.trim();
    summary.textContent = rows.length
      ? `${rows.length} report${rows.length === 1 ? '' : 's'}${text ? ` matching \u201c${text}\u201d` : ''}.`
      : text ? `No report matches \u201c${text}\u201d.` : 'No reports yet. Start one with \u201cNew report\u201d: it is saved as you type.';
  }

  async function load() {
    const mine = ++generation;
    try {
      const found = await call('report_list', { query: { text: search.value.trim() || null, state: state.value || null } });
      if (mine !== generation) return; // a newer search answered first
      rows = found;
      render();
    } catch (error) {
      listStatus.className = 'form-status error';
      listStatus.textContent = error.message;
    }
  }

  function openImport() {
    const file = h('input', { type: 'file', id: 'import-file', accept: '.json,application/json' });
    const text = h('textarea', { id: 'import-text', rows: 10, spellcheck: 'false', 'aria-describedby': 'import-help import-error' });
    const error = h('div', { class: 'field-error', id: 'import-error', role: 'alert' });
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      const refused = await tooLarge(chosen, 'report_import', 'report export file (.json)');
      error.textContent = refused ? `Not imported: ${refused}` : '';
      if (!refused) text.value = await chosen.text();
    });
    const go = h('button', { type: 'button', class: 'primary', id: 'import-go' }, 'Import as a new draft');
    const d = dialog({
      id: 'import-dialog',
      title: 'Import a report',
      body: [
        h('p', { class: 'muted', id: 'import-help' }, 'An Incident Desk export file (JSON). It becomes a new draft with its own report id; nothing is stored if the file is refused.'),
        h('div', { class: 'field' }, h('label', { for: 'import-file' }, 'File'), file),
        h('div', { class: 'field' }, h('label', { for: 'import-text' }, 'Or paste the file\u2019s text'), text),
        error,
      ],
      actions: [go],
    });
    go.addEventListener('click', async () => {
      error.textContent = '';
      try {
        const view = await call('report_import', { text: text.value });
        d.close();
        location.hash = `#/reports/${view.report.report_id}`;
      } catch (e) {
        const named = e.fields?.filter((f) => f.field).map((f) => `${f.field}: ${f.message}`) ?? [];
        error.textContent = `Not imported: ${named.length ? named.join('; ') : e.message}`;
        text.focus();
      }
    });
    file.focus();
  }

  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(load, SEARCH_DELAY_MS);
  });
  state.addEventListener('change', load);

  main.append(
    h('h1', {}, 'Incident reports'),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', id: 'report-new', onclick: newReport }, 'New report'),
      h('button', { type: 'button', id: 'report-import', onclick: openImport }, 'Import JSON\u2026'),
      h('span', { class: 'spacer' }),
      h('label', { for: 'report-search' }, 'Search'), search,
      h('label', { for: 'report-state-filter' }, 'State'), state),
    listStatus,
    h('table', { class: 'grid reports-table', 'aria-describedby': 'report-count' },
      h('thead', {}, h('tr', {},
        ['Report', 'State', 'Discovered', 'Cal-CSIRS 60 minutes', 'Incident number', 'Last change'].map((t) => h('th', { scope: 'col' }, t)))),
      body),
    summary);

  await load();
  const onChanged = (e) => { if (e.detail?.topic === 'reports') load(); };
  window.addEventListener('desk:changed', onChanged);
  const stopTicking = everyWhileShown(() => {
    for (const cell of body.querySelectorAll('td.due[data-due]')) {
      const c = countdown(cell.dataset.due);
      cell.className = `due${c.overdue ? ' overdue' : c.soon ? ' soon' : ''}`;
      cell.querySelector('.due-clock').textContent = c.text;
    }
  }, 1000);
  return () => {
    clearTimeout(searchTimer);
    stopTicking();
    window.removeEventListener('desk:changed', onChanged);
  };
}
