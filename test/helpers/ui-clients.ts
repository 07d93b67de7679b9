import { isDeepStrictEqual } from 'node:util';
import type { TestServer } from './server.ts';
import { within as boundedWithin } from './bounded.ts';

/**
 * Shared by the UI client tests (test/clients/): what a client sent over HTTP, values a client
 * pushes to a watcher, and bounded waits that say what they waited for.
 */

export const WAIT_MS = 15_000;

/** The header every client sends: the default namespace, and proof to the CSRF guard that the request is not a plain cross-site one. */
export const CLIENT_HEADERS = { 'berth-namespace': 'default' } as const;

export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  /** The parsed JSON body of a POST. */
  readonly body: { query?: string; operationName?: string; variables?: unknown; extensions?: unknown } | undefined;
  status?: number;
}

/** A fetch for a client to use: it records every request (and its status) before passing it on, and bounds its wait for the response. */
export function recordingFetch(): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = request.method === 'POST' ? await request.clone().text() : '';
    const record: RecordedRequest = { method: request.method, url: new URL(request.url), body: text ? JSON.parse(text) : undefined };
    requests.push(record);
    const name = record.body?.operationName ?? record.url.searchParams.get('operationName') ?? `${request.method} ${record.url.search}`;
    const response = await within(`the response to ${name}`, fetch(request));
    record.status = response.status;
    return response;
  };
  return { fetch: recording, requests };
}

/** bounded.ts's `within`, with this file's shorter bound, and what it waits for first (the call sites read better so). */
export const within = <T>(what: string, promise: Promise<T>, ms = WAIT_MS): Promise<T> => boundedWithin(promise, what, ms);

/** The values a client emits (a watched query, a subscription), and a bounded wait for one that satisfies a test. */
export class Watched<T> {
  readonly values: T[] = [];
  #waiters = new Set<{ accept: (value: T) => boolean; resolve: (value: T) => void }>();
  #failure: unknown;

  push = (value: T): void => {
    this.values.push(value);
    for (const waiter of this.#waiters) {
      if (waiter.accept(value)) {
        this.#waiters.delete(waiter);
        waiter.resolve(value);
      }
    }
  };

  /** The source failed: every wait, now and later, rejects with this. */
  fail = (error: unknown): void => {
    this.#failure = error;
    for (const waiter of this.#waiters) waiter.resolve(undefined as T);
    this.#waiters.clear();
  };

  get latest(): T | undefined {
    return this.values.at(-1);
  }

  /** The latest value if it satisfies `accept`, else the next one that does. */
  async until(what: string, accept: (value: T) => boolean, ms = WAIT_MS): Promise<T> {
    const latest = this.latest;
    if (this.#failure === undefined && latest !== undefined && accept(latest)) return latest;
    const found = await within(
      what,
      new Promise<T>((resolve) => {
        if (this.#failure !== undefined) resolve(undefined as T);
        else this.#waiters.add({ accept, resolve });
      }),
      ms,
    );
    if (this.#failure !== undefined) throw new Error(`the source failed while waiting for ${what}: ${String(this.#failure)}`, { cause: this.#failure });
    return found;
  }
}

/** A watched container list, as the tests compare it: one [containerId, label values] per row. */
const rows = (data: any) => data.containers.edges.map((edge: any) => [edge.node.containerId, edge.node.labels.map((l: any) => l.value)]);

/** Waits until a watched container list shows `expected` (see rows). */
export const untilListShows = (list: Watched<any>, expected: unknown): Promise<any> =>
  list.until(`the list showing ${JSON.stringify(expected)}`, (data) => isDeepStrictEqual(rows(data), expected));

/** The graphql-ws URL of a test server. */
export const webSocketUrl = (server: TestServer): string => server.url.replace(/^http/, 'ws');

/** Another writer (plain HTTP, not the client under test): the client learns of its changes only through its subscription. */
export async function write(server: TestServer, mutation: string, variables: Record<string, unknown>): Promise<any> {
  const response = await within(`the other writer's mutation of ${JSON.stringify(variables)}`, server.gql(mutation, variables));
  if (response.errors) throw new Error(`mutation failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

/** containerd refuses a container without an OCI spec; a minimal one does. */
export const SPEC = { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', json: { ociVersion: '1.1.0' } };

const CREATE_CONTAINER = `mutation($namespace: String, $containerId: String!, $image: String!, $spec: AnyInput!) {
  createContainer(input: { namespace: $namespace, container: { containerId: $containerId, image: $image, runtime: { name: "io.containerd.runc.v2" }, spec: $spec } }) {
    container { id revision } } }`;
export const SET_LABELS = `mutation($namespace: String, $containerId: String!, $labels: [LabelInput!]!) {
  setContainerLabels(input: { namespace: $namespace, containerId: $containerId, labels: $labels }) { container { id revision } } }`;
export const DELETE_CONTAINER = `mutation($namespace: String, $containerId: String!) {
  deleteContainer(input: { namespace: $namespace, containerId: $containerId }) { deletedId } }`;

/** Another writer creates a container; its global id. */
export async function createContainer(server: TestServer, namespace: string, containerId: string, image: string): Promise<string> {
  const data = await write(server, CREATE_CONTAINER, { namespace, containerId, image, spec: SPEC });
  return data.createContainer.container.id;
}

/** `count` containers c00, c01, ... in `namespace`, written by another writer, for a client to page. */
export async function seedContainers(server: TestServer, namespace: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `c${String(i).padStart(2, '0')}`);
  for (const containerId of ids) await createContainer(server, namespace, containerId, `docker.io/library/${containerId}:1`);
  return ids;
}
