// The banner strip above every page: standing conditions (portal offline, reminders due, a damaged
// database) that the ISO must see whatever page is open. Each banner has an id so its owner can
// replace or clear it.

import { clear, h } from './dom.js';

const banners = new Map();
// While the app is locked no banner is in the page (they name SENs and reports); kept for after.
let withheld = false;

function render() {
  const strip = document.getElementById('banners');
  if (!strip) return;
  clear(strip);
  if (withheld) return;
  for (const [id, b] of banners) {
    strip.append(h('div', { class: `banner banner-${b.level ?? 'info'}`, id: `banner-${id}`, role: b.level === 'critical' ? 'alert' : 'status' },
      h('span', { class: 'banner-text' }, b.text),
      (b.actions ?? []).map((a) => h('button', { type: 'button', class: 'banner-action', onclick: a.run }, a.label))));
  }
}

// level: 'info' | 'warn' | 'critical'; actions: [{ label, run }].
export function setBanner(id, { level = 'info', text, actions = [] }) {
  banners.set(id, { level, text, actions });
  render();
}

export function clearBanner(id) {
  if (banners.delete(id)) render();
}

export function withholdBanners(hidden) {
  withheld = hidden;
  render();
}
