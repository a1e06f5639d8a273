// The app lock in the window. Rust decides (src-tauri/src/lock.rs): it locks on idle, on the
// desktop session's lock, on Ctrl+L or the tray, and refuses every record command while locked.
// This module reports input (throttled), shows the lock screen when Rust says `lock` or a command
// comes back `locked`, and sends the passphrase. While locked the page's content is removed, not
// hidden: nothing of a record stays in the DOM.

import { call, listen } from './ipc.js';
import { clear, h, toast } from './dom.js';
import { withholdBanners } from './banners.js';

// Input reports at most this often: the idle timer needs minutes, not keystrokes.
export const ACTIVITY_EVERY_MS = 2000;

// Whether an input should be reported now (pure, for the module tests).
export function shouldReport(lastSentAt, now, every = ACTIVITY_EVERY_MS) {
  return lastSentAt == null || now - lastSentAt >= every;
}

let screen = null;
let onUnlocked = () => {};
let countdown = null;

// While locked the router shows nothing (a notification's "Open" still changes the route: it is
// shown after the unlock).
export function isLocked() {
  return screen !== null;
}

function showLockScreen() {
  if (screen) return;
  const shell = document.querySelector('.shell');
  // The page goes (its unmount runs through the router's next show), the banners are withheld.
  clear(document.getElementById('main'));
  withholdBanners(true);
  shell.hidden = true;
  shell.setAttribute('inert', '');
  const passphrase = h('input', { type: 'password', id: 'lock-passphrase', autocomplete: 'current-password',
    'aria-describedby': 'lock-status lock-help' });
  const status = h('div', { class: 'form-status', id: 'lock-status', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'lock-unlock' }, 'Unlock');
  const form = h('form', { class: 'lock-form', onsubmit: (e) => { e.preventDefault(); unlock(passphrase, button, status); } },
    h('label', { for: 'lock-passphrase' }, 'Unlock passphrase'),
    h('div', { class: 'lock-row' }, passphrase, button),
    status);
  screen = h('div', { class: 'lock-screen', id: 'lock-screen', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'lock-title' },
    h('div', { class: 'lock-card' },
      h('img', { src: 'icon.svg', alt: '', width: 40, height: 40 }),
      h('h1', { id: 'lock-title' }, 'Incident Desk is locked'),
      h('p', { class: 'muted' }, 'Reminders keep coming while it is locked. Enter your unlock passphrase to continue.'),
      form,
      h('details', { class: 'lock-help', id: 'lock-help' },
        h('summary', {}, 'Forgot the passphrase?'),
        h('p', {}, 'As the same computer user, run: incident-desk lock reset'),
        h('p', { class: 'muted' }, 'It removes only the passphrase; your data stays, its key is in your desktop keyring. Then unlock here and set a new passphrase in Settings \u2192 Security.'))));
  document.body.append(screen);
  passphrase.focus();
  refreshBackoff(button, status);
}

function hideLockScreen() {
  if (!screen) return;
  clearInterval(countdown);
  screen.remove();
  screen = null;
  const shell = document.querySelector('.shell');
  shell.hidden = false;
  shell.removeAttribute('inert');
  withholdBanners(false);
  onUnlocked();
}

// After too many wrong tries Rust makes the next one wait: the button says for how long.
async function refreshBackoff(button, status) {
  clearInterval(countdown);
  let state;
  try { state = await call('lock_status'); } catch { return; }
  let left = state.retry_after_secs ?? 0;
  const tick = () => {
    if (left <= 0) { clearInterval(countdown); button.disabled = false; button.textContent = 'Unlock'; return; }
    button.disabled = true;
    button.textContent = `Wait ${left} s`;
    left -= 1;
  };
  if (left > 0) { tick(); countdown = setInterval(tick, 1000); }
  if (!state.passphrase_set && screen) {
    status.className = 'form-status';
    status.textContent = 'No passphrase is set any more (it was reset): press Unlock.';
  }
}

async function unlock(passphrase, button, status) {
  status.className = 'form-status';
  status.textContent = 'Checking\u2026';
  button.disabled = true;
  try {
    await call('lock_unlock', { passphrase: passphrase.value });
    passphrase.value = '';
    hideLockScreen();
  } catch (error) {
    passphrase.value = '';
    status.className = 'form-status error';
    status.textContent = error.message;
    button.disabled = false;
    passphrase.focus();
    if (error.code === 'wrong_passphrase' || error.code === 'lock_backoff') refreshBackoff(button, status);
  }
}

export async function lockNow() {
  try {
    await call('lock_now');
  } catch (error) {
    if (error.code === 'no_passphrase') toast(error.message);
  }
}

// `rerender` shows the current route again after an unlock.
export function startLock({ rerender }) {
  onUnlocked = rerender;
  listen('lock', (e) => {
    if (e?.locked) showLockScreen();
    else if (e?.needs_passphrase) toast('Set an unlock passphrase in Settings \u2192 Security first: locking needs one.');
    else hideLockScreen();
  }).catch(() => {});
  window.addEventListener('desk:locked', showLockScreen);
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'l') {
      e.preventDefault();
      if (!screen) lockNow();
    }
  });
  let lastSent = null;
  const report = () => {
    if (screen) return;
    const now = Date.now();
    if (!shouldReport(lastSent, now)) return;
    lastSent = now;
    call('lock_activity').catch(() => {});
  };
  for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart']) {
    window.addEventListener(type, report, { capture: true, passive: true });
  }
  call('lock_status').then((s) => { if (s.locked) showLockScreen(); }).catch(() => {});
}
