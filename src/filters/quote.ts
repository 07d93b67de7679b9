/**
 * Unquoting of a scanned quoted token (docs/behaviour.md §4): Go string-literal
 * escapes, with "/" and "|" accepted as extra delimiters.
 *
 * The scanner has already checked the shape of every escape, so the only
 * failures left are semantic: an octal escape above 255 or a \U escape
 * beyond U+10FFFF. Both give containerd's single "quote syntax error".
 *
 * The result is bytes, not a string: \xHH and octal escapes produce raw
 * bytes that may not form valid UTF-8 (as they can in Go).
 */

import { encodeRune } from './utf8.ts';

export class QuoteSyntaxError extends Error {
  constructor() {
    super('quote syntax error');
  }
}

const SIMPLE_ESCAPES: Readonly<Record<number, number>> = {
  97: 0x07, // \a
  98: 0x08, // \b
  102: 0x0c, // \f
  110: 0x0a, // \n
  114: 0x0d, // \r
  116: 0x09, // \t
  118: 0x0b, // \v
  92: 0x5c, // \\
};

export function unquote(raw: Uint8Array): Uint8Array {
  const n = raw.length;
  const quote = raw[0];
  if (n < 2 || quote === undefined || raw[n - 1] !== quote) throw new QuoteSyntaxError();
  if (quote !== 0x22 && quote !== 0x2f && quote !== 0x7c) throw new QuoteSyntaxError();
  const body = raw.subarray(1, n - 1);
  const out: number[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === 0x0a || c === quote) throw new QuoteSyntaxError();
    if (c !== 0x5c) {
      out.push(c); // multi-byte runes are copied byte by byte
      i++;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new QuoteSyntaxError();
    i += 2;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out.push(simple);
    } else if (e === quote) {
      out.push(e);
    } else if (e === 0x78 || e === 0x75 || e === 0x55) {
      // \xHH, \uHHHH, \UHHHHHHHH
      const digits = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
      let v = 0;
      for (let j = 0; j < digits; j++) {
        const h = hexVal(body[i + j]);
        if (h < 0) throw new QuoteSyntaxError();
        v = v * 16 + h;
      }
      i += digits;
      if (e === 0x78) {
        out.push(v); // a single raw byte
      } else {
        if (v > 0x10ffff) throw new QuoteSyntaxError();
        out.push(...encodeRune(v));
      }
    } else if (e >= 0x30 && e <= 0x37) {
      // \NNN: exactly three octal digits, at most \377.
      let v = e - 0x30;
      for (let j = 0; j < 2; j++) {
        const d = body[i + j];
        if (d === undefined || d < 0x30 || d > 0x37) throw new QuoteSyntaxError();
        v = v * 8 + (d - 0x30);
      }
      i += 2;
      if (v > 255) throw new QuoteSyntaxError();
      out.push(v);
    } else {
      throw new QuoteSyntaxError();
    }
  }
  return Uint8Array.from(out);
}

function hexVal(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}
