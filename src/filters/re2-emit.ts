/**
 * Prints a parsed RE2 tree as a JavaScript (/u) pattern or a PostgreSQL ARE.
 *
 * Both printers share one rule: never lean on an engine's own idea of a
 * character class, of case folding, of "." or of line anchors, because the
 * two engines (and RE2) disagree on all of them. Character sets arrive
 * resolved; anchors are spelled with lookarounds where needed; quantified
 * zero-width assertions are simplified away; laziness is dropped (only
 * whether a match exists matters, and PostgreSQL's rules for mixing greedy
 * and lazy quantifiers would otherwise be one more thing to reason about).
 */

import { CharSet } from './charset.ts';
import type { Assertion, Node } from './re2-syntax.ts';

export type Engine = 'js' | 'pg';

/**
 * Surrogate code points never occur in valid UTF-8 text (RE2, PostgreSQL),
 * and PostgreSQL rejects them in escapes, so sets are printed without them.
 */
const SURROGATES = CharSet.range(0xd800, 0xdfff);
const UNIVERSE = SURROGATES.complement();

/**
 * RE2's \b is an ASCII word boundary. JavaScript's \b is too (without the i
 * flag, which Berth never sets); PostgreSQL's \y follows the locale, so it is
 * spelled out.
 */
const PG_WORD = '[0-9A-Za-z_]';
const PG_ASSERTIONS: Record<Assertion, string> = {
  textStart: '\\A',
  textEnd: '\\Z',
  lineStart: '(?:\\A|(?<=\\n))',
  lineEnd: '(?:\\Z|(?=\\n))',
  wordBoundary: `(?:(?<=${PG_WORD})(?!${PG_WORD})|(?<!${PG_WORD})(?=${PG_WORD}))`,
  notWordBoundary: `(?:(?<=${PG_WORD})(?=${PG_WORD})|(?<!${PG_WORD})(?!${PG_WORD}))`,
};
/**
 * No m flag is ever set, so ^ and $ are text anchors, and JavaScript's own
 * line anchors (which also break at \r, U+2028, U+2029) are avoided.
 */
const JS_ASSERTIONS: Record<Assertion, string> = {
  textStart: '^',
  textEnd: '$',
  lineStart: '(?:^|(?<=\\n))',
  lineEnd: '(?:$|(?=\\n))',
  wordBoundary: '\\b',
  notWordBoundary: '\\B',
};

const NEVER = '(?!)'; // matches nowhere, in both engines
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');

export function emit(node: Node, engine: Engine): string {
  const out = print(node, engine, 'top');
  return out === '' ? '(?:)' : out;
}

/** Where a piece lands decides whether it needs (?:...) around it. */
type Context = 'top' | 'concat' | 'quantified';

function print(node: Node, engine: Engine, ctx: Context): string {
  switch (node.kind) {
    // Empty and assertion pieces never reach a quantifier: 'repeat' below
    // drops or unwraps every zero-width piece before quantifying.
    case 'empty':
      return '';
    case 'chars': {
      const s = printSet(node.set, engine);
      // (?!) cannot take a quantifier in JavaScript.
      return ctx === 'quantified' && s === NEVER ? `(?:${s})` : s;
    }
    case 'assert':
      return (engine === 'js' ? JS_ASSERTIONS : PG_ASSERTIONS)[node.assertion];
    case 'group':
      return `(?:${print(node.sub, engine, 'top')})`;
    case 'concat': {
      const s = node.subs.map((sub) => print(sub, engine, 'concat')).join('');
      return ctx === 'quantified' ? `(?:${s})` : s;
    }
    case 'alt': {
      const s = node.subs.map((sub) => print(sub, engine, 'top')).join('|');
      return ctx === 'top' ? s : `(?:${s})`;
    }
    case 'repeat': {
      // A zero-width piece repeated is itself (min >= 1) or nothing (min 0);
      // JavaScript would reject ^* and PostgreSQL treats it oddly.
      if (isZeroWidth(node.sub)) return node.min === 0 ? '' : print(node.sub, engine, ctx);
      const s = print(node.sub, engine, 'quantified') + quantifier(node.min, node.max);
      return ctx === 'quantified' ? `(?:${s})` : s;
    }
  }
}

function quantifier(min: number, max: number): string {
  if (max === -1) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  if (min === 0 && max === 1) return '?';
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

function isZeroWidth(node: Node): boolean {
  switch (node.kind) {
    case 'empty':
    case 'assert':
      return true;
    case 'chars':
      return false;
    case 'group':
    case 'repeat':
      return isZeroWidth(node.sub);
    case 'concat':
    case 'alt':
      return node.subs.every(isZeroWidth);
  }
}

/**
 * A set prints as one character, a bracket expression, or its negation,
 * whichever lists fewer ranges.
 */
function printSet(set: CharSet, engine: Engine): string {
  const s = set.minus(SURROGATES);
  if (s.isEmpty) return NEVER;
  const c = s.single;
  if (c !== undefined) return printLiteral(c, engine);
  const rest = UNIVERSE.minus(s);
  if (rest.isEmpty) return engine === 'js' ? '[^]' : '[\\u0000-\\U0010FFFF]';
  return rest.rangeCount < s.rangeCount ? `[^${printRanges(rest, engine)}]` : `[${printRanges(s, engine)}]`;
}

function printRanges(set: CharSet, engine: Engine): string {
  let out = '';
  for (const [lo, hi] of set.pairs()) {
    out += printClassChar(lo, engine);
    if (hi > lo + 1) out += '-';
    if (hi > lo) out += printClassChar(hi, engine);
  }
  return out;
}

const isAsciiAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/**
 * Inside brackets only letters, digits and "_" go bare; everything else is a
 * code-point escape, which neither engine can mistake for syntax (an
 * escaped "-" is not a range operator in either).
 */
function printClassChar(c: number, engine: Engine): string {
  return isAsciiAlnum(c) || c === 0x5f ? String.fromCharCode(c) : codeEscape(c, engine);
}

/**
 * Outside brackets printable ASCII stays readable: JavaScript's /u mode
 * allows escaping only its syntax characters; PostgreSQL takes "\" before
 * any non-alphanumeric as a literal.
 */
function printLiteral(c: number, engine: Engine): string {
  if (isAsciiAlnum(c) || c === 0x20) return String.fromCharCode(c);
  if (c > 0x20 && c < 0x7f) {
    const ch = String.fromCharCode(c);
    if (engine === 'pg') return `\\${ch}`;
    return JS_SYNTAX.has(ch) ? `\\${ch}` : ch;
  }
  return codeEscape(c, engine);
}

/**
 * JavaScript: \u{h...}. PostgreSQL: exactly four or eight hex digits (its
 * \x takes any number of digits and would swallow a following letter).
 */
function codeEscape(c: number, engine: Engine): string {
  const hex = c.toString(16).toUpperCase();
  if (engine === 'js') return `\\u{${hex}}`;
  return c <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
}
