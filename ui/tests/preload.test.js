import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..');

// Every module statically reachable from `entry`, as paths relative to ui/.
function graph(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const m of readFileSync(entry, 'utf8').matchAll(/^import\s[^;]*?from\s+'([^']+)'/gm)) graph(join(dirname(entry), m[1]), seen);
  return seen;
}

test('index.html preloads every module of the first screen (app.js and the SEN board)', () => {
  const html = readFileSync(join(ui, 'index.html'), 'utf8');
  const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]));
  const needed = [...graph(join(ui, 'app.js')), ...graph(join(ui, 'pages/sens.js'))]
    .map((f) => relative(ui, f))
    .filter((f) => f !== 'app.js');
  for (const module of needed) assert.ok(preloaded.has(module), `index.html should preload ${module}`);
  for (const module of preloaded) assert.ok(needed.includes(module), `index.html preloads ${module}, which the first screen does not use`);
});

test('index.html links every page stylesheet (no @import chains)', () => {
  const html = readFileSync(join(ui, 'index.html'), 'utf8');
  for (const css of readdirSync(join(ui, 'pages')).filter((f) => f.endsWith('.css'))) {
    assert.ok(html.includes(`<link rel="stylesheet" href="pages/${css}">`), `index.html should link pages/${css}`);
  }
  assert.ok(!readFileSync(join(ui, 'styles.css'), 'utf8').includes('@import'));
});
