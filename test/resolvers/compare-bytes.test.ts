import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareBytes } from '../../src/resolvers/validate.ts';
import { seededRandom } from '../helpers/random.ts';

/** compareBytes must order strings exactly as their UTF-8 bytes (Postgres COLLATE "C"). */
test('compareBytes agrees with a byte-wise comparison of the UTF-8 encodings', () => {
  const random = seededRandom();
  const alphabet = ['a', 'Z', '0', '\u0000', '\u007f', '\u0080', 'é', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '😀', '\u{10ffff}', '日'];
  const word = () => Array.from({ length: random.int(4) }, () => random.pick(alphabet)).join('');
  for (let i = 0; i < 20_000; i++) {
    const a = word();
    const b = word();
    assert.equal(Math.sign(compareBytes(a, b)), Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))), `seed ${random.seed}: ${JSON.stringify([a, b])}`);
  }
});
