// The SEN board: one row per open SEN, most urgent first, each stage's due time with a live
// countdown, the next escalation and who it goes to. Rows are focusable; arrows move, Enter opens.
// A refresh brings the board on screen up to date in place (`updateBoard`): only what renders
// differently is replaced.

import { h, renderingOf } from '../../lib/dom.js';
import { formatLocal } from '../../lib/time.js';
import { OUTCOME_LABELS, STATUS_LABELS, escalationCell, levelBadge, stageCell, timeEl } from './common.js';

// The instant that matters most now: the due time of the current stage (no clock: last).
function urgency(card) {
  if (!card.status?.current_stage) return Number.POSITIVE_INFINITY;
  const stage = card.schedule.stages.find((s) => s.stage === card.status.current_stage);
  return Date.parse(stage.due);
}

export function sortByUrgency(cards) {
  return [...cards].sort((a, b) => urgency(a) - urgency(b) || a.sen.sen_number.localeCompare(b.sen.sen_number));
}

function row(card, open) {
  const sen = card.sen;
  const tr = h('tr', {
    class: 'sen-row',
    tabindex: '0',
    id: `sen-row-${sen.sen_number}`,
    'data-sen': sen.sen_number,
    'data-overdue-scope': '',
    'aria-label': `${sen.sen_number}, ${card.level.label} level, ${STATUS_LABELS[sen.status] ?? sen.status}`,
    onclick: () => open(sen.sen_number),
  },
  h('td', { class: 'level-cell' }, levelBadge(card.level)),
  h('td', { class: 'sen-cell' },
    h('a', { href: `#/sens/${encodeURIComponent(sen.sen_number)}`, class: 'sen-number', tabindex: '-1' }, sen.sen_number),
    h('div', { class: 'small muted' }, 'sent ', timeEl(card.local.sent_at, { short: true })),
    sen.summary ? h('div', { class: 'summary', title: sen.summary }, sen.summary) : null),
  h('td', { class: 'status-cell' },
    h('span', { class: 'overdue-flag', role: 'img', 'aria-label': 'overdue' }, '\u26A0 OVERDUE'),
    h('div', {}, STATUS_LABELS[sen.status] ?? sen.status)));
  if (card.schedule) {
    for (let i = 0; i < 3; i += 1) tr.append(stageCell(card, i));
    tr.append(escalationCell(card));
  } else {
    tr.append(h('td', { colspan: '4', class: 'no-clock' }, card.level.note ?? 'No response windows for this level.'));
  }
  return tr;
}

