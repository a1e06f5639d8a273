// Whether the ISO is working in the window: a key, a click or touch, or a scroll within the last
// ACTIVE_MS. Countdowns show seconds while they are (lib/countdown.js); a desk left on screen beside
// Outlook shows whole minutes and repaints once a minute. Moving the pointer across the window does
// not count: that is passing by, not working here.

export const ACTIVE_MS = 2 * 60_000;
const INPUT_EVENTS = ['keydown', 'pointerdown', 'mousedown', 'click', 'wheel'];

let lastInput = Number.NEGATIVE_INFINITY;
const onStart = new Set();

// An input now: the window's listeners call it (and tests).
export function noteInput() {
  const was = activeFor() > 0;
  lastInput = performance.now();
  if (!was) for (const listener of [...onStart]) listener();
}

if (typeof window !== 'undefined') {
  for (const type of INPUT_EVENTS) window.addEventListener(type, noteInput, { capture: true, passive: true });
}

// How much longer the ISO counts as working here without another input (0: not working here).
export function activeFor() {
  return Math.max(0, lastInput + ACTIVE_MS - performance.now());
}

// Calls `listener` whenever the ISO starts working here again; returns the function that stops it.
export function onActivityStart(listener) {
  onStart.add(listener);
  return () => onStart.delete(listener);
}
