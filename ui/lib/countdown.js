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
  const tick = () => {
    const now = Date.now() + (Number.isNaN(skew) ? 0 : skew);
    const scopes = new Map();
    for (const el of root.querySelectorAll('[data-countdown]')) {
      const worded = countdown(el.dataset.countdown, now, el.dataset.past ? { past: el.dataset.past } : {});
      const overdue = worded.overdue;
      // A number stays with its unit when the cell wraps ("14 s", never "14" then "s").
      const text = worded.text.replace(/(\d) /g, '$1\u00a0');
      if (el.textContent !== text) el.textContent = text;
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
  tick();
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}
