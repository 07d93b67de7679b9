import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { cliEnv } from '../helpers/cli.ts';
import { ROOT } from '../helpers/process.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * The README, run top to bottom against one fresh server, as a newcomer would: the GraphQL
 * examples, then the CLI session (its output compared byte for byte, timestamps aside), then the
 * snippets (the later GraphQL, the graphql-ws client on this Node, the SSE curl).
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((match) => ({ lang: match[1]!, body: match[2]!, at: match.index }));
const session = blocks.find((block) => block.lang === 'console')!;
const examples = blocks.filter((block) => block.lang === 'graphql' && block.at < session.at);
const laterQueries = blocks.filter((block) => block.lang === 'graphql' && block.at > session.at);
const wsSnippet = blocks.find((block) => block.lang === 'js' && block.body.includes('graphql-ws'))!;
const sseSnippet = blocks.find((block) => block.lang === 'sh' && block.body.includes('text/event-stream'))!;

/** How long one README command may take (an `npx` start on a loaded machine included). */
const COMMAND_TIMEOUT_MS = 60_000;

let server: TestServer;
let env: NodeJS.ProcessEnv;
before(async () => {
  server = await startServer();
  env = { ...cliEnv({ BERTH_ADDRESS: server.url }), npm_config_update_notifier: 'false' };
});
after(() => server.close());

test('the README has its examples, its CLI session and its snippets', () => {
  assert.ok(examples.length >= 5 && laterQueries.length >= 1 && session && wsSnippet && sseSnippet);
});

type Data = Record<string, any>;
const labels = (list: { key: string; value: string }[]) => Object.fromEntries(list.map((l) => [l.key, l.value]));

/**
 * What each example must answer: the README's claims about it, not only "no errors". Fields that
 * name containers are left out, so the checks read the same whatever the id field is called.
 */
const EXPECT: Record<string, (data: Data) => Promise<void> | void> = {
  CreateRedis: (d) => {
    assert.equal(d.createContainer.container.revision, 1);
    assert.deepEqual(labels(d.createContainer.container.labels), { app: 'cache', tier: 'backend' });
  },
  SetOneLabel: (d) => {
    assert.equal(d.updateContainer.container.revision, 2, 'expectedRevision 1 matched and the update counted');
    assert.deepEqual(labels(d.updateContainer.container.labels), { app: 'cache', tier: 'storage' }, 'labels.tier changed only that label');
  },
  LabelEdits: (d) =>
    assert.deepEqual(labels(d.setContainerLabels.container.labels), { owner: 'ops', tier: 'storage' }, 'owner set, app removed by its empty value'),
  ListByLabel: (d) => {
    assert.equal(d.containers.totalCount, 1);
    assert.deepEqual(
      d.containers.nodes.map((n: Data) => [n.image, n.runtime.name, n.spec.json]),
      [['docker.io/library/redis:alpine', 'io.containerd.runc.v2', { ociVersion: '1.1.0' }]],
    );
    assert.equal(d.containers.pageInfo.hasNextPage, false);
    assert.match(d.containers.watchCursor, /^[0-9a-f]{16}$/);
  },
  OneContainer: (d) => {
    const c = Object.values(d)[0] as Data;
    assert.deepEqual([c.image, c.snapshotter, c.snapshotKey, c.revision, c.label], ['docker.io/library/redis:alpine', 'overlayfs', 'redis', 3, 'ops']);
    assert.ok(d.namespaces.some((n: Data) => n.name === 'default'));
  },
  CheckpointAndRestore: (d) => {
    assert.equal(d.checkpointContainer.checkpoint.ref, 'redis-cp');
    const restored = d.restoreContainer.container;
    assert.equal(restored.snapshotKey, 'redis-2', 'a restore with a snapshotter takes the new id as its snapshot key');
    assert.deepEqual(labels(restored.labels), { owner: 'ops', tier: 'storage' });
  },
  Checkpoints: (d) => {
    assert.equal(d.checkpoints.totalCount, 1);
    assert.deepEqual([d.checkpoint.ref, d.checkpoint.runtime.name, d.checkpoint.spec.json], ['redis-cp', 'io.containerd.runc.v2', { ociVersion: '1.1.0' }]);
  },
  Cleanup: async () => {
    const left = await server.gql(`{ containers { totalCount } checkpoints { totalCount } }`);
    assert.deepEqual([left.data.containers.totalCount, left.data.checkpoints.totalCount], [0, 0], 'both containers and the checkpoint are gone');
  },
};

