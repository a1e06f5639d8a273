import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanSize, overCap } from '../lib/limits.js';

test('sizes read as the Rust side writes them', () => {
  assert.equal(humanSize(4 * 1024 * 1024), '4 MiB');
  assert.equal(humanSize(1536), '1.5 KiB');
  assert.equal(humanSize(2 * 1024 ** 3), '2 GiB');
  assert.equal(humanSize(12), '12 bytes');
});

test('a file over its cap is refused naming the file and the cap, before reading', () => {
  const cap = 10 * 1024 * 1024;
  const message = overCap({ name: 'notice.eml', size: 2 * 1024 ** 3 }, cap, 'SEN notification e-mail (.eml)');
  assert.match(message, /^notice\.eml is 2 GiB: .* read up to 10 MiB/);
  assert.equal(overCap({ name: 'ok.eml', size: cap }, cap, 'x'), null);
  assert.equal(overCap({ name: 'ok.eml', size: cap + 1 }, undefined, 'x'), null, 'unknown cap: the command decides');
});
