// Outbox: everything sent to the portal, its state, attempts, next try and last error; retry now;
// resume after a token. While the portal cannot be reached: the fallback for the hour (whom to
// call, the phone summary of each report near its deadline, the ENTAC call record and its CISO
// follow-up). The reports stay queued either way: the Cal-CSIRS report is still owed.

import { call } from '../lib/ipc.js';
import { append, clear, everyWhileShown, h, toast } from '../lib/dom.js';
import { LE_GUIDANCE, QUEUED_NOT_RECEIVED, dueText, kindLabel, localTime, plural, relative, stateLabel } from '../lib/outbox-view.js';

export async function mount(main, { route } = {}) {
  let lawEnforcement = false;
  const openSummaries = new Set();
  const summaries = new Map();
  const statusPanel = h('section', { class: 'panel outbox-status', id: 'outbox-status', 'aria-labelledby': 'outbox-status-title' });
  const fallbackPanel = h('section', { class: 'panel fallback', id: 'fallback', 'aria-labelledby': 'fallback-title', hidden: true });
  const itemsRegion = h('section', { id: 'outbox-items', 'aria-labelledby': 'outbox-items-title' });
  const errorLine = h('p', { class: 'form-status error', id: 'outbox-error', role: 'alert' });
  main.append(h('h1', {}, 'Outbox'), errorLine, statusPanel, fallbackPanel, itemsRegion);

  async function act(label, fn) {
    try {
      await fn();
      errorLine.textContent = '';
    } catch (error) {
      errorLine.textContent = `${label}: ${error.message}`;
    }
  }

  function renderStatus(s) {
    clear(statusPanel);
    const [tone, title, detail] = s.paused ? ['paused', 'Token needed', s.paused]
      : !s.configured ? ['paused', 'No portal address', 'Items wait until a portal address and token are set in Settings → Portal.']
      : s.offline ? ['offline', 'Portal unreachable', `Since ${localTime(s.offline_since)}. The health check is polled every few seconds; queued items go at once when it answers.`]
      : ['online', 'Portal reachable', s.last_contact_at ? `Last answer ${relative(s.last_contact_at)}.` : 'No exchange yet.'];
    append(statusPanel, [
      h('h2', { id: 'outbox-status-title' }, h('span', { class: `conn conn-${tone}`, id: 'outbox-connection' }, title)),
      h('p', {}, detail),
      h('p', { class: 'counts', id: 'outbox-counts' },
        h('span', {}, h('strong', {}, String(s.pending)), ' queued'),
        h('span', {}, h('strong', {}, String(s.sent)), ' sent'),
        h('span', {}, h('strong', {}, String(s.parked)), ' parked'),
        h('span', {}, h('strong', {}, String(s.returned)), ' returned to draft'),
        s.blocked ? h('span', {}, h('strong', {}, String(s.blocked)), ' blocked') : null,
        s.next_attempt_at && s.pending && !s.offline && !s.paused ? h('span', {}, `next try ${relative(s.next_attempt_at)}`) : null),
      s.sync?.error ? h('p', { class: 'form-status error' }, `Background sync: ${s.sync.error}`) : null,
      s.sync?.keyring_error ? h('p', { class: 'form-status error' }, `Keyring: ${s.sync.keyring_error}`) : null,
      h('div', { class: 'toolbar' },
        s.paused ? h('button', { type: 'button', class: 'primary', id: 'outbox-resume', onclick: () => act('Resume', () => call('outbox_resume')) }, 'Resume sending') : null,
        (s.paused || !s.configured) ? h('a', { class: 'button', href: '#/settings/portal' }, 'Portal settings') : null)]);
  }

  function contactList(guidance) {
    return h('ul', { class: 'contacts' }, guidance.contacts.map((c) => h('li', {},
      h('strong', {}, c.name), ' ', h('span', { class: 'phone' }, c.phone),
      c.email ? [' \u00b7 ', h('span', { class: 'mono' }, c.email)] : null,
      h('span', { class: 'muted' }, ` (${c.hours})`))));
  }

  function owedRow(report) {
    const summaryId = `phone-summary-${report.report_id}`;
    const summary = h('pre', { class: 'phone-summary', id: summaryId, hidden: !openSummaries.has(report.report_id), tabindex: '-1' },
      summaries.get(report.report_id) ?? '');
    const toggle = h('button', { type: 'button', 'aria-expanded': String(openSummaries.has(report.report_id)), 'aria-controls': summaryId,
      onclick: () => act('Phone summary', async () => {
        if (openSummaries.has(report.report_id)) { openSummaries.delete(report.report_id); summary.hidden = true; toggle.setAttribute('aria-expanded', 'false'); return; }
        const text = await call('portal_phone_summary', { reportId: report.report_id });
        summaries.set(report.report_id, text);
        summary.textContent = text;
        openSummaries.add(report.report_id);
        summary.hidden = false;
        toggle.setAttribute('aria-expanded', 'true');
        summary.focus();
      }) }, 'Phone summary');
    if (openSummaries.has(report.report_id)) {
      call('portal_phone_summary', { reportId: report.report_id }).then((t) => { summaries.set(report.report_id, t); summary.textContent = t; }).catch(() => {});
    }
    const record = (called, who) => h('button', { type: 'button', dataset: { record: called }, onclick: () => act('Record call', async () => {
      await call('portal_record_call', { called, reportId: report.report_id, note: null });
      toast(`Call to ${who} recorded for \u201c${report.title || report.report_id}\u201d.`);
    }) }, `Record ${who} call`);
    return h('li', { class: 'owed', dataset: { reportId: report.report_id } },
      report.law_enforcement_sensitive ? h('p', { class: 'le-guidance', role: 'note' }, LE_GUIDANCE) : null,
      h('div', { class: 'owed-head' },
        h('a', { href: `#/reports/${report.report_id}` }, report.title || 'Untitled report'),
        h('span', { class: `due ${report.minutes_left < 0 ? 'overdue' : ''}` }, dueText(report.minutes_left)),
        h('span', { class: 'muted' }, report.state === 'queued' ? QUEUED_NOT_RECEIVED : report.state),
        toggle, record('entac', 'ENTAC'), record('ciso', 'CISO')),
      summary);
  }

  function renderFallback(f) {
    clear(fallbackPanel);
    const show = f.unreachable || f.follow_ups.length > 0;
    fallbackPanel.hidden = !show;
    if (!show) return;
    const g = f.guidance;
    const le = h('input', { type: 'checkbox', id: 'fallback-law-enforcement', checked: lawEnforcement,
      onchange: (e) => { lawEnforcement = e.target.checked; refresh(); } });
    append(fallbackPanel, [
      h('h2', { id: 'fallback-title' }, f.unreachable ? 'Portal unreachable: the fallback for now' : 'Fallback follow-ups'),
      f.unreachable ? [
        h('p', { class: 'fallback-headline', id: 'fallback-headline', dataset: { route: g.route } }, g.headline),
        h('label', { class: 'check', for: 'fallback-law-enforcement' }, le, ' Immediate law enforcement assistance is needed'),
        h('p', { class: 'muted' }, g.business_hours ? 'Now is within the state office\u2019s business hours (the state office calendar, not your entity\u2019s).'
          : `Now is outside the state office\u2019s business hours; they start ${g.next_business_opening_local}.`),
        contactList(g),
        h('ol', { class: 'steps' }, g.steps.map((s) => h('li', {}, s))),
        f.owed.length
          ? [h('h3', {}, `Reports near their 60-minute deadline (${f.owed.length})`), h('ul', { class: 'owed-list', id: 'owed-reports' }, f.owed.map(owedRow))]
          : h('p', { class: 'muted' }, 'No report is near its 60-minute deadline.'),
        h('p', { class: 'still-owed' }, g.still_owed),
        h('details', {}, h('summary', {}, 'What the guidance says'),
          h('blockquote', {}, g.seed_words), h('p', { class: 'muted' }, g.source),
          g.reading ? h('p', {}, h('strong', {}, 'Reading: '), g.reading) : null,
          h('p', {}, h('strong', {}, 'Reading: '), g.hours_reading)),
      ] : null,
      f.follow_ups.length ? [
        h('h3', {}, 'Notify the CISO (after an ENTAC call)'),
        h('ul', { class: 'follow-ups', id: 'follow-ups' }, f.follow_ups.map((c, i) => h('li', {},
          h('span', {}, `ENTAC called ${localTime(c.called_at)}${c.report_id ? ` for report ${c.report_id.slice(0, 8)}` : ''}: notify the CISO at (916) 445-5239 or security@state.ca.gov the next business day, from ${f.follow_ups_due_local[i]}.`),
          h('button', { type: 'button', onclick: () => act('Follow-up', () => call('portal_follow_up_done', { id: c.id })) }, 'CISO notified')))),
      ] : null]);
  }

  function renderItems(items, status) {
    clear(itemsRegion);
    itemsRegion.append(h('h2', { id: 'outbox-items-title' }, `Items (${items.length}${items.length >= 500 ? ', newest' : ''})`));
    if (!items.length) {
      itemsRegion.append(h('p', { class: 'muted' }, 'Nothing was ever queued. Submitted reports and SEN responses appear here until the portal has them.'));
      return;
    }
    const rows = items.map((item) => {
      const state = stateLabel(item);
      const canRetry = item.state === 'pending' || item.state === 'parked';
      return h('tr', { dataset: { itemId: String(item.id), state: item.state, recordId: item.record_id } },
        h('td', {},
          h('div', { class: 'item-kind' }, kindLabel(item.kind)),
          h('div', {}, item.title || item.record_id),
          item.incident_number ? h('div', { class: 'incident-number mono' }, item.incident_number) : null),
        h('td', {}, h('span', { class: `item-state tone-${state.tone}` }, state.text)),
        h('td', { class: 'num' }, String(item.attempts)),
        h('td', {}, item.state === 'pending' && (status.offline || status.paused || !status.configured)
          ? h('span', { class: 'muted' }, status.paused ? 'after a new token' : status.configured ? 'when the portal answers' : 'once the portal is set up')
          : item.state === 'pending' && item.next_attempt_at
          ? h('span', { title: localTime(item.next_attempt_at) }, relative(item.next_attempt_at))
          : item.sent_at ? h('span', { class: 'muted' }, `sent ${localTime(item.sent_at)}`) : '\u2014'),
        h('td', { class: 'last-error' }, item.last_error ?? ''),
        h('td', {}, canRetry ? h('button', { type: 'button', class: 'retry', 'aria-label': `Retry now: ${kindLabel(item.kind)} ${item.title || item.record_id}`,
          onclick: () => act('Retry now', () => call('outbox_retry_now', { id: item.id })) }, 'Retry now') : null));
    });
    itemsRegion.append(h('table', { class: 'grid outbox-table' },
      h('thead', {}, h('tr', {}, ['Item', 'State', 'Attempts', 'Next try', 'Last error'].map((t) => h('th', { scope: 'col' }, t)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Retry')))),
      h('tbody', {}, rows)));
  }

  let busy = false;
  let lastKey = null;
  let again = false;
  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const [status, items, fallback] = await Promise.all([
        call('outbox_status'), call('outbox_items', { limit: 500 }), call('portal_fallback', { lawEnforcementNeeded: lawEnforcement })]);
      // Redraw only what changed (a redraw under the user's pointer or screen reader costs them
      // their place); relative times ("in 4 s") need a redraw while something is scheduled.
      const key = JSON.stringify([status.paused, status.offline, status.configured, status.pending, status.sent, status.parked,
        status.returned, status.blocked, status.sync?.error, status.sync?.keyring_error, items, fallback, lawEnforcement]);
      const ticking = !status.offline && !status.paused && items.some((i) => i.state === 'pending' && i.next_attempt_at);
      if (key === lastKey && !ticking) return;
      lastKey = key;
      const focusedId = document.activeElement?.id;
      renderStatus(status);
      renderFallback(fallback);
      renderItems(items, status);
      if (focusedId) document.getElementById(focusedId)?.focus();
      errorLine.textContent = '';
    } catch (error) {
      errorLine.textContent = `Cannot read the outbox: ${error.message}`;
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  await refresh();
  if (route?.startsWith('#/outbox/fallback') && !fallbackPanel.hidden) {
    fallbackPanel.scrollIntoView();
    fallbackPanel.querySelector('input, button')?.focus();
  }
  const onChange = (e) => { if (['outbox', 'reports', 'settings'].includes(e.detail?.topic)) refresh(); };
  window.addEventListener('desk:changed', onChange);
  // Relative times ("next try in 4 s") stay true while the window is shown.
  const stopTicking = everyWhileShown(refresh, 5_000);
  return () => { window.removeEventListener('desk:changed', onChange); stopTicking(); };
}