for (const example of examples) {
  const name = operationName(example.body);
  test(`GraphQL example ${name}`, async () => {
    const data = await runGraphQL(example.body);
    const expect = EXPECT[name];
    assert.ok(expect, `README example ${name} has no expectations in this test`);
    await expect(data);
  });
}

for (const step of sessionSteps(session.body)) {
  test(`CLI: $ ${step.command}`, async () => {
    const output = step.interrupted ? await runUntilLines(step.command, step.expected.split('\n').length - 1) : await run(step.command);
    assert.equal(withoutTimes(output), withoutTimes(step.expected));
  });
}

for (const query of laterQueries)
  test(`GraphQL snippet ${operationName(query.body)}`, async () => {
    await runGraphQL(query.body);
  });

test('the graphql-ws snippet prints the oldest event of its namespace, on this Node', async () => {
  const code = onTestServer(wsSnippet.body);
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const [line] = (await untilLines(child, 1, 'the graphql-ws snippet', 'SIGTERM')).split('\n');
  const first = (await server.gql(`{ events(first: 1) { edges { node { cursor topic payload { __typename } } } } }`)).data.events.edges[0].node;
  assert.deepEqual(JSON.parse(line!), { data: { events: first } });
});

test('the SSE snippet streams events', async () => {
  const child = spawn('sh', ['-c', onTestServer(sseSnippet.body)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const data = (await untilLines(child, 4, 'the curl snippet', 'SIGTERM')).split('\n').find((line) => line.startsWith('data:'));
  assert.ok(data, 'an SSE data line');
  assert.match(JSON.parse(data.slice('data:'.length)).data.events.topic, /^\//);
});

async function runGraphQL(body: string): Promise<Data> {
  const result = await server.gql(body);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return result.data;
}

function operationName(body: string): string {
  return /^(?:query|mutation|subscription)\s+(\w+)/m.exec(body)?.[1] ?? body.slice(0, 40);
}

interface Step {
  readonly command: string;
  readonly expected: string;
  /** The README shows `^C`: the command streams until interrupted. */
  readonly interrupted: boolean;
}

/** `$ command` lines, each followed by its output. */
function sessionSteps(body: string): Step[] {
  const steps: Step[] = [];
  for (const line of body.split('\n').slice(0, -1)) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2), expected: '', interrupted: false });
    else if (line === '^C') Object.assign(steps.at(-1)!, { interrupted: true });
    else Object.assign(steps.at(-1)!, { expected: steps.at(-1)!.expected + line + '\n' });
  }
  return steps;
}

/** The README's server address is the default one; the test's server listens elsewhere. */
function onTestServer(text: string): string {
  return text.replaceAll('127.0.0.1:4000', new URL(server.url).host);
}

/** stdout and stderr as a terminal shows them: one stream. */
function run(command: string): Promise<string> {
  const child = spawn('sh', ['-c', `(${command}) 2>&1`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`${command}\` did not finish within ${COMMAND_TIMEOUT_MS / 1000} s:\n${output}`));
    }, COMMAND_TIMEOUT_MS);
    child.once('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

/** A streaming command: waits for `count` lines, then interrupts it as Ctrl-C does. */
function runUntilLines(command: string, count: number): Promise<string> {
  const child = spawn('sh', ['-c', `(${command}) 2>&1`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  return untilLines(child, count, `\`${command}\``, 'SIGINT');
}

/**
 * stdout once it holds `count` whole lines, after `signal` to the child's process group (it was
 * spawned detached: the signal reaches what a shell started too) has ended it. Bounded.
 */
async function untilLines(child: ChildProcess, count: number, what: string, signal: NodeJS.Signals): Promise<string> {
  const exited = new Promise((resolve) => child.once('close', resolve));
  try {
    return await firstLines(child, count, what);
  } finally {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
    await exited;
  }
}

function firstLines(child: ChildProcess, count: number, what: string): Promise<string> {
  let output = '';
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} printed fewer than ${count} lines within ${COMMAND_TIMEOUT_MS / 1000} s:\n${output}${errors}`));
    }, COMMAND_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.split('\n').length - 1 < count) return;
      clearTimeout(timer);
      resolve(output);
    });
    child.once('close', (status) => reject(new Error(`${what} exited (${status}) after fewer than ${count} lines:\n${output}${errors}`)));
  });
}

/** Times differ from run to run; everything else must match to the byte. */
function withoutTimes(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>').replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC/g, '<time>');
}
