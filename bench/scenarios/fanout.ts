import type { FanoutJob, FanoutResult, Skipped } from '../protocol.ts';
import { Latencies } from '../stats.ts';
import { body, containerInput, CREATE, EVENTS, WATCH_CURSOR } from './documents.ts';
import { connectSubscribers } from './subscribers.ts';
import { subscriptionProblem } from './ws-client.ts';

interface EventMessage {
  events?: { cursor: string; timestamp: string; topic: string; payload?: { containerId?: string } };
}

interface SubscriberState {
  readonly received: Uint8Array;
  count: number;
  duplicates: number;
  warm: boolean;
  /** Its subscription ended with an error: nothing more will arrive, so nobody waits for it. */
  dead: boolean;
}

/**
 * fanout: S subscribers on `events`, while the load process creates containers at a fixed rate
 * (open loop: the schedule does not wait for answers). Each created id names its mutation, so a
 * delivery is matched to the moment just before its request was sent (end-to-end latency, one
 * clock, since mutator and subscribers share this process) and to the event's own timestamp.
 * Subscribers start from a watchCursor taken before anything is sent, so the API promises every
 * one of them every event: whatever has not arrived after the drain period is missed.
 */
export async function runFanout(job: FanoutJob, progress: (text: string) => void): Promise<FanoutResult | Skipped> {
  const problem = await subscriptionProblem(job.url);
  if (problem) return { skipped: `subscription not available: ${problem}` };

  const prefix = `fan-${job.tag}-`;
  const planned = Math.max(1, Math.round(job.rate * job.duration));
  const sentAt = new Float64Array(planned);
  const succeeded = new Uint8Array(planned);
  const endToEnd = new Latencies();
  const timestampLag = new Latencies();
  const states: SubscriberState[] = [];
  // The first few distinct failures: a mutation error and a subscriber error may both matter.
  const errorSamples: string[] = [];
  const noteError = (text: string) => {
    if (errorSamples.length < 5 && !errorSamples.includes(text.slice(0, 500))) errorSamples.push(text.slice(0, 500));
  };

  const after = await watchCursor(job.url);
  const subscribers = await connectSubscribers(
    job.url,
    job.subscribers,
    (connection, index) => {
      const state: SubscriberState = { received: new Uint8Array(planned), count: 0, duplicates: 0, warm: false, dead: false };
      states.push(state);
      connection.subscribe(
        `fanout-${index}`,
        EVENTS,
        { after },
        {
          next: (payload) => {
            const receivedAt = performance.now();
            const wallClock = Date.now();
            const event = (payload.data as EventMessage | undefined)?.events;
            const id = event?.payload?.containerId;
            if (!event || typeof id !== 'string' || !id.startsWith(prefix)) {
              if (payload.errors) noteError(`subscriber ${index}: ${JSON.stringify(payload.errors)}`);
              return;
            }
            const key = id.slice(prefix.length);
            if (key === 'warm') return void (state.warm = true);
            const k = Number(key);
            if (state.received[k]) return void state.duplicates++;
            state.received[k] = 1;
            state.count++;
            endToEnd.record(receivedAt - sentAt[k]!);
            timestampLag.record(wallClock - Date.parse(event.timestamp));
          },
          error: (message) => {
            state.dead = true;
            noteError(`subscriber ${index}: ${message}`);
          },
        },
      );
    },
    progress,
  );
  if (subscribers.firstError) noteError(`connect: ${subscribers.firstError}`);

  try {
    // One unmeasured event that every subscriber must see: after it, all of them are live.
    progress('warm-up event');
    if (!(await createContainer(job.url, `${prefix}warm`, 0))) noteError('the warm-up mutation failed');
    await until(
      () => states.every((s) => s.warm || s.dead),
      30,
      () => progress(`warm-up event: ${states.filter((s) => s.warm).length}/${states.length}`),
    );

    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    let mutationErrors = 0;
    let lastReport = started;
    for (let k = 0; k < planned; k++) {
      const wait = started + (k * 1000) / job.rate - performance.now();
      if (wait > 0) await sleep(wait);
      sentAt[k] = performance.now();
      const request = createContainer(job.url, `${prefix}${k}`, k).then((ok) => {
        if (ok) succeeded[k] = 1;
        else mutationErrors++;
      });
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      // A server that falls far behind should not make this process hold thousands of sockets.
      if (inFlight.size >= 256) await Promise.race(inFlight);
      if (performance.now() - lastReport >= 1000) {
        lastReport = performance.now();
        progress(`${Math.round((lastReport - started) / 1000)}/${job.duration} s, ${k + 1} mutations, ${delivered(states)} deliveries`);
      }
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - started) / 1000;
    const mutations = succeeded.reduce((sum, ok) => sum + ok, 0);
    const expected = mutations * states.length;
    const missing = (live = false) => {
      let count = 0;
      for (const state of states) {
        if (live && state.dead) continue;
        for (let k = 0; k < planned; k++) if (succeeded[k] && !state.received[k]) count++;
      }
      return count;
    };
    // The cheap test first; the exact one only once it passes (a mutation whose answer was lost
    // may still have committed, and its event then counts without being expected).
    const allIn = () => states.every((s) => s.dead || s.count >= mutations) && missing(true) === 0;
    await drain(() => delivered(states), allIn, expected, job.drainSeconds, progress);
    const missed = missing();
    return {
      subscribers: states.length,
      connectSeconds: subscribers.seconds,
      mutations,
      mutationErrors,
      seconds,
      expected,
      delivered: delivered(states),
      missed,
      duplicates: states.reduce((sum, s) => sum + s.duplicates, 0),
      deadSubscriptions: states.filter((s) => s.dead).length,
      endToEnd: endToEnd.summary(),
      timestampLag: timestampLag.summary(),
      ...(errorSamples.length > 0 ? { firstError: errorSamples[0]!, errorSamples } : {}),
    };
  } finally {
    subscribers.closeAll();
  }

  async function createContainer(url: string, id: string, index: number): Promise<boolean> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(CREATE, { c: containerInput(id, index) }),
      });
      const text = await response.text();
      if (response.status === 200 && !text.includes('"errors":[')) return true;
      noteError(`mutation: HTTP ${response.status} ${text}`);
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      noteError(`mutation: ${String(error)}${cause ? ` (${String(cause)})` : ''}`);
    }
    return false;
  }
}

