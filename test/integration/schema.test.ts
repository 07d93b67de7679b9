import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { printedSchema, SCHEMA_FILE } from '../../src/schema/print.ts';

test('schema.graphql is the printed schema the server serves (npm run schema:print)', () => {
  assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), printedSchema());
});
