// The one renderer of the forms the core describes (sections of typed fields; ui never names a
// field): the profile in Settings and the incident report. Sections, conditional fields and
// sections, repeatable rows, tick boxes, choices as radio groups, times typed in local time and
// stored as RFC 3339 with an offset. Every value lands in its control as a value or as text, never
// as markup.
//
// The options say how the two pages differ; the defaults draw a settings form (the profile):
//   className         the form's class ('schema-form')
//   label             the form's accessible name (none)
//   sections          'fieldset': a fieldset with a legend per section; 'headed': a <section> named
//                     by its <h2>, each field's wrapper with an id (`w-<path>`) and its kind as a class
//   marks             'asterisk': a required field's label ends in *; 'need': a required or
//                     recommended tag that follows the conditions as the values change
//   alertErrors       a field's message is announced as an alert (true)
//   maxLength         text controls refuse more than the schema's maximum (true); otherwise a
//                     textarea counts its characters near the limit
//   emphasis          the note on a section whose `emphasised_when` holds (none: no note)
//   textareaRows      rows of a textarea: (field) => number (3)
//   doc               the values to start from ({})
//   onChange(path, value)       a value typed (value as the core takes it)
//   onAddRow(list), onRemoveRow(rowPath)   the buttons of repeatable sections

import { append, clear, h } from './dom.js';
import { holds, needNow } from './conditions.js';
import { localMinute, parseStored, showLocal, toStored, toTyped } from './local-time.js';
import { getPath, joinPhones, setPath, splitPhones } from './paths.js';

export const controlId = (path) => `f-${path}`;

const NOT_CHOSEN = 'Not chosen yet';
const TEXT_KINDS = new Set(['text', 'email', 'phones', 'ip_address', 'port', 'count']);

// The value a control holds, as sent to the core, and as kept in the local copy of the values.
function readValue(field, control) {
  switch (field.kind.type) {
    case 'checkbox': return { send: control.checked, local: control.checked };
    case 'phones': return { send: control.value, local: splitPhones(control.value) };
    case 'date_time': {
      const stored = toStored(control.value);
      // A time not complete yet is kept exactly as typed; the core says what is wrong with it.
      const send = stored ?? control.value;
      return { send, local: send === '' ? null : send };
    }
    default: return { send: control.value, local: control.value };
  }
}

function kindHint(field) {
  switch (field.kind.type) {
    case 'date_time': {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      return `Local time (${zone}): YYYY-MM-DD HH:MM, or add an offset (e.g. -08:00).`;
    }
    default: return null;
  }
}

