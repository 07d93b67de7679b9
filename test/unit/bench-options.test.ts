import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOptions, UsageError } from '../../bench/options.ts';

/** --peer-shapes is a fixed setup: its figures are only comparable if nobody can bend it. */
test('bench --peer-shapes: the five operations with both baselines, at the full size', () => {
  const options = parseOptions(['--peer-shapes']);
  assert.notEqual(options, 'help');
  if (options === 'help') return;
  assert.equal(options.peerShapes, true);
  assert.deepEqual(options.scenarios, ['get', 'list', 'create', 'update', 'delete', 'baseline', 'raw']);
  assert.deepEqual([options.n, options.concurrency, options.warmup, options.duration], [100_000, 32, 2, 10]);
});

test('bench --peer-shapes refuses the options it fixes, but takes --quick for a smoke run', () => {
  for (const argv of [
    ['--n', '10'],
    ['--concurrency', '4'],
    ['--duration', '1'],
    ['--warmup', '0'],
    ['--scenarios', 'get'],
  ])
    assert.throws(() => parseOptions(['--peer-shapes', ...argv]), UsageError, argv.join(' '));
  const quick = parseOptions(['--peer-shapes', '--quick']);
  assert.ok(quick !== 'help' && quick.quick && quick.peerShapes && quick.scenarios.includes('raw'));
});
