// Pages not built yet say so plainly.
import { h } from '../lib/dom.js';

export function placeholder(title, text) {
  return {
    async mount(main) {
      main.append(h('h1', {}, title), h('p', { class: 'muted' }, text));
    },
  };
}
