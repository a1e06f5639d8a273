// The editor's side panels, drawn from the editor state: what is still missing (each item a link
// that puts the focus on its field), the tasks the report implies, the portal's general refusals,
// and the law-enforcement guidance shown before anything else.

import { LE_GUIDANCE, LE_SEED_WORDS } from '../../lib/outbox-view.js';
import { clear, h } from '../../lib/dom.js';

// items: [{ field, text }]; each is a link that puts the focus on its field.
function missingList(items, cls, focusPath) {
  return h('ul', { class: `missing-list ${cls}` }, items.map((m) =>
    h('li', {}, h('button', { type: 'button', class: 'link', dataset: { path: m.field }, onclick: () => focusPath(m.field) }, m.text))));
}

// names: schemaIndex(schema); focusPath(path) moves the focus to a field.
export function renderMissing(box, { report, status }, names, focusPath) {
  const named = (list) => list.map((m) => ({ field: m.field, text: names.describePath(m.field, m.label) }));
  clear(box);
  const { missing_required: required, missing_recommended: recommended, field_errors: errors } = status;
  box.append(h('h2', { id: 'missing-title' }, 'Still missing'));
  const problems = [...errors, ...(report.portal_messages ?? [])].filter((e) => e.field);
  if (problems.length) {
    box.append(h('h3', {}, `To correct (${problems.length})`),
      missingList(problems.map((e) => ({ field: e.field, text: `${names.describePath(e.field, names.labelOf(e.field))}: ${e.message}` })), 'errors', focusPath));
  }
  box.append(h('h3', {}, `Required before it can be sent (${required.length})`));
  const noneRequired = report.state === 'draft' ? 'None: the report can be marked ready.' : 'None.';
  box.append(required.length ? missingList(named(required), 'required', focusPath) : h('p', { class: 'ok-text' }, noneRequired));
  box.append(h('h3', {}, `Recommended (${recommended.length})`));
  box.append(recommended.length
    ? missingList(named(recommended), 'recommended', focusPath)
    : h('p', { class: 'muted' }, 'None.'));
  box.append(h('p', { class: 'muted small-print' }, 'Reporting must not wait for complete information: a report can be sent with only the required fields and supplemented later.'));
}

export function renderTasks(box, { status }) {
  clear(box);
  if (!status.tasks.length) return;
  box.append(h('h2', {}, 'To do'), h('ul', { class: 'tasks' }, status.tasks.map((t) =>
    h('li', { id: `task-${t.id}` }, h('span', { class: 'task-text' }, t.text), h('p', { class: 'source' }, t.source)))));
}

export function renderPortal(box, { report }) {
  clear(box);
  const general = (report.portal_messages ?? []).filter((m) => !m.field);
  if (!general.length) return;
  box.append(h('h2', {}, 'Cal-CSIRS refused the report'), h('ul', {}, general.map((m) => h('li', {}, m.message))));
}

// Seed 000: law enforcement sensitive → CHP CCIU directly for guidance. `sensitive`: the answer
// as typed (it shows before the save returns).
export function renderLawEnforcement(box, sensitive) {
  box.hidden = !sensitive;
  clear(box);
  if (sensitive) {
    box.append(h('h2', {}, 'Law enforcement sensitive: contact CHP CCIU first'),
      h('p', {}, LE_GUIDANCE),
      h('blockquote', {}, LE_SEED_WORDS), h('p', { class: 'source' }, 'CA-CND (Cal-CSIRS reporting page)'));
  }
}
