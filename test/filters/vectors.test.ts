// Every vector of test/data/filter-cases.json, through parseAll + matches. The file has no scanner
// cases; the scanner's token stream is tested in scanner.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterParseError, parseAll } from '../../src/filters/parser.ts';
import { matches } from '../../src/filters/match.ts';
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
