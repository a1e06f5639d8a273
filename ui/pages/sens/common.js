// Pieces the SEN board, the SEN detail and the intake share: level badges, stage and status words,
// clock cells with live countdowns, copying text.

import { append, h, toast } from '../../lib/dom.js';
import { formatLocal, formatMinutes, splitLocal } from '../../lib/time.js';

export const STAGE_LABELS = {
  acknowledge: 'Acknowledge',
  determine: 'Determination',
  record: 'Incident record',
};

export const STATUS_LABELS = {
  new: 'New: acknowledge',
  acknowledged: 'Acknowledged: determine',
  more_time: 'More time requested',
  help_requested: 'Help requested from the SOC',
  confirmed: 'Confirmed: associate report',
  closed: 'Closed',
};

export const OUTCOME_LABELS = {
  confirmed_incident: 'Confirmed incident',
  false_positive: 'False positive',
  more_time: 'More time requested',
  request_help: 'Assistance requested from the SOC',
};

// Levels are data: a level this edition has no colour for gets the neutral badge, still labelled.
export function levelBadge(level) {
  const known = level?.colour != null;
  return h('span', { class: known ? `level level-${level.id}` : 'level', title: known ? `${level.label} (${level.colour})` : level?.note ?? '' },
    level?.label ?? '?');
}

export function levelOfId(id, reference) {
  const rule = reference?.levels?.find((l) => l.id === id);
  return rule ? { id, label: rule.label, colour: rule.colour } : { id, label: id ? id[0].toUpperCase() + id.slice(1) : '?', colour: null };
}

// A local time that wraps, if it must, between the wall clock and the offset.
export function timeEl(text, options = {}) {
  const [clock, offset] = splitLocal(text, options);
  return h('span', { class: 'when', title: formatLocal(text) }, h('span', { class: 'nw' }, clock), offset ? ' ' : null,
    offset ? h('span', { class: 'nw offset' }, offset) : null);
}

// A live countdown element (see lib/countdown.js). `scoped` passes overdue to the enclosing cell/row.
export function countdownEl(dueIso, { scoped = true, past, id } = {}) {
  return h('span', {
    class: 'countdown',
    id,
    'data-countdown': dueIso,
    'data-scope-overdue': scoped ? '' : null,
    'data-past': past ?? null,
  });
}

// A stage's business time left, as the core counted it, then counted down on the page while
// business time runs (lib/countdown.js). `words` has {} where the time goes.
export function businessLeftEl(tag, status, words = '{} of business time left') {
  return h(tag, { class: 'small muted', 'data-business-left': String(status.business_left_ms), 'data-words': words },
    words.replace('{}', formatMinutes(status.business_minutes_left)));
}

// One stage of one SEN for the board: due time, live countdown, or what happened.
export function stageCell(card, index) {
  const due = card.schedule.stages[index];
  const status = card.status.stages[index];
  const local = card.local.stages[index];
  const cell = h('td', { class: 'stage-cell', 'data-stage': due.stage, 'data-due': due.due, 'data-overdue-scope': '' });
  if (due.not_applicable) {
    cell.classList.add('stage-na');
    cell.append(h('span', { class: 'muted' }, 'not needed (false positive)'));
    return cell;
  }
  if (status.state === 'help_requested' || status.state === 'waiting') {
    // A help request made in time: no deadline runs, nothing is overdue (SIMM 5335-A III.D).
    cell.removeAttribute('data-overdue-scope');
    cell.classList.add('stage-help');
    cell.append(h('span', {}, status.state === 'help_requested' ? 'help requested' : 'after the determination'));
    return cell;
  }
  if (status.state === 'done') {
    cell.classList.add(status.late_by_minutes > 0 ? 'stage-late' : 'stage-done');
    append(cell, [
      h('div', { class: 'stage-done-line' }, h('span', { class: 'tick', 'aria-hidden': 'true' }, '\u2713 '), 'done ',
        timeEl(local.completed_at, { short: true })),
      status.late_by_minutes > 0 ? h('div', { class: 'late' }, `${formatMinutes(status.late_by_minutes)} late`) : null]);
    return cell;
  }
  if (due.projected_start) cell.classList.add('stage-projected');
  append(cell, [
    h('div', { class: 'due' }, timeEl(local.due, { short: true })),
    h('div', {}, countdownEl(due.due, due.projected_start ? { scoped: false, past: 'projected time passed' } : {}),
      due.projected_start ? h('span', { class: 'tag', title: 'This stage has not started: its due time is projected from the previous stage\u2019s due time.' }, 'projected') : null),
    status.business_minutes_left != null && !due.projected_start ? businessLeftEl('div', status) : null,
    due.due_from_findings_by ? h('div', { class: 'small muted' }, 'findings date given') : null]);
  return cell;
}

// The next escalation: level, who it goes to, when, live countdown; and any that already happened.
export function escalationCell(card) {
  const cell = h('td', { class: 'escalation-cell' });
  const next = card.status.next_escalation;
  if (card.status.escalated.length) {
    const last = card.status.escalated[card.status.escalated.length - 1];
    cell.append(h('div', { class: 'escalated' }, h('span', { 'aria-hidden': 'true' }, '\u25B2 '), `Escalated: level ${last.level}`,
      h('div', { class: 'small' }, `${STAGE_LABELS[last.stage]} not done; to ${last.recipients}`)));
  }
  if (next) {
    cell.append(
      h('div', { class: 'esc-next' }, h('strong', {}, `Level ${next.level}`), ` \u2192 ${next.recipients}`),
      h('div', { class: 'small' }, timeEl(card.local.next_escalation, { short: true }), ' ',
        countdownEl(next.at, { scoped: false, past: 'escalated {} ago' })),
      h('div', { class: 'small muted' }, `if ${STAGE_LABELS[next.stage].toLowerCase()} is not done`));
  } else if (!card.status.escalated.length) {
    cell.append(h('span', { class: 'muted' }, card.status.current_stage ? 'none pending' : '\u2014'));
  }
  return cell;
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // The web view may refuse the async clipboard; a selected textarea and execCommand still work.
    const area = h('textarea', { class: 'offscreen', 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) {
      toast('Could not copy: select the text and press Ctrl+C');
      return false;
    }
  }
  toast('Copied: paste it into the Cal-CSIRS SEN record');
  return true;
}

// True when a key press belongs to a text field, not to the page's shortcuts.
export function typingIn(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

// Shows the core's per-field messages on controls whose ids are `${prefix}${field}`; returns the
// first control with a message.
export function showFieldErrors(container, prefix, fields = []) {
  for (const el of container.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of container.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  let first = null;
  for (const { field, message } of fields) {
    const control = container.querySelector(`[id="${prefix}${field}"]`);
    const error = container.querySelector(`[id="${prefix}${field}-error"]`);
    if (error) error.textContent = message;
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
    }
  }
  return first;
}
