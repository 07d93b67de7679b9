/**
 * Byte-level UTF-8 helpers. containerd's scanner walks a Go string, so every
 * position it reports is a byte offset and decoding follows Go's
 * utf8.DecodeRune exactly (an invalid or truncated sequence is one byte wide).
 * JavaScript strings are UTF-16, so the scanner works on the encoded bytes.
 */

export const RUNE_ERROR = 0xfffd;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8'); // replaces invalid bytes with U+FFFD
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Lone surrogates become EF BF BD, which the scanner then rejects as a rune
 * error, just as Go would reject the bytes of an encoded U+FFFD.
 */
export function toBytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function fromBytes(b: Uint8Array): string {
  return decoder.decode(b);
}

export function isValidUtf8(b: Uint8Array): boolean {
  try {
    strictDecoder.decode(b);
    return true;
  } catch {
    return false;
  }
}

/**
 * Go's utf8.DecodeRune: returns [rune, width]. [RUNE_ERROR, 0] at the end of
 * input, [RUNE_ERROR, 1] for any malformed, overlong or surrogate sequence.
 */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  if (i >= b.length) return [RUNE_ERROR, 0];
  const b0 = b[i]!;
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number, lo = 0x80, hi = 0xbf): number => {
    const x = b[i + k];
    return x !== undefined && x >= lo && x <= hi ? x & 0x3f : -1;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? [RUNE_ERROR, 1] : [((b0 & 0x1f) << 6) | c1, 2];
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // The second byte's range excludes overlong forms (E0) and surrogates (ED).
    const c1 = b0 === 0xe0 ? cont(1, 0xa0) : b0 === 0xed ? cont(1, 0x80, 0x9f) : cont(1);
    const c2 = c1 < 0 ? -1 : cont(2);
    return c2 < 0 ? [RUNE_ERROR, 1] : [((b0 & 0x0f) << 12) | (c1 << 6) | c2, 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = b0 === 0xf0 ? cont(1, 0x90) : b0 === 0xf4 ? cont(1, 0x80, 0x8f) : cont(1);
    const c2 = c1 < 0 ? -1 : cont(2);
    const c3 = c2 < 0 ? -1 : cont(3);
    return c3 < 0 ? [RUNE_ERROR, 1] : [((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4];
  }
  return [RUNE_ERROR, 1];
}

/** Go's utf8.EncodeRune: surrogates and out-of-range values encode as U+FFFD. */
export function encodeRune(r: number): number[] {
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = RUNE_ERROR;
  if (r < 0x80) return [r];
  if (r < 0x800) return [0xc0 | (r >> 6), 0x80 | (r & 0x3f)];
  if (r < 0x10000) return [0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f)];
  return [0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f)];
}

/**
 * Go's unicode.IsSpace is exactly the Unicode White_Space property (in
 * Latin-1 too: \t \n \v \f \r, space, U+0085, U+00A0). JavaScript's \s
 * differs (it adds U+FEFF and drops U+0085), hence the explicit property.
 */
const SPACE = /^\p{White_Space}$/u;
export function isSpace(r: number): boolean {
  return r >= 0 && SPACE.test(String.fromCodePoint(r));
}

/** Go's unicode.IsGraphic: categories L, M, N, P, S and Zs. */
const GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;
export function isGraphic(r: number): boolean {
  return r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff) && GRAPHIC.test(String.fromCodePoint(r));
}
