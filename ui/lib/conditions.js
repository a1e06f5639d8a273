// The schema's conditions (`shown_when`, `need_when`, `emphasised_when`), evaluated on the report
// as typed so the form reacts before the save returns. Same rules as `Condition::holds` in Rust.

import { getPath } from './paths.js';

export function holds(condition, doc) {
  if (!condition) return true;
  const value = getPath(doc, condition.field);
  switch (condition.op) {
    case 'equals': return value === condition.value;
    case 'ticked': return value === true;
    case 'not_ticked': return value !== true;
    default: return true; // A condition this UI does not know yet never hides anything.
  }
}

// What a field needs right now: 'required', 'recommended' or 'optional'.
export function needNow(field, doc) {
  if (field.need === 'optional') return 'optional';
  return holds(field.need_when, doc) ? field.need : 'optional';
}

// `computers.3.ip` -> `computers.*.ip` (the schema's id of a row field).
export function templateId(path) {
  return path.split('.').map((seg) => (/^\d+$/.test(seg) ? '*' : seg)).join('.');
}

// `computers.3.ip` -> 3; `incident.description` -> null.
export function rowIndex(path) {
  const seg = path.split('.').find((s) => /^\d+$/.test(s));
  return seg === undefined ? null : Number(seg);
}
