import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';

/**
 * The import direction of src/: cli and server → schema → resolvers (the service) → db → model.
 * A layer may import the layers to its right, never one to its left. filters is used by
 * resolvers and db and imports only model. cli talks GraphQL to a server, so of src/ it imports
 * only model.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  cli: ['model'],
  server: ['schema', 'resolvers', 'db', 'model'],
  schema: ['resolvers', 'db', 'model'],
  resolvers: ['db', 'filters', 'model'],
  db: ['filters', 'model'],
  filters: ['model'],
  model: [],
};

const SRC = resolve(import.meta.dirname, '../../src');

/** Every relative import of every file, as [importing layer, imported layer, where]. */
function importsOf(files: ReadonlyMap<string, string>): [string, string, string][] {
  const found: [string, string, string][] = [];
  for (const [file, text] of files) {
    const from = file.split('/')[0]!;
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g)) {
      const target = relative(SRC, resolve(SRC, file, '..', match[1] ?? match[2]!));
      const to = target.split('/')[0]!;
      if (to !== from) found.push([from, to, `${file} imports ${target}`]);
    }
  }
  return found;
}

function violations(files: ReadonlyMap<string, string>): string[] {
  return importsOf(files)
    .filter(([from, to]) => !(MAY_IMPORT[from] ?? []).includes(to))
    .map(([, , where]) => where);
}

function sourceTree(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(SRC, path), readFileSync(path, 'utf8'));
  }
  return files;
}

test('every import in src/ goes the allowed direction', () => {
  const tree = sourceTree();
  assert.ok(tree.size > 50, 'the tree was read');
  assert.ok(importsOf(tree).length > 50, 'its imports were found');
  assert.deepEqual(violations(tree), []);
});

test('a wrong import is caught: db importing resolvers, model importing db, cli importing db', () => {
  const tree = sourceTree();
  tree.set('db/wrong.ts', `import { inNamespace } from '../resolvers/namespace-argument.ts';\n`);
  tree.set('model/wrong.ts', `import type { Sql } from '../db/pool.ts';\n`);
  tree.set('cli/wrong.ts', `export { createPool } from '../db/pool.ts';\n`);
  assert.deepEqual(violations(tree).sort(), [
    'cli/wrong.ts imports db/pool.ts',
    'db/wrong.ts imports resolvers/namespace-argument.ts',
    'model/wrong.ts imports db/pool.ts',
  ]);
});
