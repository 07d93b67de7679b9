import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContainerRecord } from '../../src/model/records.ts';
import { BerthError } from '../../src/model/errors.ts';
import { applyContainerUpdate, setOrDelete } from '../../src/resolvers/field-mask.ts';
import type { ContainerDraft } from '../../src/resolvers/inputs.ts';

/** Every field path the README documents, what each replaces, and what no path at all means. */
const any = (s: string) => ({ typeUrl: `type/${s}`, value: Buffer.from(s) });
const stored: ContainerRecord = {
  namespace: 'default',
  id: 'web',
  image: 'old-image',
  runtime: { name: 'rt', options: any('opts') },
  spec: any('old-spec'),
  snapshotter: 'overlayfs',
  snapshotKey: 'old-key',
  sandbox: 'box',
  labels: { keep: 'k', change: 'c', drop: 'd' },
  extensions: { keep: any('k'), change: any('c'), drop: any('d') },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  revision: 3,
};
const input: ContainerDraft = {
  id: 'web',
  image: 'new-image',
  runtime: { name: 'rt', options: null },
  spec: any('new-spec'),
  snapshotter: 'overlayfs',
  snapshotKey: 'new-key',
  sandbox: 'other-box',
  labels: { change: 'C', added: 'a' },
  extensions: { change: any('C'), added: any('a') },
};
/** The stored container's writable fields, with some replaced. */
const storedWith = (change: object) => {
  const { namespace: _n, createdAt: _c, updatedAt: _u, revision: _r, ...fields } = stored;
  return { ...fields, ...change };
};
const update = (paths: string[], draft: ContainerDraft = input) => {
  const { namespace: _n, createdAt: _c, updatedAt: _u, revision: _r, ...merged } = applyContainerUpdate(stored, draft, paths) as ContainerRecord;
  return merged;
};
const invalid = (message: string) => (e: unknown) => e instanceof BerthError && e.code === 'INVALID_ARGUMENT' && e.message === message;

describe('one field path at a time', () => {
  test('labels replaces every label', () => assert.deepEqual(update(['labels']), storedWith({ labels: input.labels })));
  test('labels with none given removes every label', () => assert.deepEqual(update(['labels'], { id: 'web' }), storedWith({ labels: {} })));
  test('labels.<key> sets one label and keeps the others', () => {
    assert.deepEqual(update(['labels.change']), storedWith({ labels: { keep: 'k', change: 'C', drop: 'd' } }));
    assert.deepEqual(update(['labels.added']), storedWith({ labels: { ...stored.labels, added: 'a' } }));
  });
  test('labels.<key> absent from the input deletes that label only', () => {
    assert.deepEqual(update(['labels.drop']), storedWith({ labels: { keep: 'k', change: 'c' } }));
    assert.deepEqual(update(['labels.drop'], { id: 'web' }), storedWith({ labels: { keep: 'k', change: 'c' } }));
  });
  test('labels.<key> with an empty value deletes it', () => {
    assert.deepEqual(update(['labels.keep'], { id: 'web', labels: { keep: '' } }), storedWith({ labels: { change: 'c', drop: 'd' } }));
  });
  test('labels.<key> keeps dots after the first in the key', () => {
    assert.deepEqual(update(['labels.a.b'], { id: 'web', labels: { 'a.b': 'x' } }), storedWith({ labels: { ...stored.labels, 'a.b': 'x' } }));
  });
  test('spec replaces the spec', () => assert.deepEqual(update(['spec']), storedWith({ spec: input.spec })));
  test('spec absent from the input clears it (validation then refuses it)', () =>
    assert.deepEqual(update(['spec'], { id: 'web' }), storedWith({ spec: null })));
  test('extensions replaces them all, removing the ones not given', () =>
    assert.deepEqual(update(['extensions']), storedWith({ extensions: input.extensions })));
  test('extensions with none given removes them all', () => assert.deepEqual(update(['extensions'], { id: 'web' }), storedWith({ extensions: {} })));
  test('extensions.<name> sets one extension and keeps the others', () => {
    assert.deepEqual(update(['extensions.change']), storedWith({ extensions: { ...stored.extensions, change: any('C') } }));
  });
  test('extensions.<name> absent from the input removes it', () => {
    const { drop: _d, ...rest } = stored.extensions;
    assert.deepEqual(update(['extensions.drop']), storedWith({ extensions: rest }));
    assert.deepEqual(update(['extensions.drop'], { id: 'web' }), storedWith({ extensions: rest }));
  });
  test('image replaces the image, and clears it when absent', () => {
    assert.deepEqual(update(['image']), storedWith({ image: 'new-image' }));
    assert.deepEqual(update(['image'], { id: 'web' }), storedWith({ image: '' }));
  });
  for (const path of ['snapshotkey', 'snapshotKey']) {
    test(`${path} replaces the snapshot key, and clears it when absent`, () => {
      assert.deepEqual(update([path]), storedWith({ snapshotKey: 'new-key' }));
      assert.deepEqual(update([path], { id: 'web' }), storedWith({ snapshotKey: '' }));
    });
  }
});

