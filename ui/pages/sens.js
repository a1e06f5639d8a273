// SENs page: `#/sens` is the board with intake above it; `#/sens/<SEN number>` is one SEN. Clocks
// are computed by the core; countdowns and business time left count down here without asking again
// (see lib/countdown.js). The page is fetched again when something changes (`desk:changed`, which
// the app also sends for changes another process made) and when the core said its clocks next read
// differently (`refresh_at`: a stage falls due, an escalation, business hours start or end).

import { call } from '../lib/ipc.js';
import { atWhileShown, clear, h, toast } from '../lib/dom.js';
import { startCountdowns } from '../lib/countdown.js';
import { renderBoard, updateBoard } from './sens/board.js';
import { renderDetail } from './sens/detail.js';
import { renderIntake } from './sens/intake.js';
import { copyText, typingIn } from './sens/common.js';

// Asked again at `refresh_at`, a little after it (the core counts from its own reading of the
// clock), never sooner than SPACING_MS after the last time (500 SENs falling due within seconds of
// each other are one refetch, not 500: their countdowns turn overdue on their own meanwhile), at
// once when the window is shown again, and a minute after a fetch that failed. Between changes a
// page on screen asks nothing: a board of 500 SENs fetched every minute was most of the idle CPU.
const AFTER_CHANGE_MS = 250;
const SPACING_MS = 15_000;
const RETRY_MS = 60_000;
let reference = null;

// Calls `refresh` when the clocks of the view last fetched next read differently (see above).
// `fetched(view)` is called with each view fetched (null: the fetch failed).
function refreshWhenClocksChange(refresh) {
  let dueMs = Number.POSITIVE_INFINITY;
  let lastMs = 0;
  const waiting = atWhileShown({
    next: () => (dueMs === Number.POSITIVE_INFINITY ? dueMs : Math.max(dueMs, lastMs + SPACING_MS)),
    run: refresh,
  });
  return {
    fetched(view) {
      lastMs = Date.now();
      const at = view ? Date.parse(view.refresh_at ?? '') : lastMs + RETRY_MS;
      dueMs = Number.isNaN(at) ? Number.POSITIVE_INFINITY : at + AFTER_CHANGE_MS;
      waiting.arm();
    },
    stop: waiting.stop,
  };
}

function shortcutsLegend(items) {
  return h('p', { class: 'shortcuts small muted', id: 'sen-shortcuts' }, 'Keys: ',
    items.map(([key, what], i) => [i ? ' \u00b7 ' : '', h('kbd', {}, key), ` ${what}`]));
}

export async function mount(main, { route }) {
  const [, number] = route.replace(/^#\/?/, '').split('/');
  // The reference data and the board come in parallel: the board is the first screen of the day.
  const board = number ? null : call('sen_board');
  reference ??= await call('sen_reference');
  return number ? mountDetail(main, decodeURIComponent(number)) : mountBoard(main, board);
}

function open(senNumber) {
  location.hash = `#/sens/${encodeURIComponent(senNumber)}`;
}

async function mountBoard(main, board) {
  let stopCountdowns = () => {};
  let focusAfter = null;
  const boardSlot = h('div', { id: 'sen-board-slot' });
  const drop = h('div', { class: 'drop-overlay', 'aria-hidden': 'true' }, h('div', {}, 'Drop SEN e-mail (.eml or .msg) to read it'));
  let first = await board;
  const intake = renderIntake({
    timeZone: first.time_zone,
    onRecorded: (stored) => {
      focusAfter = stored.card.sen.sen_number;
      toast(`${stored.card.sen.sen_number} recorded`);
      requestRefresh();
    },
  });

  // The board on screen is updated in place (only what renders differently is replaced), so the
  // minute's refresh of 500 rows costs what changed; the countdowns start again on what is there,
  // each one worded afresh.
  let drawn = null;
  function draw(board) {
    stopCountdowns();
    const focused = document.activeElement?.closest?.('tr.sen-row')?.dataset.sen;
    const element = renderBoard(board, { open });
    if (!updateBoard(drawn, element)) {
      boardSlot.replaceChildren(element);
      drawn = element;
    }
    stopCountdowns = startCountdowns(boardSlot, { serverNow: board.now, businessClock: board.business_clock });
    refreshing.fetched(board);
    const again = focusAfter ?? focused;
    focusAfter = null;
    const row = again && boardSlot.querySelector(`tr[data-sen="${CSS.escape(again)}"]`);
    if (row && document.activeElement !== row) row.focus();
  }
  // The change event and our own "recorded" arrive together: one fetch and one redraw for both.
  let pending = null;
  function requestRefresh() {
    clearTimeout(pending);
    pending = setTimeout(refresh, 60);
  }
  async function refresh() {
    try {
      draw(await call('sen_board'));
    } catch (error) {
      stopCountdowns();
      refreshing.fetched(null);
      drawn = null;
      boardSlot.replaceChildren(h('p', { class: 'form-status error', role: 'alert' }, `The SEN board could not be loaded: ${error.message}`));
    }
  }

  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Security Event Notifications'),
      shortcutsLegend([['\u2191 \u2193', 'move'], ['Enter', 'open'], ['I', 'import .eml/.msg'], ['P', 'paste subject'], ['N', 'enter by hand'], ['Alt+1\u20264', 'pages']])),
    intake.element, boardSlot, drop);
  const refreshing = refreshWhenClocksChange(refresh);
  draw(first);
  first = null;

  const onChanged = (e) => { if (['sens', 'settings'].includes(e.detail?.topic)) requestRefresh(); };
  const onKey = (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || typingIn(e.target)) return;
    const key = e.key.toLowerCase();
    if (key === 'i') { e.preventDefault(); intake.focusFile(); }
    else if (key === 'p') { e.preventDefault(); intake.focusSubject(); }
    else if (key === 'n') { e.preventDefault(); intake.openManual(); }
    else if ((e.key === 'ArrowDown' || e.key === 'j') && !e.target.closest?.('tr.sen-row')) {
      const firstRow = boardSlot.querySelector('tr.sen-row');
      if (firstRow) { e.preventDefault(); firstRow.focus(); }
    }
  };
  // The window gets HTML5 drops (dragDropEnabled is off in tauri.conf.json): files arrive as File objects.
  let depth = 0;
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  const onDragEnter = (e) => { if (hasFiles(e)) { depth += 1; main.classList.add('dropping'); } };
  const onDragLeave = () => { depth = Math.max(0, depth - 1); if (!depth) main.classList.remove('dropping'); };
  const onDragOver = (e) => { if (hasFiles(e)) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; } };
  const onDrop = (e) => {
    depth = 0;
    main.classList.remove('dropping');
    if (!e.dataTransfer?.files?.length) return;
    e.preventDefault();
    intake.readFiles([...e.dataTransfer.files]);
  };
  window.addEventListener('desk:changed', onChanged);
  document.addEventListener('keydown', onKey);
  document.addEventListener('dragenter', onDragEnter);
  document.addEventListener('dragleave', onDragLeave);
  document.addEventListener('dragover', onDragOver);
  document.addEventListener('drop', onDrop);
  return () => {
    stopCountdowns();
    refreshing.stop();
    clearTimeout(pending);
    window.removeEventListener('desk:changed', onChanged);
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('dragenter', onDragEnter);
    document.removeEventListener('dragleave', onDragLeave);
    document.removeEventListener('dragover', onDragOver);
    document.removeEventListener('drop', onDrop);
  };
}

