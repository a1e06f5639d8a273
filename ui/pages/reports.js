// Reports page: `#/reports` lists them, `#/reports/<report id>` opens the editor.

import { mountList } from './report/list.js';
import { mountEditor } from './report/editor.js';

export async function mount(main, { route }) {
  const [, reportId] = route.replace(/^#\/?/, '').split('/');
  if (reportId) return mountEditor(main, decodeURIComponent(reportId));
  return mountList(main);
}
