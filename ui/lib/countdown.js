// Live countdowns. Every element with `data-countdown="<ISO instant>"` under `root` shows the time
// left until that instant and is re-worded every second from the workstation clock, aligned on the
// instant the core computed the clocks at (`serverNow`), so nothing is fetched again to tick.
//
// `data-past="escalated {} ago"` words an instant once it has passed (default "overdue by {}").
// Elements get `is-overdue` once their instant has passed; an element with `data-scope-overdue`
// passes it to its closest `[data-overdue-scope]` (a table cell, a row), so overdue stays
// unmistakable even when it happens while the ISO is looking.

import { countdown } from './time.js';

export function startCountdowns(root, { serverNow } = {}) {
  const skew = serverNow ? Date.parse(serverNow) - Date.now() : 0;
  const nowMs = () => Date.now() + (Number.isNaN(skew) ? 0 : skew);
  // Re-wording 1,500 cells a second re-lays the whole board out (500 open SENs cost 10-20 % of a
  // core): each tick words only the countdowns on screen, and none while the window is hidden (in
  // the tray). Overdue is still decided for every one, on or off screen. A countdown coming into
  // view is worded at once.
  const onScreen = new Set();
  const observer = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          onScreen.add(entry.target);
          word(entry.target, nowMs());
        } else {
          onScreen.delete(entry.target);
        }
      }
    })
    : null;
  const observed = new WeakSet();
  const tick = ({ all = false } = {}) => {
    const now = nowMs();
    const scopes = new Map();
    for (const el of root.querySelectorAll('[data-countdown]')) {
      if (observer && !observed.has(el)) { observed.add(el); observer.observe(el); }
      const overdue = all || !observer || onScreen.has(el) ? word(el, now) : Date.parse(el.dataset.countdown) <= now;
      el.classList.toggle('is-overdue', overdue);
      if ('scopeOverdue' in el.dataset) {
        for (let scope = el.closest('[data-overdue-scope]'); scope; scope = scope.parentElement?.closest('[data-overdue-scope]')) {
          scopes.set(scope, (scopes.get(scope) ?? false) || overdue);
        }
      }
    }
    for (const [scope, overdue] of scopes) {
      if (scope.classList.contains('overdue') !== overdue) {
        scope.classList.toggle('overdue', overdue);
        scope.dispatchEvent(new CustomEvent('desk:overdue', { bubbles: true, detail: { overdue } }));
      }
    }
  };
  const onVisibility = () => { if (!document.hidden) tick({ all: true }); };
  tick({ all: true });
  const timer = setInterval(() => { if (!document.hidden) tick(); }, 1000);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearInterval(timer);
    observer?.disconnect();
    document.removeEventListener('visibilitychange', onVisibility);
  };
}

// Words one countdown from `now`; returns whether its instant has passed.
function word(el, now) {
  const worded = countdown(el.dataset.countdown, now, el.dataset.past ? { past: el.dataset.past } : {});
  // A number stays with its unit when the cell wraps ("14 s", never "14" then "s").
  const text = worded.text.replace(/(\d) /g, '$1\u00a0');
  if (el.textContent !== text) el.textContent = text;
  return worded.overdue;
}
