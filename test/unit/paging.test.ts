import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodePageCursor, encodePageCursor } from '../../src/resolvers/cursors.ts';
import { BerthError } from '../../src/model/errors.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageArgs, pageOf, pageWindow, size } from '../../src/resolvers/paging.ts';

/**
 * Page size and hasNextPage/hasPreviousPage at the edges, in both directions. The store is the
 * keyset query src/db/containers.ts runs (id > after, id < before, ordered, limited, rows handed
 * back ascending), played over an in-memory list of ids.
 */
function store(ids: readonly string[], q: ReturnType<typeof pageWindow>['query']): string[] {
  const inRange = [...ids].sort().filter((id) => (q.after === undefined || id > q.after) && (q.before === undefined || id < q.before));
  return q.fromEnd ? inRange.slice(Math.max(0, inRange.length - q.limit)) : inRange.slice(0, q.limit);
}

function page(ids: readonly string[], args: PageArgs) {
  const window = pageWindow(args);
  const p = pageOf(store(ids, window.query), window, (id) => id);
  return { ids: p.nodes, ...p.pageInfo, cursors: p.edges.map((e) => e.cursor) };
}

/** Walks every page forward (first) or backward (last); returns each page's ids and flags. */
function walk(ids: readonly string[], n: number, direction: 'forward' | 'backward') {
  const pages: { ids: readonly string[]; more: boolean; back: boolean }[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard <= ids.length + 1; guard++) {
    const p: ReturnType<typeof page> = direction === 'forward' ? page(ids, { first: n, after: cursor }) : page(ids, { last: n, before: cursor });
    pages.push({
      ids: p.ids,
      more: direction === 'forward' ? p.hasNextPage : p.hasPreviousPage,
      back: direction === 'forward' ? p.hasPreviousPage : p.hasNextPage,
    });
    if (!pages.at(-1)?.more) return pages;
    cursor = direction === 'forward' ? p.endCursor : p.startCursor;
  }
  throw new Error(`walking ${direction} by ${n} over ${ids.length} ids never reached the end`);
}

