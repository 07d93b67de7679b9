/**
 * Sets of code points as sorted, disjoint, non-adjacent inclusive ranges.
 *
 * Every character-matching construct of a regex (a literal, ".", \d, a
 * bracket class, a case-folded letter) becomes one of these sets before it
 * is printed. Computing the set ourselves, instead of passing syntax
 * through, is what makes the JavaScript and PostgreSQL translations agree:
 * neither engine is ever asked what \w, [[:alpha:]] or (?i) means.
 */

import { caseOrbit, foldableBetween } from './casefold.ts';

export const MAX_RUNE = 0x10ffff;

export class CharSet {
  /** Flat [lo0, hi0, lo1, hi1, ...]. */
  private constructor(readonly ranges: readonly number[]) {}

  static readonly EMPTY = new CharSet([]);
  static readonly ANY = new CharSet([0, MAX_RUNE]);

  static range(lo: number, hi: number): CharSet {
    return new CharSet([lo, hi]);
  }

  static char(c: number): CharSet {
    return new CharSet([c, c]);
  }

  static of(pairs: readonly (readonly [number, number])[]): CharSet {
    return CharSet.normalize(pairs.flat());
  }

  private static normalize(flat: readonly number[]): CharSet {
    const pairs: [number, number][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
    pairs.sort((a, b) => a[0] - b[0]);
    const out: number[] = [];
    for (const [lo, hi] of pairs) {
      const last = out.length - 1;
      if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
      else out.push(lo, hi);
    }
    return new CharSet(out);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  get rangeCount(): number {
    return this.ranges.length / 2;
  }

  /** The single code point of a one-element set, else undefined. */
  get single(): number | undefined {
    return this.ranges.length === 2 && this.ranges[0] === this.ranges[1] ? this.ranges[0] : undefined;
  }

  *pairs(): Generator<[number, number]> {
    for (let i = 0; i < this.ranges.length; i += 2) yield [this.ranges[i]!, this.ranges[i + 1]!];
  }

  union(other: CharSet): CharSet {
    return CharSet.normalize([...this.ranges, ...other.ranges]);
  }

  complement(): CharSet {
    const out: number[] = [];
    let next = 0;
    for (const [lo, hi] of this.pairs()) {
      if (lo > next) out.push(next, lo - 1);
      next = hi + 1;
    }
    if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
    return new CharSet(out);
  }

  minus(other: CharSet): CharSet {
    return this.complement().union(other).complement();
  }

  /**
   * Closure under Unicode simple case folding, as RE2 applies it under (?i):
   * every member brings along its whole orbit (k -> k, K, U+212A KELVIN SIGN).
   */
  foldClosure(): CharSet {
    const extra: number[] = [];
    for (const [lo, hi] of this.pairs()) {
      for (const c of foldableBetween(lo, hi)) {
        for (const o of caseOrbit(c)) extra.push(o, o);
      }
    }
    return extra.length === 0 ? this : CharSet.normalize([...this.ranges, ...extra]);
  }
}

/**
 * RE2's ASCII-only Perl and POSIX classes (not Unicode-aware, unlike
 * PostgreSQL's locale-dependent ones, hence the explicit ranges).
 */
const r = (lo: string, hi = lo): [number, number] => [lo.codePointAt(0)!, hi.codePointAt(0)!];

export const PERL_CLASSES: Readonly<Record<string, CharSet>> = {
  d: CharSet.of([r('0', '9')]),
  s: CharSet.of([r('\t', '\n'), r('\f', '\r'), r(' ')]), // no \v, unlike POSIX space
  w: CharSet.of([r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')]),
};

export const POSIX_CLASSES: Readonly<Record<string, CharSet>> = {
  alnum: CharSet.of([r('0', '9'), r('A', 'Z'), r('a', 'z')]),
  alpha: CharSet.of([r('A', 'Z'), r('a', 'z')]),
  ascii: CharSet.of([[0, 0x7f]]),
  blank: CharSet.of([r('\t'), r(' ')]),
  cntrl: CharSet.of([
    [0, 0x1f],
    [0x7f, 0x7f],
  ]),
  digit: CharSet.of([r('0', '9')]),
  graph: CharSet.of([r('!', '~')]),
  lower: CharSet.of([r('a', 'z')]),
  print: CharSet.of([r(' ', '~')]),
  punct: CharSet.of([r('!', '/'), r(':', '@'), r('[', '`'), r('{', '~')]),
  space: CharSet.of([r('\t', '\r'), r(' ')]),
  upper: CharSet.of([r('A', 'Z')]),
  word: CharSet.of([r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')]),
  xdigit: CharSet.of([r('0', '9'), r('A', 'F'), r('a', 'f')]),
};