export function renderBoard(board, { open }) {
  const wrap = h('section', { class: 'board', 'aria-labelledby': 'sen-board-title' });
  const cards = sortByUrgency(board.cards);
  wrap.append(h('div', { class: 'board-head' },
    h('h2', { id: 'sen-board-title' }, `Open SENs (${cards.length})`),
    h('span', { class: 'muted small' }, `Times in ${board.time_zone} with its UTC offset \u00b7 most urgent first \u00b7 escalation clock: `,
      board.escalation_clock === 'same_as_window' ? 'same as the response window' : 'literal clock hours')));
  if (!cards.length) {
    wrap.append(h('p', { class: 'empty', id: 'sen-board-empty' }, 'No open SENs. Drop a SEN e-mail here, pick an .eml or .msg file, or paste its subject line.'));
  } else {
    const table = h('table', { class: 'grid sen-board', id: 'sen-board' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Level'),
        h('th', { scope: 'col' }, 'SEN'),
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, '1. Acknowledge'),
        h('th', { scope: 'col' }, '2. Determination'),
        h('th', { scope: 'col' }, '3. Incident record'),
        h('th', { scope: 'col' }, 'Next escalation'))),
      h('tbody', {}, cards.map((c) => row(c, open))));
    table.addEventListener('keydown', (e) => {
      const current = e.target.closest?.('tr.sen-row');
      if (!current) return;
      const rows = [...table.querySelectorAll('tr.sen-row')];
      const i = rows.indexOf(current);
      const go = (j) => { e.preventDefault(); rows[Math.max(0, Math.min(rows.length - 1, j))]?.focus(); };
      if (e.key === 'ArrowDown' || e.key === 'j') go(i + 1);
      else if (e.key === 'ArrowUp' || e.key === 'k') go(i - 1);
      else if (e.key === 'Home') go(0);
      else if (e.key === 'End') go(rows.length - 1);
      else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(current.dataset.sen); }
    });
    wrap.append(table);
  }
  if (board.recent_closed.length) {
    wrap.append(h('details', { class: 'recent-closed' },
      h('summary', {}, `Recently closed (${board.recent_closed.length})`),
      h('ul', {}, board.recent_closed.map((s) => h('li', {},
        levelBadge({ id: s.level, label: s.level_label, colour: ['critical', 'high', 'medium'].includes(s.level) ? s.level : null }), ' ',
        h('a', { href: `#/sens/${encodeURIComponent(s.sen_number)}` }, s.sen_number), ' ',
        h('span', { class: 'muted' }, [s.outcome ? OUTCOME_LABELS[s.outcome] : 'closed',
          s.linked_report_id ? `, report ${s.linked_report_id}` : '',
          s.closed_at_local ? `, ${formatLocal(s.closed_at_local, { short: true })}` : ''].join('')))))));
  }
  return wrap;
}

// How each part of a board was rendered, recorded while it was fresh (before countdowns worded it):
// parts and cells by their rendering, a row as its own attributes and its cells'.
const rendered = new WeakMap();

function record(board) {
  for (const part of board.children) {
    if (part.id === 'sen-board') {
      for (const row of part.tBodies[0].rows) {
        const shallow = row.cloneNode(false);
        rendered.set(row, { own: renderingOf(shallow), cells: [...row.cells].map(renderingOf) });
      }
    } else {
      rendered.set(part, renderingOf(part));
    }
  }
}

// The parts of a board, by kind: head, table or empty note, recently closed.
function outline(board) {
  return [...board.children].map((part) => `${part.tagName}#${part.id}.${part.className}`).join(' ');
}

// Brings `live` (the board on screen, from renderBoard) up to `next` (one just rendered, not shown)
// in place; returns false when the two differ in outline (or there is no `live`) and `next` must
// replace `live` whole. What renders the same stays as it is: its countdowns' words, the focus, an
// opened "recently closed". A row whose cells changed keeps its element and gets the changed
// cells; rows come in `next`'s order.
export function updateBoard(live, next) {
  record(next);
  if (!live || outline(live) !== outline(next)) return false;
  const freshParts = [...next.children];
  [...live.children].forEach((part, i) => {
    const fresh = freshParts[i];
    if (part.id === 'sen-board') updateRows(part.tBodies[0], fresh.tBodies[0]);
    else if (rendered.get(part) !== rendered.get(fresh)) part.replaceWith(fresh);
  });
  return true;
}

function updateRows(body, nextBody) {
  const rows = new Map([...body.rows].map((row) => [row.dataset.sen, row]));
  const wanted = [...nextBody.rows].map((fresh) => {
    const row = rows.get(fresh.dataset.sen);
    const was = row && rendered.get(row);
    const now = rendered.get(fresh);
    if (!was || was.own !== now.own || was.cells.length !== now.cells.length) return fresh;
    const cells = [...row.cells];
    const freshCells = [...fresh.cells];
    now.cells.forEach((cell, i) => { if (cell !== was.cells[i]) cells[i].replaceWith(freshCells[i]); });
    rendered.set(row, now);
    return row;
  });
  wanted.forEach((row, i) => {
    const at = body.rows[i] ?? null;
    if (at !== row) body.insertBefore(row, at);
  });
  while (body.rows.length > wanted.length) body.rows[body.rows.length - 1].remove();
}
