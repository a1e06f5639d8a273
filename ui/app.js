// Incident Desk UI entry: hash router over the four pages, keyboard navigation, first-paint signal.

import { call, listen } from './lib/ipc.js';
import { clear, h, toast } from './lib/dom.js';
import { showOpenNotices, showStartupError } from './lib/notices.js';
import { startPortalStatus } from './lib/portal-status.js';
import { startReminders } from './lib/reminders.js';
import { isLocked, startLock } from './lib/lock.js';
import { navigationQueue } from './lib/navigation.js';
import { hasUnsaved } from './lib/unsaved.js';

const pages = {
  sens: () => import('./pages/sens.js'),
  reports: () => import('./pages/reports.js'),
  outbox: () => import('./pages/outbox.js'),
  settings: () => import('./pages/settings.js'),
};
const order = ['sens', 'reports', 'outbox', 'settings'];

let unmount = null;
const navigate = navigationQueue();

function show(route) {
  return navigate((isCurrent) => render(route, isCurrent));
}

async function render(route, isCurrent) {
  const [name] = route.replace(/^#\/?/, '').split('/');
  const page = pages[name] ? name : 'sens';
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const main = document.getElementById('main');
  if (typeof unmount === 'function') unmount();
  unmount = null;
  clear(main);
  if (isLocked()) return;
  try {
    const module = await pages[page]();
    // A newer navigation is waiting: it draws instead of this one.
    if (!isCurrent()) return;
    unmount = await module.mount(main, { route });
  } catch (error) {
    if (isCurrent()) main.append(h('h1', {}, 'Something went wrong'), h('p', { class: 'form-status error' }, error.message ?? String(error)));
  }
}

document.addEventListener('keydown', (e) => {
  if (e.altKey && !e.ctrlKey && /^[1-4]$/.test(e.key)) {
    e.preventDefault();
    location.hash = `#/${order[Number(e.key) - 1]}`;
    document.getElementById('main').focus();
  }
});

window.addEventListener('hashchange', () => show(location.hash));

// Files dropped where no page takes them must not make the web view navigate to the file (the app
// would be gone). The SEN page takes .eml/.msg drops itself (pages/sens.js).
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  if (e.defaultPrevented) return;
  e.preventDefault();
  if (e.dataTransfer?.files?.length) toast('Drop SEN e-mails (.eml, .msg) on the SEN page (Alt+1)');
});

// Rust says what changed (`changed` events, see src-tauri/src/events.rs); pages listen for
// `desk:changed` on window and refresh what they show.
listen('changed', (payload) => {
  window.dispatchEvent(new CustomEvent('desk:changed', { detail: payload }));
}).catch(() => {});

// The window has sat hidden in the tray: Rust releases it (and the web view) if nothing here
// waits to be saved; asked again later otherwise (src-tauri/src/main_window.rs).
listen('release', () => {
  if (document.hidden && !hasUnsaved()) call('window_release').catch(() => {});
}).catch(() => {});

const appStarted = Math.round(performance.now());

async function start() {
  // The first page and what opening the database found, in parallel; a start-up failure then
  // replaces whatever the page could show.
  const [info] = await Promise.all([call('app_info').catch(() => null), show(location.hash || '#/sens')]);
  if (info?.startup_error) {
    showStartupError(info.startup_error);
  } else {
    showOpenNotices(info?.notices);
    startLock({ rerender: () => show(location.hash || '#/sens') });
    startPortalStatus();
    startReminders();
  }
  if (info) document.getElementById('nav-foot').textContent = `v${info.version}`;
  // Two frames: the first screen has been laid out and painted. The page's own timings go to the
  // log, to tell a slow start from a slow page.
  const shown = Math.round(performance.now());
  requestAnimationFrame((first) => requestAnimationFrame(() => call('ui_ready', {
    marks: { app_js_ms: appStarted, first_screen_ms: shown, first_frame_ms: Math.round(first), painted_ms: Math.round(performance.now()), ...loadMarks() },
  }).catch(() => {})));
}

// When the page's HTML had arrived and when its script began to run (the bundle's first line).
function loadMarks() {
  const script = performance.getEntriesByName('desk-script')[0]?.startTime;
  const html = performance.getEntriesByType('navigation')[0]?.responseEnd;
  return { html_ms: Math.round(html ?? 0), script_ms: Math.round(script ?? 0) };
}

start();
