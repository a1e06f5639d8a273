import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..');

// The build joins the linked stylesheets into one (src-tauri/crates/ui-bundle): a page stylesheet
// not linked would be left out, and an @import would land in the middle of the joined file.
test('index.html links every page stylesheet (no @import chains)', () => {
  const html = readFileSync(join(ui, 'index.html'), 'utf8');
  const sheets = ['styles.css', ...readdirSync(join(ui, 'pages')).filter((f) => f.endsWith('.css')).map((f) => `pages/${f}`)];
  for (const css of sheets) {
    assert.ok(html.includes(`<link rel="stylesheet" href="${css}">`), `index.html should link ${css}`);
    assert.ok(!readFileSync(join(ui, css), 'utf8').includes('@import'), `${css} should not @import`);
  }
});
