// DOM building without innerHTML: every string lands as text, never as markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value') el.value = value;
    else if (key === 'checked') el.checked = Boolean(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// What a freshly built node renders as (tags, attributes, text; listeners are not in it), so a part
// built again can be told apart from the one on screen without touching the screen.
export function renderingOf(node) {
  if (node.nodeType === TEXT_NODE) return JSON.stringify(node.data);
  if (node.nodeType !== ELEMENT_NODE) return '';
  const attributes = [...node.attributes].map((a) => ` ${a.name}=${JSON.stringify(a.value)}`).join('');
  return `<${node.nodeName}${attributes}>${[...node.childNodes].map(renderingOf).join('')}</>`;
}
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

export function clear(el) {
  el.replaceChildren();
  return el;
}

let toastTimer;
export function toast(message) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

// Runs `run` every `ms` while the window is shown, and `onShown` (by default `run`) at once when it
// is shown again: in the tray (document.hidden) nobody sees a page's clocks and polls, and
// redrawing them there is idle CPU spent for nothing. Returns the function that stops it.
export function everyWhileShown(run, ms, onShown = run) {
  const timer = setInterval(() => { if (!document.hidden) run(); }, ms);
  const onVisibility = () => { if (!document.hidden) onShown(); };
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}

// The longest sleep of a wait for an instant: the timers' clock stops while the machine sleeps, so
// an instant passed meanwhile is noticed within this of waking up.
const LONGEST_WAIT_MS = 60_000;

// Calls `run` once `now()` reaches the instant `next()` returns (ms; Infinity: none), looking again
// at least every LONGEST_WAIT_MS; nothing while the window is hidden, and `onShown` (by default
// `run`) at once when it is shown again. `arm()` reads `next()` again (whoever moves the instant
// calls it); `stop()` ends it all.
export function atWhileShown({ next, run, onShown = run, now = Date.now }) {
  let timer = null;
  let stopped = false;
  const arm = () => {
    clearTimeout(timer);
    timer = null;
    if (stopped || document.hidden) return;
    const at = next();
    if (at === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(() => (now() >= at ? run() : arm()), Math.min(Math.max(at - now(), 0), LONGEST_WAIT_MS));
  };
  const onVisibility = () => { if (document.hidden) arm(); else onShown(); };
  document.addEventListener('visibilitychange', onVisibility);
  return {
    arm,
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
