// RE2 semantics of the ~= translation: hand-picked behaviour, Go's own
// results (fixtures/re2-ground-truth.json), and the rejection rules.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RegexError, compileRe2 } from '../../src/filters/regex.ts';
import { caseOrbit } from '../../src/filters/casefold.ts';
import { regexGenerator } from './re2-gen.ts';

// .js.test() runs Berth's linear-time matcher; the RegExp's own (V8) test
// must agree with it, since the translated source is what gets exposed.
const nativeTest = (r: RegExp, s: string): boolean => RegExp.prototype.test.call(r, s);

function re(source: string, subject: string): boolean {
  const r = compileRe2(source);
  const linear = r.js.test(subject);
  assert.equal(nativeTest(r.js, subject), linear, `native and linear disagree: ${source} on ${JSON.stringify(subject)}`);
  return linear;
}

function rejects(source: string, reason: string | RegExp, unsupported = false): void {
  assert.throws(
    () => compileRe2(source),
    (e: unknown) => {
      assert.ok(e instanceof RegexError, `expected RegexError for ${source}`);
      assert.equal(e.name, 'RegexError');
      assert.equal(e.code, 'INVALID_ARGUMENT');
      assert.equal(e.unsupported, unsupported, e.message);
      if (typeof reason === 'string') assert.equal(e.reason, reason);
      else assert.match(e.reason, reason);
      assert.ok(e.message.startsWith(`invalid regular expression ${JSON.stringify(source)}: `));
      return true;
    },
  );
}

