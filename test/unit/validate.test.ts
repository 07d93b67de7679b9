import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContainerFields } from '../../src/model/records.ts';
import { BerthError } from '../../src/model/errors.ts';
import {
  assertIdentifier,
  assertValidContainer,
  containerProblem,
  goQuote,
  identifierProblem,
  labelProblem,
  labelsProblem,
} from '../../src/resolvers/validate.ts';

/**
 * containerd's validation rules, one invalid field at a time, each with its exact message, and
 * their order: a container breaking two rules is refused for the earlier one.
 */
const valid: ContainerFields = {
  id: 'redis',
  image: 'docker.io/library/redis:7',
  runtime: { name: 'io.containerd.runc.v2', options: null },
  spec: { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', value: Buffer.from('{}') },
  snapshotter: 'overlayfs',
  snapshotKey: 'redis',
  sandbox: '',
  labels: { owner: 'alice' },
  extensions: { note: { typeUrl: 't', value: Buffer.from('x') } },
};
const PATTERN = '^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$';

describe('identifier rule', () => {
  for (const ok of ['a', 'Z', '0', 'redis', 'a.b', 'a_b', 'a-b', 'a.b_c-d', 'A9z', 'a1.b2', 'x'.repeat(76)]) {
    test(`accepts ${JSON.stringify(ok)}`, () => assert.equal(identifierProblem(ok), null));
  }
  test('refuses the empty string', () => assert.equal(identifierProblem(''), 'identifier must not be empty'));
  for (const bad of ['.a', 'a.', '-a', 'a-', '_a', 'a_', 'a..b', 'a.-b', 'a b', 'a/b', 'a:b', 'é', 'aé', 'éa', '.', '-', 'a\nb', 'a\n']) {
    test(`refuses ${JSON.stringify(bad)} by the pattern`, () => assert.equal(identifierProblem(bad), `identifier ${goQuote(bad)} must match ${PATTERN}`));
  }
  test('counts length in bytes: 77 bytes are too long, 76 are not', () => {
    const long = 'x'.repeat(77);
    assert.equal(identifierProblem(long), `identifier "${long}" greater than maximum length (76 characters)`);
  });
  test('a multi-byte name over 76 bytes (39 characters) is refused for its length, before the pattern', () => {
    const wide = 'é'.repeat(39);
    assert.equal(identifierProblem(wide), `identifier "${wide}" greater than maximum length (76 characters)`);
  });
  test('assertIdentifier throws INVALID_ARGUMENT, with the context before the problem', () => {
    assert.doesNotThrow(() => assertIdentifier('ok'));
    assert.throws(
      () => assertIdentifier(''),
      (e: unknown) => e instanceof BerthError && e.code === 'INVALID_ARGUMENT' && e.message === 'identifier must not be empty',
    );
    assert.throws(
      () => assertIdentifier('', 'namespace'),
      (e: unknown) => e instanceof BerthError && e.message === 'namespace: identifier must not be empty',
    );
  });
});

describe('label rule', () => {
  test('an empty key is refused', () => assert.equal(labelProblem('', 'v'), 'label key must not be empty'));
  test('key plus value up to 4096 bytes is accepted', () => {
    assert.equal(labelProblem('k', 'v'.repeat(4095)), null);
    assert.equal(labelProblem('k', ''), null);
  });
  test('key plus value over 4096 bytes names the total and the key', () => {
    assert.equal(labelProblem('k', 'v'.repeat(4096)), 'label key and value length (4097 bytes) greater than maximum size (4096 bytes), key: k');
  });
  test('lengths are counted in bytes, in the key and in the value', () => {
    assert.equal(labelProblem('k', 'é'.repeat(2047)), null);
    assert.match(labelProblem('k', 'é'.repeat(2048)) ?? '', /\(4097 bytes\)/);
    assert.match(labelProblem('é'.repeat(2048), 'v') ?? '', /\(4097 bytes\)/);
  });
  test('the message shows only the first 64 bytes of a long key', () => {
    const key = 'a'.repeat(64) + 'b'.repeat(4096);
    assert.equal(labelProblem(key, ''), `label key and value length (${4160} bytes) greater than maximum size (4096 bytes), key: ${'a'.repeat(64)}`);
  });
  test('the first problem is the one of the byte-wise smallest key', () => {
    const big = 'v'.repeat(4096);
    assert.equal(labelsProblem({}), null);
    assert.equal(labelsProblem({ a: 'x', b: 'y' }), null);
    assert.match(labelsProblem({ a: 'x', b: big }) ?? '', /key: b$/, 'a valid label does not end the check');
    assert.match(labelsProblem({ zz: big, Z: big, ab: big }) ?? '', /key: Z$/);
    assert.equal(labelsProblem({ zz: big, '': 'x' }), 'label key must not be empty');
  });
});

describe('container rules, one invalid field at a time', () => {
  test('a valid container passes', () => {
    assert.equal(containerProblem(valid), null);
    assert.doesNotThrow(() => assertValidContainer(valid, 'create'));
  });
  const cases: [string, Partial<ContainerFields>, string][] = [
    ['empty id', { id: '' }, 'container.ID: identifier must not be empty'],
    ['id against the pattern', { id: 'a..b' }, `container.ID: identifier "a..b" must match ${PATTERN}`],
    ['id too long', { id: 'x'.repeat(77) }, `container.ID: identifier "${'x'.repeat(77)}" greater than maximum length (76 characters)`],
    ['empty extension key', { extensions: { '': { typeUrl: 't', value: Buffer.alloc(0) } } }, 'container.Extension keys must not be zero-length'],
    ['empty label key', { labels: { '': 'v' } }, 'containers.Labels: label key must not be empty'],
    [
      'label too large',
      { labels: { k: 'v'.repeat(4096) } },
      'containers.Labels: label key and value length (4097 bytes) greater than maximum size (4096 bytes), key: k',
    ],
    ['runtime name not set', { runtime: { name: '', options: null } }, 'container.Runtime.Name must be set'],
    ['spec not set', { spec: null }, 'container.Spec must be set'],
    ['snapshot key without snapshotter', { snapshotter: '' }, 'container.Snapshotter must be set if container.SnapshotKey is set'],
  ];
  for (const [name, change, message] of cases) {
    test(`${name}: ${message}`, () => {
      assert.equal(containerProblem({ ...valid, ...change }), message);
      assert.throws(
        () => assertValidContainer({ ...valid, ...change }, 'create'),
        (e: unknown) => e instanceof BerthError && e.code === 'INVALID_ARGUMENT' && e.message === `create: ${message}`,
      );
    });
  }
  test('no snapshot key needs no snapshotter; a snapshotter needs no snapshot key', () => {
    assert.equal(containerProblem({ ...valid, snapshotKey: '', snapshotter: '' }), null);
    assert.equal(containerProblem({ ...valid, snapshotKey: '' }), null);
  });
  test('image, sandbox and runtime options are not required', () => {
    assert.equal(containerProblem({ ...valid, image: '', sandbox: '', labels: {}, extensions: {} }), null);
  });
  test('rules apply in containerd order: each rule wins over every later one', () => {
    for (let i = 0; i < cases.length; i++) {
      const earlier = cases[i];
      assert.ok(earlier);
      let c: ContainerFields = { ...valid, ...earlier[1] };
      for (const later of cases.slice(i + 1)) {
        if (later[1].id !== undefined && earlier[1].id !== undefined) continue;
        if (later[1].labels !== undefined && earlier[1].labels !== undefined) continue;
        c = { ...c, ...later[1] };
      }
      assert.equal(containerProblem(c), earlier[2], `${earlier[0]} comes first`);
    }
  });
});

describe('goQuote (Go %q)', () => {
  const cases: [string, string][] = [
    ['plain', '"plain"'],
    ['', '""'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['\x07\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\x00\x1f\x7f', '"\\x00\\x1f\\x7f"'],
    [' ~', '" ~"'],
    ['\x80\x9f', '"\\u0080\\u009f"'],
    ['é日', '"é日"'],
    ['\u2028\u2029\ufeff', '"\\u2028\\u2029\\ufeff"'],
    ['\u2027', '"\u2027"'],
    ['\xa0\xad\u202a\u200b\u3000', '"\\u00a0\\u00ad\\u202a\\u200b\\u3000"'],
    ['\ufefe\uffff', '"\\ufefe\\uffff"'],
    ['\u{e0001}\u{10ffff}', '"\\U000e0001\\U0010ffff"'],
    ['\u0301\u00bd\u00a9\u{1d400}', '"\u0301\u00bd\u00a9\u{1d400}"'],
    ['\ud800', '"\\ufffd"'],
    ['\udfff', '"\\ufffd"'],
    ['\ud7ff\ue000', '"\\ud7ff\\ue000"'],
    ['😀', '"😀"'],
  ];
  // Test names in ASCII: a raw U+2028 or DEL in a name breaks the TAP stream the mutation run reads.
  const ascii = (s: string) => JSON.stringify(s).replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`);
  for (const [input, quoted] of cases) test(`${ascii(input)} quotes as Go does`, () => assert.equal(goQuote(input), quoted));
});
