// Settings section: copies of the database. The daily snapshots the app keeps (encrypted with the
// database's own key) can be restored here; a passphrase backup, to carry away, is written to a
// folder and restored into a fresh install with `incident-desk backup restore FILE`.

import { call } from '../../lib/ipc.js';
import { clear, h } from '../../lib/dom.js';

export const id = 'backups';
export const title = 'Backups';

function describe(snapshot) {
  return `${new Date(snapshot.taken_at).toLocaleString()} \u2014 ${Math.max(1, Math.round(snapshot.bytes / 1024))} KiB`;
}

export async function mount(section, { onSaveKey }) {
  const list = h('ul', { class: 'snapshot-list', id: 'snapshot-list' });
  const status = h('div', { class: 'form-status', id: 'backup-status', role: 'status' });

  async function showSnapshots() {
    const snapshots = await call('snapshots_list');
    clear(list);
    if (!snapshots.length) list.append(h('li', { class: 'muted' }, 'No snapshot yet: the first is taken within minutes of the first start.'));
    for (const s of snapshots) {
      list.append(h('li', {},
        h('span', {}, describe(s)), ' ',
        h('button', { type: 'button', class: 'link', onclick: async () => {
          if (!window.confirm(`Restore the snapshot of ${describe(s)}? The app restarts with it; the current database is kept aside, not deleted.`)) return;
          try { await call('snapshot_restore', { path: s.path }); } catch (e) { status.className = 'form-status error'; status.textContent = e.message; }
        } }, 'Restore')));
    }
  }

  const folder = h('input', { type: 'text', id: 'backup.folder', spellcheck: 'false', placeholder: '~/Documents/Incident Desk', 'aria-describedby': 'backup.folder-help backup.folder-error' });
  const passphrase = h('input', { type: 'password', id: 'backup.passphrase', autocomplete: 'new-password', 'aria-describedby': 'backup.passphrase-help backup.passphrase-error' });
  const again = h('input', { type: 'password', id: 'backup.passphrase-again', autocomplete: 'new-password', 'aria-describedby': 'backup.passphrase-again-error' });
  const errors = new Map(['backup.folder', 'backup.passphrase', 'backup.passphrase-again'].map((f) => [f, h('div', { class: 'field-error', id: `${f}-error`, role: 'alert' })]));
  const controls = new Map([['backup.folder', folder], ['backup.passphrase', passphrase], ['backup.passphrase-again', again]]);

  function setErrors(fields) {
    let first = null;
    for (const [field, error] of errors) {
      const message = fields.find((f) => f.field === field)?.message ?? '';
      error.textContent = message;
      if (message) { controls.get(field).setAttribute('aria-invalid', 'true'); first ??= controls.get(field); } else controls.get(field).removeAttribute('aria-invalid');
    }
    first?.focus();
  }

  async function create(event) {
    event?.preventDefault();
    if (passphrase.value !== again.value) {
      setErrors([{ field: 'backup.passphrase-again', message: 'The two passphrases differ.' }]);
      return;
    }
    status.className = 'form-status';
    status.textContent = 'Writing the encrypted backup\u2026';
    try {
      const written = await call('backup_create', { folder: folder.value, passphrase: passphrase.value });
      setErrors([]);
      passphrase.value = '';
      again.value = '';
      status.className = 'form-status ok';
      status.textContent = `Backup written to ${written.path}. Keep the passphrase apart from it: without it the backup cannot be read.`;
    } catch (error) {
      setErrors(error.fields ?? []);
      status.className = 'form-status error';
      status.textContent = `Not written: ${error.message}`;
    }
  }

  const field = (id, label, control, help) => h('div', { class: 'field' },
    h('label', { for: id }, label), control, help ? h('div', { class: 'help', id: `${id}-help` }, help) : null, errors.get(id));
  const form = h('form', { class: 'backup-form', onsubmit: create },
    h('div', { class: 'fields' },
      field('backup.folder', 'Folder', folder, 'A full path (or ~/…); empty: ~/Documents/Incident Desk.'),
      field('backup.passphrase', 'Passphrase', passphrase, 'At least 12 characters. The backup holds everything, personal information included.'),
      field('backup.passphrase-again', 'Passphrase again', again)),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit', class: 'primary', id: 'backup-create' }, 'Write encrypted backup')));
  onSaveKey(form, create);

  section.append(
    h('h3', {}, 'Daily snapshots'),
    h('p', { class: 'muted' }, 'Taken every day on this workstation, encrypted like the database; the last seven are kept.'),
    list,
    h('h3', {}, 'Backup to carry away'),
    h('p', { class: 'muted' }, 'Everything, encrypted with a passphrase. Restore it into a fresh install with: incident-desk backup restore FILE (the passphrase on standard input).'),
    form,
    status);
  await showSnapshots();
}
