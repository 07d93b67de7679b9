import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/process.ts';

/**
 * `npm run bench -- --quick` runs end to end and writes a report of the documented shape. Only the
 * shape: numbers on a shared machine prove nothing, and durations are never asserted (docs/architecture.md).
 */
const THROUGHPUT = [
  'get',
  'baseline get',
  'raw get',
  'list',
  'baseline list',
  'raw list',
  'create',
  'baseline create',
  'raw create',
  'update',
  'baseline update',
  'raw update',
  'delete',
  'raw delete',
  'scale',
  'baseline scale',
  'raw scale',
  'scale c8',
  'baseline scale c8',
  'raw scale c8',
  'freeze',
];
const WITH_BASELINE = ['get', 'list', 'create', 'update', 'scale', 'scale c8'];
const WITH_RAW = [...WITH_BASELINE, 'delete'];
const SUBSCRIPTIONS = ['fanout', 'idle-subscribers'];

test('bench --quick: every scenario reports, in a JSON file and a table', { timeout: 600_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-bench-quick-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'report.json');

  const { code, output } = await run(['--import', 'tsx', 'bench/main.ts', '--quick', '--out', out]);
  assert.equal(code, 0, output);
  assert.match(output, /^scenario\s+status\s+ops\/s\s+p50 ms\s+p99 ms/m, 'prints the table');
  assert.match(
    output,
    /^operation\s+Berth ops\/s\s+p99 ms\s+baseline ops\/s\s+p99 ms\s+raw ops\/s\s+p99 ms\s+Berth\/baseline\s+Berth\/raw$/m,
    'prints the operations table',
  );

  const report = JSON.parse(await readFile(out, 'utf8'));
  assert.equal(report.version, 1);
  assert.equal(report.options.quick, true);
  assert.equal(typeof report.options.n, 'number');
  assert.equal(report.seed.rows, report.options.n);
  assert.equal(typeof report.environment.node, 'string');
  assert.ok(report.server.peakRssBytes > 0, 'reads the server process peak RSS');

  const names = report.scenarios.map((s: { scenario: string }) => s.scenario);
  assert.deepEqual([...names].sort(), [...THROUGHPUT, ...SUBSCRIPTIONS].sort());

  for (const s of report.scenarios) {
    if (THROUGHPUT.includes(s.scenario)) {
      assert.equal(s.status, 'ok', `${s.scenario}: ${s.reason}`);
      for (const field of ['ops', 'errors', 'seconds', 'opsPerSec']) assert.equal(typeof s[field], 'number', `${s.scenario}.${field}`);
      for (const field of ['p50', 'p99', 'mean', 'max']) assert.equal(typeof s.latencyMs[field], 'number', `${s.scenario}.latencyMs.${field}`);
      if (!/^(baseline|raw) /.test(s.scenario)) assert.equal(typeof s.serverPeakRssBytes, 'number', `${s.scenario}.serverPeakRssBytes`);
    }
    if (WITH_BASELINE.includes(s.scenario)) {
      for (const field of ['throughput', 'p50', 'p99']) assert.equal(typeof s.vsBaseline[field], 'number', `${s.scenario}.vsBaseline.${field}`);
    }
    if (WITH_RAW.includes(s.scenario)) {
      for (const field of ['throughput', 'p50', 'p99']) assert.equal(typeof s.vsRaw[field], 'number', `${s.scenario}.vsRaw.${field}`);
    }
    if (SUBSCRIPTIONS.includes(s.scenario)) {
      // Subscriptions are served: a scenario that failed or skipped is a failure of this test.
      assert.equal(s.status, 'ok', `${s.scenario}: ${s.reason}`);
      assert.ok(s.details, `${s.scenario} reports its details`);
    }
    if (s.scenario === 'fanout') {
      for (const field of ['subscribers', 'mutations', 'expected', 'delivered', 'missed', 'duplicates'])
        assert.equal(typeof s.details[field], 'number', `fanout.${field}`);
      assert.ok(s.details.subscribers > 0 && s.details.mutations > 0, 'the scenario ran');
      assert.equal(s.details.expected, s.details.subscribers * s.details.mutations, 'every subscriber expects every mutation');
      assert.equal(s.details.missed, 0, 'no subscriber missed an event');
      assert.equal(s.details.duplicates, 0, 'no subscriber got an event twice');
      // A failed mutation may still have committed: its events arrive without being expected.
      const maybe = s.details.mutationErrors * s.details.subscribers;
      assert.ok(
        s.details.delivered >= s.details.expected && s.details.delivered <= s.details.expected + maybe,
        `delivered ${s.details.delivered} of ${s.details.expected} (+${maybe} maybe)`,
      );
      assert.equal(typeof s.details.endToEnd.count, 'number');
      assert.equal(typeof s.details.timestampLag.count, 'number');
    }
    if (s.scenario === 'idle-subscribers') {
      for (const field of ['connected', 'rssBeforeBytes', 'rssAfterBytes', 'rssAfterCloseBytes', 'targetBytes'])
        assert.equal(typeof s.details[field], 'number', `idle.${field}`);
      assert.ok(s.details.connected > 0, 'idle subscribers connected');
      assert.equal(typeof s.details.withinTarget, 'boolean');
    }
  }
});

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
