// Reminders in the window: the same reminders the desktop notifications show, as banners above
// every page while the window is open (Open goes to the record, Dismiss hides the banner for good;
// a banner also goes once its SEN stage or report is done). A click on a desktop notification
// shows the window and arrives here as a `navigate` event.

import { call, listen } from './ipc.js';
import { clearBanner, setBanner } from './banners.js';

const shown = new Set();

// What one banner says and offers. Pure (no DOM), for the module tests.
export function bannerFor(notice, { open, dismiss }) {
  // The first sentence of the body: what is due and by when (the notification has the rest).
  const firstLine = String(notice.body ?? '').split('\n')[0].split(/(?<=\.) /)[0];
  const record = /^#\/(sens|reports)\/(.+)$/.exec(notice.route ?? '');
  const openLabel = record
    ? `Open ${record[1] === 'sens' ? decodeURIComponent(record[2]) : 'report'}`
    : `Open ${notice.route === '#/reports' ? 'reports' : 'SEN board'}`;
  return {
    level: notice.critical ? 'critical' : 'warn',
    text: firstLine ? `${notice.title} \u2014 ${firstLine}` : notice.title,
    actions: [
      { label: openLabel, run: () => open(notice.route) },
      { label: 'Dismiss', run: () => dismiss(notice.id) },
    ],
  };
}

// Only routes of this app's own pages are followed.
export function safeRoute(route) {
  return typeof route === 'string' && /^#\/[A-Za-z0-9_\-/.%]*$/.test(route) ? route : null;
}

function go(route) {
  const safe = safeRoute(route);
  if (safe) location.hash = safe;
}

async function dismiss(id) {
  try {
    await call('reminder_dismiss', { id });
  } catch {
    // The banner goes anyway; it comes back at the next refresh if the dismissal was not saved.
  }
  clearBanner(`reminder-${id}`);
  shown.delete(`reminder-${id}`);
}

async function refresh() {
  let notices;
  try {
    notices = await call('reminder_banners');
  } catch {
    return;
  }
  const ids = new Set(notices.map((n) => `reminder-${n.id}`));
  for (const id of [...shown]) {
    if (!ids.has(id)) {
      clearBanner(id);
      shown.delete(id);
    }
  }
  // Oldest first, so the newest is at the bottom, next to the page.
  for (const notice of [...notices].reverse()) {
    const id = `reminder-${notice.id}`;
    if (shown.has(id)) continue;
    setBanner(id, bannerFor(notice, { open: go, dismiss }));
    shown.add(id);
  }
}

export function startReminders() {
  refresh();
  listen('navigate', (payload) => go(payload?.route)).catch(() => {});
  window.addEventListener('desk:changed', (e) => {
    if (['reminders', 'sens', 'reports', 'settings'].includes(e.detail?.topic)) refresh();
  });
}
