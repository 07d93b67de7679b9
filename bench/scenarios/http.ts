import autocannon from 'autocannon';
import { LIST_FILTER, randomBucket, randomStableId, seededId, stableIds } from '../fixtures.ts';
import type { HttpJob, ThroughputResult } from '../protocol.ts';
import { Latencies } from '../stats.ts';
import { body, containerInput, CREATE, DELETE, GET, LIST, SET_LABELS } from './documents.ts';

/**
 * get, list, create, update, delete and scale: closed-loop load from autocannon, one request
 * in flight per connection. autocannon builds every request through setupRequest, so each one
 * can carry its own id; onResponse sees the body, so GraphQL errors (HTTP 200 with `errors`)
 * count as failures rather than as throughput.
 */

interface Requests {
  next(): string;
  /** A problem with an HTTP 200 answer that GraphQL alone would not flag, or null. */
  check?(response: string): string | null;
  onSuccess?(response: string): void;
  createdIds?: string[];
}

export async function runHttp(job: HttpJob, progress: (text: string) => void): Promise<ThroughputResult> {
  const requests = requestsFor(job);
  if (job.warmup > 0) await cannon(job, requests, job.warmup, (s) => progress(`warming up ${Math.min(s, job.warmup)}/${job.warmup} s`));
  const result = await cannon(job, requests, job.duration, (s, ok, errors) =>
    progress(`${Math.min(s, job.duration)}/${job.duration} s, ${ok} ok, ${errors} errors`),
  );
  return requests.createdIds ? { ...result, createdIds: requests.createdIds } : result;
}

function requestsFor(job: HttpJob): Requests {
  switch (job.scenario) {
    case 'get':
      return {
        next: () => body(GET, { id: randomStableId(job.n) }),
        check: (response) => (response.includes('"container":null') ? 'a seeded container was not found' : null),
      };
    case 'list': {
      const fixed = body(LIST, { filters: [LIST_FILTER], first: 100 });
      return { next: () => fixed };
    }
    case 'scale':
      // 1 in BUCKETS containers carries any one bucket value: a selective filter over a big table.
      return { next: () => body(LIST, { filters: [`labels.bucket==${randomBucket()}`], first: 100 }) };
    case 'create': {
      let k = 0;
      const createdIds: string[] = [];
      return {
        next: () => {
          const index = k++;
          return body(CREATE, { c: containerInput(`new-${job.tag}-${index}`, index) });
        },
        onSuccess: (response) =>
          createdIds.push(
            (JSON.parse(response) as { data: { createContainer: { container: { containerId: string } } } }).data.createContainer.container.containerId,
          ),
        createdIds,
      };
    }
    case 'update': {
      let k = 0;
      return { next: () => body(SET_LABELS, { id: randomStableId(job.n), labels: [{ key: 'bench.updated', value: String(k++) }] }) };
    }
    case 'delete': {
      // First what `create` made, then seeded ids from the top down, stopping above the stable half.
      const given = job.deleteIds ?? [];
      let k = 0;
      let seeded = job.n - 1;
      const floor = stableIds(job.n);
      return {
        next: () => {
          const id = k < given.length ? given[k++]! : seeded >= floor ? seededId(seeded--) : `exhausted-${job.tag}-${k++}`;
          return body(DELETE, { id });
        },
      };
    }
  }
}

function cannon(job: HttpJob, requests: Requests, seconds: number, progress: (elapsed: number, ok: number, errors: number) => void): Promise<ThroughputResult> {
  const target = new URL(job.url);
  const latencies = new Latencies();
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  const fail = (text: string) => {
    errors++;
    firstError ??= text.slice(0, 500);
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.concurrency,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: target.pathname,
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
            setupRequest: (request) => ({ ...request, body: requests.next() }),
            onResponse: (status, response) => {
              if (status !== 200) return fail(`HTTP ${status}: ${response}`);
              if (response.includes('"errors":[')) return fail(response);
              const problem = requests.check?.(response);
              if (problem) return fail(`${problem}: ${response}`);
              ok++;
              requests.onSuccess?.(response);
            },
          },
        ],
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        // Connection errors and timeouts never reach onResponse; autocannon counts them.
        if (result.errors > 0) firstError ??= `${result.errors} connection errors or timeouts`;
        resolve({ ops: ok, errors: errors + result.errors, seconds: result.duration, latency: latencies.summary(), ...(firstError ? { firstError } : {}) });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.record(ms));
    let elapsed = 0;
    instance.on('tick', () => progress(++elapsed, ok, errors));
  });
}
