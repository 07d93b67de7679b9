import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonBytes } from '../../src/server/json-bytes.ts';
import { type Random, seededRandom } from '../helpers/random.ts';

/** The oracle is JSON.stringify itself: jsonBytes must give its text, byte for byte, as UTF-8. */
function assertSameAsStringify(value: unknown, message?: string): void {
  assert.equal(jsonBytes(value).toString('utf8'), JSON.stringify(value), message);
}

test('plain values, at every depth, as JSON.stringify writes them', () => {
  for (const value of [
    null,
    0,
    -0,
    1.5e300,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    '',
    'a "quoted" \\ line\nbreak \u2028 é 😀 \ud800',
    [],
    {},
    [[[[[[1]]]]]],
    { a: { b: { c: { d: { e: { f: 'deep' } } } } } },
  ]) {
    assertSameAsStringify(value);
    assertSameAsStringify({ data: { list: [value, { value }] } });
  }
});

test('what JSON.stringify leaves out of objects, and writes as null in arrays', () => {
  const sym = Symbol('s');
  const fn = () => 1;
  assertSameAsStringify({ a: undefined, b: fn, c: sym, d: 1, [sym]: 2 });
  assertSameAsStringify({ first: undefined, second: 2 }, 'no comma before the first written key');
  assertSameAsStringify([undefined, fn, sym, 1]);
  assertSameAsStringify({ data: { x: [undefined, { y: undefined, z: fn }] } });
});

test('toJSON, dates, boxed primitives, maps, errors and null-prototype objects', () => {
  const nullProto = Object.assign(Object.create(null), { b: 2, a: 1 });
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }
  const values = [
    { toJSON: () => ({ replaced: true }) },
    { nested: { toJSON: (key: string) => `key ${key}` } },
    [{ toJSON: (key: string) => `index ${key}` }],
    new Date(0),
    new Number(3),
    new String('boxed'),
    new Boolean(false),
    new Map([[1, 2]]),
    new Error('not enumerable'),
    nullProto,
    new Point(1, 2),
  ];
  for (const value of values) {
    assertSameAsStringify(value);
    assertSameAsStringify({ data: { page: { nodes: [value] } } });
  }
});

test('a cycle throws as JSON.stringify does', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = { again: cyclic };
  assert.throws(() => jsonBytes({ data: cyclic }), TypeError);
  assert.throws(() => jsonBytes({ n: 1n }), TypeError);
});

function randomValue(random: Random, depth: number): unknown {
  const kind = random.int(depth > 6 ? 5 : 9);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5) ? random.int(1_000_000) - 500_000 : random.next() * 1e6;
    case 2:
      return random.chance(0.5);
    case 3:
      return Array.from({ length: random.int(40) }, () =>
        String.fromCodePoint(random.pick([0x22, 0x5c, 0x0a, 0x41, 0xe9, 0x2028, 0x1f600, 0xd800]) + random.int(3)),
      ).join('');
    case 4:
      return random.chance(0.5) ? undefined : 'x';
    case 5:
    case 6:
      return Array.from({ length: random.int(depth < 3 ? 60 : 6) }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: random.int(8) }, (_, i) => [`k${i}${random.pick(['', '"', 'é'])}`, randomValue(random, depth + 1)]));
  }
}

test('random nested values, some past the piece size', () => {
  const random = seededRandom();
  let bytes = 0;
  for (let i = 0; i < 300; i++) {
    const value = { data: randomValue(random, 0) };
    assertSameAsStringify(value, `seed ${random.seed}, value ${i}`);
    bytes = Math.max(bytes, jsonBytes(value).length);
  }
  const page = {
    data: { containers: { nodes: Array.from({ length: 200 }, (_, i) => ({ id: `c${i}`, spec: 'é'.repeat(900), labels: [{ key: 'k', value: `${i}` }] })) } },
  };
  assertSameAsStringify(page, 'a page of about 380 KB, many pieces');
  assert.ok(jsonBytes(page).length > 64 * 1024, 'the page is larger than one piece');
});

test('a value that JSON.stringify writes nothing for gives no bytes', () => {
  assert.equal(jsonBytes(undefined).length, 0);
  assert.equal(jsonBytes({ toJSON: () => undefined }).length, 0);
});
