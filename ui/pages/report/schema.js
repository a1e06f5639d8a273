// Reading the report schema the core serves: which section a path belongs to, how a path is named
// for a person (the missing list, the history), the empty row of a repeatable section.

import { rowIndex, templateId } from '../../lib/conditions.js';

export function schemaIndex(schema) {
  // A label used in several sections says which one.
  const labelCount = new Map();
  for (const s of schema.sections) for (const f of s.fields) labelCount.set(f.label, (labelCount.get(f.label) ?? 0) + 1);
  const sectionOf = (path) => schema.sections.find((s) => path === s.id || path.startsWith(`${s.id}.`) || (s.repeat && path.startsWith(`${s.repeat.list}.`)));

  return {
    // The section whose rows are the list `list`.
    repeatSection: (list) => schema.sections.find((s) => s.repeat?.list === list),
    describePath(path, label) {
      const section = sectionOf(path);
      const row = rowIndex(path);
      if (section?.repeat && row !== null) return `${label} (${section.repeat.row_label.toLowerCase()} ${row + 1})`;
      if (section && labelCount.get(label) > 1) return `${label} (${section.title})`;
      return label || section?.title || path;
    },
    labelOf(path) {
      const id = templateId(path);
      for (const s of schema.sections) for (const f of s.fields) if (f.id === id) return f.label;
      return path;
    },
  };
}

// A new row of a repeatable section, as the core adds it.
export function emptyRow(section) {
  const row = {};
  for (const field of section.fields) {
    const key = field.id.split('.').pop();
    row[key] = field.kind.type === 'checkbox' ? false : field.kind.type === 'phones' ? [] : field.kind.type === 'date_time' ? null : '';
  }
  return row;
}
