// The incident report's form: the one schema form renderer (lib/form.js) drawn as a document to
// fill in: sections headed for the outline, need tags that follow the answers, counters instead of
// hard limits (the core says what is too long), the emphasis the schema asks for.

import { renderForm } from '../../lib/form.js';

const EMPHASIS = 'Asked for because the incident involves computer-related theft or crime.';

export function renderReportForm(schema, doc, { onChange, onAddRow, onRemoveRow }) {
  return renderForm(schema.sections, {
    className: 'report-form',
    label: 'Incident report',
    sections: 'headed',
    marks: 'need',
    alertErrors: false,
    maxLength: false,
    emphasis: EMPHASIS,
    textareaRows: (field) => (field.id === 'incident.description' ? 6 : 3),
    doc,
    onChange,
    onAddRow,
    onRemoveRow,
  });
}
