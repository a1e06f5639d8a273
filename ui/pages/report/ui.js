// Small pieces the report pages share: the state badge and modal dialogs (native <dialog>: it
// keeps the focus inside, Escape closes it, and the focus returns to where it was).

import { h } from '../../lib/dom.js';

const STATE_LABEL = { draft: 'Draft', ready: 'Ready', queued: 'Queued', sent: 'Sent' };

export function stateBadge(state) {
  return h('span', { class: `state state-${state}` }, STATE_LABEL[state] ?? state);
}

// Opens a modal dialog; returns { element, close }. `body` is nodes; the dialog always has a
// Close button and is removed from the page when closed.
export function dialog({ id, title, body, actions = [], onClose = () => {} }) {
  const opener = document.activeElement;
  const titleId = `${id}-title`;
  const close = h('button', { type: 'button', class: 'dialog-close', id: `${id}-close` }, 'Close');
  const element = h('dialog', { id, class: 'desk-dialog', 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, title), close),
    h('div', { class: 'dialog-body' }, body),
    actions.length ? h('div', { class: 'toolbar dialog-actions' }, actions) : null);
  const finish = () => element.close();
  close.addEventListener('click', finish);
  element.addEventListener('close', () => {
    element.remove();
    onClose();
    if (opener && document.contains(opener)) opener.focus();
  });
  document.body.append(element);
  element.showModal();
  return { element, close: finish };
}

// Resolves true when the person confirms, false when they cancel or press Escape.
export function confirmDialog({ title, text, confirm }) {
  return new Promise((resolve) => {
    let answer = false;
    const yes = h('button', { type: 'button', class: 'primary', id: 'confirm-yes' }, confirm);
    const no = h('button', { type: 'button', id: 'confirm-no' }, 'Cancel');
    const d = dialog({ id: 'confirm-dialog', title, body: [h('p', {}, text)], actions: [yes, no], onClose: () => resolve(answer) });
    yes.addEventListener('click', () => { answer = true; d.close(); });
    no.addEventListener('click', () => d.close());
    no.focus();
  });
}

// A plain button that runs `onclick`.
export function button(label, id, onclick, cls = '') {
  return h('button', { type: 'button', id, class: cls, onclick }, label);
}
