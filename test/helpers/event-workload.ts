import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { appendStatement } from '../../src/db/events.ts';
import type { Sql } from '../../src/db/pool.ts';
import { inScope } from '../../src/db/transaction.ts';
import { encodeEventCursor } from '../../src/resolvers/cursors.ts';
import { CREATE, DELETE, UPDATE } from './containers.ts';
import { commitOrderInversions, committedEvents, killListenersAt, lastCursor } from './event-log.ts';
import { type EventSubscription, type ReceivedEvent, subscribeEvents, type Transport } from './events.ts';
import { changeKey, MutationLog } from './mutation-log.ts';
import { type Random, seededRandom } from './random.ts';
import { insertBareContainer } from './raw-writes.ts';
import { postGraphQL } from './server.ts';

/**
 * The exactly-once workload: API writers, transactions held open on purpose, and a subscriber
 * that keeps disconnecting and resuming from its last cursor.
 */

const SPEC = { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', json: { ociVersion: '1.1.0' } };

export async function createNamespaces(url: string, namespaces: readonly string[], log = new MutationLog()): Promise<void> {
  for (const name of namespaces) {
    const result = await log.send(changeKey('/namespaces/create', name, name), () =>
      postGraphQL(url, `mutation($n: String!) { createNamespace(input: { name: $n }) { namespace { name } } }`, { n: name }),
    );
    assert.equal(result?.errors, undefined, JSON.stringify(result?.errors));
  }
}

export interface WriterPlan {
  /** Writer w sends its mutations to urls[w % urls.length]. */
  readonly urls: readonly string[];
  readonly writers: number;
  readonly mutationsPerWriter: number;
  readonly namespaces: readonly string[];
  readonly random: (writer: number) => Random;
  /** Where each mutation and its outcome is recorded. */
  readonly log: MutationLog;
}

/** Concurrent writers through the API, each over its own containers: creates, updates, deletes. */
export async function runApiWriters(plan: WriterPlan): Promise<number> {
  const counts = await Promise.all(Array.from({ length: plan.writers }, (_, w) => apiWriter(plan, w)));
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * One writer. Each update sets a new image, so every mutation's event is told apart by its key. A
 * container whose mutation may or may not have committed is not touched again.
 */
async function apiWriter(plan: WriterPlan, w: number): Promise<number> {
  const rng = plan.random(w);
  const url = plan.urls[w % plan.urls.length]!;
  const live: { id: string; namespace: string }[] = [];
  for (let i = 0; i < plan.mutationsPerWriter; i++) {
    const roll = rng.next();
    const image = `img-${i}`;
    let target: { id: string; namespace: string };
    let result;
    if (live.length === 0 || roll < 0.4) {
      target = { id: `w${w}-${i}`, namespace: rng.pick(plan.namespaces) };
      const c = { containerId: target.id, image, runtime: { name: 'rt' }, spec: SPEC };
      result = await plan.log.send(changeKey('/containers/create', target.namespace, target.id), () => postGraphQL(url, CREATE, { c }, target));
      live.push(target);
    } else if (roll < 0.8) {
      target = rng.pick(live);
      const c = { containerId: target.id, image, labels: [{ key: 'step', value: String(i) }] };
      result = await plan.log.send(changeKey('/containers/update', target.namespace, target.id, image), () =>
        postGraphQL(url, UPDATE, { c, paths: ['image', 'labels'] }, target),
      );
    } else {
      target = live.splice(rng.int(live.length), 1)[0]!;
      result = await plan.log.send(changeKey('/containers/delete', target.namespace, target.id), () => postGraphQL(url, DELETE, { id: target.id }, target));
    }
    if (result === null || result.errors?.[0]?.extensions?.code === 'INTERNAL') {
      const at = live.indexOf(target);
      if (at >= 0) live.splice(at, 1);
    } else assert.equal(result.errors, undefined, `writer ${w}: ${JSON.stringify(result.errors)}`);
  }
  return plan.mutationsPerWriter;
}

export interface HeldPlan {
  readonly databaseUrl: string;
  readonly transactions: number;
  readonly concurrency: number;
  readonly namespaces: readonly string[];
  readonly random: Random;
  readonly log: MutationLog;
}

export interface HeldOutcome {
  readonly committed: number;
  readonly rolledBackIds: ReadonlySet<string>;
}

class RolledBack extends Error {}

/**
 * Transactions that take their xid early (they insert a container first), stay open while others
 * commit, then append their event and commit or roll back; some also hold the clock lock for a
 * moment before finishing, so that others queue on it. With a sequence taken at insert, these would
 * commit smaller numbers after larger ones; with Berth's they cannot.
 */
export async function runHeldTransactions(plan: HeldPlan): Promise<HeldOutcome> {
  const direct = postgres(plan.databaseUrl, { max: plan.concurrency, onnotice: () => {}, connection: { application_name: 'berth-test-held' } });
  const rolledBackIds = new Set<string>();
  let committed = 0;
  let next = 0;
  const worker = async () => {
    while (next < plan.transactions) {
      const n = next++;
      const namespace = plan.random.pick(plan.namespaces);
      const rollback = plan.random.chance(0.25);
      const id = `${rollback ? 'rb' : 'held'}-${n}`;
      const openMs = plan.random.int(60);
      const lockMs = plan.random.chance(0.3) ? plan.random.int(10) : 0;
      try {
        await inScope(direct, { namespace, readable: [namespace] }, async (tx) => {
          const created = await insertBareContainer(tx, namespace, id, 'held');
          await sleep(openMs);
          await appendStatement(tx, [created]);
          if (lockMs > 0) await sleep(lockMs);
          if (rollback) throw new RolledBack();
        });
        committed++;
        plan.log.record(changeKey('/containers/create', namespace, id), 'acknowledged');
      } catch (error) {
        // Any other failure leaves the commit unknown: count it as maybe committed, and stop.
        plan.log.record(changeKey('/containers/create', namespace, id), error instanceof RolledBack ? 'refused' : 'maybe');
        if (!(error instanceof RolledBack)) throw error;
        rolledBackIds.add(id);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
  } finally {
    await direct.end();
  }
  return { committed, rolledBackIds };
}

export interface FollowPlan {
  readonly transport: Transport;
  /** Each (re)connection picks one of these. */
  readonly urls: readonly string[];
  readonly after: string;
  readonly random: Random;
  /** A disconnect comes after 0 to 2× this many events. */
  readonly meanEventsBetweenDisconnects: number;
  /** Resolves with the last cursor once the writers are done. */
  readonly last: Promise<string>;
}

export interface FollowOutcome {
  readonly events: ReceivedEvent[];
  readonly connections: number;
  readonly overflows: number;
  /** Cursors that did not increase: duplicates or disorder. Must stay empty. */
  readonly disorder: string[];
}

/**
 * Subscribes across all namespaces, disconnecting at seeded random points (half politely, half by
 * dropping the socket) and resuming from the last cursor received, until it has the last cursor.
 * A RESOURCE_EXHAUSTED from falling behind is resumed the same way.
 */
export async function followWithDisconnects(plan: FollowPlan): Promise<FollowOutcome> {
  const events: ReceivedEvent[] = [];
  const disorder: string[] = [];
  let cursor = plan.after;
  let last = null as string | null;
  const LAST = Symbol('last');
  const lastKnown: Promise<typeof LAST> = plan.last.then((value) => {
    last = value;
    return LAST;
  });
  let connections = 0;
  let overflows = 0;
  while (last === null || cursor < last) {
    connections++;
    const sub: EventSubscription = subscribeEvents(plan.transport, plan.random.pick(plan.urls), { after: cursor, allNamespaces: true });
    let budget = plan.random.int(2 * plan.meanEventsBetweenDisconnects + 1);
    let pending = sub.next();
    while (budget-- > 0 && (last === null || cursor < last)) {
      // Until the writers are done, also wake when they are, to stop once the last cursor is in.
      const message = await (last === null ? Promise.race([pending, lastKnown]) : pending);
      if (message === LAST) continue;
      if (!handle(message)) break;
      pending = sub.next();
    }
    await sub.close(plan.random.chance(0.5));
  }
  return { events, connections, overflows, disorder };

  function handle(message: Awaited<ReturnType<EventSubscription['next']>>): boolean {
    if (message === null) throw new Error(`the stream completed unexpectedly after ${cursor}`);
    if ('error' in message) {
      if (message.error.code !== 'RESOURCE_EXHAUSTED') throw new Error(`stream error: ${JSON.stringify(message.error)}`);
      assert.equal(message.error.cursor, cursor, 'an overflow names the last delivered cursor');
      overflows++;
      return false;
    }
    if (message.event.cursor <= cursor) disorder.push(`${message.event.cursor} after ${cursor}`);
    cursor = message.event.cursor;
    events.push(message.event);
    return true;
  }
}

export interface ScenarioPlan {
  /** API writers spread over these servers. */
  readonly writeUrls: readonly string[];
  /** Each subscriber reconnects to any of its urls. */
  readonly subscribers: readonly { readonly transport: Transport; readonly urls: readonly string[] }[];
  readonly sql: Sql;
  readonly databaseUrl: string;
  readonly writers: number;
  readonly mutationsPerWriter: number;
  readonly heldTransactions: number;
  readonly meanEventsBetweenDisconnects: number;
  /** Kill every LISTEN connection when the log reaches these fractions of the API mutations. */
  readonly killListenAt: readonly number[];
  /** Server processes on the database, each with its one LISTEN. */
  readonly servers: number;
  readonly seed: number;
}

/** The key of the change a delivered event reports (see changeKey). */
export function deliveredKey(e: ReceivedEvent): string {
  return changeKey(e.topic, e.namespace, e.payload.containerId ?? e.payload.name ?? '', e.payload.image);
}

/**
 * Runs the workload and checks, for the events table and for each subscriber, that every
 * acknowledged mutation has exactly one event and every event belongs to a committed mutation;
 * and that each subscriber got the table's events exactly once, in cursor order, and nothing a
 * rolled-back transaction appended. Returns a summary.
 */
export async function exactlyOnceScenario(plan: ScenarioPlan): Promise<string> {
  const namespaces = ['alpha', 'bravo', 'charlie', 'delta'];
  const log = new MutationLog();
  await createNamespaces(plan.writeUrls[0]!, namespaces, log);
  let finish!: (cursor: string) => void;
  const last = new Promise<string>((resolve) => (finish = resolve));
  const following = Promise.all(
    plan.subscribers.map((subscriber, i) =>
      followWithDisconnects({
        ...subscriber,
        after: encodeEventCursor(0n),
        random: seededRandom(plan.seed + 1 + i),
        meanEventsBetweenDisconnects: plan.meanEventsBetweenDisconnects,
        last,
      }),
    ),
  );
  following.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  const mutations = plan.writers * plan.mutationsPerWriter;
  const killing = (async () => {
    const killed: number[] = [];
    for (const at of plan.killListenAt) killed.push(...(await killListenersAt(plan.sql, BigInt(Math.floor(mutations * at)), plan.servers)));
    return killed;
  })();
  const [, held, killed] = await Promise.all([
    runApiWriters({
      urls: plan.writeUrls,
      writers: plan.writers,
      mutationsPerWriter: plan.mutationsPerWriter,
      namespaces,
      random: (w) => seededRandom(plan.seed + 10 + w),
      log,
    }),
    runHeldTransactions({
      databaseUrl: plan.databaseUrl,
      transactions: plan.heldTransactions,
      concurrency: 3,
      namespaces,
      random: seededRandom(plan.seed + 9),
      log,
    }),
    killing,
  ]);
  finish(await lastCursor(plan.sql));
  const outcomes = await following;

  const committed = await committedEvents(plan.sql);
  log.assertExactlyOnce(
    `the events table (seed ${plan.seed})`,
    committed.map((e) => changeKey(e.topic, e.namespace, e.id ?? e.name ?? '', e.image ?? undefined)),
  );
  const expected = committed.map((e) => [e.cursor, e.namespace, e.topic, e.id ?? e.namespace]);
  const reports = outcomes.map((outcome, i) => {
    const who = `subscriber ${i} (${plan.subscribers[i]!.transport}; seed ${plan.seed})`;
    assert.deepEqual(outcome.disorder, [], `${who}: cursors must strictly increase`);
    log.assertExactlyOnce(who, outcome.events.map(deliveredKey));
    assert.equal(outcome.events.length, committed.length, `${who}: one delivery per committed event`);
    assert.deepEqual(
      outcome.events.map((e) => [e.cursor, e.namespace, e.topic, e.payload.containerId ?? e.payload.name]),
      expected,
      `${who}: the table's events, in order`,
    );
    const leaked = outcome.events.filter((e) => e.payload.containerId !== undefined && held.rolledBackIds.has(e.payload.containerId));
    assert.deepEqual(leaked, [], `${who}: nothing from rolled-back transactions`);
    return `${who}: ${outcome.connections} connections (${outcome.connections - 1} resumes), ${outcome.overflows} overflows`;
  });
  const inversions = await commitOrderInversions(plan.sql);
  assert.ok(inversions > 0, `some transactions must commit after later-starting ones, or the test proves nothing (seed ${plan.seed})`);
  return [
    `${log.count('acknowledged')} acknowledged, ${log.count('maybe')} maybe committed, ${log.count('refused')} refused mutations`,
    `${mutations} API mutations + ${held.committed} held commits + ${held.rolledBackIds.size} rollbacks -> ${committed.length} events`,
    `${killed.length} LISTEN connections killed; ${inversions} events committed after a later-starting transaction`,
    ...reports,
  ].join('\n');
}
