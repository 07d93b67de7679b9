import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

/** /metrics is scraped like Prometheus would, after some traffic, and the expected series exist. */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test('the expected series are present', async () => {
  await server.gql(`query Probe { containers { totalCount } }`);
  await server.gql(`query Broken { containers(filters: ["=="]) { totalCount } }`);
  const base = new URL(server.url);
  const response = await fetch(new URL('/metrics', base));
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
  const body = await response.text();
  assert.match(body, /^berth_requests_total\{operation="Probe",code="OK"\} 1$/m);
  assert.match(body, /^berth_requests_total\{operation="Broken",code="INVALID_ARGUMENT"\} 1$/m);
  assert.match(body, /^berth_request_duration_seconds_bucket\{le="0.005",operation="Probe"\} \d+$/m);
  for (const series of [
    'berth_active_subscriptions',
    'berth_event_delivery_lag_seconds_count',
    'berth_db_transactions_active',
    'berth_db_pool_max',
    'berth_process_resident_memory_bytes',
    'berth_nodejs_eventloop_lag_seconds',
  ]) {
    assert.match(body, new RegExp(`^${series}(\\{[^}]*\\})? \\d`, 'm'), series);
  }
  assert.equal((await fetch(new URL('/healthz', base))).status, 200);
  assert.equal((await fetch(new URL('/readyz', base))).status, 200);
});
