/**
 * Recursive-descent parser for containerd's filter language (docs/behaviour.md §4).
 *
 * Hand-written on purpose: no library implements this language, and the
 * error texts, positions and whitespace quirks must match containerd's
 * exactly. The grammar, as containerd really accepts it:
 *
 *   filter    := selector ( "," selector )*
 *   selector  := fieldpath [ operator value ]
 *   fieldpath := field ( "." field )*
 *   field     := FIELD | "quoted"
 *   operator  := "==" | "!=" | "~="
 *   value     := VALUE | FIELD | "quoted"     (after ~= also /quoted/ and |quoted|)
 *
 * Lookahead uses the scanner's raw rune peek, which does not skip blanks;
 * that single detail is why "name==bar " and "labels.foo " are errors while
 * blanks before a token are fine.
 */

import type { Conjunction, FilterSet, Operator, Re2Regex, Selector } from './ast.ts';
import { FilterParseError, RegexError } from './errors.ts';
import { QuoteSyntaxError, unquote } from './quote.ts';
import { compileRe2 } from './regex.ts';
import { EOF, Scanner, type Token } from './scanner.ts';
import { fromBytes, isValidUtf8, toBytes } from './utf8.ts';

export { FilterParseError, RegexError } from './errors.ts';

/** Parses one filter string: its selectors must all match. "" matches all. */
export function parse(input: string): Conjunction {
  return parseAll([input])[0]!;
}

/**
 * Parses a list of filter strings, any of which may match. An empty list
 * matches everything. The first bad string throws.
 *
 * Regexes are compiled only after every string has parsed: containerd never
 * compiles them while parsing, so whenever containerd reports an error,
 * Berth reports the very same one, and its own regex errors come last.
 */
export function parseAll(filters: readonly string[]): FilterSet {
  if (filters.length === 0) return [[]];
  const parsers = filters.map((input) => new Parser(input));
  const parsed = parsers.map((p) => p.parse());
  return parsers.map((p, i) => p.compileRegexes(parsed[i]!));
}

interface Operand {
  readonly pos: number;
  readonly bytes: Uint8Array;
}

class Parser {
  private readonly scanner: Scanner;
  private readonly regexOperands: { index: number; operand: Operand }[] = [];

  constructor(private readonly input: string) {
    this.scanner = new Scanner(input);
  }

  /** containerd special-cases "" (its scanner would call it a missing field). */
  parse(): Selector[] {
    return this.input === '' ? [] : this.filter();
  }

  compileRegexes(selectors: Selector[]): Selector[] {
    for (const { index, operand } of this.regexOperands) {
      const sel = selectors[index]!;
      selectors[index] = { ...sel, regex: this.regex(operand, sel.value) };
    }
    return selectors;
  }

  private filter(): Selector[] {
    const selectors = [this.selector(0)];
    for (;;) {
      const r = this.scanner.peek();
      if (r === EOF) return selectors;
      if (r !== 0x2c /* , */) {
        // Anything but a comma after a complete selector, a blank included.
        // A bad rune prints as U+FFFD, as Go's string(rune) does.
        const shown = r < 0 ? '\ufffd' : String.fromCodePoint(r);
        throw this.error(this.scanner.ppos, `unexpected input: ${shown}`);
      }
      this.scanner.scan(); // the comma
      selectors.push(this.selector(selectors.length));
    }
  }

  private selector(index: number): Selector {
    const fieldpath = this.fieldpath();
    const next = this.scanner.peek();
    if (next === 0x2c || next === EOF) return { fieldpath, operator: 'present', value: '' };

    const operator = this.operator();
    const operand = this.value(operator === '~=');
    if (operator === '~=') this.regexOperands.push({ index, operand });
    return { fieldpath, operator, value: fromBytes(operand.bytes) };
  }

  private fieldpath(): string[] {
    const path = [this.field()];
    while (this.scanner.peek() === 0x2e /* . */) {
      this.scanner.scan();
      path.push(this.field());
    }
    return path;
  }

  private field(): string {
    const tok = this.scanner.scan();
    switch (tok.kind) {
      case 'Field':
        return tok.text;
      case 'Quoted':
        return fromBytes(this.unquote(tok, false));
      case 'Illegal':
        throw this.error(tok.pos, this.scanner.err);
      default:
        throw this.error(tok.pos, 'expected field or quoted');
    }
  }

  private operator(): Operator {
    const tok = this.scanner.scan();
    switch (tok.kind) {
      case 'Operator':
        if (tok.text === '==' || tok.text === '!=' || tok.text === '~=') return tok.text;
        // The token is a run of = ! ~, so plain quoting equals Go's %q.
        throw this.error(tok.pos, `unsupported operator "${tok.text}"`);
      case 'Illegal':
        throw this.error(tok.pos, this.scanner.err);
      default:
        throw this.error(tok.pos, 'expected an operator ("=="|"!="|"~=")');
    }
  }

  private value(allowAltQuotes: boolean): Operand {
    const tok = this.scanner.scan();
    switch (tok.kind) {
      case 'Value':
      case 'Field':
        return { pos: tok.pos, bytes: this.raw(tok) };
      case 'Quoted':
        return { pos: tok.pos, bytes: this.unquote(tok, allowAltQuotes) };
      case 'Illegal':
        throw this.error(tok.pos, this.scanner.err);
      default:
        throw this.error(tok.pos, 'expected value or quoted');
    }
  }

  /** Only double quotes are real quotes; /…/ and |…| exist for regexes. */
  private unquote(tok: Token, allowAltQuotes: boolean): Uint8Array {
    const raw = this.raw(tok);
    if (!allowAltQuotes && raw[0] !== 0x22) throw this.error(tok.pos, 'invalid quote encountered');
    try {
      return unquote(raw);
    } catch (e) {
      if (e instanceof QuoteSyntaxError) throw this.error(tok.pos, `unquoting failed: ${e.message}`);
      throw e;
    }
  }

  /**
   * Berth deviation (docs/behaviour.md §4): containerd compiles the regex lazily and a bad
   * one silently matches nothing; Berth rejects it here, at the operand.
   */
  private regex(operand: Operand, value: string): Re2Regex {
    try {
      // Escapes can produce bytes that are not UTF-8; RE2 refuses those.
      if (!isValidUtf8(operand.bytes)) throw new RegexError(value, 'invalid UTF-8', false);
      return compileRe2(value);
    } catch (e) {
      if (e instanceof RegexError) throw this.error(operand.pos, e.message, e);
      throw e;
    }
  }

  private raw(tok: Token): Uint8Array {
    return this.scanner.input.subarray(tok.start, tok.end);
  }

  /**
   * containerd's parse error: "[<before> >|<byte>|< <after>]: <msg>", or
   * "[<input>]: <msg>" at the end. The marked character is one BYTE, so a
   * multi-byte rune there is split; the text is built from bytes and decoded
   * once, which shows the broken halves as U+FFFD.
   */
  private error(pos: number, msg: string, cause?: unknown): FilterParseError {
    const input = this.scanner.input;
    const parts: (string | Uint8Array)[] =
      pos < input.length
        ? ['[', input.subarray(0, pos), ' >|', input.subarray(pos, pos + 1), '|< ', input.subarray(pos + 1), ']: ', msg]
        : ['[', input, ']: ', msg];
    const bytes = parts.flatMap((p) => (typeof p === 'string' ? [...toBytes(p)] : [...p]));
    const message = `filters: parse error: ${fromBytes(Uint8Array.from(bytes))}`;
    return new FilterParseError(message, this.input, pos, msg, cause === undefined ? undefined : { cause });
  }
}
