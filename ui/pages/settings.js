// Settings: one section per concept, each its own module under pages/settings/. A section module
// exports `id`, `title` and `mount(sectionElement, { onSaveKey })`; Ctrl+S saves the section that
// holds the focus.

import { h } from '../lib/dom.js';
import * as profile from './settings/profile.js';
import * as backups from './settings/backups.js';
import * as calendar from './settings/calendar.js';
import * as portal from './settings/portal.js';
import * as reminders from './settings/reminders.js';
import * as security from './settings/security.js';

const sections = [profile, calendar, reminders, portal, security, backups];

export async function mount(main, { route } = {}) {
  const saveHandlers = new Map();
  const onSaveKey = (element, save) => saveHandlers.set(element, save);
  const onKey = (e) => {
    if (!((e.ctrlKey || e.metaKey) && e.key === 's')) return;
    for (const [element, save] of saveHandlers) {
      if (element.contains(document.activeElement)) { save(e); return; }
    }
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);

  main.append(h('h1', {}, 'Settings'));
  const nav = h('nav', { class: 'settings-toc', 'aria-label': 'Settings sections' },
    h('ul', {}, sections.map((s) => h('li', {}, h('button', { type: 'button', class: 'link', 'data-section': s.id,
      onclick: () => { const el = document.getElementById(`settings-${s.id}`); el?.scrollIntoView(); el?.querySelector('input, select, textarea, button')?.focus(); } }, s.title)))));
  main.append(nav);
  const results = await Promise.allSettled(sections.map(async (s) => {
    const element = h('section', { class: 'settings-section', id: `settings-${s.id}`, 'aria-labelledby': `settings-${s.id}-title` },
      h('h2', { id: `settings-${s.id}-title` }, s.title));
    main.append(element);
    await s.mount(element, { onSaveKey });
  }));
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  // #/settings/<section> (the tray's "Lock now" without a passphrase, the portal banner) opens there.
  const wanted = String(route ?? '').split('/')[2];
  if (wanted) document.getElementById(`settings-${wanted}`)?.scrollIntoView();
  return () => document.removeEventListener('keydown', onKey);
}