async function watchCursor(url: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(WATCH_CURSOR) });
  const result = (await response.json()) as { data?: { containers?: { watchCursor?: string } }; errors?: unknown };
  const cursor = result.data?.containers?.watchCursor;
  if (!cursor) throw new Error(`no watchCursor: ${JSON.stringify(result).slice(0, 300)}`);
  return cursor;
}

const delivered = (states: readonly SubscriberState[]) => states.reduce((sum, s) => sum + s.count, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for the outstanding deliveries. A server that is merely behind keeps delivering, so the
 * wait goes on while deliveries still arrive; it ends once none has for `stallSeconds` (those
 * are missed), or after a hard cap of ten minutes.
 */
async function drain(count: () => number, done: () => boolean, expected: number, stallSeconds: number, progress: (text: string) => void): Promise<void> {
  const cap = performance.now() + 600_000;
  let last = count();
  let lastChange = performance.now();
  let lastReport = 0;
  while (!done() && performance.now() < cap && performance.now() - lastChange < stallSeconds * 1000) {
    const now = performance.now();
    if (count() !== last) {
      last = count();
      lastChange = now;
    }
    if (now - lastReport >= 1000) {
      lastReport = now;
      progress(`draining: ${last}/${expected} deliveries`);
    }
    await sleep(20);
  }
}

/** Polls `done` until it holds or `seconds` pass; reports progress about once a second. */
async function until(done: () => boolean, seconds: number, report: () => void): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  let lastReport = 0;
  while (!done() && performance.now() < deadline) {
    if (performance.now() - lastReport >= 1000) {
      lastReport = performance.now();
      report();
    }
    await sleep(20);
  }
}
