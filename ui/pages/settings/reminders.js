// Settings section: deadline reminders (which points of each window, quiet hours), start at login,
// and a preview of the next reminders.

import { call } from '../../lib/ipc.js';
import { h } from '../../lib/dom.js';

export const id = 'reminders';
export const title = 'Reminders';

// "30, 15" -> [30, 15]; anything that is not a whole number is kept as NaN for the core to refuse.
export function parseMinutes(text) {
  return String(text).split(/[,;\s]+/).filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : NaN));
}

export function formatMinutes(list) {
  return (list ?? []).join(', ');
}

function when(iso, timeZone) {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

function checkbox(idSuffix, label, help) {
  const input = h('input', { type: 'checkbox', id: `rem-${idSuffix}`, 'aria-describedby': help ? `rem-${idSuffix}-help` : null });
  const row = h('div', { class: 'check-row' },
    input,
    h('label', { for: input.id }, label),
    help ? h('div', { class: 'help', id: `rem-${idSuffix}-help` }, help) : null);
  return { input, row };
}

function field(idSuffix, label, control, help) {
  Object.assign(control, { id: `rem-${idSuffix}` });
  const errorId = `rem-${idSuffix}-error`;
  control.setAttribute('aria-describedby', help ? `rem-${idSuffix}-help ${errorId}` : errorId);
  const error = h('div', { class: 'field-error', id: errorId, role: 'alert' });
  const element = h('div', { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    help ? h('div', { class: 'help', id: `rem-${idSuffix}-help` }, help) : null,
    error);
  return { control, error, element };
}

export async function mount(section, { onSaveKey }) {
  const settings = await call('reminder_settings_get');
  const tz = settings.time_zone;

  const half = checkbox('at_half_window', 'When half of a response window has passed', 'Counted on the window\u2019s own clock: business hours for High and Medium.');
  const before = field('minutes_before', 'Minutes before each due time', h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false' }),
    'Clock minutes; several separated by commas, e.g. 30, 15. Empty for none.');
  const due = checkbox('at_due', 'At the due time');
  const escalations = checkbox('at_escalations', 'At each escalation level', 'SIMM 5335-A III.G: Level 1 (SIPM), Level 2 (State CISO), Level 3 (State CIO), while the stage is still open.');
  const reports = checkbox('report_deadlines', 'Incident report deadlines', 'The Cal-CSIRS 60 minutes from detection and the federal category timeframe, until the report is submitted.');
  const quiet = checkbox('quiet_enabled', 'Hold back High and Medium reminders at night', settings.quiet_hours_help);
  const quietStart = field('quiet_hours.start', 'Quiet from', h('input', { type: 'time', step: 60 }));
  const quietEnd = field('quiet_hours.end', 'Quiet until', h('input', { type: 'time', step: 60 }), `Times in ${tz}, the business calendar\u2019s zone.`);
  const autostart = checkbox('autostart', 'Start Incident Desk at login, in the tray',
    'Reminders only come while Incident Desk runs. Closing the window keeps it running in the tray; Quit in the tray menu stops it.');
  const autostartStatus = h('div', { class: 'form-status', id: 'reminders-autostart-status', role: 'status' });
  const details = checkbox('details_outside_window', 'Show SOC summaries and report titles in notifications and the tray',
    'Off: notifications and the tray say only the deadline, the level and the SEN or report number, so a locked or unattended screen shows no incident details.');
  const detailsStatus = h('div', { class: 'form-status', id: 'reminders-privacy-status', role: 'status' });
  const status = h('div', { class: 'form-status', id: 'reminders-status', role: 'status' });
  const upcoming = h('div', { class: 'reminder-preview', id: 'reminders-upcoming' });
  const errors = new Map([
    ['minutes_before', before],
    ['quiet_hours.start', quietStart],
    ['quiet_hours.end', quietEnd],
  ]);

  function show(prefs) {
    half.input.checked = prefs.at_half_window;
    before.control.value = formatMinutes(prefs.minutes_before);
    due.input.checked = prefs.at_due;
    escalations.input.checked = prefs.at_escalations;
    reports.input.checked = prefs.report_deadlines;
    quiet.input.checked = prefs.quiet_hours.enabled;
    quietStart.control.value = prefs.quiet_hours.start;
    quietEnd.control.value = prefs.quiet_hours.end;
    syncQuiet();
  }

  function read() {
    return {
      at_half_window: half.input.checked,
      minutes_before: parseMinutes(before.control.value),
      at_due: due.input.checked,
      at_escalations: escalations.input.checked,
      report_deadlines: reports.input.checked,
      quiet_hours: { enabled: quiet.input.checked, start: quietStart.control.value, end: quietEnd.control.value },
    };
  }

  function syncQuiet() {
    quietStart.control.disabled = !quiet.input.checked;
    quietEnd.control.disabled = !quiet.input.checked;
  }

  function setErrors(fields = []) {
    const byField = new Map(fields.map((e) => [e.field, e.message]));
    let first = null;
    for (const [name, f] of errors) {
      const message = byField.get(name);
      f.error.textContent = message ?? '';
      if (message) {
        f.control.setAttribute('aria-invalid', 'true');
        first ??= f.control;
      } else {
        f.control.removeAttribute('aria-invalid');
      }
    }
    return first;
  }

  async function showUpcoming() {
    let view;
    try {
      view = await call('reminders_upcoming', { limit: 5 });
    } catch (error) {
      upcoming.replaceChildren(h('p', { class: 'form-status error' }, `Cannot show the next reminders: ${error.message}`));
      return;
    }
    const rows = view.reminders.map((r) => h('tr', {},
      h('td', { class: 'mono' }, when(r.at, tz)),
      h('td', {}, h('span', { class: `level level-${r.severity === 'critical' ? 'critical' : r.severity}` }, r.severity_label)),
      h('td', {}, r.title)));
    upcoming.replaceChildren(
      h('h3', {}, 'Next reminders'),
      h('p', { class: 'muted', id: 'reminders-outlook' }, `${view.outlook.next_text}. ${view.outlook.overdue_text}.`),
      rows.length
        ? h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Reminder'))),
          h('tbody', {}, rows))
        : h('p', { class: 'muted' }, 'No reminder planned: no open SEN stage or unsent report deadline.'));
  }

  async function save(event) {
    event?.preventDefault();
    status.className = 'form-status';
    status.textContent = 'Saving\u2026';
    const prefs = read();
    if (prefs.minutes_before.some(Number.isNaN)) {
      const first = setErrors([{ field: 'minutes_before', message: 'write whole numbers of minutes, separated by commas (e.g. 30, 15)' }]);
      status.className = 'form-status error';
      status.textContent = 'Not saved: check the minutes before each due time.';
      first?.focus();
      return;
    }
    try {
      const saved = await call('reminder_prefs_save', { prefs });
      show(saved);
      setErrors([]);
      status.className = 'form-status ok';
      status.textContent = `Reminder settings saved at ${new Date().toLocaleTimeString()}.`;
      showUpcoming();
    } catch (error) {
      const first = setErrors(error.fields);
      status.className = 'form-status error';
      status.textContent = `Not saved: ${error.message}`;
      first?.focus();
    }
  }

  quiet.input.addEventListener('change', syncQuiet);
  if (settings.autostart == null) {
    autostart.input.disabled = true;
    autostartStatus.textContent = 'Start at login cannot be read on this desktop.';
  } else {
    autostart.input.checked = settings.autostart;
  }
  autostart.input.addEventListener('change', async () => {
    const wanted = autostart.input.checked;
    autostartStatus.className = 'form-status';
    try {
      const now = await call('autostart_set', { enabled: wanted });
      autostart.input.checked = now;
      autostartStatus.className = 'form-status ok';
      autostartStatus.textContent = now ? 'Incident Desk will start at login.' : 'Incident Desk will not start at login.';
    } catch (error) {
      autostart.input.checked = !wanted;
      autostartStatus.className = 'form-status error';
      autostartStatus.textContent = error.message;
    }
  });

  details.input.checked = Boolean(settings.privacy?.details_outside_window);
  details.input.addEventListener('change', async () => {
    const wanted = details.input.checked;
    detailsStatus.className = 'form-status';
    try {
      const saved = await call('privacy_save', { privacy: { details_outside_window: wanted } });
      details.input.checked = saved.details_outside_window;
      detailsStatus.className = 'form-status ok';
      detailsStatus.textContent = saved.details_outside_window
        ? 'Notifications and the tray show SOC summaries and report titles.'
        : 'Notifications and the tray show only deadlines, levels and numbers.';
    } catch (error) {
      details.input.checked = !wanted;
      detailsStatus.className = 'form-status error';
      detailsStatus.textContent = error.message;
    }
  });

  const form = h('form', { class: 'reminder-form', novalidate: true, onsubmit: save },
    h('fieldset', {},
      h('legend', {}, 'Remind me'),
      half.row,
      h('div', { class: 'fields' }, before.element),
      due.row,
      escalations.row,
      reports.row),
    h('fieldset', {},
      h('legend', {}, 'Quiet hours'),
      quiet.row,
      h('div', { class: 'fields' }, quietStart.element, quietEnd.element)));
  onSaveKey(form, save);
  show(settings.prefs);
  section.append(
    h('p', { class: 'muted' }, 'Desktop notifications and banners before each SEN stage, each escalation and each report deadline. Critical SENs and report deadlines use critical urgency.'),
    form,
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', id: 'reminders-save', onclick: save }, 'Save reminder settings ', h('kbd', {}, 'Ctrl+S')),
      status),
    h('fieldset', {}, h('legend', {}, 'Start at login'), autostart.row, autostartStatus),
    h('fieldset', { id: 'privacy' }, h('legend', {}, 'Privacy'), details.row, detailsStatus),
    upcoming,
  );
  showUpcoming();
  const onChanged = (e) => {
    if (!section.isConnected) {
      window.removeEventListener('desk:changed', onChanged);
      return;
    }
    if (['sens', 'reports', 'reminders'].includes(e.detail?.topic)) showUpcoming();
  };
  window.addEventListener('desk:changed', onChanged);
}
