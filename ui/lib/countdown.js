// Live countdowns. Every element with `data-countdown="<ISO instant>"` under `root` shows the time
// left until that instant, re-worded from the workstation clock, aligned on the instant the core
// computed the clocks at (`serverNow`), so nothing is fetched again to tick. Whole minutes far from
// the instant, seconds near it and while the ISO works in the window (`liveCountdownAt`,
// lib/time.js; lib/activity.js): the page wakes when a countdown on screen changes its words or an
// instant passes, not every second.
//
// `data-past="escalated {} ago"` words an instant once it has passed (default "overdue by {}").
// Elements get `is-overdue` once their instant has passed; an element with `data-scope-overdue`
// passes it to its closest `[data-overdue-scope]` (a table cell, a row), so overdue stays
// unmistakable even when it happens while the ISO is looking.
//
// An element with `data-business-left="<ms>"` shows the business time left of a stage (`data-words`,
// default "{} of business time left"), counted down while `businessClock` says business time runs.
//
// The countdowns under `root` are read once, when started: whoever redraws them starts again.

import { activeFor, onActivityStart } from './activity.js';
import { atWhileShown } from './dom.js';
import { businessLeftAt, formatMinutes, liveCountdownAt } from './time.js';

export function startCountdowns(root, { serverNow, businessClock } = {}) {
  const skew = serverNow ? Date.parse(serverNow) - Date.now() : 0;
  const nowMs = () => Date.now() + (Number.isNaN(skew) ? 0 : skew);
  const business = {
    running: Boolean(businessClock?.running),
    fromMs: Date.parse(serverNow),
    untilMs: Date.parse(businessClock?.until),
  };
  // 500 open SENs are 1,500 countdowns. Each one's instant is parsed and its overdue scopes found
  // once; a wake words only the countdowns on screen whose words may have changed (re-wording them
  // all re-lays the whole board out) and turns overdue only the ones whose instant it passed;
  // nothing wakes while the window is hidden (in the tray). A countdown coming into view is worded
  // at once.
  const clocks = [...root.querySelectorAll('[data-countdown]')].map((el) => ({
    el,
    due: Date.parse(el.dataset.countdown),
    past: el.dataset.past,
    scopes: 'scopeOverdue' in el.dataset ? overdueScopes(el) : [],
    text: null,
    since: Number.POSITIVE_INFINITY,
    until: Number.NEGATIVE_INFINITY,
  }));
  const businessLefts = [...root.querySelectorAll('[data-business-left]')].map((el) => ({
    el,
    leftMs: Number(el.dataset.businessLeft),
    words: el.dataset.words ?? '{} of business time left',
    text: null,
    since: Number.POSITIVE_INFINITY,
    until: Number.NEGATIVE_INFINITY,
  }));
  const all = [...clocks, ...businessLefts];
  // What is on screen is watched row by row (a board row holds four countdowns): the observer
  // measures its targets at every frame, and 500 rows cost less than 1,500 countdowns.
  const inTarget = new Map();
  for (const clock of all) {
    const target = clock.el.closest('tr') ?? clock.el;
    if (!inTarget.has(target)) inTarget.set(target, []);
    inTarget.get(target).push(clock);
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
        for (const clock of inTarget.get(entry.target) ?? []) {
          if (entry.isIntersecting) {
            onScreen.add(clock);
            word(clock, now);
          } else {
            onScreen.delete(clock);
          }
        }
      }
      waiting.arm();
    })
    : null;
  for (const target of inTarget.keys()) observer?.observe(target);

  const word = (clock, now) => {
    if (clock.leftMs === undefined) {
      const live = liveCountdownAt(clock.due, now, { past: clock.past, seconds: activeFor() > 0 });
      // A number stays with its unit when the cell wraps ("14 s", never "14" then "s").
      show(clock, live.text.replace(/(\d) /g, '$1\u00a0'), now, live.until);
    } else {
      const live = businessLeftAt(clock.leftMs, business, now);
      show(clock, clock.words.replace('{}', formatMinutes(live.minutes)).replace(/(\d) /g, '$1\u00a0'), now, live.until);
    }
  };

  // One timer, for the next instant a countdown on screen may change its words, an instant passes,
  // or the ISO stops counting as working here (seconds give way to minutes).
  const nextChange = () => {
    const now = nowMs();
    let next = passed.next();
    for (const clock of observer ? onScreen : all) {
      // A clock set back words again what was worded for later: at once.
      if (now < clock.since) return now;
      next = Math.min(next, clock.until);
    }
    const active = activeFor();
    return active > 0 ? Math.min(next, now + active + 1) : next;
  };
  const tick = ({ every = false } = {}) => {
    const now = nowMs();
    for (const clock of every || !observer ? all : onScreen) {
      // A clock set back words again what was worded for later.
      if (every || now >= clock.until || now < clock.since) word(clock, now);
    }
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
    waiting.arm();
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
  // Shown again from the tray, or the ISO back at work: everything is worded afresh (a clock set
  // back while hidden, or seconds where minutes were).
  const again = () => { if (!document.hidden) tick({ every: true }); };
  const waiting = atWhileShown({ next: nextChange, run: () => tick(), onShown: again, now: nowMs });
  tick({ every: true });
  // An element kept from before may say overdue: each one is decided afresh (unchanged, untouched).
  clocks.forEach((clock, i) => clock.el.classList.toggle('is-overdue', passed.has(i)));
  mark(passedIn.keys());
  const stopWatchingActivity = onActivityStart(again);
  return () => {
    waiting.stop();
    observer?.disconnect();
    stopWatchingActivity();
  };
}

// Words `clock` as `text` at `now`, touching the element only when its text changes; `until` is
// when it may need words again.
function show(clock, text, now, until) {
  clock.since = now;
  clock.until = until;
  if (clock.text === text) return;
  clock.text = text;
  if (clock.el.textContent !== text) clock.el.textContent = text;
}

// The `[data-overdue-scope]` ancestors of a countdown, nearest first.
function overdueScopes(el) {
  const scopes = [];
  for (let scope = el.closest('[data-overdue-scope]'); scope; scope = scope.parentElement?.closest('[data-overdue-scope]')) {
    scopes.push(scope);
  }
  return scopes;
}

// Which of the instants `dues` (ms; NaN never passes) have passed, followed as time goes on:
// `advance(now)` returns the indices whose state changed since the last call (all that passed, at
// the first), `has(i)` whether instant i has passed, `next()` the next instant to pass (Infinity:
// none). Each call costs only the instants it passes, not all of them; a clock set back un-passes
// what is ahead of it again.
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
    next: () => (count < order.length ? dues[order[count]] : Infinity),
  };
}