async function mountDetail(main, senNumber) {
  let stopCountdowns = () => {};
  const container = h('div', { class: 'sen-detail', id: 'sen-detail' });
  let view = null;

  const refreshing = refreshWhenClocksChange(refresh);
  function after(detail) {
    stopCountdowns();
    stopCountdowns = startCountdowns(container, { serverNow: detail.now, businessClock: detail.business_clock });
    refreshing.fetched(detail);
  }
  // Our own change comes back as a `changed` event right away; the detail already shows it.
  let ownChangeAt = 0;
  function onChangedByUs(detail, text) {
    ownChangeAt = Date.now();
    view.redraw(detail);
    after(detail);
    if (text) {
      toast('Acknowledged: the text is queued for Cal-CSIRS');
      container.querySelector('#ack-copy')?.focus();
    } else {
      container.querySelector('#sen-title')?.focus();
    }
  }
  async function refresh() {
    try {
      const detail = await call('sen_get', { senNumber });
      if (detail.card.sen.status === view.status()) view.refreshClock(detail);
      else view.redraw(detail);
      after(detail);
    } catch {
      // What is shown stays; the next change, or a minute, tries again.
      refreshing.fetched(null);
    }
  }

  try {
    const detail = await call('sen_get', { senNumber });
    main.append(container);
    view = renderDetail(container, detail, reference, { onChanged: onChangedByUs });
    after(detail);
    container.querySelector('#sen-title')?.focus();
  } catch (error) {
    refreshing.stop();
    main.append(h('nav', { class: 'crumbs' }, h('a', { href: '#/sens' }, '\u2190 SEN board')),
      h('h1', {}, senNumber), h('p', { class: 'form-status error', role: 'alert' }, error.message));
    return undefined;
  }
  main.append(shortcutsLegend([['Esc', 'back to the board'], ['A', 'acknowledge'], ['D', 'determine'], ['L', 'associate report'], ['C', 'copy the acknowledgement'], ['Ctrl+Enter', 'record the form']]));

  const onChanged = (e) => {
    if (['sens', 'settings'].includes(e.detail?.topic) && Date.now() - ownChangeAt > 1500) refresh();
  };
  const onKey = (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape') {
      if (typingIn(e.target)) { e.target.blur(); return; }
      e.preventDefault();
      location.hash = '#/sens';
      return;
    }
    if (typingIn(e.target)) return;
    const focusIn = (id) => {
      const form = container.querySelector(`#${id}`);
      if (!form) return;
      e.preventDefault();
      (form.querySelector('input:checked') ?? form.querySelector('input, select, textarea, button'))?.focus();
    };
    const key = e.key.toLowerCase();
    if (key === 'a') focusIn('ack-form');
    else if (key === 'd') focusIn('det-form');
    else if (key === 'l') focusIn('link-form');
    else if (key === 'c') {
      const text = container.querySelector('#ack-text')?.textContent;
      if (text) { e.preventDefault(); copyText(text); }
    }
  };
  window.addEventListener('desk:changed', onChanged);
  document.addEventListener('keydown', onKey);
  return () => {
    stopCountdowns();
    refreshing.stop();
    window.removeEventListener('desk:changed', onChanged);
    document.removeEventListener('keydown', onKey);
    clear(container);
  };
}
