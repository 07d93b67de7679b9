import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

/** The README's GraphiQL examples, run in order against a fresh server: none may fail. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test('the README has examples', () => assert.ok(examples.length >= 5));

for (const example of examples) {
  const name = /^(?:query|mutation|subscription)\s+(\w+)/m.exec(example)?.[1] ?? example.slice(0, 40);
  test(`README example ${name}`, async () => {
    const result = await server.gql(example);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  });
}
