// Incident Desk UI entry: hash router over the four pages, keyboard navigation, first-paint signal.

import { call, listen } from './lib/ipc.js';
import { clear, h } from './lib/dom.js';
import { placeholder } from './pages/placeholder.js';

const pages = {
  sens: () => Promise.resolve(placeholder('Security Event Notifications', 'The SEN board arrives with the response clock.')),
  reports: () => import('./pages/reports.js'),
  outbox: () => Promise.resolve(placeholder('Outbox', 'Nothing queued.')),
  settings: () => import('./pages/settings.js'),
};
const order = ['sens', 'reports', 'outbox', 'settings'];

let unmount = null;

async function show(route) {
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
  try {
    const module = await pages[page]();
    unmount = await module.mount(main, { route });
  } catch (error) {
    main.append(h('h1', {}, 'Something went wrong'), h('p', { class: 'form-status error' }, error.message ?? String(error)));
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

// Rust says what changed (`changed` events, see src-tauri/src/events.rs); pages listen for
// `desk:changed` on window and refresh what they show.
listen('changed', (payload) => {
  window.dispatchEvent(new CustomEvent('desk:changed', { detail: payload }));
}).catch(() => {});

async function start() {
  await show(location.hash || '#/sens');
  call('app_info').then((info) => {
    document.getElementById('nav-foot').textContent = `v${info.version}`;
  }).catch(() => {});
  // Two frames: the first screen has been laid out and painted.
  requestAnimationFrame(() => requestAnimationFrame(() => call('ui_ready').catch(() => {})));
}

start();
