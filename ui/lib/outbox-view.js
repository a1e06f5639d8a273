// Pure wording for the outbox and the portal banner (no DOM, no IPC): tested under node.

// Beside a clock still counting for something submitted but not yet in the portal: queued is not
// reported (the 60 minutes and the SEN windows run until Cal-CSIRS confirms receipt).
export const QUEUED_NOT_RECEIVED = 'queued, not yet received by Cal-CSIRS';

// Seed 000, for a report answered "law enforcement sensitive": CCIU first, the report still owed.
export const LE_GUIDANCE = 'Law enforcement sensitive: contact the CHP Computer Crimes Investigation Unit (CCIU) directly for guidance. The Cal-CSIRS report is still owed within 60 minutes of detection.';
export const LE_SEED_WORDS = '\u201cIf you have a situation that is Law Enforcement Sensitive or involves an ongoing criminal investigation, contact the California Highway Patrol (CHP) Computer Crimes Investigation Unit (CCIU) directly for guidance.\u201d';

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

// "in 12 s", "in 4 min", "3 min ago", "now".
export function relative(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 2) return 'now';
  const amount = abs < 90 ? `${abs} s` : abs < 90 * 60 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
  return seconds > 0 ? `in ${amount}` : `${amount} ago`;
}

// "05:55" in the user's locale.
export function clockTime(iso) {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function localTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// "due in 12 min", "12 min overdue".
export function dueText(minutesLeft) {
  if (minutesLeft > 0) return `due in ${plural(minutesLeft, 'minute')}`;
  if (minutesLeft === 0) return 'due now';
  return `${plural(-minutesLeft, 'minute')} overdue`;
}

const KINDS = {
  incident: 'Incident report',
  supplement: 'Supplement',
  acknowledgement: 'SEN acknowledgement',
  determination: 'SEN determination',
  incident_link: 'SEN incident link',
};

export function kindLabel(kind) {
  return KINDS[kind] ?? kind;
}

// The state as a person reads it, and a class for its colour.
export function stateLabel(item) {
  switch (item.state) {
    case 'pending':
      if (item.waits_for) return { text: `queued, after item ${item.waits_for}`, tone: 'pending' };
      return { text: item.attempts > 0 ? 'queued, retrying' : 'queued', tone: 'pending' };
    case 'sent': return { text: 'sent', tone: 'sent' };
    case 'parked': return { text: 'parked: needs you', tone: 'parked' };
    case 'returned': return { text: 'returned to draft', tone: 'parked' };
    case 'superseded': return { text: 'superseded', tone: 'muted' };
    default: return { text: item.state, tone: 'muted' };
  }
}

// The banner shown on every page, or null. `status` is outbox_status; `fallback` is
// portal_fallback (may be null when not fetched).
export function portalBanner(status, fallback, now = Date.now()) {
  if (!status) return null;
  const queued = status.pending > 0 ? `${plural(status.pending, 'item')} queued` : 'nothing queued';
  if (status.paused) {
    return {
      level: 'warn',
      text: `Token needed: the portal refused the token, so nothing is sent. ${queued}. Enter a new token in Settings → Portal.`,
      action: 'token',
    };
  }
  if (!status.configured) {
    if (status.pending === 0) return null;
    return { level: 'warn', text: `No portal address is set: ${queued}, waiting. Set it in Settings → Portal.`, action: 'settings' };
  }
  if (!status.offline) return null;
  const since = status.offline_since ? ` since ${clockTime(status.offline_since)}` : '';
  let text = `Cal-CSIRS portal unreachable${since}: ${queued}; they go by themselves when it answers.`;
  const owed = fallback?.owed ?? [];
  if (owed.length > 0) {
    const first = owed[0];
    const title = first.title || 'untitled report';
    const more = owed.length > 1 ? ` (and ${plural(owed.length - 1, 'more report')})` : '';
    text += ` Report \u201c${title}\u201d ${dueText(first.minutes_left)}${more}: ${fallback.guidance.headline}`;
    return { level: 'critical', text, action: 'fallback' };
  }
  return { level: 'critical', text, action: 'outbox' };
}
