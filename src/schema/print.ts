import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.ts';

/** `--write` regenerates schema.graphql from the Pothos schema; `--check` fails when they differ. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

export function printedSchema(): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) {
    writeFileSync(SCHEMA_FILE, printedSchema());
  } else if (readFileSync(SCHEMA_FILE, 'utf8') !== printedSchema()) {
    console.error('schema.graphql is out of date: run npm run schema:print');
    process.exit(1);
  }
}
