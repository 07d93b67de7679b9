// unquote on its own: Go's string-literal escapes with containerd's extra delimiters, and every
// malformed input refused with "quote syntax error". Through the parser most malformed inputs are
// already stopped by the scanner; here each rule of unquote itself is shown to hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QuoteSyntaxError, unquote } from '../../src/filters/quote.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('unquote accepts', () => {
  const cases: [string, string][] = [
    ['""', ''],
    ['"abc"', '616263'],
    ['/a"b/', '612262'],
    ['|a/b|', '612f62'],
    ['"é"', 'c3a9'],
    ['"\\a\\b\\f\\n\\r\\t\\v\\\\"', '07080c0a0d090b5c'],
    ['"\\""', '22'],
    ['/\\//', '2f'],
    ['|\\||', '7c'],
    ['"\\x00\\x09\\xff\\xFF\\xaB\\x7f"', '0009ffffab7f'],
    ['"\\u00e9\\u00E9\\uABCD\\u0000"', 'c3a9c3a9eaaf8d00'],
    ['"\\U0001F600\\U0010ffff"', 'f09f9880f48fbfbf'],
    ['"\\000\\007\\010\\377\\101"', '000708ff41'],
    ['"a\\x41b"', '614162'],
  ];
  for (const [input, want] of cases) it(`${JSON.stringify(input)} as ${want || 'nothing'}`, () => assert.equal(hex(unquote(bytes(input))), want));
});

describe('unquote refuses', () => {
  const cases = [
    '',
    '"',
    '/',
    'ab',
    '"a',
    'a"',
    '"a/',
    "'a'",
    'xax',
    '`a`',
    '"a\nb"',
    '"a"b"',
    '/a/b/',
    '|a|b|',
    '"\\"',
    '"a\\"',
    '"\\x4"',
    '"\\xg0"',
    '"\\x0g"',
    '"\\x/0"',
    '"\\x:0"',
    '"\\x@0"',
    '"\\xG0"',
    '"\\x`0"',
    '"\\x0G"',
    '"\\u12"',
    '"\\u123g"',
    '"\\U0011ffff"',
    '"\\UFFFFFFFF"',
    '"\\U0010fff"',
    '"\\8"',
    '"\\9"',
    '"\\1"',
    '"\\12"',
    '"\\128"',
    '"\\19a"',
    '"\\400"',
    '"\\777"',
    '"\\!00"',
    '"\\0/0"',
    '"\\q"',
    '"\\\'"',
    '"\\/"',
    '"\\|"',
    '/\\"/',
  ];
  for (const input of cases) {
    it(JSON.stringify(input), () =>
      assert.throws(
        () => unquote(bytes(input)),
        (e: unknown) => e instanceof QuoteSyntaxError && e.message === 'quote syntax error',
      ),
    );
  }
});
