// Every vector of test/data/filter-cases.json, through parseAll + matches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterParseError, parseAll } from '../../src/filters/parser.ts';
import { matches } from '../../src/filters/match.ts';
import { Scanner } from '../../src/filters/scanner.ts';
import { adaptorFor, vectors } from './helpers.ts';

describe('filter_cases vectors', () => {
  for (const c of vectors.filter_cases) {
    it(c.id, () => {
      const corpus = vectors.corpora[c.corpus];
      assert.ok(corpus, `unknown corpus ${c.corpus}`);
      if (!c.expect.ok) {
        const expected = c.expect.parse_error;
        assert.throws(
          () => parseAll(c.filters),
          (e: unknown) => {
            assert.ok(e instanceof FilterParseError);
            assert.equal(e.message, expected);
            assert.equal(e.code, 'INVALID_ARGUMENT');
            return true;
          },
        );
        return;
      }
      const set = parseAll(c.filters);
      const got = corpus.objects.flatMap((o, i) => (matches(set, adaptorFor(corpus.adaptor, o)) ? [i] : []));
      assert.deepEqual(got, c.expect.matches);
      if (c.expect.match_ids) {
        assert.deepEqual(
          got.map((i) => corpus.objects[i]?.['id']),
          c.expect.match_ids,
        );
      }
    });
  }
});

describe('scanner_cases vectors', () => {
  const cases = vectors.scanner_cases ?? [];
  it('the vector file may omit scanner cases', () => assert.ok(Array.isArray(cases)));
  for (const c of cases) {
    it(c.name, () => {
      const sc = new Scanner(c.input);
      const got: { pos: number; token: string; text?: string; err?: string }[] = [];
      for (let i = 0; i < c.tokens.length + 5; i++) {
        const t = sc.scan();
        const token = t.kind === 'Char' ? String.fromCodePoint(t.rune) : t.kind;
        const entry: (typeof got)[number] = { pos: t.pos, token };
        if (t.text !== '') entry.text = t.text;
        if (t.kind === 'Illegal') entry.err = sc.err;
        got.push(entry);
        if (t.kind === 'EOF') break;
      }
      const want = c.tokens.map((t) => {
        const e: (typeof got)[number] = { pos: t.pos, token: t.token };
        if (t.text !== undefined && t.text !== '') e.text = t.text;
        if (t.err !== undefined && t.err !== '') e.err = t.err;
        return e;
      });
      assert.deepEqual(got, want);
    });
  }
});
