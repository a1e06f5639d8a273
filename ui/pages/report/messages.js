// The messages on the report's fields (the core's checks, the portal's refusals, refused saves).
// The field being typed keeps its message until the typing pauses or the focus leaves it.

import { HOLD_MS } from './editor-state.js';

// form: the report form; state: the editor state.
export function createMessages(form, state) {
  let holdTimer = null;

  function render() {
    form.setMessages(state.messagesByPath(), state.holdingPath(Date.now(), document.activeElement?.name));
  }

  // After a keystroke: shown once the typing pauses.
  function schedule() {
    clearTimeout(holdTimer);
    holdTimer = setTimeout(render, HOLD_MS + 20);
  }

  const onBlur = (e) => { if (state.blurred(e.target?.name)) render(); };
  form.element.addEventListener('focusout', onBlur);

  return { render, schedule, stop: () => clearTimeout(holdTimer) };
}
