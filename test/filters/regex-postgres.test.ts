// The PostgreSQL translation of every ~= regex must give the same answer as
// the JavaScript one (and as Go, where the fixtures know Go's answer).
// Needs a reachable PostgreSQL; skipped otherwise.
//
// The random part prints its seed; rerun one with REGEX_SEED=<seed>.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import postgres from 'postgres';
import { RegexError, compileRe2 } from '../../src/filters/regex.ts';
import { regexGenerator } from './re2-gen.ts';

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
let reachable = false;

before(async () => {
  try {
    await sql`select 1`;
    reachable = true;
  } catch {
    reachable = false;
  }
});
after(() => sql.end({ timeout: 1 }));

interface Probe {
  pattern: string;
  postgres: string;
  subject: string;
  expected: boolean;
}

// One round trip per batch; PostgreSQL text cannot hold NUL, so such
// subjects are not sent.
// The SQL layer compares under collate "C"; the database default is
// checked too, since the translation must not depend on the locale.
async function pgMatches(probes: readonly Probe[], collateC: boolean): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < probes.length; i += 5000) {
    const batch = probes.slice(i, i + 5000);
    const subjects = batch.map((p) => p.subject);
    const patterns = batch.map((p) => p.postgres);
    const rows = collateC
      ? await sql<{ m: boolean }[]>`
          select (s collate "C") ~ r as m
          from unnest(${subjects}::text[], ${patterns}::text[]) with ordinality as t(s, r, n)
          order by n`
      : await sql<{ m: boolean }[]>`
          select s ~ r as m
          from unnest(${subjects}::text[], ${patterns}::text[]) with ordinality as t(s, r, n)
          order by n`;
    out.push(...rows.map((r) => r.m));
  }
  return out;
}

async function expectAgreement(probes: Probe[], what: string): Promise<void> {
  for (const collateC of [true, false]) {
    const got = await pgMatches(probes, collateC);
    const mismatches = probes.filter((p, i) => got[i] !== p.expected);
    assert.deepEqual(
      mismatches.slice(0, 10).map((p) => ({ pattern: p.pattern, subject: p.subject, postgres: p.postgres, expected: p.expected })),
      [],
      `${mismatches.length} of ${probes.length} ${what} disagree${collateC ? ' (collate "C")' : ''}`,
    );
  }
}

function probe(pattern: string, subject: string, expected?: boolean): Probe | undefined {
  let r;
  try {
    r = compileRe2(pattern);
  } catch (e) {
    if (e instanceof RegexError) return undefined;
    throw e;
  }
  if (subject.includes('\0')) return undefined;
  return { pattern, postgres: r.postgres, subject, expected: expected ?? r.js.test(subject) };
}