describe('RE2 semantics in JavaScript', () => {
  it('is an unanchored search', () => {
    assert.equal(re('b', 'abc'), true);
    assert.equal(re('', 'anything'), true);
    assert.equal(re('', ''), true);
    assert.equal(re('x', ''), false);
  });

  it('. excludes only \\n, unless (?s)', () => {
    assert.equal(re('a.b', 'a\nb'), false);
    for (const c of ['\r', '\u2028', '\u2029', '\u0085', '😀', 'é']) assert.equal(re('^a.b$', `a${c}b`), true, JSON.stringify(c));
    assert.equal(re('(?s)a.b', 'a\nb'), true);
    assert.equal(re('(?s:a.)b.', 'a\nb\n'), false);
  });

  it('$ is the end of text, not before a final newline', () => {
    assert.equal(re('a$', 'a\n'), false);
    assert.equal(re('a$', 'a'), true);
    assert.equal(re('^a', '\na'), false);
    assert.equal(re('\\Aa\\z', 'a'), true);
    assert.equal(re('a\\z', 'a\n'), false);
  });

  it('(?m) anchors break at \\n only', () => {
    assert.equal(re('(?m)^b$', 'a\nb\nc'), true);
    assert.equal(re('(?m)^b$', 'a\rb\rc'), false);
    assert.equal(re('(?m)^b$', 'a\u2028b'), false);
    assert.equal(re('(?m)a$', 'a\n'), true);
    // \A and \z stay text anchors under (?m).
    assert.equal(re('(?m)\\Ab', 'a\nb'), false);
    assert.equal(re('(?m)a\\z', 'a\nb'), false);
  });

  it('(?i) is Unicode simple case folding', () => {
    assert.equal(re('(?i)k', '\u212a'), true); // KELVIN SIGN
    assert.equal(re('(?i)S', 'ſ'), true);
    assert.equal(re('(?i)ß', 'ẞ'), true);
    assert.equal(re('(?i)ß', 'ss'), false); // no full folding
    assert.equal(re('(?i)σ', 'ς'), true);
    assert.equal(re('(?i)É', 'é'), true);
    assert.equal(re('(?i)[^k]', '\u212a'), false);
    assert.equal(re('(?i)\\w', '\u212a'), true);
    assert.equal(re('(?i)ı', 'I'), false); // dotless i is its own orbit
  });

  it('flags follow RE2 scoping', () => {
    assert.equal(re('a(?i)b|c', 'C'), true); // a bare flag group lasts past |
    assert.equal(re('(a(?i)b)c', 'aBC'), false); // ...but not past its group
    assert.equal(re('(?i:a)b', 'AB'), false);
    assert.equal(re('(?i)a(?-i)b', 'Ab'), true);
    assert.equal(re('(?i)a(?-i)b', 'AB'), false);
    assert.equal(re('(?is)A.', 'a\n'), true);
    assert.equal(re('(?U)a+', 'a'), true);
  });

  it('Perl and POSIX classes are ASCII', () => {
    assert.equal(re('\\w', 'é'), false);
    assert.equal(re('\\d', '٣'), false);
    assert.equal(re('\\s', '\u00a0'), false);
    assert.equal(re('\\s', '\v'), false); // RE2's \s has no \v
    assert.equal(re('[[:space:]]', '\v'), true);
    assert.equal(re('[[:alpha:]]', 'é'), false);
    assert.equal(re('^[\\d_]+$', '1_2'), true);
    assert.equal(re('^[^\\S]$', ' '), true);
    assert.equal(re('[[:^digit:]]', '5'), false);
  });

  it('each POSIX and Perl class holds exactly its ASCII range (RE2 syntax docs)', () => {
    // Each class, with the characters at both ends of its ranges and the ones just outside them.
    const classes: [string, string, string][] = [
      ['[[:alnum:]]', '09AZaz', '/:@[`{'],
      ['[[:alpha:]]', 'AZaz', '@[`{09'],
      ['[[:ascii:]]', '\x00\x7f', '\x80\u00ff'],
      ['[[:blank:]]', '\t ', '\n\x08\x1f!'],
      ['[[:cntrl:]]', '\x00\x1f\x7f', ' ~\x80'],
      ['[[:digit:]]', '09', '/:'],
      ['[[:graph:]]', '!~', ' \x7f'],
      ['[[:lower:]]', 'az', '`{AZ'],
      ['[[:print:]]', ' ~', '\x1f\x7f'],
      ['[[:punct:]]', '!/:@[`{~', ' 09AZaz\x7f'],
      ['[[:space:]]', '\t\n\v\f\r ', '\x08\x0e!'],
      ['[[:upper:]]', 'AZ', '@[az'],
      ['[[:word:]]', '09AZ_az', '/:@[`{^'],
      ['[[:xdigit:]]', '09AFaf', '/:@G`g'],
      ['\\d', '09', '/:'],
      ['\\s', '\t\n\f\r ', '\x08\v\x0e!'],
      ['\\w', '09AZ_az', '/:@[`{^'],
    ];
    for (const [cls, inside, outside] of classes) {
      for (const c of inside) assert.equal(re(`^${cls}$`, c), true, `${cls} holds ${JSON.stringify(c)}`);
      for (const c of outside) assert.equal(re(`^${cls}$`, c), false, `${cls} lacks ${JSON.stringify(c)}`);
    }
  });

  it('adjacent and overlapping ranges print as one', () => {
    assert.equal(compileRe2('[a-cd-f]').js.source, '[a-f]');
    assert.equal(compileRe2('[a-dc-f]').js.source, '[a-f]');
    assert.equal(compileRe2('[a-bd-e]').js.source, '[abde]');
  });

  it('\\b is an ASCII word boundary', () => {
    assert.equal(re('\\bfoo\\b', 'a foo.'), true);
    assert.equal(re('\\bfoo\\b', 'éfooé'), true);
    assert.equal(re('\\bfoo', '_foo'), false);
    assert.equal(re('\\Bfoo', 'éfoo'), false);
  });

  it('classes: negation matches \\n, ranges, escapes', () => {
    assert.equal(re('[^a]', '\n'), true);
    assert.equal(re('^[]a]+$', ']a'), true);
    assert.equal(re('^[a-]$', '-'), true);
    assert.equal(re('[\\x{e0}-\\x{ff}]', 'é'), true);
    assert.equal(re('[😀-😂]', '😁'), true);
    assert.equal(re('[^\\x00-\\x{10FFFF}]', 'a'), false);
    // The last code point stays in a complement. Only the linear matcher is asked: V8's own /u
    // RegExp answers false here (node 20), unlike RE2.
    assert.equal(compileRe2('^[^\\x{10FFFE}]$').js.test('\u{10FFFF}'), true);
  });

  it('escapes and literal braces', () => {
    assert.equal(re('^\\x41\\101\\x{263a}$', 'AA☺'), true);
    assert.equal(re('\\Q.*\\E', 'a.*b'), true);
    assert.equal(re('\\Q.*\\E', 'ab'), false);
    assert.equal(re('^a{,2}$', 'a{,2}'), true); // not a repeat: literal
    assert.equal(re('^a{01}$', 'a{01}'), true); // leading zero: literal
    assert.equal(re('^x{2}$', 'xx'), true);
    assert.equal(re('^*a', 'a'), true); // RE2 allows repeating an anchor
    // The ends of the digit, octal and hex-digit ranges, and letters that are not hex digits.
    assert.equal(re('^\\x{4A}\\x{6a}\\x4f\\x6F$', 'JjOo'), true);
    assert.equal(re('^\\17\\77$', '\x0f?'), true);
    assert.equal(re('^a{9}$', 'a'.repeat(9)), true);
    assert.equal(re('^(?P<name_9>ab)$', 'ab'), true);
  });

  it('refuses hex escapes with a letter past F, and a digit escape', () => {
    for (const bad of ['\\x{g}', '\\x{G}', '\\x{:}', '\\xg0', '\\x0G', '[\\x{G}]', '\\9']) {
      rejects(bad, /^invalid escape sequence: /);
    }
  });

  it('named and non-capturing groups are plain groups', () => {
    assert.equal(re('^(?P<n>ab)+$', 'abab'), true);
    assert.equal(re('^(?<n>ab)+$', 'abab'), true);
    assert.equal(re('^(?:a|b)*$', 'abba'), true);
  });

  it('exposes the PostgreSQL translation', () => {
    const r = compileRe2('(?i)^k.$');
    assert.equal(r.source, '(?i)^k.$');
    assert.equal(r.postgres, '\\A[Kk\\u212A][^\\u000A]\\Z');
    assert.equal(r.js.flags, 'u');
    assert.equal(compileRe2('/containers/*').postgres, '\\/containers\\/*');
    assert.equal(compileRe2('').postgres, '(?:)');
    // PostgreSQL takes \ before any punctuation as a literal; JavaScript's /u mode refuses \ before
    // a character that is not its syntax, so only PostgreSQL's translation escapes - ! # = and the like.
    assert.equal(compileRe2('a-b!#=').postgres, 'a\\-b\\!\\#\\=');
    assert.equal(compileRe2('a-b!#=').js.source, 'a-b!#=');
  });
});

