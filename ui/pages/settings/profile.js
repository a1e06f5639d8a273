// Settings section: the entity profile that new reports are pre-filled from.

import { call } from '../../lib/ipc.js';
import { h } from '../../lib/dom.js';
import { renderForm } from '../../lib/form.js';

export const id = 'profile';
export const title = 'Entity profile';

export async function mount(section, { onSaveKey }) {
  const [schema, profile] = await Promise.all([call('profile_schema'), call('profile_get')]);
  const status = h('div', { class: 'form-status', id: 'profile-status', role: 'status' });
  const form = renderForm(schema);
  form.setValues(profile);

  async function save(event) {
    event?.preventDefault();
    status.className = 'form-status';
    status.textContent = 'Saving…';
    try {
      const saved = await call('profile_save', { profile: form.values() });
      form.setValues(saved);
      form.setErrors([]);
      status.className = 'form-status ok';
      status.textContent = `Profile saved at ${new Date().toLocaleTimeString()}.`;
    } catch (error) {
      // The typed values stay in the form; the last saved profile stays on disk.
      const first = form.setErrors(error.fields);
      status.className = 'form-status error';
      status.textContent = `Not saved: ${error.message}`;
      first?.focus();
    }
  }

  form.element.addEventListener('submit', save);
  onSaveKey(form.element, save);
  section.append(
    h('p', { class: 'muted' }, 'New incident reports start from these contacts. Saved on this workstation only.'),
    form.element,
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', id: 'profile-save', onclick: save }, 'Save profile ', h('kbd', {}, 'Ctrl+S')),
      status),
  );
}
