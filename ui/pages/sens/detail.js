// One SEN: its clock (stages and escalation ladder), the action its status calls for (acknowledge
// with a III.F response format, determine or ask the SOC for help, associate the incident report),
// who else was told (Tables 2 and 3), the readings with the seed's words, and its history.

import { actorText } from '../../lib/actor.js';
import { call } from '../../lib/ipc.js';
import { append, clear, h } from '../../lib/dom.js';
import { formatLocal, formatMinutes } from '../../lib/time.js';
import {
  OUTCOME_LABELS, STAGE_LABELS, STATUS_LABELS, businessLeftEl, copyText, countdownEl, levelBadge, showFieldErrors, timeEl,
} from './common.js';
import { helpState, whoWasTold } from './told.js';

const SOURCE_LABELS = { email: 'e-mail', portal: 'Cal-CSIRS feed', manual: 'entered by hand', paste: 'pasted subject' };

function windowText(due) {
  return `${formatMinutes(due.window_minutes)}${due.clock === 'business' ? ' business' : ' clock'}`;
}

export function clockTable(card) {
  if (!card.schedule) return h('p', { class: 'no-clock panel' }, card.level.note);
  const rows = card.schedule.stages.map((due, i) => {
    const status = card.status.stages[i];
    const local = card.local.stages[i];
    let state;
    if (due.not_applicable) state = h('span', { class: 'muted' }, 'not needed (false positive)');
    else if (status.state === 'help_requested') {
      state = h('span', { class: 'help-requested', id: `stage-${due.stage}-help` }, 'help requested ', timeEl(card.local.help_requested_at ?? status.since, { short: true }),
        h('span', { class: 'small muted' }, ' \u00b7 made in time: no deadline runs until the determination'));
    } else if (status.state === 'waiting') {
      state = h('span', { class: 'muted' }, 'starts at a confirmed-incident determination (help requested)');
    } else if (status.state === 'done') {
      state = h('span', { class: status.late_by_minutes > 0 ? 'late' : 'ok' },
        '\u2713 done ', timeEl(local.completed_at, { short: true }), status.late_by_minutes > 0 ? ` (${formatMinutes(status.late_by_minutes)} late)` : ' (on time)',
        due.help_requested_at ? h('span', { class: 'small muted' }, ' \u00b7 help was requested in time') : null);
    } else {
      state = h('span', {}, countdownEl(due.due, due.projected_start ? { scoped: false, past: 'projected time passed', id: `stage-${due.stage}-countdown` } : { id: `stage-${due.stage}-countdown` }),
        status.business_minutes_left != null && !due.projected_start ? businessLeftEl('span', status, ' \u00b7 {} of business time left') : null,
        due.late_request_at ? h('span', { class: 'small late', id: `stage-${due.stage}-late-request` }, ' \u00b7 the request came after the due time and does not move it') : null);
    }
    const quiet = due.not_applicable || status.state === 'done' || due.help_pending;
    return h('tr', { id: `stage-${due.stage}`, 'data-stage': due.stage, 'data-start': due.start, 'data-due': due.due, 'data-due-local': local.due, 'data-overdue-scope': quiet ? null : '' },
      h('th', { scope: 'row' }, `${i + 1}. ${STAGE_LABELS[due.stage]}`),
      h('td', {}, windowText(due)),
      h('td', {}, timeEl(local.start, { short: true }), due.projected_start ? h('span', { class: 'tag' }, 'projected') : null),
      h('td', { class: 'stage-due' }, due.not_applicable || (due.help_pending && due.stage === 'record') ? '\u2014' : timeEl(local.due),
        due.due_from_findings_by ? h('span', { class: 'tag' }, 'findings date') : null,
        due.help_pending && due.stage === 'determine' ? h('span', { class: 'tag' }, 'help requested') : null),
      h('td', { class: 'stage-state' }, state));
  });
  return h('table', { class: 'grid clock-table', id: 'sen-clock' },
    h('caption', {}, `Response clock (SIMM 5335-A III.D), ${card.schedule.clock === 'business' ? 'business hours' : 'clock hours'}`),
    h('thead', {}, h('tr', {}, ['Stage', 'Window', 'Starts', 'Due', 'Now'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows));
}

// The escalation ladder as a grid: one row per stage, one column per level (who it goes to in the
// header), each cell the time and what stands now.
function ladderTable(card, reference) {
  if (!card.schedule) return null;
  const next = card.status.next_escalation;
  const escalatedKeys = new Set(card.status.escalated.map((e) => `${e.stage}-${e.level}`));
  const levels = [1, 2, 3];
  const cell = (stage) => (level) => {
    const i = card.schedule.escalations.findIndex((e) => e.stage === stage.stage && e.level === level);
    if (i < 0) return h('td', { class: 'muted' }, '\u2014');
    const e = card.schedule.escalations[i];
    let state;
    if (e.averted) state = h('span', { class: 'muted' }, 'averted');
    else if (stage.completed_at) state = h('span', { class: 'muted' }, 'stage done late');
    else if (escalatedKeys.has(`${e.stage}-${e.level}`)) state = h('span', { class: 'escalated' }, '\u25B2 escalated');
    else if (e.projected) state = h('span', { class: 'muted' }, 'projected');
    else state = countdownEl(e.at, { scoped: false, past: 'escalated {} ago' });
    const isNext = next && next.stage === e.stage && next.level === e.level;
    return h('td', { class: isNext ? 'next-escalation' : null, id: `esc-${e.stage}-${e.level}`, 'data-at': e.at },
      h('div', { class: 'time' }, timeEl(card.local.escalations[i], { short: true })), state);
  };
  const applicable = card.schedule.stages.filter((s) => !s.not_applicable);
  return h('table', { class: 'grid ladder', id: 'sen-ladder' },
    h('caption', {}, `Escalation ladder (III.G), ${card.schedule.escalation_clock === 'same_as_window' ? 'on the response window\u2019s clock' : 'in literal clock hours'}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'If not done'),
      levels.map((level) => {
        const ladder = reference?.ladder?.find((l) => l.level === level);
        return h('th', { scope: 'col', title: ladder ? `e-mail from ${ladder.email_from}` : null }, `Level ${level}`,
          h('div', { class: 'ladder-to' }, ladder?.to ?? ''));
      }))),
    h('tbody', {}, applicable.map((stage) => h('tr', {}, h('th', { scope: 'row' }, STAGE_LABELS[stage.stage]), levels.map(cell(stage))))));
}

// The readings behind this clock, each with the seed's words (issue 13).
function readingsBlock(detail) {
  const card = detail.card;
  const r = detail.readings;
  if (!card.schedule || !r) return null;
  const projected = card.schedule.stages.some((s) => s.projected_start && !s.not_applicable);
  const items = [
    card.schedule.clock === 'clock' ? ['Clock hours', r.clock_hours, 'reading-clock-hours'] : null,
    projected ? ['Projected stages', r.projections, 'reading-projections'] : null,
    ['Escalation clock', r.escalation_clock, 'reading-escalation-clock'],
  ].filter(Boolean);
  return h('details', { class: 'panel readings', id: 'sen-readings' },
    h('summary', {}, 'How this clock is read (the seed\u2019s words)'),
    items.map(([title, words, id]) => h('div', { id }, h('h3', {}, title), h('blockquote', { class: 'seed-words' }, words))));
}

// Who else was told: Table 2 for this SEN's level (the SOC's calls, in order, and its e-mail), and
// every escalation level's full Table 3 distribution with this SEN's escalation times.
function toldSection(detail) {
  const told = whoWasTold(detail);
  const list = (id, items, ordered) => h(ordered ? 'ol' : 'ul', { id, class: 'told-list' }, items.map((t) => h('li', {}, t)));
  const initial = told.initial
    ? h('div', { id: 'told-initial' },
      h('h3', {}, `When the SOC sent this SEN (Table 2, from ${told.initial.from})`),
      told.initial.phones
        ? [h('p', {}, 'Telephone attempts to reach a live person, in order:'), list('told-phoned', told.initial.phoned, true)]
        : h('p', { id: 'told-phoned', class: 'muted' }, 'No telephone attempts: III.E calls for them on Critical and High SENs only.'),
      h('p', {}, 'The SEN e-mail went to:'), list('told-emailed', told.initial.emailed, false))
    : h('p', { id: 'told-initial', class: 'muted' }, 'Table 2 of this edition has no row for this level.');
  const cell = (items) => h('td', {}, items.length ? list(null, items, true) : '\u2014');
  const when = (l) => h('td', {}, l.stages.length
    ? h('ul', { class: 'told-list' }, l.stages.map((s) => h('li', {}, `${STAGE_LABELS[s.stage]}: `, timeEl(s.atLocal, { short: true }), s.averted ? h('span', { class: 'muted' }, ' (averted)') : null)))
    : '\u2014');
  const escalations = h('table', { class: 'grid told-table', id: 'told-escalations' },
    h('caption', {}, 'If no response: each escalation level\u2019s distribution (Table 3)'),
    h('thead', {}, h('tr', {}, ['Level', 'Escalated to', 'E-mail from', 'Phoned', 'E-mail copied to', 'For this SEN'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, told.levels.map((l) => h('tr', { id: `told-level-${l.level}` },
      h('th', { scope: 'row' }, `Level ${l.level}`), h('td', {}, l.to), h('td', {}, l.emailFrom), cell(l.phoned), cell(l.copied), when(l)))));
  return h('section', { class: 'panel told', id: 'sen-told', 'aria-labelledby': 'told-title' },
    h('h2', { id: 'told-title' }, 'Who else was told (SIMM 5335-A Tables 2 and 3)'),
    initial,
    detail.readings ? h('blockquote', { class: 'seed-words', id: 'told-table2-words' }, detail.readings.initial_distribution) : null,
    escalations,
    detail.readings ? h('blockquote', { class: 'seed-words', id: 'told-table3-words' }, detail.readings.escalation_table) : null);
}

// Who to contact for help, only with the contact details the seeds give.
function helpContacts(guide, id) {
  if (!guide) return null;
  return h('div', { class: 'help-contacts', id },
    h('ol', { class: 'contacts' }, guide.contacts.map((c) => h('li', { id: `${id}-${c.id}` },
      h('strong', {}, c.name), h('div', {}, c.how),
      // Plain text, as on the outbox's fallback panel: a tel:/mailto: link would leave the window.
      c.phone ? h('div', {}, 'Phone: ', h('span', { class: 'phone' }, c.phone)) : null,
      c.email ? h('div', {}, 'E-mail: ', h('span', { class: 'mono' }, c.email)) : null,
      h('blockquote', {}, `\u201c${c.seed_words}\u201d`), h('p', { class: 'source small muted' }, c.source)))),
    h('p', { class: 'small' }, guide.caution));
}

function helpPanel(detail) {
  const state = helpState(detail.card);
  if (!state) return null;
  const at = detail.help_requested_at_local;
  const line = {
    pending: 'Assistance was requested from the SOC in time: the determination has no running deadline and its escalations are averted. Record the determination (confirmed incident or false positive) when it is made.',
    answered: 'Assistance was requested from the SOC in time; the determination that followed is on time.',
    late: 'Assistance was requested after the determination was due: the request does not move the deadline, the stage stays late and escalations that passed stay passed.',
  }[state];
  return h('section', { class: `panel help-panel help-${state}`, id: 'sen-help', 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title' }, 'Help requested from the SOC'),
    h('p', { id: 'help-state', 'data-state': state }, at ? [timeEl(at), ' \u00b7 '] : null, line),
    h('blockquote', { class: 'seed-words' }, detail.help.seed_words, ' ', detail.help.reading),
    helpContacts(detail.help, 'help-contacts'));
}

function historyList(history) {
  const describe = (e) => {
    const d = e.detail ?? {};
    switch (e.event) {
      case 'created': return `recorded (${d.level}, ${SOURCE_LABELS[d.source] ?? d.source})`;
      case 'acknowledged': return `acknowledged with \u201c${d.format}\u201d: ${d.text}`;
      case 'determined': return `${OUTCOME_LABELS[d.outcome] ?? d.outcome}: ${d.details}${d.findings_by ? ` (findings by ${formatLocal(d.findings_by)})` : ''}${d.sent_as ? ` (sent to Cal-CSIRS as \u201c${d.sent_as.outcome}\u201d)` : ''}`;
      case 'linked': return `associated with incident report ${d.report_id}`;
      case 'portal_update': return `Cal-CSIRS updated ${Object.keys(d).join(', ')}`;
      default: return e.event;
    }
  };
  return h('ol', { class: 'history', id: 'sen-history' }, history.map((e) => h('li', { 'data-event': e.event },
    h('span', { class: 'mono' }, formatLocal(e.at_local, { seconds: true })), ' ', describe(e),
    h('span', { class: 'muted history-actor' }, ` \u00b7 ${actorText(e.actor)}`))));
}

// The acknowledgement form: pick one of the six formats, fill its bracketed values, see the text.
function acknowledgeForm(detail, reference, onDone) {
  const sen = detail.card.sen;
  const form = h('form', { class: 'panel action', id: 'ack-form', novalidate: true, 'aria-labelledby': 'ack-title' });
  const values = h('div', { class: 'fields ack-values', id: 'ack-values' });
  const preview = h('output', { class: 'response-text', id: 'ack-preview', for: 'ack-values', 'aria-live': 'polite' });
  const previewState = h('span', { class: 'small', id: 'ack-preview-state' });
  const status = h('div', { class: 'form-status', id: 'ack-status', role: 'status' });
  const copy = h('button', { type: 'button', id: 'ack-preview-copy', disabled: true }, 'Copy text');
  let format = null;
  let timer = null;

  const currentValues = () => {
    const out = {};
    for (const p of format?.placeholders ?? []) out[p.name] = form.querySelector(`[id="ack-values.${p.name}"]`).value;
    return out;
  };
  async function refreshPreview() {
    if (!format) return;
    try {
      const p = await call('sen_response_preview', { format: format.id, values: currentValues() });
      preview.textContent = p.text;
      preview.classList.toggle('incomplete', !p.complete);
      previewState.textContent = p.complete ? 'complete: this is the text that will be recorded' : 'fill the bracketed values';
      copy.disabled = !p.complete;
    } catch (error) {
      previewState.textContent = error.message;
    }
  }
  function choose(f) {
    format = f;
    clear(values);
    for (const p of f.placeholders) {
      const id = `ack-values.${p.name}`;
      let control;
      if (p.choices.length) {
        control = h('select', { id }, h('option', { value: '' }, 'Choose\u2026'), p.choices.map((c) => h('option', { value: c }, c)));
      } else if (p.bracket.length > 40) {
        control = h('textarea', { id, rows: 2 });
      } else {
        control = h('input', { type: 'text', id, autocomplete: 'off', placeholder: /date/i.test(p.bracket) ? 'e.g. 2026-03-20' : '' });
      }
      control.setAttribute('aria-describedby', `${id}-help ${id}-error`);
      control.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refreshPreview, 120); });
      control.addEventListener('change', refreshPreview);
      values.append(h('div', { class: `field${control.tagName === 'TEXTAREA' ? ' wide' : ''}` },
        h('label', { for: id }, p.label), control,
        h('div', { class: 'help', id: `${id}-help` }, `[${p.bracket}]`),
        h('div', { class: 'field-error', id: `${id}-error`, role: 'alert' })));
    }
    refreshPreview();
  }

  const ordered = [...reference.formats].sort((a, b) => Number(b.suggested_for_acknowledgement) - Number(a.suggested_for_acknowledgement));
  const radios = h('fieldset', { class: 'format-choice', id: 'ack-formats' },
    h('legend', {}, 'Response format (SIMM 5335-A III.F)'),
    ordered.map((f) => h('label', { class: 'format-option', for: `ack-format-${f.id}` },
      h('input', { type: 'radio', name: 'ack-format', id: `ack-format-${f.id}`, value: f.id, onchange: () => choose(f) }),
      h('span', { class: 'format-title' }, f.title, f.suggested_for_acknowledgement ? null : h('span', { class: 'tag' }, 'wording of a determination')),
      h('span', { class: 'format-template small muted' }, f.template))));

  async function submit(e) {
    e?.preventDefault();
    if (!format) {
      status.className = 'form-status error';
      status.textContent = 'Choose a response format first.';
      radios.querySelector('input')?.focus();
      return;
    }
    status.className = 'form-status';
    status.textContent = 'Recording\u2026';
    try {
      const done = await call('sen_acknowledge', { senNumber: sen.sen_number, format: format.id, values: currentValues() });
      onDone(done);
    } catch (error) {
      const first = showFieldErrors(form, 'ack-', error.fields);
      status.className = 'form-status error';
      status.textContent = `Not recorded: ${error.message}`;
      first?.focus();
    }
  }
  form.addEventListener('submit', submit);
  form.addEventListener('keydown', (e) => { if (e.ctrlKey && e.key === 'Enter') submit(e); });
  copy.addEventListener('click', () => copyText(preview.textContent));

  form.append(
    h('h2', { id: 'ack-title' }, 'Acknowledge receipt ', h('kbd', {}, 'A')),
    radios,
    values,
    h('div', { class: 'preview-head' }, h('strong', {}, 'Text for Cal-CSIRS'), ' ', previewState),
    preview,
    h('div', { class: 'toolbar' },
      h('button', { type: 'submit', class: 'primary', id: 'ack-submit' }, 'Record acknowledgement ', h('kbd', {}, 'Ctrl+Enter')),
      copy, status));
  return form;
}

function determineForm(detail, onDone) {
  const sen = detail.card.sen;
  const form = h('form', { class: 'panel action', id: 'det-form', novalidate: true, 'aria-labelledby': 'det-title' });
  const status = h('div', { class: 'form-status', id: 'det-status', role: 'status' });
  const findings = h('div', { class: 'field', id: 'det-findings-wrap', hidden: true },
    h('label', { for: 'det-findings_by' }, `Status or findings by (${detail.card.local.time_zone})`),
    h('input', { type: 'datetime-local', id: 'det-findings_by', 'aria-describedby': 'det-findings_by-error' }),
    h('div', { class: 'field-error', id: 'det-findings_by-error', role: 'alert' }));
  // Asking the SOC for help needs no findings date; who to contact shows while it is chosen.
  const helpHint = h('div', { class: 'help-hint', id: 'det-help-hint', hidden: true },
    h('p', {}, `Sent to Cal-CSIRS as \u201cmore time\u201d without a findings date, the details starting \u201c${detail.help?.details_prefix ?? ''}\u201d. A request made after the determination was due does not stop the clock.`),
    helpContacts(detail.help, 'det-help-contacts'));
  const detailsHelp = h('div', { class: 'help', id: 'det-details-help' }, 'How the determination was made: it helps the SOC tune its tools (III.A 3d).');
  const outcomes = h('fieldset', { class: 'outcome-choice', id: 'det-outcomes' }, h('legend', {}, 'Outcome'),
    Object.entries(OUTCOME_LABELS).map(([id, label]) => h('label', { for: `det-outcome-${id}` },
      h('input', { type: 'radio', name: 'det-outcome', id: `det-outcome-${id}`, value: id,
        onchange: () => {
          findings.hidden = id !== 'more_time';
          helpHint.hidden = id !== 'request_help';
          detailsHelp.textContent = id === 'request_help'
            ? 'What help the SOC is asked for, and what was checked so far.'
            : 'How the determination was made: it helps the SOC tune its tools (III.A 3d).';
        } }), ` ${id === 'request_help' ? 'Request help from the SOC (no findings date)' : label}`)),
    h('div', { class: 'field-error', id: 'det-outcome-error', role: 'alert' }));
  const details = h('textarea', { id: 'det-details', rows: 3, 'aria-describedby': 'det-details-help det-details-error' });

  async function submit(e) {
    e?.preventDefault();
    const chosen = form.querySelector('input[name="det-outcome"]:checked')?.value;
    if (!chosen) {
      showFieldErrors(form, 'det-', [{ field: 'outcome', message: 'choose the outcome' }]);
      outcomes.querySelector('input')?.focus();
      return;
    }
    status.className = 'form-status';
    status.textContent = 'Recording\u2026';
    try {
      const findingsBy = form.querySelector('#det-findings_by').value;
      const next = await call('sen_determine', { senNumber: sen.sen_number,
        determination: { outcome: chosen, details: details.value, findings_by: chosen === 'more_time' && findingsBy ? findingsBy : null } });
      onDone(next);
    } catch (error) {
      const first = showFieldErrors(form, 'det-', error.fields);
      status.className = 'form-status error';
      status.textContent = `Not recorded: ${error.message}`;
      first?.focus();
    }
  }
  form.addEventListener('submit', submit);
  form.addEventListener('keydown', (e) => { if (e.ctrlKey && e.key === 'Enter') submit(e); });
  form.append(
    h('h2', { id: 'det-title' }, { more_time: 'Record the determination (more time was requested) ', help_requested: 'Record the determination (help was requested) ' }[sen.status] ?? 'Record the determination ', h('kbd', {}, 'D')),
    outcomes,
    helpHint,
    h('div', { class: 'fields' },
      h('div', { class: 'field wide' }, h('label', { for: 'det-details' }, 'Determination details'), details,
        detailsHelp,
        h('div', { class: 'field-error', id: 'det-details-error', role: 'alert' })),
      findings),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit', class: 'primary', id: 'det-submit' }, 'Record determination ', h('kbd', {}, 'Ctrl+Enter')), status));
  return form;
}

function linkForm(detail, onDone) {
  const sen = detail.card.sen;
  const form = h('form', { class: 'panel action', id: 'link-form', novalidate: true, 'aria-labelledby': 'link-title' });
  const status = h('div', { class: 'form-status', id: 'link-status', role: 'status' });
  const select = h('select', { id: 'link-report_id', 'aria-describedby': 'link-report_id-error' }, h('option', { value: '' }, 'Loading reports\u2026'));
  call('sen_linkable_reports').then((reports) => {
    clear(select);
    if (!reports.length) {
      select.append(h('option', { value: '' }, 'No incident reports yet'));
      status.textContent = 'Create the incident report on the Reports page (Alt+2), then come back to associate it.';
      return;
    }
    append(select, [h('option', { value: '' }, 'Choose the incident report\u2026'),
      reports.map((r) => h('option', { value: r.report_id }, `${r.title || '(untitled)'} \u00b7 ${r.state}${r.incident_number ? ` \u00b7 ${r.incident_number}` : ''} \u00b7 ${r.report_id}`))]);
  }).catch((error) => { status.className = 'form-status error'; status.textContent = error.message; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      onDone(await call('sen_link_report', { senNumber: sen.sen_number, reportId: select.value }));
    } catch (error) {
      const first = showFieldErrors(form, 'link-', error.fields);
      status.className = 'form-status error';
      status.textContent = `Not associated: ${error.message}`;
      first?.focus();
    }
  });
  form.append(
    h('h2', { id: 'link-title' }, 'Associate the Cal-CSIRS incident report ', h('kbd', {}, 'L')),
    h('div', { class: 'field' }, h('label', { for: 'link-report_id' }, 'Incident report'), select,
      h('div', { class: 'field-error', id: 'link-report_id-error', role: 'alert' })),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit', class: 'primary', id: 'link-submit' }, 'Associate report'), status));
  return form;
}

function finishedText(sen) {
  if (!sen.ack_text) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'ack-text-title' },
    h('h2', { id: 'ack-text-title' }, 'Acknowledgement sent to Cal-CSIRS'),
    h('p', { class: 'small muted' }, `Format \u201c${sen.ack_format}\u201d; queued in the outbox. Copy it to paste into the SEN record if needed.`),
    h('output', { class: 'response-text', id: 'ack-text' }, sen.ack_text),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', id: 'ack-copy', onclick: () => copyText(sen.ack_text) }, 'Copy text')));
}

function clockWrap(detail, reference) {
  const card = { ...detail.card, local: { ...detail.card.local, help_requested_at: detail.help_requested_at_local } };
  return h('div', { id: 'sen-clock-wrap' }, clockTable(card), ladderTable(detail.card, reference), readingsBlock(detail));
}

// Renders the whole detail into `main`; returns { refresh(detail), focusAction(key) }.
export function renderDetail(container, detail, reference, { onChanged }) {
  const parts = {};
  function draw(d) {
    clear(container);
    const { card, history } = d;
    const sen = card.sen;
    parts.clock = clockWrap(d, reference);
    parts.history = h('div', { id: 'sen-history-wrap' }, historyList(history));
    let action = null;
    const done = (next) => { onChanged(next.detail ?? next, next.text); };
    if (sen.status === 'new') action = acknowledgeForm(d, reference, done);
    else if (['acknowledged', 'more_time', 'help_requested'].includes(sen.status)) action = determineForm(d, done);
    else if (sen.status === 'confirmed') action = linkForm(d, done);
    append(container, [
      h('nav', { class: 'crumbs' }, h('a', { href: '#/sens', id: 'sen-back' }, '\u2190 SEN board'), ' ', h('kbd', {}, 'Esc')),
      h('header', { class: 'sen-head', 'data-overdue-scope': '' },
        levelBadge(card.level),
        h('h1', { id: 'sen-title', tabindex: '-1' }, sen.sen_number),
        h('span', { class: 'status-chip', id: 'sen-status', 'data-status': sen.status }, STATUS_LABELS[sen.status] ?? sen.status),
        h('span', { class: 'overdue-flag' }, '\u26A0 OVERDUE')),
      h('p', { class: 'sen-meta' }, 'Sent ', h('span', { id: 'sen-sent' }, timeEl(card.local.sent_at)),
        ` \u00b7 ${SOURCE_LABELS[sen.source] ?? sen.source}`,
        sen.outcome ? ` \u00b7 ${OUTCOME_LABELS[sen.outcome]}` : '',
        sen.linked_report_id ? ` \u00b7 incident report ${sen.linked_report_id}` : '',
        d.findings_by_local ? ` \u00b7 findings by ${formatLocal(d.findings_by_local)}` : '',
        d.help_requested_at_local ? ` \u00b7 help requested ${formatLocal(d.help_requested_at_local)}` : ''),
      sen.summary ? h('p', { class: 'summary-full' }, sen.summary) : null,
      h('div', { class: 'detail-grid' },
        h('div', { class: 'detail-main' }, parts.clock, helpPanel(d), action, finishedText(sen), toldSection(d)),
        h('aside', { class: 'detail-side panel', 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, 'History'), parts.history))]);
  }
  draw(detail);
  return {
    status: () => detail.card.sen.status,
    // Clock and history only, so what is being typed in a form stays.
    refreshClock(next) {
      detail = next;
      parts.clock.replaceWith(parts.clock = clockWrap(next, reference));
      parts.history.replaceWith(parts.history = h('div', { id: 'sen-history-wrap' }, historyList(next.history)));
    },
    redraw(next) { detail = next; draw(next); },
  };
}
