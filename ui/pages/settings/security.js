// Settings section: the app lock. The unlock passphrase goes to Rust, which keeps only its
// Argon2id hash, in the OS keyring (never in the database); the window locks after the idle
// minutes set here, when the desktop session locks, and on Ctrl+L or the tray's "Lock now".

import { call } from '../../lib/ipc.js';
import { h } from '../../lib/dom.js';
import { lockNow } from '../../lib/lock.js';

export const id = 'security';
export const title = 'Security';

export async function mount(section, { onSaveKey }) {
  const current = h('input', { type: 'password', id: 'lock.current', autocomplete: 'current-password', 'aria-describedby': 'lock.current-error' });
  const passphrase = h('input', { type: 'password', id: 'lock.passphrase', autocomplete: 'new-password', 'aria-describedby': 'lock.passphrase-help lock.passphrase-error' });
  const again = h('input', { type: 'password', id: 'lock.passphrase-again', autocomplete: 'new-password', 'aria-describedby': 'lock.passphrase-again-error' });
  const idle = h('input', { type: 'number', id: 'lock.idle_minutes', min: 1, max: 480, step: 1, 'aria-describedby': 'lock.idle_minutes-help lock.idle_minutes-error' });
  const ids = ['lock.current', 'lock.passphrase', 'lock.passphrase-again', 'lock.idle_minutes'];
  const controls = new Map([[ids[0], current], [ids[1], passphrase], [ids[2], again], [ids[3], idle]]);
  const errors = new Map(ids.map((f) => [f, h('div', { class: 'field-error', id: `${f}-error`, role: 'alert' })]));
  const state = h('p', { id: 'lock-state' });
  const status = h('div', { class: 'form-status', id: 'security-status', role: 'status' });
  const currentField = field('lock.current', 'Current passphrase', current);
  const remove = h('button', { type: 'button', class: 'danger', id: 'lock-remove', onclick: removePassphrase }, 'Remove passphrase');
  const lockButton = h('button', { type: 'button', id: 'lock-now', onclick: lockNow }, 'Lock now ', h('kbd', {}, 'Ctrl+L'));
  const setButton = h('button', { type: 'submit', class: 'primary', id: 'lock-set' }, 'Set passphrase');

  function field(fid, label, control, help) {
    return h('div', { class: 'field' }, h('label', { for: fid }, label), control,
      help ? h('div', { class: 'help', id: `${fid}-help` }, help) : null, errors.get(fid));
  }

  function setErrors(fields = []) {
    let first = null;
    for (const [f, error] of errors) {
      const message = fields.find((e) => e.field === f)?.message ?? '';
      error.textContent = message;
      const control = controls.get(f);
      if (message) { control.setAttribute('aria-invalid', 'true'); first ??= control; } else control.removeAttribute('aria-invalid');
    }
    first?.focus();
  }

  function show(s) {
    state.textContent = s.passphrase_set
      ? `An unlock passphrase is set. The window locks after ${s.idle_minutes} idle minute${s.idle_minutes === 1 ? '' : 's'}, when your desktop session locks, and on Ctrl+L.`
      : 'No unlock passphrase is set: the window never locks. Set one to lock it when idle, with your desktop session, or on Ctrl+L.';
    currentField.hidden = !s.passphrase_set;
    remove.hidden = !s.passphrase_set;
    lockButton.disabled = !s.passphrase_set;
    setButton.textContent = s.passphrase_set ? 'Change passphrase' : 'Set passphrase';
    idle.value = String(s.idle_minutes);
  }

  async function run(doing, fn, done) {
    status.className = 'form-status';
    status.textContent = `${doing}\u2026`;
    try {
      const s = await fn();
      setErrors([]);
      show(s);
      status.className = 'form-status ok';
      status.textContent = done;
    } catch (error) {
      setErrors(error.fields);
      status.className = 'form-status error';
      status.textContent = error.message;
    } finally {
      for (const c of [current, passphrase, again]) c.value = '';
    }
  }

  function setPassphrase(event) {
    event?.preventDefault();
    if (passphrase.value !== again.value) {
      setErrors([{ field: 'lock.passphrase-again', message: 'The two passphrases differ.' }]);
      return;
    }
    const args = { passphrase: passphrase.value, current: currentField.hidden ? null : current.value };
    run('Setting the passphrase', () => call('lock_set_passphrase', args), 'Passphrase set; only its Argon2id hash is kept, in your desktop keyring.');
  }

  function removePassphrase() {
    if (!window.confirm('Remove the unlock passphrase? The window will no longer lock.')) return;
    run('Removing the passphrase', () => call('lock_remove_passphrase', { current: current.value }), 'Passphrase removed: the window no longer locks.');
  }

  function saveIdle(event) {
    event?.preventDefault();
    const minutes = Number(idle.value);
    if (!Number.isInteger(minutes)) {
      setErrors([{ field: 'lock.idle_minutes', message: 'a whole number of minutes' }]);
      return;
    }
    run('Saving', () => call('lock_settings_save', { settings: { idle_minutes: minutes } }), `The window locks after ${minutes} idle minute${minutes === 1 ? '' : 's'}.`);
  }

  const passForm = h('form', { class: 'security-form', id: 'lock-passphrase-form', onsubmit: setPassphrase },
    h('div', { class: 'fields' },
      currentField,
      field('lock.passphrase', 'New passphrase', passphrase, 'At least 8 characters. Forgot it later? Run incident-desk lock reset as the same computer user: nothing else is lost.'),
      field('lock.passphrase-again', 'New passphrase again', again)),
    h('div', { class: 'toolbar' }, setButton, remove, lockButton));
  const idleForm = h('form', { class: 'security-form', id: 'lock-idle-form', onsubmit: saveIdle },
    h('div', { class: 'fields' }, field('lock.idle_minutes', 'Lock after (idle minutes)', idle, 'No key or pointer input in the window for this long: 1 to 480, default 15.')),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit', id: 'lock-idle-save' }, 'Save')));
  onSaveKey(passForm, setPassphrase);
  onSaveKey(idleForm, saveIdle);

  section.append(
    h('p', { class: 'muted' }, 'While locked the window shows only the lock screen and answers nothing about SENs or reports; reminders keep coming.'),
    state, passForm, idleForm, status);
  show(await call('lock_status'));
}
