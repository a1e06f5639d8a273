import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPath, joinPhones, setPath, splitPhones } from '../lib/paths.js';
import { normalizeError } from '../lib/ipc.js';

test('dotted paths read and write nested values, creating lists for numeric keys', () => {
  const value = {};
  setPath(value, 'iso.email', 'a@b.gov');
  setPath(value, 'computers.0.ip', '10.0.0.1');
  assert.deepEqual(value, { iso: { email: 'a@b.gov' }, computers: [{ ip: '10.0.0.1' }] });
  assert.equal(getPath(value, 'computers.0.ip'), '10.0.0.1');
  assert.equal(getPath(value, 'missing.deep.path'), undefined);
});

test('phones split on ; and new lines and join back', () => {
  assert.deepEqual(splitPhones(' (916) 445-5239; 916.843.4199 ;\n'), ['(916) 445-5239', '916.843.4199']);
  assert.equal(joinPhones(['1', '2']), '1; 2');
  assert.deepEqual(splitPhones(''), []);
});

test('IPC errors are always {code, message, fields}', () => {
  assert.deepEqual(normalizeError({ code: 'invalid', message: 'bad', fields: [{ field: 'a', message: 'b' }] }),
    { code: 'invalid', message: 'bad', fields: [{ field: 'a', message: 'b' }] });
  assert.deepEqual(normalizeError('invalid args'), { code: 'ipc', message: 'invalid args', fields: [] });
});