describe('compiled patterns are shared', () => {
  it('the same pattern compiles once, and the cache keeps the last 512 patterns', () => {
    const first = compileRe2('^shared$');
    assert.equal(compileRe2('^shared$'), first);
    // Fill the cache with 512 other patterns after it, in order: the first of them is dropped when
    // the 513th arrives, and only then.
    for (let i = 1; i < 512; i++) compileRe2(`^other${i}$`);
    assert.equal(compileRe2('^shared$'), first, 'evicted before the cache held 512 patterns');
    compileRe2('^other512$');
    assert.notEqual(compileRe2('^shared$'), first, 'kept after 512 newer patterns');
    assert.deepEqual(compileRe2('^shared$'), first, 'compiled again, to the same translation');
  });
});

describe('rejected patterns', () => {
  it('mirrors RE2 errors', () => {
    rejects('(', 'missing closing ): `(`');
    rejects('a)', 'unexpected ): `a)`');
    rejects('a**', 'invalid nested repetition operator: `**`');
    rejects('a*?+', 'invalid nested repetition operator: `*?+`');
    rejects('*a', 'missing argument to repetition operator: `*`');
    rejects('(|+)', 'missing argument to repetition operator: `+`');
    rejects('(?=a)', 'invalid or unsupported Perl syntax: `(?=`');
    rejects('(?!a)', 'invalid or unsupported Perl syntax: `(?!`');
    rejects('(?<=a)b', 'invalid named capture: `(?<=a)b`');
    rejects('\\1', 'invalid escape sequence: `\\1`');
    rejects('[z-a]', 'invalid character class range: `z-a`');
    rejects('[a', 'missing closing ]: `[a`');
    rejects('[[:foo:]]', 'invalid character class range: `[:foo:]`');
    rejects('a{1001}', 'invalid repeat count: `{1001}`');
    rejects('(a{500}){3}', 'invalid repeat count: `{3}`');
    rejects('a{2,1}', 'invalid repeat count: `{2,1}`');
    rejects('\\C', 'invalid escape sequence: `\\C`');
    rejects('\\Z', 'invalid escape sequence: `\\Z`');
    rejects('\\x{110000}', 'invalid escape sequence: `\\x{110000`');
    rejects('a\\', 'trailing backslash at end of expression: ``');
    rejects('(?i', 'invalid or unsupported Perl syntax: `(?i`');
    rejects('(?P<a-b>x)', 'invalid named capture: `(?P<a-b>`');
  });

  it('declines valid RE2 that Berth cannot run in both engines', () => {
    rejects('\\pL', 'Unicode class `\\pL` is unsupported in Berth', true);
    rejects('[\\p{Greek}]', 'Unicode class `\\p{Greek}` is unsupported in Berth', true);
    rejects('\\PN', /unsupported in Berth$/, true);
    rejects('a{256}', 'repeat count above 255 in `{256}` is unsupported in Berth', true);
    rejects('a{2,}{3}', 'invalid nested repetition operator: `{2,}{3}`'); // invalid beats unsupported
    rejects('\\pL(', 'missing closing ): `\\pL(`');
  });
});

