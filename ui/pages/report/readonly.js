// A report's content as read-only text, laid out from the schema: for a revision of the history
// and for printing. Values are text nodes, never markup. With `compareTo`, values that differ
// from that content are marked.

import { h } from '../../lib/dom.js';
import { getPath, joinPhones } from '../../lib/paths.js';
import { holds } from '../../lib/conditions.js';
import { parseStored, showLocal } from '../../lib/local-time.js';

export function shownValue(field, value) {
  switch (field.kind.type) {
    case 'checkbox': return value === true ? 'Yes' : '';
    case 'choice': return field.kind.options.find((o) => o.value === value)?.label ?? (value ?? '');
    case 'phones': return joinPhones(value);
    case 'date_time': {
      if (value == null || value === '') return '';
      const date = parseStored(value);
      return date ? `${showLocal(date)} (${value})` : `${value} (as typed)`;
    }
    default: return value == null ? '' : String(value);
  }
}

function same(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function entries(section, fields, doc, compareTo, prefix = '') {
  const list = h('dl', { class: 'doc-view-fields' });
  let any = false;
  for (const field of fields) {
    if (!holds(field.shown_when, doc)) continue;
    const path = prefix ? field.id.replace('*', prefix) : field.id;
    const value = getPath(doc, path);
    const text = shownValue(field, value);
    const differs = compareTo && !same(value, getPath(compareTo, path));
    if (!text && !differs) continue;
    any = true;
    list.append(
      h('dt', {}, field.label, differs ? h('span', { class: 'changed-mark' }, ' (differs from now)') : null),
      h('dd', { class: differs ? 'changed' : null }, text || '(empty)'));
  }
  return any ? list : null;
}

export function renderDocView(schema, doc, { compareTo = null, headingLevel = 3 } = {}) {
  const out = h('div', { class: 'doc-view' });
  const heading = `h${headingLevel}`;
  for (const section of schema.sections) {
    if (!holds(section.shown_when, doc)) continue;
    if (section.repeat) {
      const rows = getPath(doc, section.repeat.list) ?? [];
      const before = compareTo ? (getPath(compareTo, section.repeat.list) ?? []) : rows;
      if (!rows.length && rows.length === before.length) continue;
      const block = h('section', { class: 'doc-view-section' }, h(heading, {}, `${section.title} (${rows.length})`));
      if (compareTo && rows.length !== before.length) block.append(h('p', { class: 'changed' }, `${before.length} now.`));
      rows.forEach((_, i) => {
        const list = entries(section, section.fields, doc, compareTo, String(i));
        block.append(h('p', { class: 'row-title' }, `${section.repeat.row_label} ${i + 1}`), list ?? h('p', { class: 'muted' }, '(no details)'));
      });
      out.append(block);
      continue;
    }
    const list = entries(section, section.fields, doc, compareTo);
    if (list) out.append(h('section', { class: 'doc-view-section' }, h(heading, {}, section.title), list));
  }
  if (!out.childNodes.length) out.append(h('p', { class: 'muted' }, 'Nothing filled in.'));
  return out;
}
