import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anyJson, goJsonTime, goTimeString, marshal, marshalIndent } from '../../src/cli/go-format.ts';

/** Expected texts are what Go 1.22+ encoding/json and time print for the same values. */

test('strings: HTML-safe escapes, short escapes, \\u00XX for other controls, U+2028/9, lone surrogates', () => {
  assert.equal(marshal('<a&b>'), '"\\u003ca\\u0026b\\u003e"');
  assert.equal(marshal('\x01\b\f\n\r\t"\\'), '"\\u0001\\b\\f\\n\\r\\t\\"\\\\"');
  assert.equal(marshal('\x7f é 😀'), '"\x7f é 😀"');
  assert.equal(marshal('\u2028\u2029'), '"\\u2028\\u2029"');
  assert.equal(marshal('a\ud800b'), '"a\\ufffdb"');
});

test('numbers: shortest digits, exponent form below 1e-6 and from 1e21', () => {
  assert.equal(marshal([0, 1.5, 123456789, 0.000001, 1e-7, 1.5e-7, 1e21, -2]), '[0,1.5,123456789,0.000001,1e-7,1.5e-7,1e+21,-2]');
});

test('MarshalIndent: four spaces, "key": value, empty object and array stay on one line', () => {
  const value = new Map<string, unknown>([
    ['b', {}],
    ['a', [1, new Map([['x', null]])]],
    ['c', []],
  ]);
  assert.equal(marshalIndent(value as never), '{\n    "b": {},\n    "a": [\n        1,\n        {\n            "x": null\n        }\n    ],\n    "c": []\n}');
});

test('a Map keeps its order where a JS object would move integer-like keys first', () => {
  assert.equal(
    marshal(
      new Map([
        ['10', 1],
        ['9', 2],
      ]),
    ),
    '{"10":1,"9":2}',
  );
});

test('a protobuf Any leaves out empty fields (omitempty)', () => {
  assert.equal(marshal(anyJson({ typeUrl: 't', value: '' })), '{"type_url":"t"}');
  assert.equal(marshal(anyJson({ typeUrl: '', value: 'AA==' })), '{"value":"AA=="}');
  assert.equal(marshal(anyJson(null)), 'null');
});

test("time.Time's JSON and String forms trim trailing zeros of the fraction", () => {
  assert.equal(goJsonTime('2026-11-28T06:10:29.123400Z'), '2026-11-28T06:10:29.1234Z');
  assert.equal(goJsonTime('2026-11-28T06:10:29.000000Z'), '2026-11-28T06:10:29Z');
  assert.equal(goTimeString('2026-11-28T06:10:29.123456Z'), '2026-11-28 06:10:29.123456 +0000 UTC');
  assert.equal(goTimeString('2026-11-28T06:10:29.000000Z'), '2026-11-28 06:10:29 +0000 UTC');
});