describe('PostgreSQL translation', () => {
  it('agrees with Go on the ground-truth fixtures', async (t) => {
    if (!reachable) return t.skip(`no PostgreSQL at ${url}`);
    const truth = JSON.parse(readFileSync(new URL('./fixtures/re2-ground-truth.json', import.meta.url), 'utf8')) as {
      cases: { re: string; subjects?: string[]; match?: boolean[] }[];
    };
    const probes = truth.cases.flatMap((c) => (c.subjects ?? []).flatMap((s, i) => probe(c.re, s, c.match![i]) ?? []));
    assert.ok(probes.length > 8000);
    await expectAgreement(probes, 'fixture probes');
  });

  it('matches RE2 on hand-picked traps, with answers written by hand', async (t) => {
    if (!reachable) return t.skip(`no PostgreSQL at ${url}`);
    // [pattern, subject, RE2's answer]: where JavaScript's or PostgreSQL's own regex rules differ.
    const TRAPS: [string, string, boolean][] = [
      ['a$', 'a\n', false], // $ is end of text without (?m)
      ['a$', 'a', true],
      ['(?m)a$', 'a\nb', true],
      ['\\Aa\\z', 'a\n', false],
      ['a.b', 'a\nb', false],
      ['(?s)a.b', 'a\nb', true],
      ['a.b', 'a\rb', true], // . excludes only \n
      ['a.b', 'a\u2028b', true], // ... not U+2028, which JavaScript's . excludes
      ['^.$', '😀', true], // . is one code point
      ['(?i)k', '\u212a', true], // simple case folding: Kelvin sign
      ['(?i)s', 'ſ', true], // long s
      ['(?i)É', 'é', true],
      ['\\w+', 'é', false], // \w, \s, \b are ASCII
      ['\\s', 'a\u2028b', false],
      ['\\s', 'a b\tc', true],
      ['[[:space:]]', 'a\u2028b', false],
      ['\\bfoo\\b', 'éfooé', true],
      ['\\bfoo\\b', '_foo_', false],
      ['[^\\n]', '\n', false],
      ['[\\x{e0}-\\x{ff}]+', 'é', true],
      ['[\\x{e0}-\\x{ff}]+', 'É', false],
      ['(?:a|b){2,3}', 'a', false],
      ['(?:a|b){2,3}', 'ab', true],
      ['x{0}a', 'a', true],
      ['(?i)(?:a(?-i)a)', 'Aa', true],
      ['(?i)(?:a(?-i)a)', 'AA', false],
      ['[[:^alpha:]]', 'ab', false],
      ['[[:^alpha:]]', 'a1', true],
      ['a|', '', true],
      ['😀|[😀-😂]', '😁', true],
      ['[[:punct:]]', 'a-b', true],
      ['[[:punct:]]', 'ab', false],
    ];
    const probes = TRAPS.map(([pattern, subject, expected]) => {
      const p = probe(pattern, subject, expected);
      assert.ok(p, `${pattern} compiles`);
      assert.equal(compileRe2(pattern).js.test(subject), expected, `JavaScript: ${pattern} on ${JSON.stringify(subject)}`);
      return p;
    });
    await expectAgreement(probes, 'hand-written RE2 answers');
  });

  // The two tests below check the two translations against each other (expected = the JavaScript
  // translation's answer), so they find where only one is wrong; the Go fixtures above and the
  // hand-written answers are what tie both to RE2.
  it('agrees with JavaScript on hand-picked traps', async (t) => {
    if (!reachable) return t.skip(`no PostgreSQL at ${url}`);
    const subjects = [
      '',
      'a',
      'A',
      'a\n',
      '\na',
      'a\nb',
      'a\rb',
      'a\u2028b',
      'K',
      '\u212a',
      'ſ',
      'é',
      'É',
      'foo bar',
      '_x_',
      'éfooé',
      'ß',
      'ẞ',
      '😀',
      '[x]',
      'a-b',
      '\\',
      'a b\tc',
    ];
    const patterns = [
      'a$',
      '^a',
      '(?m)^a$',
      '(?m)a$',
      '\\Aa\\z',
      'a.b',
      '(?s)a.b',
      '(?i)k',
      '(?i)s',
      '(?i)ß',
      '(?i)[^k]',
      '(?i)\\W',
      '\\w+',
      '\\s',
      '[[:space:]]',
      '[[:punct:]]',
      '\\bfoo\\b',
      '\\Bo',
      '[^a]',
      '^$',
      '(?m)^$',
      '\\[x\\]',
      '[\\[\\]]',
      '[a\\-b]',
      '[-a]',
      '\\\\',
      '\\Q\\\\E',
      'a|',
      '(|a)+',
      '^*$',
      '\\b*a',
      '(?i)É',
      '[\\x{e0}-\\x{ff}]+',
      '😀|[😀-😂]',
      '(?:a|b){2,3}',
      'x{0}a',
      '(?i)(?:a(?-i)a)',
      '[[:^alpha:]]',
      '[^\\n]',
      '(?s)[^\\n].',
      '.',
      '\\x00|a',
    ];
    const probes = patterns.flatMap((p) => subjects.flatMap((s) => probe(p, s) ?? []));
    await expectAgreement(probes, 'hand-picked probes');
  });

  it('agrees with JavaScript on seeded random patterns', async (t) => {
    if (!reachable) return t.skip(`no PostgreSQL at ${url}`);
    const seed = Number(process.env['REGEX_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    t.diagnostic(`REGEX_SEED=${seed}`);
    const gen = regexGenerator(seed);
    const probes: Probe[] = [];
    for (let i = 0; i < 1500; i++) {
      const pattern = gen.pattern();
      for (let k = 0; k < 8; k++) {
        const p = probe(pattern, gen.subject());
        if (p) probes.push(p);
      }
    }
    await expectAgreement(probes, `random probes (REGEX_SEED=${seed})`);
  });
});
