/**
 * A validating parser for RE2 syntax (Go's regexp/syntax with Perl flags,
 * which is what containerd's regexp.Compile uses).
 *
 * It accepts and rejects what RE2 does, with RE2's error wording, and turns
 * the pattern into a small tree whose character-matching leaves are already
 * resolved to code-point sets (flags such as (?i) and (?s) are applied
 * here, so the printers never see them). Constructs that RE2 accepts but
 * Berth cannot run identically in JavaScript and PostgreSQL are reported
 * separately as unsupported, after the whole pattern has been validated.
 */

import { CharSet, PERL_CLASSES, POSIX_CLASSES } from './charset.ts';

export type Assertion = 'textStart' | 'textEnd' | 'lineStart' | 'lineEnd' | 'wordBoundary' | 'notWordBoundary';

export type Node =
  | { readonly kind: 'empty' }
  | { readonly kind: 'chars'; readonly set: CharSet }
  | { readonly kind: 'assert'; readonly assertion: Assertion }
  | { readonly kind: 'group'; readonly sub: Node }
  | { readonly kind: 'concat'; readonly subs: readonly Node[] }
  | { readonly kind: 'alt'; readonly subs: readonly Node[] }
  | { readonly kind: 'repeat'; readonly sub: Node; readonly min: number; readonly max: number }; // max -1: unbounded

/** RE2's error codes, worded as Go prints them. */
export const RE2_ERRORS = {
  invalidCharClass: 'invalid character class',
  invalidCharRange: 'invalid character class range',
  invalidEscape: 'invalid escape sequence',
  invalidNamedCapture: 'invalid named capture',
  invalidPerlOp: 'invalid or unsupported Perl syntax',
  invalidRepeatOp: 'invalid nested repetition operator',
  invalidRepeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
  nestingDepth: 'expression nests too deeply',
} as const;

export class Re2SyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly unsupported: boolean,
  ) {
    super(reason);
  }
}

/** RE2 caps counted repetition at 1000; PostgreSQL's ARE engine at 255. */
const RE2_MAX_REPEAT = 1000;
export const BERTH_MAX_REPEAT = 255;
const MAX_DEPTH = 1000;

interface Flags {
  readonly foldCase: boolean; // i
  readonly multiLine: boolean; // m: ^ and $ also at line breaks
  readonly dotNL: boolean; // s: . matches \n
}

const C = (s: string): number => s.codePointAt(0)!;
const NL = CharSet.char(0x0a);
const NOT_NL = NL.complement();

const isDigit = (c: number | undefined): c is number => c !== undefined && c >= 0x30 && c <= 0x39;
const isOctal = (c: number | undefined): c is number => c !== undefined && c >= 0x30 && c <= 0x37;
const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const hexVal = (c: number | undefined): number => {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
};
const CAPTURE_NAME = /^[A-Za-z0-9_]+$/; // RE2: ASCII word characters

export function parseRe2(pattern: string): Node {
  return new Re2Parser(pattern).parse();
}

class Re2Parser {
  private readonly cps: number[];
  private i = 0;
  private flags: Flags = { foldCase: false, multiLine: false, dotNL: false };
  private depth = 0;
  private unsupported: string | undefined;

