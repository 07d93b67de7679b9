/**
 * RE2 regexes for the ~= operator, run by two engines.
 *
 * containerd compiles ~= operands with Go's regexp (RE2 syntax) and tests
 * them unanchored, as a yes/no match. Berth evaluates the same regex in
 * JavaScript (events, in-memory checks) and in PostgreSQL (`value ~ re`,
 * UTF-8 database, PostgreSQL 15+), so each pattern is validated once here
 * and translated into both, with identical match/no-match behaviour by
 * construction: every character class, case-folded letter, "." and anchor
 * is resolved to explicit code points or lookarounds rather than left to
 * either engine's defaults.
 *
 * Supported RE2 subset (everything else RE2 accepts is rejected as
 * "unsupported in Berth"; everything RE2 rejects is rejected as invalid):
 *
 *   literals         any character; \ before punctuation; \a \f \n \r \t \v;
 *                    octal \0 \12 \123; hex \x41 \x{263A}; \Q...\E
 *   any character    .  (not \n, unless (?s))
 *   classes          [abc] [^abc] [a-z] with escapes inside; POSIX [[:alpha:]]
 *                    [[:^alpha:]] (alnum alpha ascii blank cntrl digit graph
 *                    lower print punct space upper word xdigit; ASCII, as RE2)
 *   Perl classes     \d \D \s \S \w \W, ASCII as in RE2, in and out of brackets
 *   anchors          ^ $ (text start/end; line start/end under (?m));
 *                    \A \z; \b \B (ASCII word boundary)
 *   groups           (re) (?:re) (?P<name>re) (?<name>re)   (none captures)
 *   alternation      a|b, empty alternatives
 *   repetition       * + ? {n} {n,} {n,m} and lazy forms (*? etc.);
 *                    counts up to 255 (RE2 allows 1000, PostgreSQL 255)
 *   flags            (?i) (?m) (?s) (?U), combined and negated ((?is), (?i-s)),
 *                    as a bare group (to the end of the enclosing group) or
 *                    scoped (?i:re); case folding is Unicode simple folding
 *
 * Not supported: Unicode classes \pL \p{Greek} \PL (PostgreSQL has no
 * property classes) and counts above 255. Rejected because RE2 rejects
 * them: lookarounds (?= (?! (?<= (?<!, backreferences \1, \C, \Z, possessive
 * or stacked quantifiers (a** a++), nothing to repeat (*a), unbalanced
 * parentheses or brackets, reversed ranges [z-a], unknown escapes.
 *
 * The `js` member is a real RegExp (flag u) whose source is the translation,
 * but its test() runs a linear-time NFA over the same parsed pattern, as RE2
 * does: V8 backtracks, and (a*)*b against thirty a's would take seconds.
 * exec(), match() and friends keep V8's native (backtracking) behaviour, so
 * filters should call test().
 */

import { RegexError } from './errors.ts';
import type { Re2Regex } from './ast.ts';
import { emit } from './re2-emit.ts';
import { Program } from './re2-nfa.ts';
import { Re2SyntaxError, parseRe2 } from './re2-syntax.ts';

export { RegexError } from './errors.ts';

/**
 * Filters are parsed per request and often repeat; compiled results are
 * immutable (no g/y flags, so RegExp.test keeps no state) and can be shared.
 */
const CACHE_LIMIT = 512;
const cache = new Map<string, Re2Regex>();

export function compileRe2(source: string): Re2Regex {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const compiled = translate(source);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(source, compiled);
  return compiled;
}

function translate(source: string): Re2Regex {
  let tree;
  try {
    tree = parseRe2(source);
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: equivalent, parseRe2 throws nothing else (its nesting limit keeps it off the stack limit)
    if (e instanceof Re2SyntaxError) throw new RegexError(source, e.reason, e.unsupported);
    throw e;
  }
  const postgres = emit(tree, 'pg');
  let js: RegExp;
  try {
    js = new Re2RegExp(emit(tree, 'js'), new Program(tree));
  } catch (e) {
    // A translation bug, not the user's fault; still reject it cleanly.
    throw new RegexError(source, `cannot be translated (${(e as Error).message}); this is unsupported in Berth`, true);
  }
  return Object.freeze({ source, js, postgres });
}

/**
 * A RegExp whose test() cannot backtrack. Derived objects (split, replace
 * with a new flag set) are plain RegExps, hence the species.
 */
class Re2RegExp extends RegExp {
  // Stryker disable next-line BlockStatement: equivalent, a species of undefined also makes derived objects plain RegExps
  static override get [Symbol.species](): RegExpConstructor {
    return RegExp;
  }

  constructor(
    source: string,
    private readonly program: Program,
  ) {
    super(source, 'u');
  }

  override test(value: string): boolean {
    return this.program.test(String(value));
  }
}
