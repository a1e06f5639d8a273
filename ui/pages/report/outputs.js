// The report's outputs from the editor: PDF and JSON export written to a folder (remembered on
// this workstation), the print view, and the phone summary for when Cal-CSIRS is down. Each waits
// for the autosave queue first, so the output holds what is on screen.

import { call } from '../../lib/ipc.js';
import { clear, h } from '../../lib/dom.js';
import { renderDocView } from './readonly.js';
import { showLocal } from '../../lib/local-time.js';
import { button, dialog } from './ui.js';

const FOLDER_KEY = 'incident-desk.report-folder';

// editor: { reportId, schema, state, saver, doc(), announce(kind, text) }.
export function createOutputs(editor, defaultFolder) {
  const { reportId, schema, state, saver } = editor;
  const folder = h('input', { type: 'text', id: 'output-folder', value: localStorage.getItem(FOLDER_KEY) || defaultFolder, spellcheck: 'false', 'aria-describedby': 'output-folder-help' });
  folder.addEventListener('change', () => localStorage.setItem(FOLDER_KEY, folder.value.trim()));
  const outputStatus = h('p', { class: 'output-status', id: 'output-status', role: 'status' });
  const printView = h('div', { class: 'print-only', id: 'print-view' });

  async function writeFile(command, what) {
    outputStatus.className = 'output-status';
    outputStatus.textContent = `Writing the ${what}…`;
    try {
      await saver.flush();
      const written = await call(command, { reportId, folder: folder.value.trim() || null });
      outputStatus.className = 'output-status ok';
      outputStatus.textContent = `${what} written: `;
      outputStatus.append(h('span', { class: 'mono path', id: `${command}-path` }, written.path));
    } catch (error) {
      outputStatus.className = 'output-status error';
      outputStatus.textContent = `${what} not written: ${error.message}`;
    }
  }

  function renderPrintView() {
    const { report, knownRevision } = state;
    clear(printView).append(
      h('h1', {}, 'Incident report'),
      h('p', {}, `Report id ${report.report_id} · ${report.state} · revision ${knownRevision}${report.incident_number ? ` · incident number ${report.incident_number}` : ''} · printed ${showLocal(new Date())}`),
      renderDocView(schema, editor.doc(), { headingLevel: 2 }));
  }

  async function print() {
    await saver.flush();
    renderPrintView();
    window.print();
  }

  async function phoneSummary() {
    await saver.flush();
    let text;
    try {
      text = await call('report_phone_summary', { reportId });
    } catch (error) {
      editor.announce('error', error.message);
      return;
    }
    const pre = h('pre', { class: 'phone-summary', id: 'phone-summary-text', tabindex: '0', role: 'region', 'aria-label': 'Phone summary text' }, text);
    const copyStatus = h('p', { class: 'form-status', role: 'status' });
    const copy = h('button', { type: 'button', id: 'phone-summary-copy' }, 'Copy');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(text);
        copyStatus.textContent = 'Copied.';
      } catch {
        const range = document.createRange();
        range.selectNodeContents(pre);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        copyStatus.textContent = 'Selected: press Ctrl+C to copy.';
      }
    });
    dialog({ id: 'phone-summary-dialog', title: 'Phone summary', body: [h('p', { class: 'muted' }, 'Read this to the CISO or CHP ENTAC when Cal-CSIRS is down. The Cal-CSIRS report is still owed.'), pre, h('div', { class: 'toolbar' }, copy, copyStatus)] });
  }

  // The "Files" block of the side panel.
  const files = h('section', { class: 'side-block', 'aria-labelledby': 'outputs-title' },
    h('h2', { id: 'outputs-title' }, 'Files'),
    h('div', { class: 'field' },
      h('label', { for: 'output-folder' }, 'Save files in folder'),
      folder,
      h('div', { class: 'help', id: 'output-folder-help' }, 'A full path (or ~/…). Files are named after the report and its revision.')),
    h('div', { class: 'toolbar' },
      button('Write PDF', 'report-write-pdf', () => writeFile('report_write_pdf', 'PDF')),
      button('Export JSON', 'report-export', () => writeFile('report_export_file', 'JSON export'))),
    outputStatus);

  return { files, printView, renderPrintView, print, phoneSummary };
}
