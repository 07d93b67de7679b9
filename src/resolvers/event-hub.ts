import type { Logger } from 'pino';
import { readClock, readEvents } from '../db/events.ts';
import type { StoredEvent } from '../model/events.ts';
import { type EventWakeups, watchEventLog } from '../db/listener.ts';
import type { Sql } from '../db/pool.ts';
import { inScope } from '../db/transaction.ts';
import type { Scope } from '../model/scope.ts';
import type { FilterSet } from '../filters/ast.ts';
import { eventWanted } from './event-selection.ts';

export interface HubOptions {
  /** Live events one subscriber may have waiting before it is cut off (BERTH_SUBSCRIBER_BUFFER). */
  readonly subscriberBuffer: number;
  readonly log: Logger;
  /** How often to look at the table even without a NOTIFY. */
  readonly pollMs?: number;
  /** Told of every event the hub reads, as it reads it (the delivery-lag metric). */
  readonly onRead?: (event: StoredEvent) => void;
}

/** Why a feed stopped: its reader fell too far behind, the log was pruned under it, or it closed. */
export interface FeedEnd {
  readonly end: 'overflow' | 'pruned' | 'closed';
}

export type FeedItem = StoredEvent | FeedEnd;

/** The hub reads every namespace; each feed then applies its subscriber's own scope. */
const HUB_SCOPE: Scope = { namespace: '', readable: '*' };
const HUB_BATCH = 500;
const DEFAULT_POLL_MS = 1000;
/**
 * Longer than any read can legitimately take (a pool connection awaited under overload, then three
 * statements under the statement timeout). Past it the read is abandoned and the next wake-up
 * starts a new one: after a lost session, postgres.js 3.4 can leave a promise that never settles,
 * and a catch-up waiting on it would stop every subscriber of the process for good.
 */
const READ_DEADLINE_MS = 30_000;

/**
 * One subscriber's view of the live tail: every event after `from` that its scope may read and
 * its filters want, in sequence order, in a bounded queue. The hub offers events synchronously and
 * never waits for a reader, so a slow reader cannot stall the others; when its queue is full it
 * is cut off (and its memory released), and it resumes from its cursor by reading the table.
 */
export class Feed {
  private queue: StoredEvent[] = [];
  private ending: FeedEnd | null = null;
  private waiting: (() => void) | null = null;

  constructor(
    /** The hub's position when the feed was attached: the feed holds every wanted event after it. */
    readonly from: bigint,
    private readonly scope: Scope,
    private readonly filters: FilterSet,
    private readonly capacity: number,
    private readonly detach: (feed: Feed) => void,
  ) {}

  get overflowed(): boolean {
    return this.ending?.end === 'overflow';
  }

  offer(event: StoredEvent): void {
    if (this.ending || !eventWanted(this.scope, this.filters, event)) return;
    if (this.queue.length >= this.capacity) return this.end({ end: 'overflow' }, true);
    this.queue.push(event);
    this.waiting?.();
  }

  /**
   * The next event, or why there are no more; close() ends a pending wait. One already buffered is
   * handed over on the next turn of the event loop, not at once: a hub read of a hundred events
   * for a thousand subscribers would otherwise be executed and sent as one unbroken chain of
   * promise callbacks, seconds long on a small machine, during which no socket is read, so the
   * transactions of every other request sit idle until Postgres's idle-in-transaction timeout
   * ends their sessions. Between turns, Node reads the sockets.
   */
  take(): Promise<FeedItem> {
    if (this.queue.length > 0 || this.ending) {
      return new Promise((resolve) => setImmediate(() => resolve(this.queue.shift() ?? this.ending ?? { end: 'closed' })));
    }
    return new Promise((resolve) => {
      this.waiting = () => {
        this.waiting = null;
        resolve(this.queue.shift() ?? this.ending ?? { end: 'closed' });
      };
    });
  }

  /** Ends the feed; `dropQueued` frees what the reader will never get anyway. */
  end(reason: FeedEnd, dropQueued = false): void {
    if (this.ending) return;
    this.ending = reason;
    if (dropQueued) this.queue = [];
    this.detach(this);
    this.waiting?.();
  }

