// The exact text of both translations of a parsed RE2 pattern, written by hand from the printers'
// rules (src/filters/re2-emit.ts): which characters go bare or escaped, when a piece needs (?:...),
// how a quantifier and a set are spelled. regex.test.ts and regex-postgres.test.ts check what the
// translations match; this file pins how they read, so a change that matches the same strings
// in a different spelling is seen as a change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CharSet } from '../../src/filters/charset.ts';
import { emit } from '../../src/filters/re2-emit.ts';
import { type Node, parseRe2 } from '../../src/filters/re2-syntax.ts';

function translates(pattern: string, js: string, pg: string = js): void {
  const tree = parseRe2(pattern);
  assert.equal(emit(tree, 'js'), js, `JavaScript translation of ${pattern}`);
  assert.equal(emit(tree, 'pg'), pg, `PostgreSQL translation of ${pattern}`);
}

describe('literals', () => {
  it('letters, digits and space go bare in both', () => {
    translates('abc', 'abc');
    translates('a b', 'a b');
    translates('09AZaz', '09AZaz');
  });

  it('other printable ASCII is escaped in PostgreSQL, and in JavaScript only when it is syntax', () => {
    translates('!#-=~', '!#-=~', String.raw`\!\#\-\=\~`);
    const syntax = String.raw`\^\$\\\.\*\+\?\(\)\[\]\{\}\|/`;
    translates(syntax, String.raw`\^\$\\\.\*\+\?\(\)\[\]\{\}\|\/`, String.raw`\^\$\\\.\*\+\?\(\)\[\]\{\}\|\/`);
  });

  it('controls, DEL and non-ASCII are code-point escapes: \\u{...}, or \\u with 4 or \\U with 8 digits', () => {
    translates(String.raw`\x00\t\n\x7F`, String.raw`\u{0}\u{9}\u{A}\u{7F}`, String.raw`\u0000\u0009\u000A\u007F`);
    translates('é😀', String.raw`\u{E9}\u{1F600}`, String.raw`\u00E9\U0001F600`);
    translates(String.raw`\x{FFFF}\x{10000}\x{10FFFF}`, String.raw`\u{FFFF}\u{10000}\u{10FFFF}`, String.raw`\uFFFF\U00010000\U0010FFFF`);
  });
});

describe('sets', () => {
  it('inside brackets only letters, digits and _ go bare; a range of two is two characters', () => {
    translates('[ab]', '[ab]');
    translates('[a-c]', '[a-c]');
    translates('[xa-c_]', '[_a-cx]');
    translates('[9Zz]', '[9Zz]');
    translates('[-.]', String.raw`[\u{2D}\u{2E}]`, String.raw`[\u002D\u002E]`);
    translates(String.raw`\s`, String.raw`[\u{9}\u{A}\u{C}\u{D}\u{20}]`, String.raw`[\u0009\u000A\u000C\u000D\u0020]`);
  });

  it('a set prints negated only when its complement lists fewer ranges', () => {
    translates(String.raw`\d`, '[0-9]');
    translates(String.raw`\D`, '[^0-9]');
    translates(String.raw`\w`, '[0-9A-Z_a-z]');
    translates('[^a]', '[^a]');
    translates('.', String.raw`[^\u{A}]`, String.raw`[^\u000A]`);
    // Two ranges each way (the complement is b to U+D7FF and the supplementary planes): not negated.
    translates(String.raw`[\x00-a\x{E000}-\x{FFFF}]`, String.raw`[\u{0}-a\u{E000}-\u{FFFF}]`, String.raw`[\u0000-a\uE000-\uFFFF]`);
  });

  it('every character, case folded letters, surrogates left out', () => {
    translates('(?s).', '[^]', String.raw`[\u0000-\U0010FFFF]`);
    translates('(?i)k', String.raw`[Kk\u{212A}]`, String.raw`[Kk\u212A]`);
    translates(String.raw`[\x{D000}-\x{E000}]`, String.raw`[\u{D000}-\u{D7FF}\u{E000}]`, String.raw`[\uD000-\uD7FF\uE000]`);
  });

  it('a set that matches nothing is (?!), grouped under a quantifier', () => {
    translates(String.raw`[^\x00-\x{10FFFF}]`, '(?!)');
    translates(String.raw`\x{D800}`, '(?!)');
    translates(String.raw`x[^\x00-\x{10FFFF}]+`, 'x(?:(?!))+');
  });
});

