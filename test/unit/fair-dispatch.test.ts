import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fairDispatch } from '../../src/server/fair-dispatch.ts';

/** Holds the thread for `ms`, as a request's synchronous GraphQL work does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/**
 * A burst of admitted requests must not hold the event loop: a probe that arrives meanwhile is
 * answered between slices. A timer stands in for the probe's socket: it is a macrotask, so it runs
 * before the burst is done only if the dispatcher yields to the loop. Each task holds the thread
 * for 2 ms against a 5 ms slice, so 50 tasks need at least 20 slices whatever the machine's speed.
 */
test('a burst runs in slices: the loop turns between them, in order, each task once', async () => {
  const dispatcher = fairDispatch(5);
  const ran: number[] = [];
  let probeAnsweredAfter: number | null = null;
  const done = new Promise<void>((resolve) => {
    for (let i = 0; i < 50; i++) {
      dispatcher.dispatch(
        () => {
          busy(2);
          ran.push(i);
          if (i === 49) resolve();
        },
        () => false,
      );
    }
  });
  setTimeout(() => (probeAnsweredAfter = ran.length), 0);
  await done;
  assert.deepEqual(
    ran,
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.ok(probeAnsweredAfter !== null && probeAnsweredAfter < 50, `the timer ran after ${probeAnsweredAfter} of 50 tasks: the burst held the loop`);
});

test('nothing runs in the turn that queues it', () => {
  const dispatcher = fairDispatch(5);
  let ran = false;
  dispatcher.dispatch(
    () => (ran = true),
    () => false,
  );
  assert.equal(ran, false, 'the request waits until the loop has polled');
});

test('a request abandoned while queued is dropped; the rest still run', async () => {
  const dispatcher = fairDispatch(5);
  const ran: string[] = [];
  await new Promise<void>((resolve) => {
    dispatcher.dispatch(
      () => ran.push('gone'),
      () => true,
    );
    dispatcher.dispatch(
      () => ran.push('kept'),
      () => false,
    );
    dispatcher.dispatch(resolve, () => false);
  });
  assert.deepEqual(ran, ['kept']);
});

test('the dispatcher works again after its queue ran empty', async () => {
  const dispatcher = fairDispatch(5);
  for (const round of [1, 2]) {
    const ran = await new Promise<number>((resolve) =>
      dispatcher.dispatch(
        () => resolve(round),
        () => false,
      ),
    );
    assert.equal(ran, round);
  }
});
