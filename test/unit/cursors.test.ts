import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeEventCursor, decodePageCursor, encodeEventCursor, encodePageCursor } from '../../src/resolvers/cursors.ts';
import { BerthError } from '../../src/model/errors.ts';

const invalid = (message: string) => (e: unknown) => e instanceof BerthError && e.code === 'INVALID_ARGUMENT' && e.message === message;

describe('event cursors', () => {
  test('are 16 lower-case hex digits', () => {
    assert.equal(encodeEventCursor(0n), '0000000000000000');
    assert.equal(encodeEventCursor(255n), '00000000000000ff');
    assert.equal(encodeEventCursor(2n ** 63n - 1n), '7fffffffffffffff');
  });
  test('order as strings the way their sequence numbers do', () => {
    const seqs = [0n, 1n, 9n, 10n, 15n, 16n, 255n, 256n, 4096n, 2n ** 40n, 2n ** 63n - 1n];
    const cursors = seqs.map(encodeEventCursor);
    assert.deepEqual([...cursors].sort(), cursors);
  });
  test('decode back to the sequence number', () => {
    for (const seq of [0n, 1n, 42n, 2n ** 63n - 1n]) assert.equal(decodeEventCursor(encodeEventCursor(seq)), seq);
  });
  for (const bad of [
    '',
    '0',
    '000000000000000',
    '00000000000000000',
    '000000000000000G',
    '00000000000000FF',
    ' 000000000000000',
    '000000000000000 ',
    'x0000000000000000',
    '0000000000000000\n',
  ]) {
    test(`refuse ${JSON.stringify(bad)}`, () => assert.throws(() => decodeEventCursor(bad), invalid(`invalid event cursor ${JSON.stringify(bad)}`)));
  }
});

describe('page cursors', () => {
  test('round-trip any key, including non-ASCII', () => {
    for (const key of ['', 'a', 'redis', 'a.b-c_d', 'é日😀', '?>~']) assert.equal(decodePageCursor(encodePageCursor(key)), key);
  });
  test('are base64url without padding', () => {
    assert.equal(encodePageCursor('?>~'), 'Pz5-');
    assert.equal(encodePageCursor('a'), 'YQ');
  });
  for (const bad of ['YQ=', 'YQ==', 'Pz5+', '%%%', 'Y', 'YQ ', '_w']) {
    test(`refuse the non-canonical or foreign ${JSON.stringify(bad)}`, () =>
      assert.throws(() => decodePageCursor(bad), invalid(`invalid page cursor ${JSON.stringify(bad)}`)));
  }
});
