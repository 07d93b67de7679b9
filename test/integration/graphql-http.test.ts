import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverAudits } from 'graphql-http';
import { startServer, type TestServer } from '../helpers/server.ts';

/** GraphQL over HTTP conformance: graphql-http's audits against the live server. */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test('every MUST audit of graphql-http passes', async (t) => {
  const audits = serverAudits({ url: () => server.url, fetchFn: fetch });
  const failedShould: string[] = [];
  for (const audit of audits) {
    const result = await audit.fn();
    if (audit.name.startsWith('MUST')) assert.equal(result.status, 'ok', `${audit.name}: ${'reason' in result ? result.reason : ''}`);
    else if (result.status !== 'ok') failedShould.push(`${audit.name}: ${'reason' in result ? result.reason : ''}`);
  }
  t.diagnostic(`SHOULD/MAY audits not passed: ${failedShould.length}\n${failedShould.join('\n')}`);
});