const idsOf = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i).padStart(3, '0')}`);

describe('walking pages: sizes and flags at the edges', () => {
  const shapes: [string, number, number, number[]][] = [
    ['no rows', 0, 3, [0]],
    ['one row', 1, 3, [1]],
    ['fewer rows than a page', 2, 3, [2]],
    ['exactly one page', 3, 3, [3]],
    ['one more than a page', 4, 3, [3, 1]],
    ['an exact multiple of the page size', 9, 3, [3, 3, 3]],
    ['a multiple plus one', 10, 3, [3, 3, 3, 1]],
    ['pages of one', 3, 1, [1, 1, 1]],
  ];
  for (const [name, rows, n, sizes] of shapes) {
    for (const direction of ['forward', 'backward'] as const) {
      test(`${name}: ${rows} rows by ${n} ${direction} are pages of ${sizes.join(', ')}, with hasNextPage/hasPreviousPage`, () => {
        const ids = idsOf(rows);
        const pages = walk(ids, n, direction);
        assert.deepEqual(
          pages.map((p) => p.ids.length),
          sizes,
          'page sizes',
        );
        assert.deepEqual(
          pages.map((p) => p.more),
          sizes.map((_, i) => i < sizes.length - 1),
          'more pages in the direction of travel on every page but the last',
        );
        assert.deepEqual(
          pages.map((p) => p.back),
          sizes.map(() => false),
          'the other direction is not checked (Relay allows false)',
        );
        const seen = pages.flatMap((p) => (direction === 'forward' ? p.ids : [...p.ids].reverse()));
        assert.deepEqual(seen, direction === 'forward' ? ids : [...ids].reverse(), 'every row once, in order');
      });
    }
  }
});

describe('one page', () => {
  const ids = idsOf(5);
  test('page size: a page holds first (or last) rows when more exist', () => {
    assert.deepEqual(page(ids, { first: 3 }).ids, ['c000', 'c001', 'c002']);
    assert.deepEqual(page(ids, { last: 3 }).ids, ['c002', 'c003', 'c004']);
    assert.deepEqual(page(ids, { first: 1 }).ids, ['c000']);
    assert.deepEqual(page(ids, { last: 1 }).ids, ['c004']);
  });
  test('hasNextPage is false when the page ends exactly at the last row, true when one more exists', () => {
    assert.equal(page(idsOf(3), { first: 3 }).hasNextPage, false);
    assert.equal(page(idsOf(4), { first: 3 }).hasNextPage, true);
    assert.equal(page(idsOf(4), { first: 3, after: encodePageCursor('c000') }).hasNextPage, false);
  });
  test('hasPreviousPage is false when the page starts exactly at the first row, true when one more exists', () => {
    assert.equal(page(idsOf(3), { last: 3 }).hasPreviousPage, false);
    assert.equal(page(idsOf(4), { last: 3 }).hasPreviousPage, true);
    assert.equal(page(idsOf(4), { last: 3, before: encodePageCursor('c003') }).hasPreviousPage, false);
  });
  test('with no arguments is the first 100', () => {
    const many = idsOf(DEFAULT_PAGE_SIZE + 1);
    const p = page(many, {});
    assert.equal(p.ids.length, DEFAULT_PAGE_SIZE);
    assert.equal(p.hasNextPage, true);
    assert.equal(page(idsOf(DEFAULT_PAGE_SIZE), {}).hasNextPage, false);
  });
  test('cursors name their rows; start and end cursors are the first and last', () => {
    const p = page(ids, { first: 2, after: encodePageCursor('c000') });
    assert.deepEqual(p.ids, ['c001', 'c002']);
    assert.deepEqual(p.cursors.map(decodePageCursor), ['c001', 'c002']);
    assert.equal(p.startCursor, encodePageCursor('c001'));
    assert.equal(p.endCursor, encodePageCursor('c002'));
  });
  test('an empty page has no start or end cursor', () => {
    const p = page([], { first: 2 });
    assert.deepEqual([p.startCursor, p.endCursor, p.hasNextPage, p.hasPreviousPage], [null, null, false, false]);
  });
  test('first: 0 is an empty page that says whether rows exist', () => {
    assert.deepEqual(page(ids, { first: 0 }).ids, []);
    assert.equal(page(ids, { first: 0 }).hasNextPage, true);
    assert.equal(page([], { first: 0 }).hasNextPage, false);
  });
  test('last: 0 is an empty page that says whether rows exist', () => {
    assert.deepEqual(page(ids, { last: 0 }).ids, []);
    assert.equal(page(ids, { last: 0 }).hasPreviousPage, true);
    assert.equal(page([], { last: 0 }).hasPreviousPage, false);
  });
  test('last takes the rows nearest the end, in ascending order', () => {
    assert.deepEqual(page(ids, { last: 2 }).ids, ['c003', 'c004']);
    assert.deepEqual(page(ids, { last: 2, before: encodePageCursor('c003') }).ids, ['c001', 'c002']);
  });
  test('after and before together bound the page on both sides', () => {
    assert.deepEqual(page(ids, { first: 10, after: encodePageCursor('c000'), before: encodePageCursor('c004') }).ids, ['c001', 'c002', 'c003']);
  });
  test('first and last together: the last of the first', () => {
    const p = page(ids, { first: 4, last: 2 });
    assert.deepEqual(p.ids, ['c002', 'c003']);
    assert.equal(p.hasNextPage, true);
    assert.equal(p.hasPreviousPage, true);
    const q = page(ids, { first: 5, last: 5 });
    assert.deepEqual(q.ids, ids);
    assert.equal(q.hasNextPage, false);
    assert.equal(q.hasPreviousPage, false);
    assert.equal(page(ids, { first: 3, last: 3 }).hasPreviousPage, false, 'last equal to the page keeps it whole');
  });
});

describe('the store window', () => {
  test('asks for one row more than the page', () => {
    assert.deepEqual(pageWindow({}), { query: { limit: DEFAULT_PAGE_SIZE + 1, fromEnd: false }, first: DEFAULT_PAGE_SIZE, last: null });
    assert.deepEqual(pageWindow({ first: 7 }), { query: { limit: 8, fromEnd: false }, first: 7, last: null });
    assert.deepEqual(pageWindow({ last: 7 }), { query: { limit: 8, fromEnd: true }, first: null, last: 7 });
    assert.deepEqual(pageWindow({ first: 2, last: 7 }), { query: { limit: 3, fromEnd: false }, first: 2, last: 7 });
    assert.deepEqual(pageWindow({ first: null, last: null, after: null, before: null }), pageWindow({}));
  });
  test('decodes the cursors into keyset bounds', () => {
    assert.deepEqual(pageWindow({ first: 1, after: encodePageCursor('a'), before: encodePageCursor('z') }).query, {
      after: 'a',
      before: 'z',
      limit: 2,
      fromEnd: false,
    });
    assert.deepEqual(pageWindow({ last: 1, after: encodePageCursor('') }).query, { after: '', limit: 2, fromEnd: true });
  });
  test('refuses a cursor it did not make', () => {
    assert.throws(
      () => pageWindow({ after: '%%%' }),
      (e: unknown) => e instanceof BerthError && e.code === 'INVALID_ARGUMENT',
    );
    assert.throws(
      () => pageWindow({ before: 'YQ=' }),
      (e: unknown) => e instanceof BerthError && e.code === 'INVALID_ARGUMENT',
    );
  });
});

describe('page size limits', () => {
  test('absent is null', () => {
    assert.equal(size(undefined, 'first'), null);
    assert.equal(size(null, 'first'), null);
  });
  test('0 and the maximum are allowed', () => {
    assert.equal(size(0, 'first'), 0);
    assert.equal(size(MAX_PAGE_SIZE, 'last'), 1000);
  });
  test('negative is INVALID_ARGUMENT', () => {
    assert.throws(
      () => size(-1, 'last'),
      (e: unknown) => e instanceof BerthError && e.code === 'INVALID_ARGUMENT' && e.message === 'last must not be negative',
    );
  });
  test('over the maximum is RESOURCE_EXHAUSTED', () => {
    assert.throws(
      () => size(1001, 'first'),
      (e: unknown) => e instanceof BerthError && e.code === 'RESOURCE_EXHAUSTED' && e.message === 'first may not exceed 1000, got 1001',
    );
  });
  test('the error names the argument', () => {
    assert.throws(
      () => pageWindow({ last: 1001 }),
      (e: unknown) => e instanceof BerthError && e.message === 'last may not exceed 1000, got 1001',
    );
    assert.throws(
      () => pageWindow({ first: -1 }),
      (e: unknown) => e instanceof BerthError && e.message === 'first must not be negative',
    );
    assert.throws(
      () => pageWindow({ first: 1001 }),
      (e: unknown) => e instanceof BerthError && e.message === 'first may not exceed 1000, got 1001',
    );
    assert.throws(
      () => pageWindow({ last: -1 }),
      (e: unknown) => e instanceof BerthError && e.message === 'last must not be negative',
    );
  });
});
