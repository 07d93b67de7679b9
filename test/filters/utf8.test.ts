// The byte-level UTF-8 helpers on their own, as Go defines them (unicode/utf8 and unicode). A filter
// arrives as a JavaScript string, so the scanner only ever decodes valid UTF-8; the malformed,
// overlong and surrogate sequences Go's DecodeRune refuses are shown here, byte by byte. Every
// expected value is Go's documented answer, written by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RUNE_ERROR, decodeRune, encodeRune, fromBytes, isGraphic, isSpace, isValidUtf8, toBytes } from '../../src/filters/utf8.ts';

const decode = (...b: number[]) => decodeRune(Uint8Array.from(b), 0);

describe('decodeRune (Go utf8.DecodeRune)', () => {
  it('decodes each length at both ends of its range', () => {
    const cases: [number[], number, number][] = [
      [[0x00], 0x00, 1],
      [[0x7f], 0x7f, 1],
      [[0xc2, 0x80], 0x80, 2],
      [[0xdf, 0xbf], 0x7ff, 2],
      [[0xe0, 0xa0, 0x80], 0x800, 3],
      [[0xed, 0x9f, 0xbf], 0xd7ff, 3],
      [[0xee, 0x80, 0x80], 0xe000, 3],
      [[0xef, 0xbf, 0xbf], 0xffff, 3],
      [[0xf0, 0x90, 0x80, 0x80], 0x10000, 4],
      [[0xf1, 0x80, 0x80, 0x80], 0x40000, 4],
      [[0xf3, 0xbf, 0xbf, 0xbf], 0xfffff, 4],
      [[0xf4, 0x8f, 0xbf, 0xbf], 0x10ffff, 4],
    ];
    for (const [bytes, rune, width] of cases) assert.deepEqual(decode(...bytes), [rune, width], bytes.map((b) => b.toString(16)).join(' '));
  });

  it('is one RuneError byte wide for a malformed, overlong, surrogate or truncated sequence', () => {
    const malformed: number[][] = [
      [0x80], // a continuation byte alone, also before more of them
      [0xbf],
      [0x80, 0x80, 0x80],
      [0x80, 0x80, 0x80, 0x80],
      [0xc1, 0x80, 0x80, 0x80],
      [0xc0, 0x80], // overlong two-byte leads
      [0xc1, 0xbf],
      [0xc2], // truncated
      [0xc2, 0x7f], // continuation out of range, below and above
      [0xc2, 0xc0],
      [0xe0, 0x9f, 0xbf], // overlong three-byte
      [0xed, 0xa0, 0x80], // a surrogate
      [0xed, 0xbf, 0xbf],
      [0xe1, 0x80], // truncated
      [0xe1, 0x7f, 0x80],
      [0xe1, 0x80, 0x7f],
      [0xe1, 0x80, 0xc0],
      [0xf0, 0x8f, 0xbf, 0xbf], // overlong four-byte
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0xf5, 0x80, 0x80, 0x80], // leads that no rune has
      [0xf8, 0x88, 0x80, 0x80],
      [0xff],
      [0xf1, 0x80, 0x80], // truncated
      [0xf1, 0x7f, 0x80, 0x80],
      [0xf1, 0x80, 0x7f, 0x80],
      [0xf1, 0x80, 0x80, 0x7f],
      [0xf1, 0x80, 0x80, 0xc0],
    ];
    for (const bytes of malformed) assert.deepEqual(decode(...bytes), [RUNE_ERROR, 1], bytes.map((b) => b.toString(16)).join(' '));
  });

  it('reads at an offset, and is zero wide at the end', () => {
    const text = Uint8Array.from([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac]); // a é €
    assert.deepEqual(decodeRune(text, 1), [0xe9, 2]);
    assert.deepEqual(decodeRune(text, 3), [0x20ac, 3]);
    assert.deepEqual(decodeRune(text, 6), [RUNE_ERROR, 0]);
    assert.deepEqual(decodeRune(new Uint8Array(0), 0), [RUNE_ERROR, 0]);
  });
});

describe('encodeRune (Go utf8.EncodeRune)', () => {
  it('encodes each length at both ends of its range', () => {
    const cases: [number, number[]][] = [
      [0x00, [0x00]],
      [0x7f, [0x7f]],
      [0x80, [0xc2, 0x80]],
      [0x7ff, [0xdf, 0xbf]],
      [0x800, [0xe0, 0xa0, 0x80]],
      [0xd7ff, [0xed, 0x9f, 0xbf]],
      [0xe000, [0xee, 0x80, 0x80]],
      [0xffff, [0xef, 0xbf, 0xbf]],
      [0x10000, [0xf0, 0x90, 0x80, 0x80]],
      [0x10ffff, [0xf4, 0x8f, 0xbf, 0xbf]],
    ];
    for (const [rune, bytes] of cases) assert.deepEqual(encodeRune(rune), bytes, rune.toString(16));
  });

  it('encodes a surrogate or a value out of range as U+FFFD', () => {
    for (const rune of [-1, 0xd800, 0xdfff, 0x110000]) assert.deepEqual(encodeRune(rune), [0xef, 0xbf, 0xbd], rune.toString(16));
  });
});

describe('text and bytes', () => {
  it('a lone surrogate encodes as the bytes of U+FFFD; invalid bytes decode to U+FFFD', () => {
    assert.deepEqual([...toBytes('a\ud800')], [0x61, 0xef, 0xbf, 0xbd]);
    assert.equal(fromBytes(Uint8Array.from([0x61, 0xff, 0xc3, 0xa9])), 'a\ufffdé');
  });

  it('isValidUtf8', () => {
    assert.equal(isValidUtf8(new Uint8Array(0)), true);
    assert.equal(isValidUtf8(Uint8Array.from([0xc3, 0xa9])), true);
    assert.equal(isValidUtf8(Uint8Array.from([0xc3])), false);
    assert.equal(isValidUtf8(Uint8Array.from([0xed, 0xa0, 0x80])), false);
  });
});

describe('character classes (Go unicode.IsSpace, unicode.IsGraphic)', () => {
  it('isSpace is the White_Space property', () => {
    const spaces = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000];
    for (const r of spaces) assert.equal(isSpace(r), true, r.toString(16));
    for (const r of [-1, 0x08, 0x0e, 0x1f, 0x21, 0x200b, 0xfeff, 0x61]) assert.equal(isSpace(r), false, r.toString(16));
  });

  it('isGraphic is L, M, N, P, S and Zs', () => {
    for (const r of [0x20, 0x61, 0xa0, 0x301, 0x3000, 0x1f600]) assert.equal(isGraphic(r), true, r.toString(16));
    for (const r of [-1, 0x09, 0x85, 0x200b, 0x2028, 0x2029, 0x378, 0xd800, 0xdfff, 0xe000, 0x10fffd, 0x110000]) {
      assert.equal(isGraphic(r), false, r.toString(16));
    }
  });
});