// Edges the mutation run found untested. Each answer is Go regexp's (go1.19 regexp.Compile and
// MatchString), except the 255 limit, which is Berth's own (PostgreSQL's).
describe('parser edges, as Go parses them', () => {
  it('escapes', () => {
    assert.equal(re('^\\x4a\\x{4A}\\x{4a}$', 'JJJ'), true);
    rejects('\\x4', 'invalid escape sequence: `\\x4`');
    rejects('\\x{}', 'invalid escape sequence: `\\x{}`');
    rejects('[\\z]', 'invalid escape sequence: `\\z`');
    rejects('\\é', 'invalid escape sequence: `\\é`');
    rejects('\\\u0080', 'invalid escape sequence: `\\\u0080`');
    // An octal escape takes at most three digits.
    assert.equal(re('^\\1234$', 'S4'), true);
  });

  it('\\Q...\\E, closed or running to the end', () => {
    assert.equal(re('^\\Qa.b\\E$', 'a.b'), true);
    assert.equal(re('^\\Qa.b\\E$', 'axb'), false);
    assert.equal(re('^x\\Qa.b', 'xa.b'), true);
    assert.equal(re('^x\\Qa.b', 'xa-b'), false);
    assert.equal(re('^\\\\E\\Qa.b\\E$', '\\Ea.b'), true);
    // Only a backslash followed by E ends it.
    assert.equal(re('^\\Qa\\b\\E$', 'a\\b'), true);
    assert.equal(re('^\\QxE\\E$', 'xE'), true);
  });

  it('bracket classes', () => {
    // A letter of a Perl or Unicode class is itself without its backslash.
    assert.equal(re('^[xd]+$', 'xd'), true);
    assert.equal(re('^[xd]+$', '5'), false);
    assert.equal(re('^[xp]+$', 'px'), true);
    assert.equal(re('^[a-]$', '-'), true);
    assert.equal(re('^[a-a]$', 'a'), true);
    // "[:" without its ":]" is two characters; two POSIX classes side by side.
    assert.equal(re('^[[:a]$', 'a'), true);
    assert.equal(re('^[[:a:b]$', 'a'), true);
    assert.equal(re('^[[:alpha:][:digit:]]+$', 'a1'), true);
    rejects('\\p', 'invalid character class range: `\\p`');
    rejects('\\p{Greek', 'invalid character class range: `\\p{Greek`');
  });

  it('groups and flags', () => {
    assert.equal(re('a(?)b', 'ab'), true);
    rejects('(?P<', 'invalid or unsupported Perl syntax: `(?P`');
    rejects('a(?P<', 'invalid or unsupported Perl syntax: `(?P`');
    rejects('(?Px)', 'invalid or unsupported Perl syntax: `(?P`');
    rejects('(?<', 'invalid or unsupported Perl syntax: `(?<`');
    rejects('(?i<n>a)', 'invalid or unsupported Perl syntax: `(?i<`');
    rejects('(?i-)', 'invalid or unsupported Perl syntax: `(?i-)`');
    rejects('(?-)', 'invalid or unsupported Perl syntax: `(?-)`');
  });

  it('nesting: 999 groups deep, not 1000; the error names the whole pattern', () => {
    // Unanchored: Go counts the height of its parse tree, where ^...$ would be one level more.
    assert.equal(re(`${'('.repeat(999)}a${')'.repeat(999)}`, 'a'), true);
    const deep = `ab${'('.repeat(1000)}x${')'.repeat(1000)}cd`;
    rejects(deep, `expression nests too deeply: \`${deep}\``);
    assert.equal(re(`^${'(a)'.repeat(1000)}$`, 'a'.repeat(1000)), true);
  });

  it('repeat counts', () => {
    assert.equal(re('^ba{0,0}c$', 'bc'), true);
    rejects('{1001}', 'invalid repeat count: `{1001}`');
    rejects('a{1001}?', 'invalid repeat count: `{1001}`');
    // A lazy ? is not part of the count Go names; RE2's 1000 is allowed (Berth declines it, below).
    rejects('a{1001,}?', 'invalid repeat count: `{1001,}`');
    rejects('a{2,1001}?', 'invalid repeat count: `{2,1001}`');
    rejects('a{1000,}', 'repeat count above 255 in `{1000,}` is unsupported in Berth', true);
    rejects('a{2,1000}', 'repeat count above 255 in `{2,1000}` is unsupported in Berth', true);
    rejects('a{1,0}', 'invalid repeat count: `{1,0}`');
    rejects('a{1234567890}', 'invalid repeat count: `{1234567890}`');
    rejects('a{1,1234567890}', 'invalid repeat count: `{1,1234567890}`');
    rejects('a{2,1234567890}', 'invalid repeat count: `{2,1234567890}`');
  });

  it('nested repeat counts multiply up to 1000', () => {
    for (const p of ['(a{250}){4}', '(a{250}){4,}', '(a{250}){0,4}', '((a{250})*){4}', '((a{5}){0}){255}', '(?:(?:a{2}){2}){250}']) {
      assert.doesNotThrow(() => compileRe2(p), p);
    }
    rejects('(a{250}){5}', 'invalid repeat count: `{5}`');
    rejects('(a{500}){3,}', 'invalid repeat count: `{3,}`');
    rejects('(a{600}){2,}', 'invalid repeat count: `{2,}`');
    rejects('(a{600}){0,2}', 'invalid repeat count: `{0,2}`');
    rejects('((a{600})*){2}', 'invalid repeat count: `{2}`');
    rejects('(?:(?:a{2}){2}){251}', 'invalid repeat count: `{251}`');
    for (const p of ['(a{10}|b){101}', '(a|b{10}){101}', '(ab{10}){101}', '(a{10}b){101}']) {
      rejects(p, 'invalid repeat count: `{101}`');
    }
  });

  it("Berth's own limit is 255, at either end of a count", () => {
    assert.equal(re('^a{255}$', 'a'.repeat(255)), true);
    assert.equal(re('^a{0,255}$', 'a'.repeat(255)), true);
    rejects('a{256,}', 'repeat count above 255 in `{256,}` is unsupported in Berth', true);
    rejects('a{0,256}', 'repeat count above 255 in `{0,256}` is unsupported in Berth', true);
  });
});