export function renderForm(schemaSections, options = {}) {
  const {
    className = 'schema-form',
    label = null,
    sections: sectionStyle = 'fieldset',
    marks = 'asterisk',
    alertErrors = true,
    maxLength = true,
    emphasis = null,
    textareaRows = () => 3,
    doc = {},
    onChange = () => {},
    onAddRow = () => {},
    onRemoveRow = () => {},
  } = options;
  const headed = sectionStyle === 'headed';
  // path -> { field, path, wrapper, control, radios, need, error, ... }
  const controls = new Map();
  const sections = new Map();
  let current = doc;
  let readOnly = false;
  const form = h('form', { class: className, novalidate: true, 'aria-label': label });
  form.addEventListener('submit', (e) => e.preventDefault());

  function needTag(field, docNow) {
    const need = needNow(field, docNow);
    if (need === 'required') return h('span', { class: 'need need-required' }, 'required');
    if (need === 'recommended') return h('span', { class: 'need need-recommended' }, 'recommended');
    return null;
  }

  // What follows a field's label: its need tag's slot, or the required asterisk.
  function mark(field) {
    if (marks === 'need') return h('span', { class: 'need-slot' });
    return field.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null;
  }

  function describedBy(id, field) {
    return [field.help || kindHint(field) ? `${id}-help` : null, `${id}-error`].filter(Boolean).join(' ');
  }

  function helpBlock(id, field) {
    const hint = kindHint(field);
    if (!field.help && !hint) return null;
    return h('div', { class: 'help', id: `${id}-help` }, field.help ?? null, field.help && hint ? ' ' : null, hint);
  }

  function changed(path, field, control) {
    const { send, local } = readValue(field, control);
    setPath(current, path, local);
    const entry = controls.get(path);
    if (entry?.interpretation) showInterpretation(entry);
    if (entry?.counter) showCounter(entry);
    refreshConditions();
    onChange(path, send);
  }

  function showInterpretation(entry) {
    const text = entry.control.value.trim();
    const stored = toStored(text);
    entry.interpretation.textContent = stored ? `= ${showLocal(parseStored(stored))} (${stored})` : (text ? 'Not a complete date and time yet.' : '');
  }

  function showCounter(entry) {
    const n = entry.control.value.length;
    const max = entry.field.kind.max;
    entry.counter.textContent = n > max * 0.8 ? `${n.toLocaleString('en-US')} of ${max.toLocaleString('en-US')} characters` : '';
    entry.counter.classList.toggle('over', n > max);
  }

  function renderField(field, path) {
    const id = controlId(path);
    const kind = field.kind.type;
    const wrapper = headed
      ? h('div', { class: `field field-${kind}`, id: `w-${path}`, dataset: { field: field.id } })
      : h('div', { class: 'field' });
    const error = h('div', { class: 'field-error', id: `${id}-error`, role: alertErrors ? 'alert' : null });
    const need = mark(field);
    const entry = { field, path, wrapper, error, need, control: null, radios: null };

    if (kind === 'checkbox') {
      const control = h('input', { type: 'checkbox', id, name: path, 'aria-describedby': describedBy(id, field) });
      control.addEventListener('change', () => changed(path, field, control));
      entry.control = control;
      if (field.shown_when?.op === 'ticked') wrapper.classList.add('sub');
      append(wrapper, [h('div', { class: 'check' }, control, h('label', { for: id }, field.label, need)), helpBlock(id, field), error]);
    } else if (kind === 'choice') {
      const choices = [{ value: '', label: NOT_CHOSEN }, ...field.kind.options];
      entry.radios = choices.map((o) => {
        const rid = `${id}--${o.value || 'none'}`;
        const radio = h('input', { type: 'radio', id: rid, name: path, value: o.value });
        radio.addEventListener('change', () => { if (radio.checked) changed(path, field, radio); });
        return { radio, label: h('label', { for: rid }, o.label) };
      });
      entry.control = entry.radios[0].radio;
      const group = h('fieldset', { class: 'choice', id, role: 'radiogroup', 'aria-labelledby': `${id}-legend`, 'aria-describedby': describedBy(id, field) },
        h('legend', { id: `${id}-legend` }, field.label, need),
        h('div', { class: 'options' }, entry.radios.map(({ radio, label: text }) => h('div', { class: 'option' }, radio, text))));
      append(wrapper, [group, helpBlock(id, field), error]);
    } else {
      let control;
      if (kind === 'textarea') {
        control = h('textarea', { rows: textareaRows(field), maxlength: maxLength ? field.kind.max : null });
      } else {
        const type = kind === 'email' ? 'email' : kind === 'phones' ? 'tel' : 'text';
        control = h('input', {
          type,
          maxlength: maxLength && kind === 'text' ? field.kind.max : null,
          autocomplete: field.autocomplete ?? 'off',
          spellcheck: TEXT_KINDS.has(kind) && kind !== 'text' ? 'false' : null,
        });
        if (kind === 'port' || kind === 'count') control.setAttribute('inputmode', 'numeric');
      }
      Object.assign(control, { id, name: path });
      control.setAttribute('aria-describedby', describedBy(id, field));
      if (field.required) control.setAttribute('aria-required', 'true');
      control.addEventListener('input', () => changed(path, field, control));
      entry.control = control;
      const labelElement = h('label', { for: id }, field.label, need);
      let extra = null;
      if (kind === 'date_time') {
        const now = h('button', { type: 'button', class: 'small', 'aria-label': `${field.label}: now` }, 'Now');
        now.addEventListener('click', () => {
          control.value = localMinute(new Date());
          changed(path, field, control);
          control.focus();
        });
        entry.interpretation = h('div', { class: 'interpretation', id: `${id}-as` });
        entry.nowButton = now;
        extra = [h('div', { class: 'with-button' }, control, now), entry.interpretation];
      } else if (kind === 'textarea' && !maxLength) {
        entry.counter = h('div', { class: 'counter' });
        extra = [control, entry.counter];
      } else {
        extra = [control];
      }
      if (kind === 'textarea') wrapper.classList.add('wide');
      append(wrapper, [labelElement, extra, helpBlock(id, field), error]);
    }
    controls.set(path, entry);
    return wrapper;
  }

  function writeValue(entry, value) {
    const { field, control } = entry;
    switch (field.kind.type) {
      case 'checkbox': control.checked = value === true; break;
      case 'choice':
        for (const { radio } of entry.radios) radio.checked = radio.value === (value ?? '');
        break;
      case 'phones': control.value = joinPhones(value); break;
      case 'date_time': control.value = toTyped(value); showInterpretation(entry); break;
      default: control.value = value ?? '';
    }
    if (entry.counter) showCounter(entry);
  }

  // The value a control holds now, as kept in the values.
  function valueOf(entry) {
    if (entry.radios) return entry.radios.find(({ radio }) => radio.checked)?.radio.value ?? '';
    return readValue(entry.field, entry.control).local;
  }

  function renderRows(section) {
    const box = sections.get(section.id).rows;
    for (const path of [...controls.keys()]) {
      if (path.startsWith(`${section.repeat.list}.`)) controls.delete(path);
    }
    clear(box);
    const rows = getPath(current, section.repeat.list) ?? [];
    rows.forEach((_, i) => {
      const legendId = `row-${section.repeat.list}-${i}`;
      const row = h('fieldset', { class: 'row', id: `w-${section.repeat.list}.${i}` },
        h('legend', { id: legendId }, `${section.repeat.row_label} ${i + 1}`));
      const grid = h('div', { class: 'fields' });
      for (const field of section.fields) {
        const path = field.id.replace('*', String(i));
        grid.append(renderField(field, path));
        writeValue(controls.get(path), getPath(current, path));
      }
      const remove = h('button', { type: 'button', class: 'danger small remove-row', id: `remove-${section.repeat.list}-${i}` },
        `Remove ${section.repeat.row_label.toLowerCase()} ${i + 1}`);
      remove.addEventListener('click', () => onRemoveRow(`${section.repeat.list}.${i}`));
      row.append(grid, h('div', { class: 'row-actions' }, remove));
      box.append(row);
    });
    const count = sections.get(section.id).count;
    count.textContent = rows.length ? `${rows.length} listed (at most ${section.repeat.max_rows}).` : 'None listed yet.';
    sections.get(section.id).add.disabled = readOnly || rows.length >= section.repeat.max_rows;
    applyReadOnly();
  }

  for (const section of schemaSections) {
    let element;
    if (headed) {
      const titleId = `s-${section.id}-title`;
      element = h('section', { class: 'report-section', id: `s-${section.id}`, 'aria-labelledby': titleId },
        h('h2', { id: titleId }, section.title));
    } else {
      element = h('fieldset', { id: `s-${section.id}` }, h('legend', {}, section.title));
    }
    const note = emphasis ? h('p', { class: 'emphasis', hidden: true }) : null;
    if (note) element.append(note);
    if (section.help) element.append(h('p', { class: 'section-help' }, section.help));
    const info = { section, element, note };
    sections.set(section.id, info);
    if (section.repeat) {
      info.rows = h('div', { class: 'rows' });
      info.count = h('p', { class: 'muted row-count' });
      info.add = h('button', { type: 'button', id: `add-${section.repeat.list}` }, section.repeat.add_label);
      info.add.addEventListener('click', () => onAddRow(section.repeat.list));
      element.append(info.count, info.rows, h('div', { class: 'row-actions' }, info.add));
    } else {
      const grid = h('div', { class: 'fields' });
      for (const field of section.fields) grid.append(renderField(field, field.id));
      element.append(grid);
    }
    form.append(element);
  }

  function refreshConditions() {
    for (const { section, element, note } of sections.values()) {
      element.hidden = !holds(section.shown_when, current);
      if (!note) continue;
      const emphasised = Boolean(section.emphasised_when) && holds(section.emphasised_when, current);
      element.classList.toggle('emphasised', emphasised);
      note.hidden = !emphasised;
      note.textContent = emphasised ? emphasis : '';
    }
    for (const entry of controls.values()) {
      entry.wrapper.hidden = !holds(entry.field.shown_when, current);
      if (marks !== 'need') continue;
      const need = needNow(entry.field, current);
      if (need !== entry.needNow) {
        entry.needNow = need;
        const tag = needTag(entry.field, current);
        entry.need.replaceChildren(...(tag ? [' ', tag] : []));
      }
    }
  }

  function applyReadOnly() {
    for (const entry of controls.values()) {
      if (entry.radios) for (const { radio } of entry.radios) radio.disabled = readOnly;
      else if (entry.field.kind.type === 'checkbox') entry.control.disabled = readOnly;
      else entry.control.readOnly = readOnly;
      if (entry.nowButton) entry.nowButton.disabled = readOnly;
    }
    for (const button of form.querySelectorAll('.remove-row')) button.disabled = readOnly;
    for (const info of sections.values()) {
      if (info.add) info.add.disabled = readOnly || (getPath(current, info.section.repeat.list) ?? []).length >= info.section.repeat.max_rows;
    }
  }

  function setDoc(next) {
    current = next;
    for (const info of sections.values()) if (info.section.repeat) renderRows(info.section);
    for (const entry of controls.values()) writeValue(entry, getPath(current, entry.path));
    refreshConditions();
  }

  // messages: Map path -> [text]; `hold` is a path whose message must not change yet (being typed).
  function setMessages(messages, hold = null) {
    for (const [path, entry] of controls) {
      if (path === hold) continue;
      const list = messages.get(path) ?? [];
      entry.error.textContent = list.join(' ');
      const target = entry.radios ? entry.wrapper.querySelector('fieldset') : entry.control;
      if (list.length) target.setAttribute('aria-invalid', 'true');
      else target.removeAttribute('aria-invalid');
    }
  }

  setDoc(doc);

  return {
    element: form,
    // The values as typed (kept as the controls change).
    doc: () => current,
    setDoc,
    // A copy of `values` to show and edit.
    setValues: (values) => setDoc(structuredClone(values ?? {})),
    // The values of the form's fields, read from the controls into `into`.
    values(into = {}) {
      for (const [path, entry] of controls) setPath(into, path, valueOf(entry));
      return into;
    },
    // Re-draws the rows of a list after one was added or removed (values from the local copy).
    rowsChanged(list, rows) {
      setPath(current, list, rows);
      for (const info of sections.values()) if (info.section.repeat?.list === list) renderRows(info.section);
      refreshConditions();
    },
    setReadOnly(value) {
      readOnly = value;
      applyReadOnly();
    },
    setMessages,
    // The core's refusal ([{ field, message }]) on the fields; returns the first control with a
    // message, to focus it.
    setErrors(fieldErrors = []) {
      const messages = new Map((fieldErrors ?? []).map((e) => [e.field, [e.message]]));
      setMessages(messages);
      for (const [path, entry] of controls) if (messages.has(path)) return entry.radios ? entry.radios[0].radio : entry.control;
      return null;
    },
    has: (path) => controls.has(path),
    // Moves the focus to the control of `path` (a field, a row, or a section id).
    focus(path) {
      const entry = controls.get(path);
      let target = null;
      if (entry) target = entry.radios ? (entry.radios.find((r) => r.radio.checked) ?? entry.radios[0]).radio : entry.control;
      else if (sections.has(path)) {
        const info = sections.get(path);
        target = info.element.querySelector('input:not([disabled]), textarea, select') ?? info.add ?? info.element.querySelector('button');
      }
      if (!target) return false;
      target.scrollIntoView({ block: 'center' });
      target.focus();
      return true;
    },
  };
}
