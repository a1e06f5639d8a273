// Live countdowns. Every element with `data-countdown="<ISO instant>"` under `root` shows the time
// left until that instant and is re-worded every second from the workstation clock, aligned on the
// instant the core computed the clocks at (`serverNow`), so nothing is fetched again to tick.
//
// `data-past="escalated {} ago"` words an instant once it has passed (default "overdue by {}").
// Elements get `is-overdue` once their instant has passed; an element with `data-scope-overdue`
// passes it to its closest `[data-overdue-scope]` (a table cell, a row), so overdue stays
// unmistakable even when it happens while the ISO is looking.
//
// The countdowns under `root` are read once, when started: whoever redraws them starts again.

import { everyWhileShown } from './dom.js';
import { countdownAt } from './time.js';

export function startCountdowns(root, { serverNow } = {}) {
  const skew = serverNow ? Date.parse(serverNow) - Date.now() : 0;
  const nowMs = () => Date.now() + (Number.isNaN(skew) ? 0 : skew);
  // 500 open SENs are 1,500 countdowns. Each one's instant is parsed and its overdue scopes found
  // once; a tick words only the countdowns on screen (re-wording them all re-lays the whole board
  // out) and turns overdue only the ones whose instant it passed; nothing ticks while the window is
  // hidden (in the tray). A countdown coming into view is worded at once.
  const clocks = [...root.querySelectorAll('[data-countdown]')].map((el) => ({
    el,
    due: Date.parse(el.dataset.countdown),
    past: el.dataset.past ? { past: el.dataset.past } : {},
    scopes: 'scopeOverdue' in el.dataset ? overdueScopes(el) : [],
    text: null,
  }));
  // What is on screen is watched row by row (a board row holds four countdowns): the observer
  // measures its targets at every frame, and 500 rows cost less than 1,500 countdowns.
  const clocksIn = new Map();
  for (const clock of clocks) {
    const target = clock.el.closest('tr') ?? clock.el;
    if (!clocksIn.has(target)) clocksIn.set(target, []);
    clocksIn.get(target).push(clock);
  }
  // How many of a scope's countdowns have passed: the scope is overdue while any has. Every scope
  // under `root` is decided at the start, as a redraw of part of a page may leave one standing.
  const passedIn = new Map([...root.querySelectorAll('[data-overdue-scope]')].map((scope) => [scope, 0]));
  for (const clock of clocks) for (const scope of clock.scopes) passedIn.set(scope, 0);
  const passed = passedTracker(clocks.map((clock) => clock.due));
  const onScreen = new Set();
  const observer = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((entries) => {
      const now = nowMs();
      for (const entry of entries) {
        for (const clock of clocksIn.get(entry.target) ?? []) {
          if (entry.isIntersecting) {
            onScreen.add(clock);
            word(clock, now);
          } else {
            onScreen.delete(clock);
          }
        }
      }
    })
    : null;
  for (const target of clocksIn.keys()) observer?.observe(target);

  const tick = ({ all = false } = {}) => {
    const now = nowMs();
    for (const clock of all || !observer ? clocks : onScreen) word(clock, now);
    const turned = passed.advance(now);
    const touched = new Set();
    for (const i of turned) {
      const clock = clocks[i];
      const overdue = passed.has(i);
      clock.el.classList.toggle('is-overdue', overdue);
      for (const scope of clock.scopes) {
        passedIn.set(scope, passedIn.get(scope) + (overdue ? 1 : -1));
        touched.add(scope);
      }
    }
    mark(touched);
  };
  const mark = (scopes) => {
    for (const scope of scopes) {
      const overdue = passedIn.get(scope) > 0;
      if (scope.classList.contains('overdue') !== overdue) {
        scope.classList.toggle('overdue', overdue);
        scope.dispatchEvent(new CustomEvent('desk:overdue', { bubbles: true, detail: { overdue } }));
      }
    }
  };
  tick({ all: true });
  // An element kept from before may say overdue: each one is decided afresh (unchanged, untouched).
  clocks.forEach((clock, i) => clock.el.classList.toggle('is-overdue', passed.has(i)));
  mark(passedIn.keys());
  const stopTicking = everyWhileShown(() => tick(), 1000, () => tick({ all: true }));
  return () => {
    stopTicking();
    observer?.disconnect();
  };
}

// The `[data-overdue-scope]` ancestors of a countdown, nearest first.
function overdueScopes(el) {
  const scopes = [];
  for (let scope = el.closest('[data-overdue-scope]'); scope; scope = scope.parentElement?.closest('[data-overdue-scope]')) {
    scopes.push(scope);
  }
  return scopes;
}

// Words one countdown at `now`, touching the element only when its text changes.
function word(clock, now) {
  // A number stays with its unit when the cell wraps ("14 s", never "14" then "s").
  const text = countdownAt(clock.due, now, clock.past).text.replace(/(\d) /g, '$1\u00a0');
  if (clock.text === text) return;
  clock.text = text;
  if (clock.el.textContent !== text) clock.el.textContent = text;
}

// Which of the instants `dues` (ms; NaN never passes) have passed, followed as time goes on:
// `advance(now)` returns the indices whose state changed since the last call (all that passed, at
// the first), `has(i)` whether instant i has passed. Each call costs only the instants it passes,
// not all of them; a clock set back un-passes what is ahead of it again.
export function passedTracker(dues) {
  const order = dues.map((due, i) => i).filter((i) => !Number.isNaN(dues[i])).sort((a, b) => dues[a] - dues[b]);
  const passed = new Set();
  let count = 0; // order[0..count) have passed
  return {
    advance(now) {
      const turned = [];
      while (count < order.length && dues[order[count]] <= now) {
        passed.add(order[count]);
        turned.push(order[count]);
        count += 1;
      }
      while (count > 0 && dues[order[count - 1]] > now) {
        count -= 1;
        passed.delete(order[count]);
        turned.push(order[count]);
      }
      return turned;
    },
    has: (i) => passed.has(i),
  };
}
