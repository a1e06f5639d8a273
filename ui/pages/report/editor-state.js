// What the report editor knows, and every way it changes. No DOM here: the editor's views read this
// object and draw; the transitions take the time as an argument, so they can be tested as they are.
//
// The report and its status are the last ones the core answered. Around them: the field being
// typed (its message waits, see HOLD_MS), the messages of refused saves, the values typed while
// the report was ready (held, saved once it is a draft again), and the autosave queue as the save
// line shows it.

// A message on the field being typed waits this long after the last keystroke (or the blur):
// "not an IP address" after "10." is noise.
export const HOLD_MS = 900;
// "Saving…" only shows when a save takes longer than this; quick saves just update "Saved".
export const SAVING_NOTICE_MS = 400;

const HELD_MESSAGE = 'Not saved yet: the report is ready. This value is saved when you return it to draft.';
const HELD_ALERT = 'A change typed after \u201cMark ready\u201d is kept on screen and saved when the report is back to draft.';

export function createEditorState(view) {
  let report = view.report;
  let status = view.status;
  let knownRevision = report.revision;
  const refusedMessages = new Map(); // path -> message from a refused save
  const held = new Map(); // path -> value typed while the report was ready
  let activePath = null;
  let lastInputAt = 0;
  let inputsSinceIdle = 0;
  let savingSince = null;
  let savedAt = null;
  let retrying = null;

  return {
    get report() { return report; },
    get status() { return status; },
    get knownRevision() { return knownRevision; },
    // Inputs since the autosave queue was last empty: a refresh started before one is stale.
    get inputsSinceIdle() { return inputsSinceIdle; },

    // A value typed into `path`.
    typed(path, now) {
      activePath = path;
      lastInputAt = now;
      inputsSinceIdle += 1;
    },

    // The focus left the control named `name`; true when that was the field being typed (its
    // message may show at once).
    blurred(name) {
      if (name !== activePath) return false;
      lastInputAt = 0;
      return true;
    },

    // A save committed (`field`: the field it saved; none for a row added or removed).
    committed(saved, now, field = null) {
      knownRevision = saved.revision;
      report = { ...report, revision: saved.revision, state: saved.state, portal_messages: saved.portal_messages };
      status = saved.status;
      if (field !== null) refusedMessages.delete(field);
      savedAt = new Date(now);
    },

    // The core refused the save of `entry` ({ field, value }). Refused as not editable (typed
    // while the report was being marked ready): the value is kept to save later. Returns
    // { held, alert }.
    refused(error, entry) {
      if (error.code === 'report_not_editable') {
        held.set(entry.field, entry.value);
        refusedMessages.set(entry.field, HELD_MESSAGE);
        return { held: true, alert: HELD_ALERT };
      }
      const message = error.fields?.find((f) => f.field === entry.field)?.message ?? error.message;
      refusedMessages.set(entry.field, `Not saved: ${message}`);
      return { held: false, alert: `Not saved: ${message}` };
    },

    // The autosave queue changed: { pending, retrying }.
    queueChanged(queue, now) {
      retrying = queue.retrying;
      if (queue.pending > 0 && savingSince === null) savingSince = now;
      if (queue.pending === 0) {
        savingSince = null;
        inputsSinceIdle = 0;
      }
    },

    // A fresh view of the report from the core.
    loaded(next) {
      report = next.report;
      status = next.status;
      knownRevision = report.revision;
    },

    // Values typed while the report was ready and not saved yet.
    get holdsValues() { return held.size > 0; },

    // The values held while the report was ready, once it no longer is: [[path, value]] to save
    // now (their messages go). Empty while it is still ready.
    releaseHeld() {
      if (report.state === 'ready' || !held.size) return [];
      const values = [...held];
      for (const [path] of values) refusedMessages.delete(path);
      held.clear();
      return values;
    },

    // A lifecycle step refused for these fields: the ones not already listed as missing show as
    // errors to correct.
    stepRefused(fields) {
      status = { ...status, field_errors: fields.filter((f) => !status.missing_required.some((m) => m.field === f.field)) };
    },

    // path -> [text]: the core's messages, the portal's, and refused saves'.
    messagesByPath() {
      const map = new Map();
      const add = (path, text) => map.set(path, [...(map.get(path) ?? []), text]);
      for (const e of status.field_errors) add(e.field, e.message);
      for (const e of report.portal_messages ?? []) add(e.field, `Cal-CSIRS: ${e.message}`);
      for (const [path, text] of refusedMessages) add(path, text);
      return map;
    },

    // The field whose message must not change yet: still being typed (`focusedName` is the name of
    // the control with the focus). Null when none.
    holdingPath(now, focusedName) {
      return activePath && now - lastInputAt < HOLD_MS && focusedName === activePath ? activePath : null;
    },

    // The save line: { mode: 'retrying' | 'saving' | 'saved', text }, or null to leave the text as
    // it is (a save under way, not slow yet).
    saveLine(now, pending) {
      if (retrying) {
        return { mode: 'retrying', text: `Not saved yet, retrying: ${retrying.error?.message ?? 'the database did not answer'}. Keep typing: nothing is dropped.` };
      }
      if (savingSince !== null && now - savingSince > SAVING_NOTICE_MS) return { mode: 'saving', text: 'Saving…' };
      if (pending === 0) {
        return { mode: 'saved', text: savedAt ? `Saved ${savedAt.toLocaleTimeString()} · revision ${knownRevision}` : `Saved · revision ${knownRevision}` };
      }
      return null;
    },

    // What a view fetched after a change elsewhere brings: { content, state } (booleans).
    changesIn(next) {
      return {
        content: next.report.revision > knownRevision,
        state: next.report.state !== report.state || next.report.incident_number !== report.incident_number
          || JSON.stringify(next.report.portal_messages) !== JSON.stringify(report.portal_messages),
      };
    },
  };
}
