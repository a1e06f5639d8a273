// Times as the core sends them for display: RFC 3339 in the calendar's zone with that zone's offset
// ("2026-03-09T09:30:00-07:00"). Formatting works on the text itself, never through the web view's
// own zone, so what is shown is the calendar's wall clock and offset whatever the workstation says.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// Parts of a local RFC 3339 time, or null if it is not one.
export function parseLocal(text) {
  const m = LOCAL.exec(String(text ?? '').trim());
  if (!m) return null;
  const [, y, mo, d, hh, mm, ss = '00', zone] = m;
  const weekday = WEEKDAYS[new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay()];
  const offset = zone === 'Z' ? '+00:00' : zone;
  return { year: y, month: mo, day: d, hour: hh, minute: mm, second: ss, offset, weekday };
}

// "−07:00" with a real minus sign, for reading.
export function offsetText(offset) {
  return offset.replace(/^-/, '\u2212');
}

// "Mon 2026-03-09 09:30 −07:00" (full), "Mon 03-09 09:30 −07:00" (short: no year).
export function formatLocal(text, { short = false, seconds = false } = {}) {
  const p = parseLocal(text);
  if (!p) return text ? String(text) : '';
  const date = short ? `${p.month}-${p.day}` : `${p.year}-${p.month}-${p.day}`;
  const time = seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  return `${p.weekday} ${date} ${time} ${offsetText(p.offset)}`;
}

// The same as formatLocal, split into [wall clock, offset] so a narrow cell can wrap between them.
export function splitLocal(text, options = {}) {
  const full = formatLocal(text, options);
  const i = full.lastIndexOf(' ');
  return parseLocal(text) && i > 0 ? [full.slice(0, i), full.slice(i + 1)] : [full, ''];
}

// The value an <input type="datetime-local"> shows for a local RFC 3339 time: "2026-03-09T09:30".
export function toInputValue(text) {
  const p = parseLocal(text);
  return p ? `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}` : '';
}

function pad(n) {
  return String(n).padStart(2, '0');
}

// A span of milliseconds for a countdown: "45 s", "12 min 05 s", "2 h 04 min 05 s", "3 d 04 h 10 min".
// Sign is ignored (the caller says "due in" or "overdue by"); seconds are rounded down when counting
// toward a deadline and up when past it, so 0 s is shown only at the instant itself. Without
// `seconds` the span is worded in whole minutes ("2 h 04 min", "0 min").
export function formatSpan(ms, { overdue = false, seconds = true } = {}) {
  const total = overdue ? Math.ceil(Math.abs(ms) / 1000) : Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = seconds ? ` ${pad(total % 60)} s` : '';
  if (d > 0) return `${d} d ${pad(h)} h ${pad(m)} min`;
  if (h > 0) return `${h} h ${pad(m)} min${s}`;
  if (m > 0 || !seconds) return `${m} min${s}`;
  return `${total % 60} s`;
}

// Where a deadline stands at `nowMs`: { overdue, text } with text "in 1 h 02 min 05 s", or once
// past, `past` with {} replaced by the span ("overdue by {}" by default; "escalated {} ago" for an
// escalation).
export function countdown(dueIso, nowMs, options = {}) {
  return countdownAt(Date.parse(dueIso), nowMs, options);
}

// The same for an instant already parsed (ms since the epoch; NaN words as nothing).
export function countdownAt(dueMs, nowMs, { past = 'overdue by {}' } = {}) {
  const ms = dueMs - nowMs;
  if (Number.isNaN(ms)) return { overdue: false, text: '' };
  if (ms > 0) return { overdue: false, text: `in ${formatSpan(ms)}` };
  return { overdue: true, text: past.replace('{}', formatSpan(ms, { overdue: true })) };
}

const MINUTE_MS = 60_000;
// A live countdown shows seconds during every clock minute that comes within this of its instant.
export const SECONDS_NEAR_MS = 10 * MINUTE_MS;

// What a live countdown shows at `nowMs` and until when: { overdue, text, until }, `until` the first
// millisecond its text may differ (Infinity: never). To the second (countdownAt) with `seconds` (the
// ISO is working in the window) and during every clock minute that comes within SECONDS_NEAR_MS of
// the instant. Further away, whole minutes as the core words them (rounded up) at the start of the
// current clock minute: all such countdowns change together at the minute, so a board sitting on
// screen repaints once a minute rather than every second (each repaint of a web view costs about
// as much CPU as a minute of everything else).
export function liveCountdownAt(dueMs, nowMs, { past = 'overdue by {}', seconds = false } = {}) {
  const exact = countdownAt(dueMs, nowMs, { past });
  if (Number.isNaN(dueMs - nowMs)) return { ...exact, until: Infinity };
  // A past wording without a span ("projected time passed") never changes again.
  if (exact.overdue && !past.includes('{}')) return { ...exact, until: Infinity };
  const minuteStart = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  const minuteEnd = minuteStart + MINUTE_MS;
  const near = dueMs - minuteEnd < SECONDS_NEAR_MS && minuteStart - dueMs < SECONDS_NEAR_MS;
  if (seconds || near) return { ...exact, until: Math.min(nextSecondTurn(dueMs, nowMs), minuteEnd) };
  const span = formatSpan(Math.ceil(Math.abs(dueMs - minuteStart) / MINUTE_MS) * MINUTE_MS, { seconds: false });
  return { overdue: exact.overdue, text: exact.overdue ? past.replace('{}', span) : `in ${span}`, until: minuteEnd };
}

// The first millisecond after `nowMs` at which countdownAt's seconds change.
function nextSecondTurn(dueMs, nowMs) {
  if (nowMs < dueMs) {
    const secondsLeft = Math.floor((dueMs - nowMs) / 1000);
    return secondsLeft === 0 ? dueMs : dueMs - secondsLeft * 1000 + 1;
  }
  return dueMs + Math.ceil((nowMs - dueMs) / 1000) * 1000 + 1;
}

// Business time left at `nowMs`, from `leftMs` left at `clock.fromMs` (the instant the core counted
// it at) while business time runs (`clock.running`) until `clock.untilMs`: { minutes, until }, whole
// minutes rounded up at the start of the current clock minute, like the countdowns beside it, and
// the first millisecond they may differ (Infinity: not before the page asks the core again).
export function businessLeftAt(leftMs, { running, fromMs, untilMs }, nowMs) {
  const minuteStart = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  const elapsed = running ? Math.max(0, Math.min(minuteStart, untilMs) - fromMs) : 0;
  const minutes = Math.max(0, Math.ceil((leftMs - elapsed) / MINUTE_MS));
  return { minutes, until: running && minuteStart + MINUTE_MS <= untilMs ? minuteStart + MINUTE_MS : Infinity };
}

// Minutes as the core words them: "45 min", "2 h", "2 h 15 min", "1 d 3 h".
export function formatMinutes(minutes) {
  const m = Math.abs(Math.round(minutes));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return min ? `${h} h ${min} min` : `${h} h`;
  return `${min} min`;
}
