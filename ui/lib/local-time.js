// Times in the workstation's own zone (the form's date_time fields, the report pages): stored as
// RFC 3339 with an offset (what the core and the portal read), typed as local wall-clock time
// `YYYY-MM-DD HH:MM` (or with an explicit offset), shown in local time. The core's times in the
// calendar's zone are lib/time.js.

const TYPED = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)\s*(Z|z|[+-]\d{2}:?\d{2})?\s*$/;

const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, '0');

export function offsetText(minutesEast) {
  const sign = minutesEast < 0 ? '-' : '+';
  return `${sign}${pad(Math.trunc(Math.abs(minutesEast) / 60))}:${pad(Math.abs(minutesEast) % 60)}`;
}

function parseOffset(text) {
  if (/^z$/i.test(text)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

// Typed text -> RFC 3339 with offset, or null when it is not (yet) a complete, real time.
// Without an offset, the wall time is read in the local time zone (the offset in force then).
export function toStored(text) {
  const m = TYPED.exec(String(text ?? ''));
  if (!m) return null;
  const [y, mo, d, hh, mm, ss] = m.slice(1, 7).map((v) => Number(v ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59) return null;
  let offset;
  if (m[7]) {
    offset = parseOffset(m[7]);
    if (offset === null || Math.abs(offset) > 18 * 60) return null;
    const check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  } else {
    const local = new Date(y, mo - 1, d, hh, mm, ss);
    if (local.getMonth() !== mo - 1 || local.getDate() !== d || local.getHours() !== hh) return null; // e.g. Feb 30, or a DST gap
    offset = -local.getTimezoneOffset();
  }
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(hh)}:${pad(mm)}:${pad(ss)}${offsetText(offset)}`;
}

// Stored RFC 3339 -> Date, or null.
export function parseStored(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$/.exec(String(text ?? ''));
  if (!m) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

// Stored value -> what the control shows: local wall time when the stored offset is the local
// one, the wall time with its own offset otherwise, the raw text when it is not a time.
export function toTyped(stored) {
  if (stored == null) return '';
  const date = parseStored(stored);
  if (!date) return String(stored);
  const m = /([+-]\d{2}:\d{2}|[Zz])$/.exec(stored);
  const storedOffset = parseOffset(m[1]);
  const localOffset = -date.getTimezoneOffset();
  const seconds = stored.slice(17, 19);
  const wall = stored.slice(0, 10) + ' ' + stored.slice(11, 16) + (seconds !== '00' ? `:${seconds}` : '');
  return storedOffset === localOffset ? wall : `${wall} ${offsetText(storedOffset)}`;
}

// A Date as local `YYYY-MM-DD HH:MM`, for the "Now" button.
export function localMinute(date) {
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// "Fri 2024-03-01 08:00 PST": a time as the ISO reads it, in local time.
export function showLocal(date) {
  if (!date) return '';
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const day = new Intl.DateTimeFormat('en-US', { weekday: 'short' }).format(date);
  return `${day} ${localMinute(date)}${zone ? ` ${zone}` : ''}`;
}

// Remaining time as the countdown shows it: `42:07`, `1:02:07`, `3 d 4 h`.
export function clock(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (days > 0) return `${days} d ${h} h`;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

// A deadline against now: { overdue, soon, text } where soon is under 15 minutes.
export function countdown(dueAt, now = Date.now()) {
  const due = typeof dueAt === 'string' ? new Date(dueAt).getTime() : dueAt;
  const left = due - now;
  if (left <= 0) return { overdue: true, soon: false, text: `OVERDUE by ${clock(left)}` };
  return { overdue: false, soon: left < 15 * 60 * 1000, text: `due in ${clock(left)}` };
}