describe('the linear-time matcher, at its edges', () => {
  it('counted repeats take no more and no fewer than their bounds', () => {
    assert.equal(re('^a{2,3}$', 'a'), false);
    assert.equal(re('^a{2,3}$', 'aaa'), true);
    assert.equal(re('^a{2,3}$', 'aaaa'), false);
    assert.equal(re('^a{1,3}$', 'aaa'), true);
    assert.equal(re('^a{1,3}$', 'aaaa'), false);
    assert.equal(re('^a{2}$', 'aaa'), false);
  });

  it('\\b and \\B know 9, Z and z as word characters', () => {
    for (const c of ['9', 'Z', 'z']) {
      assert.equal(re(`^${c}\\b`, c), true, c);
      assert.equal(re(`^${c}\\B`, c), false, c);
    }
  });

  it('reads U+FFFF as one character and every lone surrogate as U+FFFD', () => {
    assert.equal(re('^\\x{FFFF}b$', '\uffffb'), true);
    for (const s of ['\ud800', '\udbff', '\udc00', '\udfff']) {
      assert.equal(compileRe2('^\\x{FFFD}$').js.test(s), true, JSON.stringify(s));
    }
  });
});

interface TruthCase {
  re: string;
  error?: string;
  subjects?: string[];
  match?: boolean[];
}
const truth = JSON.parse(readFileSync(new URL('./fixtures/re2-ground-truth.json', import.meta.url), 'utf8')) as {
  cases: TruthCase[];
};