  close(): void {
    this.end({ end: 'closed' }, true);
  }
}

/**
 * A process's single reader of the events table. It keeps a high-water mark (every event up to it
 * has been fanned out), and on each wake-up (NOTIFY, re-LISTEN or poll; src/db/listener.ts) reads
 * the rows after it in batches and offers each, in order, to every attached feed. Since sequence
 * numbers are gapless and assigned in commit order (src/db/events.ts appendStatement), reading
 * `seq > mark` can never skip an event that commits later. Started on the first subscriber.
 */
export class EventHub {
  private mark = 0n;
  private readonly feeds = new Set<Feed>();
  private started: Promise<void> | null = null;
  private wakeups: EventWakeups | null = null;
  private reading: Promise<void> | null = null;
  private wakeAgain = false;
  private closed = false;

  constructor(
    private readonly db: Sql,
    private readonly options: HubOptions,
  ) {}

  /** A feed of every event after the hub's current mark that `scope` may read and `filters` want. */
  /** Live subscribers of this process. */
  get subscribers(): number {
    return this.feeds.size;
  }

  async attach(scope: Scope, filters: FilterSet): Promise<Feed> {
    await this.start();
    const feed = new Feed(this.mark, scope, filters, this.options.subscriberBuffer, (f) => this.feeds.delete(f));
    if (this.closed) feed.end({ end: 'closed' });
    else this.feeds.add(feed);
    return feed;
  }

  /** Ends every feed (their streams complete) and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeups?.close();
    for (const feed of this.feeds) feed.end({ end: 'closed' });
    await this.reading;
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      this.mark = (await inScope(this.db, HUB_SCOPE, readClock, { readOnly: true })).lastSeq;
      if (this.closed) return;
      // Events committed between that read and the LISTEN are caught by the wake-up that
      // onlisten gives once the LISTEN is in place.
      this.wakeups = watchEventLog(this.db, () => this.wake(), { pollMs: this.options.pollMs ?? DEFAULT_POLL_MS, log: this.options.log });
    })().catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  /** Runs one catch-up at a time; wake-ups during a catch-up run it once more afterwards. */
  private wake(): void {
    if (this.closed) return;
    if (this.reading) {
      this.wakeAgain = true;
      return;
    }
    this.reading = this.catchUp()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'fanning out events failed'))
      .finally(() => {
        this.reading = null;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      let read;
      try {
        read = await withDeadline(
          inScope(this.db, HUB_SCOPE, async (tx) => ({ clock: await readClock(tx), events: await readEvents(tx, { afterSeq: this.mark, limit: HUB_BATCH }) }), {
            readOnly: true,
            snapshot: true,
          }),
          READ_DEADLINE_MS,
        );
      } catch (error) {
        this.options.log.warn({ err: error }, 'reading new events failed; the next wake-up retries');
        return;
      }
      if (this.closed) return;
      if (read.clock.prunedThrough > this.mark) this.skipPruned(read.clock.prunedThrough);
      for (const event of read.events) {
        this.mark = event.seq;
        this.options.onRead?.(event);
        for (const feed of this.feeds) feed.offer(event);
      }
      if (read.events.length < HUB_BATCH) return;
    }
  }

  /**
   * The hub fell further behind than the retention window (a long outage, or a tiny window):
   * events its feeds needed are gone. Each feed ends with OUT_OF_RANGE instead of skipping them.
   */
  private skipPruned(through: bigint): void {
    this.options.log.warn({ from: String(this.mark), through: String(through) }, 'events were pruned before this process read them');
    for (const feed of this.feeds) feed.end({ end: 'pruned' }, true);
    this.mark = through;
  }
}

/** The promise's outcome, or a failure once `ms` have passed; a late outcome is ignored. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms; abandoned`)), ms);
  });
  promise.catch(() => {}); // abandoned on a deadline, its failure is no longer anybody's
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
