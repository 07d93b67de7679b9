import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DocumentNode, print, parse, validate } from 'graphql';
import * as documents from '../../web/src/documents.ts';
import { schema } from '../../src/schema/index.ts';

/** Every document the console sends is valid against the schema the server serves. */
test('the console’s GraphQL documents validate against the schema', () => {
  const entries = Object.entries(documents) as [string, DocumentNode][];
  assert.ok(entries.length >= 10);
  for (const [name, document] of entries) {
    // Fragments alone are checked as part of the operations that spread them.
    if (!document.definitions.some((d) => d.kind === 'OperationDefinition')) continue;
    const errors = validate(schema, parse(print(document)));
    assert.deepEqual(
      errors.map((e) => e.message),
      [],
      name,
    );
  }
});
