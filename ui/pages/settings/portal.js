// Settings section: the portal address, the token (written to the OS keyring; the UI never gets
// it back, only whether one is stored), and a connection test.

import { call } from '../../lib/ipc.js';
import { h } from '../../lib/dom.js';

export const id = 'portal';
export const title = 'Portal (Cal-CSIRS)';

export async function mount(section, { onSaveKey }) {
  const url = h('input', { type: 'url', id: 'portal-url', name: 'portal.base_url', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'https://portal.example.gov', 'aria-describedby': 'portal-url-help portal-url-error' });
  const urlError = h('div', { class: 'field-error', id: 'portal-url-error', role: 'alert' });
  const token = h('input', { type: 'password', id: 'portal-token', name: 'portal.token', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'portal-token-help portal-token-state portal-token-error' });
  const tokenError = h('div', { class: 'field-error', id: 'portal-token-error', role: 'alert' });
  const tokenState = h('div', { class: 'help', id: 'portal-token-state' });
  const status = h('div', { class: 'form-status', id: 'portal-status', role: 'status' });
  const forget = h('button', { type: 'button', id: 'portal-token-forget', class: 'danger', hidden: true, onclick: () => run('Forgetting the token', () => call('portal_forget_token'), 'Token removed from the keyring.') }, 'Forget token');

  function show(settings) {
    url.value = settings.url ?? '';
    tokenState.textContent = settings.keyring_error ? `Keyring: ${settings.keyring_error}`
      : settings.token_stored ? 'A token is stored in the keyring for this address.' : 'No token is stored for this address.';
    tokenState.className = settings.keyring_error ? 'help field-error' : 'help';
    forget.hidden = !settings.token_stored;
  }

  function setErrors(fields = []) {
    const by = new Map(fields.map((f) => [f.field, f.message]));
    for (const [control, error, field] of [[url, urlError, 'portal.base_url'], [token, tokenError, 'portal.token']]) {
      error.textContent = by.get(field) ?? '';
      if (by.has(field)) control.setAttribute('aria-invalid', 'true'); else control.removeAttribute('aria-invalid');
    }
    return by.has('portal.base_url') ? url : by.has('portal.token') ? token : null;
  }

  async function run(doing, fn, done) {
    status.className = 'form-status';
    status.textContent = `${doing}\u2026`;
    try {
      const result = await fn();
      setErrors([]);
      if (result && 'token_stored' in result) show(result);
      status.className = 'form-status ok';
      status.textContent = typeof done === 'function' ? done(result) : done;
      return result;
    } catch (error) {
      setErrors(error.fields)?.focus();
      status.className = 'form-status error';
      status.textContent = error.message;
      return null;
    }
  }

  const saveUrl = (e) => { e?.preventDefault(); return run('Saving the address', () => call('portal_set_url', { url: url.value }), 'Portal address saved.'); };
  const saveToken = async (e) => {
    e?.preventDefault();
    const value = token.value;
    const result = await run('Storing the token in the keyring', () => call('portal_set_token', { token: value }), 'Token stored in the keyring; queued items go now.');
    // The field never keeps the secret once it is in the keyring.
    if (result) token.value = '';
  };
  const test = () => run('Testing the connection', () => call('portal_test'), (r) => r.message);

  const urlForm = h('form', { class: 'portal-form', onsubmit: saveUrl },
    h('div', { class: 'field' },
      h('label', { for: 'portal-url' }, 'Portal address'),
      url,
      h('div', { class: 'help', id: 'portal-url-help' }, 'The base URL the portal administrator gave you, e.g. https://portal.example.gov (https:// is required; http:// only for the practice portal on this computer: incident-desk practice-portal).'),
      urlError),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit', class: 'primary', id: 'portal-url-save' }, 'Save address')));
  const tokenForm = h('form', { class: 'portal-form', onsubmit: saveToken },
    h('div', { class: 'field' },
      h('label', { for: 'portal-token' }, 'Portal token'),
      token,
      h('div', { class: 'help', id: 'portal-token-help' }, 'Kept only in the desktop keyring, never in files or logs; it cannot be shown again.'),
      tokenState,
      tokenError),
    h('div', { class: 'toolbar' },
      h('button', { type: 'submit', class: 'primary', id: 'portal-token-save' }, 'Store token in keyring'),
      forget));
  onSaveKey(urlForm, saveUrl);
  onSaveKey(tokenForm, saveToken);
  section.append(urlForm, tokenForm,
    h('div', { class: 'toolbar' }, h('button', { type: 'button', id: 'portal-test', onclick: test }, 'Test connection'), status));
  show(await call('portal_settings_get'));
  if (location.hash.startsWith('#/settings/portal')) {
    section.scrollIntoView();
    (url.value ? token : url).focus();
  }
}