describe('agreement with Go regexp (fixtures/re2-ground-truth.json)', () => {
  it(`covers ${truth.cases.length} patterns`, () => {
    let compared = 0;
    let declined = 0;
    for (const c of truth.cases) {
      if (c.error !== undefined) {
        assert.throws(
          () => compileRe2(c.re),
          (e: unknown) => {
            assert.ok(e instanceof RegexError && !e.unsupported, `${c.re}: ${String(e)}`);
            // Go 1.19 words lookbehind errors differently from current Go.
            if (!c.error!.includes('`(?<')) assert.equal(e.reason, c.error, c.re);
            return true;
          },
        );
        continue;
      }
      let r;
      try {
        r = compileRe2(c.re);
      } catch (e) {
        assert.ok(e instanceof RegexError && e.unsupported, `${c.re}: ${String(e)}`);
        declined++;
        continue;
      }
      c.subjects!.forEach((s, i) => {
        const what = `${JSON.stringify(c.re)} on ${JSON.stringify(s)} (js ${r.js.source})`;
        assert.equal(r.js.test(s), c.match![i], `linear matcher: ${what}`);
        assert.equal(nativeTest(r.js, s), c.match![i], `native RegExp: ${what}`);
        compared++;
      });
    }
    assert.ok(compared > 8000, `compared ${compared}`);
    assert.ok(declined < 60, `declined ${declined}`);
  });
});

describe('the linear-time matcher', () => {
  it('agrees with the native translation on seeded random patterns', (t) => {
    // A fixed seed unless REGEX_SEED says otherwise (a number, or "random"): V8's own engine, the
    // oracle here, is wrong on a few inputs (with the u flag, \B matches between the halves of a
    // surrogate pair, e.g. at index 2 of "b😀s*_", where RE2 and Berth's matcher see no boundary),
    // and a random seed that happens on one would fail CI for V8's bug, not Berth's.
    const requested = process.env['REGEX_SEED'];
    const seed = requested === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(requested ?? 1);
    t.diagnostic(`REGEX_SEED=${seed}`);
    const gen = regexGenerator(seed);
    let compared = 0;
    for (let i = 0; i < 2000; i++) {
      const pattern = gen.pattern();
      let r;
      try {
        r = compileRe2(pattern);
      } catch (e) {
        assert.ok(e instanceof RegexError, String(e));
        continue;
      }
      for (let k = 0; k < 8; k++) {
        const s = gen.subject();
        assert.equal(r.js.test(s), nativeTest(r.js, s), `REGEX_SEED=${seed}: ${JSON.stringify(pattern)} on ${JSON.stringify(s)}`);
        compared++;
      }
    }
    assert.ok(compared > 8000);
  });

  // A catastrophic backtrack on these takes hours, not seconds: the test's timeout is the bound
  // that turns one into a failure; no duration is asserted.
  it('does not backtrack catastrophically', { timeout: 60_000 }, () => {
    for (const p of ['(a*)*b', '(a+)+b', '(a|a)*b', '(a|aa)*c', '^(?:a?){30}a{30}$']) {
      assert.equal(compileRe2(p).js.test('a'.repeat(29)), false);
      assert.equal(compileRe2(p).js.test(`${'a'.repeat(5000)}!`), false);
    }
  });

  it('is still a RegExp with the translated source', () => {
    const r = compileRe2('(?i)k+');
    assert.ok(r.js instanceof RegExp);
    assert.equal(r.js.source, '[Kk\\u{212A}]+');
    assert.equal(r.js.flags, 'u');
    assert.deepEqual('xKky'.match(r.js)?.[0], 'Kk');
    assert.deepEqual('aKb'.split(r.js), ['a', 'b']);
    assert.equal(r.js.test('\u212a'), true);
  });

  it('reads a lone surrogate as U+FFFD, as RE2 reads invalid UTF-8', () => {
    assert.equal(compileRe2('^\\x{FFFD}$').js.test('\ud800'), true);
    assert.equal(compileRe2('^.$').js.test('\udc00'), true);
  });
});

describe('case folding orbits', () => {
  it('match Unicode simple case folding (as Go unicode.SimpleFold)', () => {
    const orbit = (s: string) =>
      caseOrbit(s.codePointAt(0)!)
        .map((c) => String.fromCodePoint(c))
        .join('');
    assert.equal(orbit('k'), 'Kk\u212a');
    assert.equal(orbit('S'), 'Ssſ');
    assert.equal(orbit('ß'), 'ß\u1e9e');
    assert.equal(orbit('ϑ'), 'Θθϑϴ');
    assert.equal(orbit('ι'), '\u0345Ιι\u1fbe');
    assert.equal(orbit('µ'), 'µΜμ');
    assert.equal(orbit('å'), 'Åå\u212b');
    assert.equal(orbit('ǅ'), 'Ǆǅǆ');
    assert.equal(orbit('ı'), 'ı');
    assert.equal(orbit('İ'), 'İ');
    assert.equal(orbit('1'), '1');
  });
});
