// The portal's state on every page: a banner while the portal cannot be reached (with the
// fallback for the hour when a report deadline is near), while the token is refused, or while
// items wait for a portal address. Refreshed on change notices (the sync task announces the
// portal going offline or coming back, and every delivery or refusal), and, while a banner shows,
// every 30 s (its fallback steps follow the time) while the window is shown and at once when it is
// shown again. With nothing wrong, nothing is asked between changes.

import { call } from './ipc.js';
import { clearBanner, setBanner } from './banners.js';
import { everyWhileShown } from './dom.js';
import { portalBanner } from './outbox-view.js';

const BANNER = 'portal';
let stopPolling = () => {};
let pending = null;
let shown = null;

const go = (hash) => () => { location.hash = hash; document.getElementById('main')?.focus(); };

const ACTIONS = {
  token: [{ label: 'Enter token', run: go('#/settings/portal') }],
  settings: [{ label: 'Portal settings', run: go('#/settings/portal') }],
  fallback: [{ label: 'Fallback steps', run: go('#/outbox/fallback') }, { label: 'Outbox', run: go('#/outbox') }],
  outbox: [{ label: 'Outbox', run: go('#/outbox') }],
};

async function refresh() {
  try {
    const status = await call('outbox_status');
    let fallback = null;
    if (status.offline || (!status.configured && status.pending > 0)) {
      fallback = await call('portal_fallback', { lawEnforcementNeeded: false });
    }
    const banner = portalBanner(status, fallback);
    pollWhile(Boolean(banner));
    // An unchanged banner is left alone: a redraw would make screen readers announce it again.
    const key = banner ? `${banner.level}|${banner.action}|${banner.text}` : '';
    if (key === shown) return;
    shown = key;
    if (banner) setBanner(BANNER, { level: banner.level, text: banner.text, actions: ACTIONS[banner.action] ?? [] });
    else clearBanner(BANNER);
  } catch {
    // The banner is best effort; the Outbox page shows errors.
  }
}

let polling = false;
function pollWhile(wanted) {
  if (wanted === polling) return;
  polling = wanted;
  stopPolling();
  stopPolling = wanted ? everyWhileShown(refresh, 30_000) : () => {};
}

// Coalesces bursts of change notices into one refresh.
function soon() {
  if (pending) return;
  pending = setTimeout(() => { pending = null; refresh(); }, 150);
}

export function startPortalStatus() {
  window.addEventListener('desk:changed', (e) => {
    if (['outbox', 'reports', 'settings'].includes(e.detail?.topic)) soon();
  });
  refresh();
}
