// What opening the database found (src-tauri commands/app.rs `app_info`): a start-up failure
// replaces the whole screen; notices become banners.

import { call } from './ipc.js';
import { clear, h } from './dom.js';
import { clearBanner, setBanner } from './banners.js';

export function showStartupError(error) {
  const main = document.getElementById('main');
  clear(main);
  main.append(
    h('h1', {}, 'Incident Desk cannot open its database'),
    h('p', { class: 'form-status error', id: 'startup-error', role: 'alert' }, error.message),
    h('p', {}, 'Nothing was changed on disk. While this is resolved, report by phone: business hours, CISO (916) 445-5239 or security@state.ca.gov; after hours with law enforcement needed, CHP ENTAC (916) 843-4199 (24/7). The Cal-CSIRS report is still owed.'),
    h('p', { class: 'muted' }, `Code: ${error.code}`),
  );
  for (const link of document.querySelectorAll('.nav a')) link.setAttribute('aria-disabled', 'true');
}

function describeSnapshot(s) {
  return `${new Date(s.taken_at).toLocaleString()} (${Math.max(1, Math.round(s.bytes / 1024))} KiB)`;
}

async function restore(snapshot) {
  if (!window.confirm(`Restore the snapshot of ${describeSnapshot(snapshot)}? The app restarts; the current database is kept aside.`)) return;
  await call('snapshot_restore', { path: snapshot.path });
}

export function showOpenNotices(notices = []) {
  for (const notice of notices) {
    if (notice.kind === 'encrypted') {
      setBanner('db-encrypted', { level: 'info', text: 'Your data on this workstation is now encrypted; its key is kept in your desktop keyring.', actions: [{ label: 'Dismiss', run: () => clearBanner('db-encrypted') }] });
    } else if (notice.kind === 'damaged') {
      const latest = notice.snapshots?.[0];
      setBanner('db-damaged', {
        level: 'critical',
        text: `The database failed its integrity check. It was kept, untouched, at ${notice.kept_at}, and a new empty database was opened. ${latest ? `The last good snapshot is from ${describeSnapshot(latest)}.` : 'No snapshot is available: restore a backup (incident-desk backup restore).'}`,
        actions: latest ? [{ label: 'Restore last good snapshot', run: () => restore(latest) }] : [],
      });
    } else if (notice.kind === 'restored') {
      setBanner('db-restored', { level: 'info', text: `Restored from ${notice.from}.${notice.kept_at ? ` The database it replaced was kept at ${notice.kept_at}.` : ''}` });
    }
  }
}
