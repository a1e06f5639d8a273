// The report's history: every saved change, newest first (consecutive edits of one field shown
// as one line), any revision viewable as it was (with what differs from now marked) and
// restorable as a new revision. The history itself is append-only: a restore never rewrites it.

import { actorText } from '../../lib/actor.js';
import { call } from '../../lib/ipc.js';
import { clear, h } from '../../lib/dom.js';
import { renderDocView } from './readonly.js';
import { showLocal } from '../../lib/local-time.js';
import { confirmDialog, dialog } from './ui.js';

const PAGE = 200;

// Consecutive `set`s of the same field by the same person become one group (newest first, like
// the entries).
export function groupEntries(entries) {
  const groups = [];
  for (const e of entries) {
    const last = groups[groups.length - 1];
    if (last && e.kind === 'set' && last.kind === 'set' && last.field === e.field && sameActor(last.actor, e.actor)) {
      last.oldest = e.revision;
      last.count += 1;
      last.from = e.at;
    } else {
      groups.push({ kind: e.kind, field: e.field, revision: e.revision, oldest: e.revision, count: 1, at: e.at, from: e.at, preview: e.preview, actor: e.actor });
    }
  }
  return groups;
}

const sameActor = (a, b) => (a?.user ?? '') === (b?.user ?? '') && (a?.host ?? '') === (b?.host ?? '');

function what(group, schema, describePath) {
  const rowLabel = (list) => schema.sections.find((s) => s.repeat?.list === list)?.repeat.row_label ?? list;
  switch (group.kind) {
    case 'created': return 'Created, pre-filled from the entity profile';
    case 'imported': return 'Imported from a file';
    case 'restore': return `Revision ${group.preview} restored`;
    case 'add_row': return `${rowLabel(group.field)} added`;
    case 'remove_row': {
      const [list, index] = String(group.field).split('.');
      return `${rowLabel(list)} ${Number(index) + 1} removed`;
    }
    case 'set': {
      const label = describePath(group.field, labelOf(schema, group.field));
      return group.count > 1 ? `${label} edited (${group.count} saves)` : `${label} set`;
    }
    default: return group.kind;
  }
}

// A choice shows its option's label, a tick box ticked or not; text as stored.
function previewText(schema, path, preview) {
  const field = fieldOf(schema, path);
  if (field?.kind.type === 'choice') return field.kind.options.find((o) => o.value === preview)?.label ?? (preview || 'Not chosen');
  if (field?.kind.type === 'checkbox') return preview === 'true' ? 'ticked' : 'not ticked';
  return preview;
}

function fieldOf(schema, path) {
  const id = path.split('.').map((s) => (/^\d+$/.test(s) ? '*' : s)).join('.');
  for (const s of schema.sections) for (const f of s.fields) if (f.id === id) return f;
  return null;
}

function labelOf(schema, path) {
  const id = path.split('.').map((s) => (/^\d+$/.test(s) ? '*' : s)).join('.');
  for (const s of schema.sections) for (const f of s.fields) if (f.id === id) return f.label;
  return path;
}

export function openHistory({ schema, reportId, currentDoc, editable, describePath, restore }) {
  const list = h('ol', { class: 'history-list', id: 'history-list' });
  const more = h('button', { type: 'button', id: 'history-older', hidden: true }, 'Older changes');
  const view = h('div', { class: 'history-view', id: 'history-view', tabindex: '-1', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Choose \u201cView\u201d on a change to see the report as it was then.'));
  const status = h('p', { class: 'form-status', role: 'status' });
  let oldest = null;
  let d = null;

  async function askRestore(revision) {
    const ok = await confirmDialog({
      title: `Restore revision ${revision}?`,
      text: 'The report\u2019s content becomes what it was at that revision, saved as a new revision. Nothing in the history is lost: you can restore the current content again later.',
      confirm: `Restore revision ${revision}`,
    });
    if (!ok) return;
    try {
      await restore(revision);
      d?.close();
    } catch (error) {
      status.className = 'form-status error';
      status.textContent = `Not restored: ${error.message}`;
    }
  }

  async function show(revision, at) {
    clear(view).append(h('p', { class: 'muted' }, 'Loading\u2026'));
    try {
      const doc = await call('report_revision', { reportId, revision });
      const restoreButton = h('button', { type: 'button', class: 'primary', id: 'history-restore-viewed', disabled: !editable() }, `Restore revision ${revision}`);
      restoreButton.addEventListener('click', () => askRestore(revision));
      clear(view).append(
        h('h3', { id: 'history-view-title' }, `Revision ${revision}, ${showLocal(new Date(at))}`),
        h('p', { class: 'muted' }, 'Values that differ from the report now are marked.'),
        renderDocView(schema, doc, { compareTo: currentDoc(), headingLevel: 4 }),
        h('div', { class: 'toolbar' }, restoreButton));
      view.focus();
    } catch (error) {
      clear(view).append(h('p', { class: 'form-status error' }, error.message));
    }
  }

  async function load() {
    try {
      const entries = await call('report_revisions', { reportId, before: oldest, limit: PAGE });
      for (const g of groupEntries(entries)) {
        const range = g.count > 1 ? `revisions ${g.oldest}\u2013${g.revision}` : `revision ${g.revision}`;
        const viewButton = h('button', { type: 'button', class: 'small', 'aria-label': `View revision ${g.revision}` }, 'View');
        viewButton.addEventListener('click', () => show(g.revision, g.at));
        const restoreButton = h('button', { type: 'button', class: 'small', 'aria-label': `Restore revision ${g.revision}`, disabled: !editable() }, 'Restore');
        restoreButton.addEventListener('click', () => askRestore(g.revision));
        list.append(h('li', { dataset: { revision: String(g.revision) } },
          h('div', { class: 'history-what' }, what(g, schema, describePath)),
          h('div', { class: 'muted history-when' }, `${showLocal(new Date(g.at))} \u00b7 ${range} \u00b7 ${actorText(g.actor)}`),
          g.preview && g.kind === 'set' ? h('div', { class: 'history-preview' }, previewText(schema, g.field, g.preview)) : null,
          h('div', { class: 'history-actions' }, viewButton, restoreButton)));
      }
      if (entries.length) oldest = entries[entries.length - 1].revision;
      more.hidden = entries.length < PAGE;
    } catch (error) {
      status.className = 'form-status error';
      status.textContent = error.message;
    }
  }

  more.addEventListener('click', load);
  d = dialog({
    id: 'history-dialog',
    title: 'History',
    body: [
      editable() ? null : h('p', { class: 'muted' }, 'The report is ready: return it to draft to restore a revision.'),
      h('div', { class: 'history-panes' }, h('div', { class: 'history-entries' }, list, more), view),
      status,
    ],
  });
  load();
}
