// Settings section: the business calendar the High and Medium SEN windows run on (weekly hours, time
// zone, California state holidays with their source and the ones the state added since this
// release, the entity's closure days, iCalendar import, the year's closed days) and the
// escalation-clock reading, each shown with the seed's own words.

import { call } from '../../lib/ipc.js';
import { clear, h } from '../../lib/dom.js';
import { tooLarge } from '../../lib/limits.js';

export const id = 'calendar';
export const title = 'Business calendar and SEN clock';

const DAYS = [
  ['monday', 'Monday'], ['tuesday', 'Tuesday'], ['wednesday', 'Wednesday'], ['thursday', 'Thursday'],
  ['friday', 'Friday'], ['saturday', 'Saturday'], ['sunday', 'Sunday'],
];
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const KIND_LABELS = {
  california_holiday: 'California state holiday (Gov. Code 19853)',
  added_state_holiday: 'State holiday added here',
  closure: 'Closure day',
};

function errorFor(fieldId) {
  return h('div', { class: 'field-error', id: `cal-${fieldId}-error`, role: 'alert' });
}

export async function mount(section, { onSaveKey }) {
  const [view, senSettings] = await Promise.all([call('calendar_get'), call('sen_settings_get')]);
  const status = h('div', { class: 'form-status', id: 'cal-status', role: 'status' });
  const form = h('form', { class: 'calendar-form', id: 'cal-form', novalidate: true });

  // Time zone, with every IANA name as a suggestion.
  const zone = h('input', { type: 'text', id: 'cal-time_zone', list: 'cal-zones', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'cal-time_zone-error' });
  const zones = h('datalist', { id: 'cal-zones' }, view.time_zones.map((z) => h('option', { value: z })));
  const holidays = h('input', { type: 'checkbox', id: 'cal-california_holidays' });

  // Weekly hours: one row per weekday.
  const hoursBody = h('tbody', {}, DAYS.map(([day, label]) => {
    const open = h('input', { type: 'checkbox', id: `cal-open-${day}`, 'aria-label': `${label} open` });
    const from = h('input', { type: 'time', id: `cal-hours.${day}.open`, step: 60, 'aria-label': `${label} opening time`, 'aria-describedby': `cal-hours.${day}.open-error` });
    const to = h('input', { type: 'time', id: `cal-hours.${day}.close`, step: 60, 'aria-label': `${label} closing time`, 'aria-describedby': `cal-hours.${day}.close-error` });
    const sync = () => { from.disabled = !open.checked; to.disabled = !open.checked; };
    open.addEventListener('change', () => {
      if (open.checked && !from.value) { from.value = '08:00'; to.value = '17:00'; }
      sync();
      changed();
    });
    return h('tr', { 'data-day': day },
      h('th', { scope: 'row' }, h('label', { for: `cal-open-${day}` }, label)),
      h('td', {}, open),
      h('td', {}, from, errorFor(`hours.${day}.open`)),
      h('td', {}, to, errorFor(`hours.${day}.close`)));
  }));

  // State holidays the state added after this release: a date and its name, an edit (issue 13).
  const addedBody = h('tbody', { id: 'cal-added-holidays' });
  const addedTable = h('table', { class: 'grid closures-table' },
    h('caption', {}, 'State holidays added'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')))),
    addedBody);
  const noAdded = h('p', { class: 'muted', id: 'cal-no-added-holidays' }, 'No state holidays added: the list above is the one computed by rule.');
  function addedRow(holiday = { date: '', label: '' }) {
    const date = h('input', { type: 'date', class: 'added-date', value: holiday.date, 'aria-label': 'Added state holiday date' });
    const label = h('input', { type: 'text', class: 'added-label', value: holiday.label, 'aria-label': 'Added state holiday name', maxlength: 200 });
    const tr = h('tr', {},
      h('td', {}, date, h('div', { class: 'field-error added-date-error', role: 'alert' })),
      h('td', {}, label, h('div', { class: 'field-error added-label-error', role: 'alert' })),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => { tr.remove(); renumberAdded(); changed(); } }, 'Remove')));
    addedBody.append(tr);
    renumberAdded();
    date.addEventListener('change', changed);
    return { tr, date, label };
  }
  function renumberAdded() {
    addedTable.hidden = addedBody.children.length === 0;
    noAdded.hidden = !addedTable.hidden;
    [...addedBody.children].forEach((tr, i) => {
      const pairs = [['.added-date', 'date'], ['.added-label', 'label']];
      for (const [cls, name] of pairs) {
        const control = tr.querySelector(cls);
        control.id = `cal-added_state_holidays.${i}.${name}`;
        tr.querySelector(`${cls}-error`).id = `cal-added_state_holidays.${i}.${name}-error`;
        control.setAttribute('aria-describedby', `cal-added_state_holidays.${i}.${name}-error`);
      }
    });
  }
  // This year's state holidays (by rule and added), as the form stands.
  const stateYear = new Date().getFullYear();
  const stateList = h('tbody', { id: 'cal-state-holidays' });

  // Closure days.
  const closuresBody = h('tbody', { id: 'cal-closures' });
  // A table of headers over no rows says nothing to a screen reader: a sentence instead.
  const closuresTable = h('table', { class: 'grid closures-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')))),
    closuresBody);
  const noClosures = h('p', { class: 'muted', id: 'cal-no-closures' }, 'No closure days.');
  function closureRow(closure = { date: '', label: '' }) {
    const i = closuresBody.children.length;
    const date = h('input', { type: 'date', class: 'closure-date', value: closure.date, 'aria-label': 'Closure date' });
    const label = h('input', { type: 'text', class: 'closure-label', value: closure.label, 'aria-label': 'Closure name', maxlength: 200 });
    const tr = h('tr', {},
      h('td', {}, date, h('div', { class: 'field-error closure-date-error', role: 'alert' })),
      h('td', {}, label, h('div', { class: 'field-error closure-label-error', role: 'alert' })),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => { tr.remove(); renumber(); changed(); } }, 'Remove')));
    closuresBody.append(tr);
    renumber();
    date.addEventListener('change', changed);
    return { tr, date, label, i };
  }
  // Ids follow the core's field paths (closures.<i>.label) so its messages land on the right row.
  function renumber() {
    closuresTable.hidden = closuresBody.children.length === 0;
    noClosures.hidden = !closuresTable.hidden;
    [...closuresBody.children].forEach((tr, i) => {
      const date = tr.querySelector('.closure-date');
      const label = tr.querySelector('.closure-label');
      date.id = `cal-closures.${i}.date`;
      label.id = `cal-closures.${i}.label`;
      tr.querySelector('.closure-date-error').id = `cal-closures.${i}.date-error`;
      tr.querySelector('.closure-label-error').id = `cal-closures.${i}.label-error`;
      date.setAttribute('aria-describedby', `cal-closures.${i}.date-error`);
      label.setAttribute('aria-describedby', `cal-closures.${i}.label-error`);
    });
  }

  function setValues(calendar) {
    zone.value = calendar.time_zone;
    holidays.checked = calendar.california_holidays;
    for (const [day] of DAYS) {
      const hours = calendar.hours[day];
      const open = form.querySelector(`#cal-open-${day}`);
      const from = form.querySelector(`[id="cal-hours.${day}.open"]`);
      const to = form.querySelector(`[id="cal-hours.${day}.close"]`);
      open.checked = Boolean(hours);
      from.value = hours?.open ?? '';
      to.value = hours?.close ?? '';
      from.disabled = !hours;
      to.disabled = !hours;
    }
    clear(closuresBody);
    for (const c of calendar.closures) closureRow(c);
    renumber();
    clear(addedBody);
    for (const c of calendar.added_state_holidays ?? []) addedRow(c);
    renumberAdded();
  }

  function values() {
    const hours = {};
    for (const [day] of DAYS) {
      const open = form.querySelector(`#cal-open-${day}`).checked;
      hours[day] = open ? { open: form.querySelector(`[id="cal-hours.${day}.open"]`).value, close: form.querySelector(`[id="cal-hours.${day}.close"]`).value } : null;
    }
    const closures = [...closuresBody.children]
      .map((tr) => ({ date: tr.querySelector('.closure-date').value, label: tr.querySelector('.closure-label').value }));
    const added_state_holidays = [...addedBody.children]
      .map((tr) => ({ date: tr.querySelector('.added-date').value, label: tr.querySelector('.added-label').value }));
    return { time_zone: zone.value, hours, california_holidays: holidays.checked, closures, added_state_holidays };
  }

  // Dates are checked here: a closure without a date cannot be sent at all.
  function missingDates(calendar) {
    return [
      ...calendar.closures.flatMap((c, i) => (c.date ? [] : [{ field: `closures.${i}.date`, message: 'choose the date' }])),
      ...calendar.added_state_holidays.flatMap((c, i) => (c.date ? [] : [{ field: `added_state_holidays.${i}.date`, message: 'choose the date' }])),
    ];
  }

  function setErrors(fields = []) {
    for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
    let first = null;
    for (const { field, message } of fields) {
      const control = form.querySelector(`[id="cal-${field}"]`) ?? (field === 'hours' ? form.querySelector('#cal-open-monday') : null);
      const error = form.querySelector(`[id="cal-${field}-error"]`) ?? form.querySelector('#cal-hours-error');
      if (error) error.textContent = message;
      if (control) { control.setAttribute('aria-invalid', 'true'); first ??= control; }
    }
    return first;
  }

  async function save(event) {
    event?.preventDefault();
    const calendar = values();
    const missing = missingDates(calendar);
    if (missing.length) {
      setErrors(missing)?.focus();
      status.className = 'form-status error';
      status.textContent = 'Not saved: a closure day or added holiday has no date.';
      return;
    }
    status.className = 'form-status';
    status.textContent = 'Saving\u2026';
    try {
      const saved = await call('calendar_save', { calendar });
      setValues(saved.calendar);
      setErrors([]);
      status.className = 'form-status ok';
      status.textContent = `Calendar saved at ${new Date().toLocaleTimeString()}; every SEN clock now uses it.`;
      refreshYear();
    } catch (error) {
      // What was typed stays in the form; the saved calendar stays on disk.
      const first = setErrors(error.fields);
      status.className = 'form-status error';
      status.textContent = `Not saved: ${error.message}`;
      first?.focus();
    }
  }

  // iCalendar import: merged into the form as it stands, then saved.
  const ics = h('input', { type: 'file', id: 'cal-ics-input', accept: '.ics,text/calendar' });
  ics.addEventListener('change', async () => {
    const file = ics.files[0];
    if (!file) return;
    const refused = await tooLarge(file, 'ics', 'closure calendar (.ics)');
    if (refused) {
      status.className = 'form-status error';
      status.textContent = `${file.name} not imported: ${refused}`;
      ics.value = '';
      return;
    }
    const calendar = values();
    status.className = 'form-status';
    status.textContent = `Reading ${file.name}\u2026`;
    try {
      const result = await call('calendar_import_ics', { calendar, text: await file.text() });
      setValues(result.saved.calendar);
      setErrors([]);
      status.className = 'form-status ok';
      status.textContent = `${file.name}: ${result.added} closure day${result.added === 1 ? '' : 's'} added (${result.read} read); calendar saved.`;
      refreshYear();
    } catch (error) {
      setErrors(error.fields);
      status.className = 'form-status error';
      status.textContent = `${file.name} not imported: ${error.message}`;
    } finally {
      ics.value = '';
    }
  });

  // The year's closed days, of the calendar as it stands in the form.
  const year = h('input', { type: 'number', id: 'cal-year', min: 1900, max: 2999, value: new Date().getFullYear() });
  const yearList = h('tbody', { id: 'cal-closed-days' });
  let yearTimer = null;
  async function refreshYear() {
    const calendar = values();
    const y = Number(year.value);
    const dated = { ...calendar, closures: calendar.closures.filter((c) => c.date), added_state_holidays: calendar.added_state_holidays.filter((c) => c.date) };
    refreshStateYear(dated);
    try {
      const days = await call('calendar_closed_days', { year: y, calendar: dated });
      clear(yearList);
      if (!days.length) yearList.append(h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'No closed days.')));
      for (const d of days) {
        const [yy, mm, dd] = d.date.split('-').map(Number);
        yearList.append(h('tr', { 'data-kind': d.kind },
          h('td', { class: 'mono' }, `${WEEKDAY[new Date(Date.UTC(yy, mm - 1, dd)).getUTCDay()]} ${d.date}`),
          h('td', {}, d.label),
          h('td', { class: 'muted' }, KIND_LABELS[d.kind] ?? d.kind)));
      }
    } catch (error) {
      clear(yearList);
      yearList.append(h('tr', {}, h('td', { colspan: 3, class: 'form-status error' }, error.message)));
    }
  }
  async function refreshStateYear(calendar) {
    try {
      const days = (await call('calendar_closed_days', { year: stateYear, calendar: { ...calendar, california_holidays: true, closures: [] } }))
        .filter((d) => d.kind !== 'closure');
      clear(stateList);
      for (const d of days) {
        stateList.append(h('tr', { 'data-kind': d.kind },
          h('td', { class: 'mono' }, d.date), h('td', {}, d.label), h('td', { class: 'muted' }, KIND_LABELS[d.kind] ?? d.kind)));
      }
    } catch (error) {
      clear(stateList);
      stateList.append(h('tr', {}, h('td', { colspan: 3, class: 'form-status error' }, error.message)));
    }
  }
  function changed() {
    clearTimeout(yearTimer);
    yearTimer = setTimeout(refreshYear, 250);
  }
  year.addEventListener('input', changed);
  form.addEventListener('input', (e) => { if (e.target !== year) changed(); });

  form.append(
    h('fieldset', {}, h('legend', {}, 'Business hours'),
      h('blockquote', { class: 'seed-words', id: 'cal-seed-words' }, view.seed_words),
      h('div', { class: 'fields' },
        h('div', { class: 'field' }, h('label', { for: 'cal-time_zone' }, 'Time zone'), zone, zones,
          h('div', { class: 'help' }, `IANA name; default ${view.default_time_zone}`), errorFor('time_zone')),
        h('div', { class: 'field checkbox-field' }, h('label', { for: 'cal-california_holidays' }, holidays,
          ' Closed on California state paid holidays (Gov. Code 19853)'))),
      h('table', { class: 'grid hours-table' },
        h('caption', {}, 'Weekly hours (24-hour wall clock in the time zone above)'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, 'Open'), h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'Until'))),
        hoursBody),
      errorFor('hours')),
    h('fieldset', { id: 'cal-state-holidays-set' }, h('legend', {}, `California state holidays ${stateYear}`),
      h('blockquote', { class: 'seed-words', id: 'cal-holidays-source' }, view.holidays_source),
      h('table', { class: 'grid closed-days' },
        h('caption', {}, `State holidays of ${stateYear} (observed dates)`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Holiday'), h('th', { scope: 'col' }, 'Source'))),
        stateList),
      addedTable,
      noAdded,
      errorFor('added_state_holidays'),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', id: 'cal-add-holiday', onclick: () => { addedRow().date.focus(); } }, 'Add a state holiday'),
        h('span', { class: 'muted small' }, 'For a holiday the state adds (by statute or proclamation): it closes this calendar and the state office calendar the fallback uses.'))),
    h('fieldset', {}, h('legend', {}, 'Closure days of the entity'),
      closuresTable,
      noClosures,
      errorFor('closures'),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', id: 'cal-add-closure', onclick: () => { closureRow().date.focus(); } }, 'Add closure day'),
        h('label', { for: 'cal-ics-input' }, 'Import closures from an iCalendar file (.ics): '), ics)),
    h('div', { class: 'toolbar' },
      h('button', { type: 'submit', class: 'primary', id: 'cal-save' }, 'Save calendar ', h('kbd', {}, 'Ctrl+S')),
      status),
    h('fieldset', {}, h('legend', {}, 'Closed days of a year'),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', 'aria-label': 'Previous year', onclick: () => { year.value = Number(year.value) - 1; refreshYear(); } }, '\u25C0'),
        h('label', { for: 'cal-year' }, 'Year '), year,
        h('button', { type: 'button', 'aria-label': 'Next year', onclick: () => { year.value = Number(year.value) + 1; refreshYear(); } }, '\u25B6'),
        h('span', { class: 'muted small' }, 'as the form stands (holidays by rule, with their observed dates)')),
      h('table', { class: 'grid closed-days' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Closed for'), h('th', { scope: 'col' }, 'Kind'))),
        yearList)));
  form.addEventListener('submit', save);
  onSaveKey(form, save);

  // Escalation clock: a reading of the seed, saved as soon as it is chosen.
  const escStatus = h('div', { class: 'form-status', id: 'esc-status', role: 'status' });
  const escalation = h('fieldset', { id: 'esc-clock' }, h('legend', {}, 'Escalation clock (SIMM 5335-A III.G.2)'),
    h('blockquote', { class: 'seed-words', id: 'esc-seed-words' }, senSettings.escalation_clock_seed_words),
    senSettings.escalation_clock_options.map((o) => h('label', { class: 'radio-line', for: `esc-clock-${o.id}` },
      h('input', { type: 'radio', name: 'esc-clock', id: `esc-clock-${o.id}`, value: o.id, checked: o.id === senSettings.settings.escalation_clock,
        onchange: async () => {
          escStatus.className = 'form-status';
          escStatus.textContent = 'Saving\u2026';
          try {
            await call('sen_settings_save', { settings: { escalation_clock: o.id } });
            escStatus.className = 'form-status ok';
            escStatus.textContent = 'Saved; every SEN\u2019s escalation times now use it.';
          } catch (error) {
            escStatus.className = 'form-status error';
            escStatus.textContent = `Not saved: ${error.message}`;
          }
        } }), ` ${o.label}`)),
    escStatus);

  setValues(view.calendar);
  section.append(
    h('p', { class: 'muted' }, 'High and Medium SEN windows count business hours on this calendar; Critical windows count clock hours.'),
    form, escalation);
  refreshYear();
}
