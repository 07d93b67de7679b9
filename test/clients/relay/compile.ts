import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { ConcreteRequest, ReaderFragment } from 'relay-runtime';
import { ROOT } from '../../helpers/process.ts';

/**
 * Relay runs only compiled documents. The test compiles Berth.ts with relay-compiler itself, as a
 * Relay app's build does, rather than holding hand-built ConcreteRequest objects: the compiler
 * checks the documents against schema.graphql, adds the `id` and `__typename` fields Relay's
 * store needs, and writes the connection and @deleteRecord handles exactly as Relay expects them,
 * so the artifacts cannot drift from the schema or from relay-runtime.
 *
 * The compiler resolves its paths from the working directory and rejects absolute ones, so it
 * runs in a temporary directory holding a copy of the documents and the schema; the artifacts
 * stay there (nothing generated lands in the repository).
 */
export interface RelayArtifacts {
  request(name: string): Promise<ConcreteRequest>;
  fragment(name: string): Promise<ReaderFragment>;
  remove(): Promise<void>;
}

export async function compileRelayDocuments(): Promise<RelayArtifacts> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-relay-'));
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'generated'));
  await copyFile(join(import.meta.dirname, 'Berth.ts'), join(dir, 'src', 'Berth.ts'));
  await copyFile(join(ROOT, 'schema.graphql'), join(dir, 'schema.graphql'));
  // `import type` in the artifacts, so they load with no relay-runtime beside them; ESM, as the test is.
  const config = { src: './src', schema: './schema.graphql', artifactDirectory: './generated', language: 'typescript', useImportTypeSyntax: true };
  await writeFile(join(dir, 'relay.config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'relay-compiler', 'cli.js'), '--output', 'quiet-with-errors'], {
      cwd: dir,
      timeout: 60_000,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`relay-compiler failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
  const load = async (name: string) => ((await import(pathToFileURL(join(dir, 'generated', `${name}.graphql.ts`)).href)) as { default: unknown }).default;
  return {
    request: async (name) => (await load(name)) as ConcreteRequest,
    fragment: async (name) => (await load(name)) as ReaderFragment,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