  constructor(private readonly pattern: string) {
    this.cps = Array.from(pattern, (ch) => ch.codePointAt(0)!);
  }

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.cps.length) throw this.fail('unexpectedParen', this.pattern); // a stray ")"
    if (this.unsupported !== undefined) throw new Re2SyntaxError(this.unsupported, true);
    return node;
  }

  // --- structure -----------------------------------------------------------

  private alternation(): Node {
    const subs = [this.concatenation()];
    while (this.peek() === C('|')) {
      this.i++;
      subs.push(this.concatenation());
    }
    return subs.length === 1 ? subs[0]! : { kind: 'alt', subs };
  }

  private concatenation(): Node {
    const items: Node[] = [];
    // Where the previous loop step's repetition operator began; RE2 forbids
    // stacking operators (a**), but a flag group in between resets this.
    let lastRepeat = -1;
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === C('|') || c === C(')')) break;
      const start = this.i;
      let repeated = false;
      switch (c) {
        case C('('):
          this.openParen(items);
          break;
        case C('^'):
          this.i++;
          items.push(this.assertion(this.flags.multiLine ? 'lineStart' : 'textStart'));
          break;
        case C('$'):
          this.i++;
          items.push(this.assertion(this.flags.multiLine ? 'lineEnd' : 'textEnd'));
          break;
        case C('.'):
          this.i++;
          items.push(this.chars(this.flags.dotNL ? CharSet.ANY : NOT_NL));
          break;
        case C('['):
          items.push(this.chars(this.bracketClass()));
          break;
        case C('*'):
        case C('+'):
        case C('?'): {
          this.i++;
          const [min, max] = c === C('*') ? [0, -1] : c === C('+') ? [1, -1] : [0, 1];
          this.repeat(items, start, min, max, lastRepeat);
          repeated = true;
          break;
        }
        case C('{'): {
          const counts = this.counts();
          if (counts === undefined) {
            // Not a well-formed {n}, {n,} or {n,m}: a literal brace.
            this.i++;
            items.push(this.literal(c));
            break;
          }
          const [min, max] = counts;
          if (min < 0 || min > RE2_MAX_REPEAT || max > RE2_MAX_REPEAT || (max >= 0 && min > max)) {
            throw this.fail('invalidRepeatSize', this.text(start, this.i));
          }
          this.repeat(items, start, min, max, lastRepeat);
          repeated = true;
          break;
        }
        case C('\\'):
          this.escape(items);
          break;
        default:
          this.i++;
          items.push(this.literal(c));
      }
      lastRepeat = repeated ? start : -1;
    }
    if (items.length === 0) return { kind: 'empty' };
    return items.length === 1 ? items[0]! : { kind: 'concat', subs: items };
  }

  /**
   * "(" starts a capture, a named capture, a non-capturing group with
   * optional flags, or a bare flag change that lasts to the end of the
   * enclosing group.
   */
  private openParen(items: Node[]): void {
    const start = this.i;
    if (this.cps[start + 1] !== C('?')) {
      this.i++;
      items.push(this.group(this.flags));
      return;
    }
    const rest = this.cps.length - start;
    const named = (rest > 4 && this.cps[start + 2] === C('P') && this.cps[start + 3] === C('<')) || (rest > 3 && this.cps[start + 2] === C('<'));
    if (named) {
      const nameStart = start + (this.cps[start + 2] === C('P') ? 4 : 3);
      const end = this.cps.indexOf(C('>'), start);
      if (end < 0) throw this.fail('invalidNamedCapture', this.text(start, this.cps.length));
      if (!CAPTURE_NAME.test(this.text(nameStart, end))) {
        throw this.fail('invalidNamedCapture', this.text(start, end + 1));
      }
      this.i = end + 1;
      items.push(this.group(this.flags));
      return;
    }

    // (?flags) or (?flags:...), flags from "imsU", optionally negated after "-".
    this.i = start + 2;
    let { foldCase, multiLine, dotNL } = this.flags;
    let negate = false;
    let sawFlag = false;
    for (;;) {
      const c = this.cps[this.i++];
      if (c === undefined) throw this.fail('invalidPerlOp', this.text(start, this.cps.length));
      if (c === C('i')) foldCase = !negate;
      else if (c === C('m')) multiLine = !negate;
      else if (c === C('s')) dotNL = !negate;
      else if (c === C('U')) {
        // Swaps greedy and lazy; irrelevant to whether a match exists.
      } else if (c === C('-') && !negate) {
        negate = true;
        sawFlag = false;
        continue;
      } else if ((c === C(':') || c === C(')')) && !(negate && !sawFlag)) {
        const flags = { foldCase, multiLine, dotNL };
        if (c === C(')')) {
          this.flags = flags;
        } else {
          items.push(this.group(flags, this.flags));
        }
        return;
      } else {
        throw this.fail('invalidPerlOp', this.text(start, this.i));
      }
      sawFlag = true;
    }
  }

  /**
   * Parses a group body up to its ")" with the given flags in force, then
   * restores the flags that held before the group opened.
   */
  private group(inner: Flags, outer: Flags = this.flags): Node {
    // Go names the whole pattern here, not the group that went too deep.
    if (++this.depth >= MAX_DEPTH) throw this.fail('nestingDepth', this.pattern);
    this.flags = inner;
    const sub = this.alternation();
    if (this.peek() !== C(')')) throw this.fail('missingParen', this.pattern);
    this.i++;
    this.flags = outer;
    this.depth--;
    return { kind: 'group', sub };
  }

  private repeat(items: Node[], opStart: number, min: number, max: number, lastRepeat: number): void {
    if (this.peek() === C('?')) this.i++; // lazy: same matches, different preference
    if (lastRepeat >= 0) throw this.fail('invalidRepeatOp', this.text(lastRepeat, this.i));
    const sub = items.pop();
    if (sub === undefined) throw this.fail('missingRepeatArgument', this.text(opStart, this.i));
    const node: Node = { kind: 'repeat', sub, min, max };
    const counted = this.cps[opStart] === C('{');
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(node, RE2_MAX_REPEAT)) {
      throw this.fail('invalidRepeatSize', this.text(opStart, this.i));
    }
    if (min > BERTH_MAX_REPEAT || max > BERTH_MAX_REPEAT) {
      this.unsupport(`repeat count above ${BERTH_MAX_REPEAT} in \`${this.text(opStart, this.i)}\``);
    }
    items.push(node);
  }

  /**
   * {n}, {n,} or {n,m}; undefined if the text is not exactly that shape.
   * Leading zeros disqualify it, as in RE2. A number too large to matter
   * makes min -1, so that the caller reports an invalid repeat count.
   */
  private counts(): [number, number] | undefined {
    let j = this.i + 1;
    const int = (): number | undefined => {
      const s = j;
      if (!isDigit(this.cps[j])) return undefined;
      if (this.cps[j] === C('0') && isDigit(this.cps[j + 1])) return undefined;
      while (isDigit(this.cps[j])) j++;
      return j - s > 8 ? -1 : Number(this.text(s, j));
    };
    let min = int();
    if (min === undefined) return undefined;
    let max = min;
    if (this.cps[j] === C(',')) {
      j++;
      if (this.cps[j] === C('}')) {
        max = -1; // unbounded
      } else {
        const m = int();
        if (m === undefined) return undefined;
        if (m < 0) min = -1;
        max = m;
      }
    }
    if (this.cps[j] !== C('}')) return undefined;
    this.i = j + 1;
    return [min, max];
  }

  // --- escapes ---------------------------------------------------------------

  private escape(items: Node[]): void {
    const c = this.cps[this.i + 1];
    switch (c) {
      case C('A'):
        this.i += 2;
        items.push(this.assertion('textStart'));
        return;
      case C('z'):
        this.i += 2;
        items.push(this.assertion('textEnd'));
        return;
      case C('b'):
        this.i += 2;
        items.push(this.assertion('wordBoundary'));
        return;
      case C('B'):
        this.i += 2;
        items.push(this.assertion('notWordBoundary'));
        return;
      case C('C'):
        throw this.fail('invalidEscape', this.text(this.i, this.i + 2));
      case C('Q'): {
        // \Q...\E: everything up to \E (or the end) is literal.
        let end = this.i + 2;
        while (end < this.cps.length && !(this.cps[end] === C('\\') && this.cps[end + 1] === C('E'))) end++;
        for (let k = this.i + 2; k < end; k++) items.push(this.literal(this.cps[k]!));
        this.i = end < this.cps.length ? end + 2 : end;
        return;
      }
    }
    const set = this.unicodeClass() ?? this.perlClass();
    if (set !== undefined) {
      items.push(this.chars(set));
      return;
    }
    items.push(this.literal(this.escapedChar()));
  }

  /** \d \s \w and their negations, with (?i) applied as RE2 does. */
  private perlClass(): CharSet | undefined {
    if (this.cps[this.i] !== C('\\')) return undefined;
    const c = this.cps[this.i + 1];
    if (c === undefined) return undefined;
    const name = String.fromCodePoint(c);
    const base = PERL_CLASSES[name.toLowerCase()];
    if (base === undefined || !'dswDSW'.includes(name)) return undefined;
    this.i += 2;
    return this.group2set(base, name !== name.toLowerCase());
  }

  /**
   * \pN, \p{Name}, \PN, \P{Name}: valid RE2, but PostgreSQL has no Unicode
   * property classes, so Berth declines them. Syntax is still checked.
   */
  private unicodeClass(): CharSet | undefined {
    const c = this.cps[this.i + 1];
    if (this.cps[this.i] !== C('\\') || (c !== C('p') && c !== C('P'))) return undefined;
    const start = this.i;
    let end: number;
    if (this.cps[start + 2] === C('{')) {
      const close = this.cps.indexOf(C('}'), start);
      if (close < 0) throw this.fail('invalidCharRange', this.text(start, this.cps.length));
      end = close + 1;
    } else {
      end = Math.min(start + 3, this.cps.length);
    }
    this.i = end;
    const seq = this.text(start, end);
    if (seq.length === 2) throw this.fail('invalidCharRange', seq);
    this.unsupport(`Unicode class \`${seq}\``);
    return CharSet.EMPTY;
  }

  /** A single-character escape: punctuation, octal, hex or a C escape. */
  private escapedChar(): number {
    const start = this.i;
    const c = this.cps[start + 1];
    if (c === undefined) throw this.fail('trailingBackslash', '');
    this.i = start + 2;
    const bad = (): Re2SyntaxError => this.fail('invalidEscape', this.text(start, this.i));
    if (c < 0x80 && !isAlnum(c)) return c;
    if (isOctal(c)) {
      // \0, \0N, \NN, \NNN; a lone \1-\7 would be a backreference, which RE2 lacks.
      if (c !== C('0') && !isOctal(this.cps[this.i])) throw bad();
      let r = c - 0x30;
      for (let k = 1; k < 3 && isOctal(this.cps[this.i]); k++) r = r * 8 + (this.cps[this.i++]! - 0x30);
      return r;
    }
    switch (c) {
      case C('x'): {
        const first = this.cps[this.i];
        if (first === undefined) throw bad();
        this.i++;
        if (first === C('{')) {
          let r = 0;
          let digits = 0;
          for (;;) {
            const d = this.cps[this.i];
            if (d === undefined) throw bad();
            this.i++;
            if (d === C('}')) break;
            const v = hexVal(d);
            if (v < 0) throw bad();
            r = r * 16 + v;
            if (r > 0x10ffff) throw bad();
            digits++;
          }
          if (digits === 0) throw bad();
          return r;
        }
        const second = this.cps[this.i];
        if (second !== undefined) this.i++;
        const [x, y] = [hexVal(first), hexVal(second)];
        if (x < 0 || y < 0) throw bad();
        return x * 16 + y;
      }
      case C('a'):
        return 0x07;
      case C('f'):
        return 0x0c;
      case C('n'):
        return 0x0a;
      case C('r'):
        return 0x0d;
      case C('t'):
        return 0x09;
      case C('v'):
        return 0x0b;
      default:
        throw bad();
    }
  }

  // --- bracket classes -------------------------------------------------------

  private bracketClass(): CharSet {
    const start = this.i;
    this.i++;
    const whole = (): string => this.text(start, this.cps.length);
    let negated = false;
    if (this.peek() === C('^')) {
      negated = true;
      this.i++;
    }
    let set = CharSet.EMPTY;
    let first = true; // "]" first is a literal
    while (this.peek() !== C(']') || first) {
      first = false;
      const named = this.posixClass();
      const group = named ?? this.unicodeClass() ?? this.perlClass();
      if (group !== undefined) {
        set = set.union(group);
        continue;
      }
      const rangeStart = this.i;
      const lo = this.classChar(whole);
      let hi = lo;
      // "-" is literal when it ends the class: [a-] is a or -.
      if (this.peek() === C('-') && this.cps[this.i + 1] !== undefined && this.cps[this.i + 1] !== C(']')) {
        this.i++;
        hi = this.classChar(whole);
        if (hi < lo) throw this.fail('invalidCharRange', this.text(rangeStart, this.i));
      }
      const range = CharSet.range(lo, hi);
      set = set.union(this.flags.foldCase ? range.foldClosure() : range);
    }
    this.i++; // "]"
    // RE2 negates after folding, and a negated class can match "\n".
    return negated ? set.complement() : set;
  }

  private classChar(whole: () => string): number {
    const c = this.peek();
    if (c === undefined) throw this.fail('missingBracket', whole());
    if (c === C('\\')) return this.escapedChar();
    this.i++;
    return c;
  }

  /**
   * [:name:] or [:^name:] inside a bracket class. The name runs to the first
   * ":]" anywhere after it, as in RE2, so a stray one can swallow a lot.
   */
  private posixClass(): CharSet | undefined {
    if (this.peek() !== C('[') || this.cps[this.i + 1] !== C(':') || this.cps.length - this.i <= 2) return undefined;
    let end = -1;
    for (let k = this.i + 2; k + 1 < this.cps.length; k++) {
      if (this.cps[k] === C(':') && this.cps[k + 1] === C(']')) {
        end = k + 2;
        break;
      }
    }
    if (end < 0) return undefined;
    const text = this.text(this.i, end);
    const negated = text.startsWith('[:^');
    const name = text.slice(negated ? 3 : 2, -2);
    const base = Object.hasOwn(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
    if (base === undefined) throw this.fail('invalidCharRange', text);
    this.i = end;
    return this.group2set(base, negated);
  }

  /** RE2 folds a class group under (?i) before negating it. */
  private group2set(base: CharSet, negated: boolean): CharSet {
    const folded = this.flags.foldCase ? base.foldClosure() : base;
    return negated ? folded.complement() : folded;
  }

  // --- leaves --------------------------------------------------------------

  private literal(c: number): Node {
    const set = CharSet.char(c);
    return this.chars(this.flags.foldCase ? set.foldClosure() : set);
  }

  private chars(set: CharSet): Node {
    return { kind: 'chars', set };
  }

  private assertion(assertion: Assertion): Node {
    return { kind: 'assert', assertion };
  }

  // --- helpers ---------------------------------------------------------------

  private peek(): number | undefined {
    return this.cps[this.i];
  }

  private text(from: number, to: number): string {
    return String.fromCodePoint(...this.cps.slice(from, to));
  }

  private fail(code: keyof typeof RE2_ERRORS, expr: string): Re2SyntaxError {
    return new Re2SyntaxError(`${RE2_ERRORS[code]}: \`${expr}\``, false);
  }

  /**
   * Remembers the first construct Berth declines; reported only if the rest
   * of the pattern is valid RE2, so invalid input is always called invalid.
   */
  private unsupport(what: string): void {
    this.unsupported ??= `${what} is unsupported in Berth`;
  }
}

/**
 * RE2 bounds the product of nested counted repetitions by 1000, so that
 * (a{500}){3} is as invalid as a{1500}.
 */
function repeatIsValid(node: Node, n: number): boolean {
  if (node.kind === 'repeat') {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  switch (node.kind) {
    case 'group':
    case 'repeat':
      return repeatIsValid(node.sub, n);
    case 'concat':
    case 'alt':
      return node.subs.every((s) => repeatIsValid(s, n));
    default:
      return true;
  }
}