describe('structure', () => {
  it('groups are non-capturing; alternation is bare at the top only', () => {
    translates('', '(?:)');
    translates('a|b', 'a|b');
    translates('a|', 'a|');
    translates('(a)', '(?:a)');
    translates('(a|b)c', '(?:a|b)c');
    translates('(?P<n>a|b)|c', '(?:a|b)|c');
    translates('ab*', 'ab*');
    translates('(?:ab)*', '(?:ab)*');
  });

  it('quantifiers: the shortest spelling of each count, laziness dropped', () => {
    const cases: [string, string][] = [
      ['a*', 'a*'],
      ['a+', 'a+'],
      ['a?', 'a?'],
      ['a{0,}', 'a*'],
      ['a{1,}', 'a+'],
      ['a{2,}', 'a{2,}'],
      ['a{0,1}', 'a?'],
      ['a{0}', 'a{0}'],
      ['a{1}', 'a{1}'],
      ['a{1,1}', 'a{1}'],
      ['a{2}', 'a{2}'],
      ['a{0,2}', 'a{0,2}'],
      ['a{1,2}', 'a{1,2}'],
      ['a{2,3}', 'a{2,3}'],
      ['a*?', 'a*'],
      ['a{2,3}?', 'a{2,3}'],
    ];
    for (const [pattern, translation] of cases) translates(pattern, translation);
  });

  it('a repeated zero-width piece is itself (at least once) or nothing', () => {
    translates('a(^)*b', 'ab');
    translates('a(?:^)+b', 'a(?:^)b', String.raw`a(?:\A)b`);
    translates(String.raw`a\b?c`, 'ac');
    translates('a(?:)*b', 'ab');
    translates('a(?:^$)*b', 'ab');
    translates('a(?:^|$)*b', 'ab');
    translates('a(?:^*)+b', 'a(?:)b');
    // Not zero-width: one alternative or one piece consumes a character.
    translates('a(?:^|b)*', 'a(?:^|b)*', String.raw`a(?:\A|b)*`);
    translates('(?:^a)*', '(?:^a)*', String.raw`(?:\Aa)*`);
  });
});

describe('assertions', () => {
  it('text anchors', () => {
    translates('^a$', '^a$', String.raw`\Aa\Z`);
    translates(String.raw`\Aa\z`, '^a$', String.raw`\Aa\Z`);
  });

  it('line anchors break at \\n only', () => {
    translates('(?m)^a$', String.raw`(?:^|(?<=\n))a(?:$|(?=\n))`, String.raw`(?:\A|(?<=\n))a(?:\Z|(?=\n))`);
  });

  it('word boundaries are ASCII; PostgreSQL spells them out', () => {
    const w = '[0-9A-Za-z_]';
    const boundary = `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
    const inside = `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
    translates(String.raw`\ba\B`, String.raw`\ba\B`, `${boundary}a${inside}`);
  });
});

// Trees the parser never builds (it wraps every alternation and every quantified sequence in a
// group), which the printer must still print faithfully.
describe('trees without groups', () => {
  const a: Node = { kind: 'chars', set: CharSet.char(0x61) };
  const b: Node = { kind: 'chars', set: CharSet.char(0x62) };
  const c: Node = { kind: 'chars', set: CharSet.char(0x63) };

  it('a quantified sequence, alternation or repetition is grouped', () => {
    assert.equal(emit({ kind: 'repeat', sub: { kind: 'concat', subs: [a, b] }, min: 0, max: -1 }, 'js'), '(?:ab)*');
    assert.equal(emit({ kind: 'repeat', sub: { kind: 'alt', subs: [a, b] }, min: 1, max: -1 }, 'js'), '(?:a|b)+');
    assert.equal(emit({ kind: 'repeat', sub: { kind: 'repeat', sub: a, min: 1, max: -1 }, min: 0, max: 1 }, 'js'), '(?:a+)?');
  });

  it('an alternation inside a sequence is grouped; an alternative needs no group', () => {
    assert.equal(emit({ kind: 'concat', subs: [{ kind: 'alt', subs: [a, b] }, c] }, 'js'), '(?:a|b)c');
    assert.equal(emit({ kind: 'alt', subs: [{ kind: 'alt', subs: [a, b] }, c] }, 'js'), 'a|b|c');
  });
});
