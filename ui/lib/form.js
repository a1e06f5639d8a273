// Renders a form from the schema the core serves (sections of typed fields) and shows the core's
// per-field messages. No field is hard-coded here.

import { h } from './dom.js';
import { getPath, joinPhones, setPath, splitPhones } from './paths.js';

export function controlId(fieldId) {
  return `f-${fieldId}`;
}

// How each field kind is drawn, read and written. Kinds the core adds register here.
export const kinds = {
  text: {
    control: (f) => h('input', { type: 'text', maxlength: f.kind.max, autocomplete: f.autocomplete ?? 'off' }),
  },
  textarea: {
    control: (f) => h('textarea', { rows: 3, maxlength: f.kind.max }),
    wide: true,
  },
  email: {
    control: (f) => h('input', { type: 'email', autocomplete: f.autocomplete ?? 'off', spellcheck: 'false' }),
  },
  phones: {
    control: () => h('input', { type: 'tel', autocomplete: 'off' }),
    read: (el) => splitPhones(el.value),
    write: (el, value) => { el.value = joinPhones(value); },
  },
};

function kindOf(field) {
  return kinds[field.kind.type] ?? kinds.text;
}

function readControl(field, el) {
  const kind = kindOf(field);
  return kind.read ? kind.read(el) : el.value;
}

function writeControl(field, el, value) {
  const kind = kindOf(field);
  if (kind.write) kind.write(el, value);
  else el.value = value ?? '';
}

export function renderForm(sections, { onInput } = {}) {
  const controls = new Map();
  const form = h('form', { class: 'schema-form', novalidate: true });
  for (const section of sections) {
    const fieldset = h('fieldset', { id: `s-${section.id}` }, h('legend', {}, section.title));
    if (section.help) fieldset.append(h('p', { class: 'section-help' }, section.help));
    const grid = h('div', { class: 'fields' });
    for (const field of section.fields) {
      const id = controlId(field.id);
      const control = kindOf(field).control(field);
      const helpId = `${id}-help`;
      const errorId = `${id}-error`;
      Object.assign(control, { id, name: field.id });
      control.setAttribute('aria-describedby', field.help ? `${helpId} ${errorId}` : errorId);
      if (field.required) control.setAttribute('aria-required', 'true');
      control.addEventListener('input', () => onInput?.(field.id, readControl(field, control)));
      controls.set(field.id, { field, control, error: null });
      const error = h('div', { class: 'field-error', id: errorId, role: 'alert' });
      controls.get(field.id).error = error;
      grid.append(h('div', { class: `field${kindOf(field).wide ? ' wide' : ''}` },
        h('label', { for: id }, field.label, field.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
        control,
        field.help ? h('div', { class: 'help', id: helpId }, field.help) : null,
        error));
    }
    fieldset.append(grid);
    form.append(fieldset);
  }

  return {
    element: form,
    setValues(values) {
      for (const [path, { field, control }] of controls) writeControl(field, control, getPath(values, path));
    },
    values(into = {}) {
      for (const [path, { field, control }] of controls) setPath(into, path, readControl(field, control));
      return into;
    },
    // Shows the core's messages; returns the first control with a message, to focus it.
    setErrors(fieldErrors = []) {
      const byField = new Map(fieldErrors.map((e) => [e.field, e.message]));
      let first = null;
      for (const [path, { control, error }] of controls) {
        const message = byField.get(path);
        error.textContent = message ?? '';
        if (message) {
          control.setAttribute('aria-invalid', 'true');
          first ??= control;
        } else {
          control.removeAttribute('aria-invalid');
        }
      }
      return first;
    },
  };
}
