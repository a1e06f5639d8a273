// The report's two deadlines beside the form (Cal-CSIRS and federal): what is due when, why, in
// the source's words, with a clock that ticks every second until the portal confirms receipt.

import { QUEUED_NOT_RECEIVED } from '../../lib/outbox-view.js';
import { clear, h } from '../../lib/dom.js';
import { countdown, showLocal } from '../../lib/local-time.js';

const FRAME_WORDS = { daily: 'Report daily.', weekly: 'Report weekly.', monthly: 'Report monthly.', not_required: 'Not required under the condition given.', not_applicable: 'Not applicable (internal use).' };

function deadlineBlock(deadline, id, reportState) {
  const frame = deadline.timeframe;
  const clockEl = h('p', { class: 'deadline-clock', id: `${id}-clock` });
  const block = h('div', { class: 'deadline', id },
    h('h3', {}, deadline.title), clockEl);
  // Queued is not reported: the clock runs until the portal confirms receipt (state sent).
  const stillRunning = reportState !== 'sent';
  if (deadline.due_at) {
    block.append(h('p', { class: 'deadline-at' }, `Due ${showLocal(new Date(deadline.due_at))}`));
    clockEl.dataset.due = deadline.due_at;
    clockEl.dataset.running = String(stillRunning);
  } else if (frame.kind === 'within_hours') {
    clockEl.textContent = `Within ${frame.hours === 1 ? '60 minutes' : `${frame.hours} hours`} of discovery: enter the discovery time to start the clock.`;
  } else {
    clockEl.textContent = FRAME_WORDS[frame.kind] ?? frame.kind;
  }
  if (deadline.condition) block.append(h('p', { class: 'deadline-condition' }, `Because: ${deadline.condition}.`));
  block.append(h('blockquote', {}, `\u201c${deadline.words}\u201d`), h('p', { class: 'source' }, deadline.source));
  if (deadline.reading) block.append(h('p', { class: 'deadline-reading', id: `${id}-reading` }, h('strong', {}, 'Reading: '), deadline.reading));
  return block;
}

// Updates the clocks drawn in `box` to now.
export function tickDeadlines(box, reportState) {
  for (const el of box.querySelectorAll('.deadline-clock[data-due]')) {
    const running = el.dataset.running === 'true';
    if (!running) {
      el.textContent = 'Filed with Cal-CSIRS.';
      el.className = 'deadline-clock done';
      continue;
    }
    const c = countdown(el.dataset.due);
    el.textContent = reportState === 'queued' ? `${c.text} \u00b7 ${QUEUED_NOT_RECEIVED}` : c.text;
    el.className = `deadline-clock${c.overdue ? ' overdue' : c.soon ? ' soon' : ''}`;
  }
}

export function renderDeadlines(box, { report, status }) {
  clear(box);
  box.append(h('h2', { id: 'deadlines-title' }, 'Deadlines'), deadlineBlock(status.deadlines.cal_csirs, 'deadline-cal-csirs', report.state));
  if (status.deadlines.federal) box.append(deadlineBlock(status.deadlines.federal, 'deadline-federal', report.state));
  else box.append(h('p', { class: 'muted', id: 'deadline-federal' }, 'Federal timeframe: choose a federal incident category.'));
  tickDeadlines(box, report.state);
}
