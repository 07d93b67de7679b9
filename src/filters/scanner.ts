/**
 * The lexer of containerd's filter language (docs/behaviour.md §4).
 *
 * It reproduces containerd's scanner token for token, because the exact
 * error texts and positions are part of the contract: positions are byte
 * offsets into the UTF-8 input, errors are sticky (the first one wins, even
 * one raised while only peeking), and "value mode" after an operator changes
 * what a run of characters means.
 */

import { RUNE_ERROR, decodeRune, fromBytes, isGraphic, isSpace, toBytes } from './utf8.ts';

export type TokenKind = 'Field' | 'Value' | 'Quoted' | 'Operator' | 'Separator' | 'Illegal' | 'EOF' | 'Char';

export interface Token {
  readonly pos: number; // byte offset of the token (of the rune, for 'Char')
  readonly kind: TokenKind;
  readonly start: number; // byte range of the raw text; empty for EOF, Char and rune-level Illegal
  readonly end: number;
  readonly text: string; // raw source text of the token
  readonly rune: number; // for 'Char': the single rune that matched no rule
}

/** Pseudo-runes returned by next()/peek(); real runes are never negative. */
export const EOF = -1;
export const ILLEGAL = -2;

export class Scanner {
  readonly input: Uint8Array;
  pos = 0; // start of the rune read last
  ppos = 0; // end of the rune read last
  err = '';
  private valueMode = false;

  constructor(input: string) {
    this.input = toBytes(input);
  }

  /**
   * Reads one rune. At the end pos is left at the input length, so a token
   * that starts there reports the length as its position.
   */
  next(): number {
    if (this.pos >= this.input.length) return EOF;
    this.pos = this.ppos;
    const [r, w] = decodeRune(this.input, this.ppos);
    this.ppos += w;
    if (w === 0) return EOF;
    if (r === RUNE_ERROR) {
      // Go cannot tell a malformed byte from an encoded U+FFFD: both are errors.
      this.error('rune error');
      return ILLEGAL;
    }
    if (r === 0) {
      this.error('unexpected null');
      return ILLEGAL;
    }
    return r;
  }

  /**
   * Looks at the next rune without consuming it. Like containerd, a bad rune
   * seen here still records the sticky error.
   */
  peek(): number {
    const { pos, ppos } = this;
    const r = this.next();
    this.pos = pos;
    this.ppos = ppos;
    return r;
  }

  scan(): Token {
    let ch = this.next();
    let pos = this.pos;
    // Whitespace is skipped only here, before a token; the parser's own
    // lookahead (peek) does not skip it, which is why trailing blanks fail.
    while (ch >= 0 && isSpace(ch)) {
      ch = this.next();
      pos = this.pos;
    }
    if (ch === EOF || ch === ILLEGAL) {
      return this.token(this.pos, ch === EOF ? 'EOF' : 'Illegal', this.pos, this.pos);
    }
    if (isQuoteRune(ch)) {
      const ok = this.scanQuoted(ch);
      return this.token(pos, ok ? 'Quoted' : 'Illegal', pos, this.ppos);
    }
    if (isSeparatorRune(ch)) {
      this.valueMode = false;
      return this.token(pos, 'Separator', pos, this.ppos);
    }
    if (isOperatorRune(ch)) {
      this.scanWhile(isOperatorRune);
      this.valueMode = true;
      return this.token(pos, 'Operator', pos, this.ppos);
    }
    if (this.valueMode) {
      // Any rune not claimed above starts a value, even one that could not
      // continue it (a control character, say).
      this.scanWhile(isValueRune);
      this.valueMode = false;
      return this.token(pos, 'Value', pos, this.ppos);
    }
    if (isFieldRune(ch)) {
      this.scanWhile(isFieldRune);
      return this.token(pos, 'Field', pos, this.ppos);
    }
    return { pos: this.pos, kind: 'Char', start: this.pos, end: this.pos, text: '', rune: ch };
  }

  private token(pos: number, kind: TokenKind, start: number, end: number): Token {
    return { pos, kind, start, end, text: fromBytes(this.input.subarray(start, end)), rune: -1 };
  }

  private scanWhile(pred: (r: number) => boolean): void {
    while (pred(this.peek())) this.next();
  }

  /**
   * Consumes a quoted run up to the matching quote. It keeps going after a
   * bad escape so that the Illegal token covers the whole run; only a
   * newline or the end of input stops it early.
   */
  private scanQuoted(quote: number): boolean {
    let legal = true;
    let ch = this.next();
    while (ch !== quote) {
      if (ch === 0x0a || ch < 0) {
        this.error('quoted literal not terminated');
        return false;
      }
      if (ch === 0x5c /* \ */) {
        const [after, ok] = this.scanEscape(quote);
        ch = after;
        if (!ok) legal = false;
      } else {
        ch = this.next();
      }
    }
    return legal;
  }

  /**
   * Validates one escape (Go string syntax, plus the active quote rune) and
   * returns the rune after it.
   */
  private scanEscape(quote: number): [number, boolean] {
    const ch = this.next();
    switch (ch) {
      case 0x61:
      case 0x62:
      case 0x66:
      case 0x6e:
      case 0x72:
      case 0x74:
      case 0x76:
      case 0x5c: // a b f n r t v \
        return [this.next(), true];
      case 0x30:
      case 0x31:
      case 0x32:
      case 0x33:
      case 0x34:
      case 0x35:
      case 0x36:
      case 0x37:
        return this.scanDigits(ch, 8, 3);
      case 0x78: // x
        return this.scanDigits(this.next(), 16, 2);
      case 0x75: // u
        return this.scanDigits(this.next(), 16, 4);
      case 0x55: // U
        return this.scanDigits(this.next(), 16, 8);
      default:
        if (ch === quote) return [this.next(), true];
        this.error('illegal escape sequence');
        return [ch, false];
    }
  }

  private scanDigits(ch: number, base: number, n: number): [number, boolean] {
    while (n > 0 && digitVal(ch) < base) {
      ch = this.next();
      n--;
    }
    if (n > 0) {
      this.error('illegal numeric escape sequence');
      return [ch, false];
    }
    return [ch, true];
  }

  private error(msg: string): void {
    if (this.err === '') this.err = msg;
  }
}

function digitVal(r: number): number {
  if (r >= 0x30 && r <= 0x39) return r - 0x30;
  if (r >= 0x61 && r <= 0x66) return r - 0x61 + 10;
  if (r >= 0x41 && r <= 0x46) return r - 0x41 + 10;
  return 16;
}

/** Field runes are ASCII only: "-" is not one (labels.foo-bar fails at "-"). */
export function isFieldRune(r: number): boolean {
  return (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || (r >= 0x30 && r <= 0x39) || r === 0x5f;
}

function isOperatorRune(r: number): boolean {
  return r === 0x3d || r === 0x21 || r === 0x7e; // = ! ~
}

/** Single quotes are deliberately not quote runes in containerd. */
function isQuoteRune(r: number): boolean {
  return r === 0x22 || r === 0x2f || r === 0x7c; // " / |
}

function isSeparatorRune(r: number): boolean {
  return r === 0x2c || r === 0x2e; // , .
}

/**
 * Letters, digits, numbers and punctuation are all graphic, so containerd's
 * long disjunction reduces to "graphic, but not a comma or a space".
 */
function isValueRune(r: number): boolean {
  return r !== 0x2c && !isSpace(r) && isGraphic(r);
}
