import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTAINER_TABLE, formatTable, NAMESPACE_TABLE } from '../../src/cli/tabwriter.ts';

const dots = (text: string) => text.replaceAll('·', ' ');

test("ctr's sample table, byte for byte", () => {
  const rows = [
    ['CONTAINER', 'IMAGE', 'RUNTIME'],
    ['redis', 'docker.io/library/redis:alpine', 'io.containerd.runc.v2'],
    ['c1', '-', 'io.containerd.runc.v2'],
  ];
  assert.equal(
    formatTable(rows, CONTAINER_TABLE),
    dots(
      'CONTAINER    IMAGE                             RUNTIME··················\n' +
        'redis        docker.io/library/redis:alpine    io.containerd.runc.v2····\n' +
        'c1           -                                 io.containerd.runc.v2····\n',
    ),
  );
});

test('minwidth holds for narrow columns, and width counts runes, not bytes', () => {
  assert.equal(
    formatTable(
      [
        ['a', ''],
        ['é', 'x'],
      ],
      NAMESPACE_TABLE,
    ),
    dots('a ··\né x·\n'),
  );
  assert.equal(formatTable([['', '']], CONTAINER_TABLE), dots('········\n'));
});
