import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelArgs, labelPairs } from '../../src/cli/labels.ts';

test("labelArgs follows ctr's LabelArgs: split at the first =, bare key is true, last one wins", () => {
  assert.deepEqual(labelArgs(['a=1', 'b', 'c=', 'd=x=y', 'a=2']), [
    { key: 'a', value: '2' },
    { key: 'b', value: 'true' },
    { key: 'c', value: '' },
    { key: 'd', value: 'x=y' },
  ]);
});

test('labelPairs sorts whole k=v strings byte-wise, as Go sort.Strings', () => {
  assert.equal(
    labelPairs([
      { key: 'a', value: '2' },
      { key: 'a.b', value: '1' },
      { key: 'é', value: '' },
      { key: 'Z', value: 'z' },
    ]),
    'Z=z,a.b=1,a=2,é=',
  );
  assert.equal(labelPairs([]), '');
});