describe('paths that cannot be updated', () => {
  for (const path of [
    'runtime',
    'runtime.name',
    'snapshotter',
    'sandbox',
    'id',
    'createdAt',
    'Labels',
    'SnapshotKey',
    'labelsx',
    'extensionsx',
    'label.a',
    'spec.x',
    'image.x',
    '',
  ]) {
    test(`${JSON.stringify(path)} is refused, naming the path and the container`, () => {
      assert.throws(() => update([path]), invalid(`cannot update "${path}" field on "web"`));
    });
  }
  test('one bad path fails the update even after good ones', () => {
    assert.throws(() => update(['image', 'labels', 'runtime']), invalid('cannot update "runtime" field on "web"'));
  });
});

describe('several paths', () => {
  test('apply in order: a later whole-field path overrides an earlier key path', () => {
    assert.deepEqual(update(['labels.added', 'labels'], { id: 'web', labels: { only: 'o', added: 'a' } }), storedWith({ labels: { only: 'o', added: 'a' } }));
    assert.deepEqual(update(['labels', 'labels.keep'], { id: 'web', labels: { only: 'o' } }), storedWith({ labels: { only: 'o' } }));
  });
  test('fields not named keep their stored values, immutables are not checked', () => {
    assert.deepEqual(update(['image'], { ...input, snapshotter: 'other', runtime: { name: 'other', options: null } }), storedWith({ image: 'new-image' }));
  });
});

describe('no paths: a full replace', () => {
  test('replaces labels, spec, extensions, image and snapshot key; keeps runtime, snapshotter and sandbox', () => {
    assert.deepEqual(
      update([]),
      storedWith({ labels: input.labels, spec: input.spec, extensions: input.extensions, image: 'new-image', snapshotKey: 'new-key' }),
    );
  });
  test('fields absent from the input are cleared', () => {
    const draft = { id: 'web', snapshotter: 'overlayfs', runtime: { name: 'rt', options: null } };
    assert.deepEqual(update([], draft), storedWith({ labels: {}, spec: null, extensions: {}, image: '', snapshotKey: '' }));
  });
  test('a different snapshotter is refused', () => {
    assert.throws(() => update([], { ...input, snapshotter: 'btrfs' }), invalid('container.Snapshotter field is immutable'));
    assert.throws(() => update([], { ...input, snapshotter: undefined }), invalid('container.Snapshotter field is immutable'));
  });
  test('a different runtime name is refused', () => {
    assert.throws(() => update([], { ...input, runtime: { name: 'crun', options: null } }), invalid('container.Runtime.Name field is immutable'));
    assert.throws(() => update([], { ...input, runtime: undefined }), invalid('container.Runtime.Name field is immutable'));
  });
  test('snapshotter is checked before runtime name', () => {
    assert.throws(
      () => update([], { ...input, snapshotter: 'btrfs', runtime: { name: 'crun', options: null } }),
      invalid('container.Snapshotter field is immutable'),
    );
  });
  test('an absent snapshotter or runtime matches an empty stored one', () => {
    const bare: ContainerRecord = { ...stored, snapshotter: '', runtime: { name: '', options: null } };
    assert.equal(applyContainerUpdate(bare, { id: 'web' }, []).image, '');
  });
});

describe('setOrDelete', () => {
  test('sets, replaces and deletes', () => {
    assert.deepEqual(setOrDelete({}, 'a', 'x'), { a: 'x' });
    assert.deepEqual(setOrDelete({ a: 'x', b: 'y' }, 'a', 'z'), { a: 'z', b: 'y' });
    assert.deepEqual(setOrDelete({ a: 'x', b: 'y' }, 'a', ''), { b: 'y' });
    assert.deepEqual(setOrDelete({ b: 'y' }, 'a', ''), { b: 'y' });
  });
  test('does not change the labels it was given', () => {
    const labels = { a: 'x' };
    setOrDelete(labels, 'a', '');
    assert.deepEqual(labels, { a: 'x' });
  });
});
