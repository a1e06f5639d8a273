// The autosave queue of the report editor: every change goes to Rust as soon as the previous one
// is committed, one at a time, in the order typed. Keystrokes that arrive while a save is in
// flight coalesce into the newest value of that field (the tail of the queue), so the last value
// is always sent and a field's values never arrive out of order. Structural operations (add or
// remove a row, restore a revision, lifecycle moves) go through the same queue, after every edit
// typed before them. No debounce: a change is committed one round trip after the previous one.
//
// Refused changes (bad path, report not editable) are reported and dropped: the value stays in
// the control and the message says why. Anything else (database busy, disk error) is retried
// with a growing delay, forever: the value is never dropped.

// A lifecycle step the report's state refuses (report_not_ready, report_submitted,
// report_not_submitted) is a refusal too: shown, never retried.
const REFUSED = new Set([
  'invalid',
  'conflict',
  'report_not_editable',
  'report_not_ready',
  'report_submitted',
  'report_not_submitted',
  'not_found',
  'ipc',
]);

export function isRefusal(error) {
  return REFUSED.has(error?.code);
}

// send(field, value) -> Promise<saved>; onSaved(saved, field); onRefused(error, entry);
// onState({ pending, retrying, error }) after every change of the queue.
export function createSaver({ send, onSaved = () => {}, onRefused = () => {}, onState = () => {}, retryDelays = [50, 100, 250, 500, 1000, 2000], sleep = defaultSleep }) {
  const queue = [];
  let busy = false;
  let retrying = null;
  let idleWaiters = [];

  function pending() {
    return queue.length + (busy ? 1 : 0);
  }

  function report() {
    onState({ pending: pending(), retrying });
    if (pending() === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  async function pump() {
    if (busy) return;
    busy = true;
    try {
      while (queue.length) {
        const entry = queue.shift();
        report();
        if (entry.kind === 'set') await runSet(entry);
        else await runOp(entry);
      }
    } finally {
      busy = false;
      report();
    }
  }

  async function runSet(entry) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const saved = await send(entry.field, entry.value);
        retrying = null;
        onSaved(saved, entry.field);
        return;
      } catch (error) {
        if (isRefusal(error)) {
          retrying = null;
          onRefused(error, entry);
          return;
        }
        // A newer value of the same field waiting right behind makes this one moot: send that.
        const next = queue[0];
        if (next && next.kind === 'set' && next.field === entry.field) {
          retrying = null;
          return;
        }
        retrying = { field: entry.field, error, attempt: attempt + 1 };
        report();
        await sleep(retryDelays[Math.min(attempt, retryDelays.length - 1)]);
      }
    }
  }

  async function runOp(entry) {
    try {
      entry.resolve(await entry.run());
    } catch (error) {
      entry.reject(error);
    }
  }

  return {
    // Queues the newest value of `field`.
    set(field, value) {
      const tail = queue[queue.length - 1];
      if (tail && tail.kind === 'set' && tail.field === field) tail.value = value;
      else queue.push({ kind: 'set', field, value });
      report();
      pump();
    },
    // Runs `run` after everything queued before it; resolves with its result.
    op(run) {
      const done = new Promise((resolve, reject) => queue.push({ kind: 'op', run, resolve, reject }));
      report();
      pump();
      return done;
    },
    pending,
    idle: () => pending() === 0,
    // Resolves once everything queued so far (and after) is committed or refused.
    flush() {
      if (pending() === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}

function defaultSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
