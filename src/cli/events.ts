import type { Command } from 'commander';
import type { Connection } from './client.ts';
import { CliError, ServerError } from './errors.ts';
import { EVENT_TYPES, type FieldKind, type MessageField } from '../model/events.ts';
import { anyJson, type AnyView, goTimeString, type JsonValue, marshal } from './go-format.ts';
import type { Label } from './labels.ts';
import { connectionOf, withConnectionFlags } from './options.ts';

/** What each payload type's fragment selects for a field of its kind. */
const SELECTION: Record<FieldKind, string> = { string: '', labels: ' { key value }', runtime: ' { name options { typeUrl value } }' };

/** Every payload type's message fields, as the one event table lists them (src/model/events.ts). */
const PAYLOAD_FRAGMENTS = Object.values(EVENT_TYPES)
  .map(({ payloadType, fields }) => `... on ${payloadType} { ${fields.map((f) => f.graphql + SELECTION[f.kind]).join(' ')} }`)
  .join(' ');

/**
 * `berth events [--after CURSOR] [FILTER…]`: ctr's event lines, `<timestamp> <namespace> <topic>
 * <event JSON>`, from every namespace the caller may read, until interrupted.
 */
const SUBSCRIBE = `subscription($after: String, $filters: [String!]) {
  events(after: $after, filters: $filters, allNamespaces: true) {
    cursor timestamp namespace topic
    payload {
      __typename
      ${PAYLOAD_FRAGMENTS}
    }
  }
}`;

interface EventView {
  readonly cursor: string;
  readonly timestamp: string;
  readonly namespace: string;
  readonly topic: string;
  readonly payload: { readonly __typename: string; readonly [field: string]: unknown };
}

export function addEventsCommand(program: Command): void {
  withConnectionFlags(program.command('events'))
    .alias('event')
    .description('print events of every namespace you may read, one per line, until interrupted')
    .argument('[FILTER...]', 'filters on topic, namespace and event.<field>; ANY may match')
    .option('--after <cursor>', 'first replay every event after this cursor (a watchCursor, or an earlier event)')
    .action((filters: string[], options: { after?: string }, command: Command) => follow(connectionOf(command), filters, options.after));
}

async function follow(connection: Connection, filters: readonly string[], after: string | undefined): Promise<void> {
  // Loaded here, not at the top: they double the start-up time of every other verb.
  const [{ createClient }, { default: WebSocket }] = await Promise.all([import('graphql-ws'), import('ws')]);
  let connectedOnce = false;
  const client = createClient({
    url: connection.address.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { namespace: connection.namespace, ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}) },
    on: { connected: () => (connectedOnce = true) },
    // A server that cannot be reached at first is an error; one that goes away (a restart, a
    // failover) is waited for, with graphql-ws's backoff and number of attempts.
    shouldRetry: () => connectedOnce,
  });
  // graphql-ws resends this same payload when it reconnects after a dropped connection, so
  // keeping `after` at the last printed cursor resumes exactly there: no gap, no duplicate.
  const payload = { query: SUBSCRIBE, variables: { after: after ?? null, filters } };
  try {
    await new Promise<void>((resolve, reject) => {
      const stop = () => {
        unsubscribe();
        resolve();
      };
      const unsubscribe = client.subscribe<{ events: EventView }>(payload, {
        next: (result) => {
          const [error] = result.errors ?? [];
          if (error) return reject(new ServerError(String(error.extensions?.code ?? 'UNKNOWN'), error.message));
          if (!result.data) return;
          payload.variables.after = result.data.events.cursor;
          process.stdout.write(eventLine(result.data.events));
        },
        error: (error) => reject(subscriptionError(connection, error)),
        complete: resolve,
      });
      process.once('SIGINT', stop).once('SIGTERM', stop);
    });
  } finally {
    await client.dispose();
  }
}

/** `fmt.Println(e.Timestamp, e.Namespace, e.Topic, string(json.Marshal(event)))`, as ctr prints it. */
function eventLine(event: EventView): string {
  return `${goTimeString(event.timestamp)} ${event.namespace} ${event.topic} ${marshal(eventJson(event.payload))}\n`;
}

/**
 * The payload as Go's json.Marshal prints containerd's event message: proto field names, and
 * every field `omitempty`, so empty strings, empty maps and null values are left out.
 */
function eventJson(payload: EventView['payload']): JsonValue {
  const type = Object.values(EVENT_TYPES).find((candidate) => candidate.payloadType === payload.__typename);
  return present((type?.fields ?? []).map((field) => [field.proto, fieldJson(field, payload[field.graphql])]));
}

function fieldJson(field: MessageField, value: unknown): JsonValue {
  switch (field.kind) {
    case 'string':
      return value as string;
    case 'labels':
      return labelMap(value as readonly Label[]);
    case 'runtime': {
      const runtime = value as { name: string; options: AnyView | null };
      return present([
        ['name', runtime.name],
        ['options', anyJson(runtime.options)],
      ]);
    }
  }
}

/** A Go map[string]string: keys sorted byte-wise, which the API's label order already is. */
const labelMap = (labels: readonly Label[]) => new Map(labels.map(({ key, value }) => [key, value]));

function present(fields: readonly [string, JsonValue][]): Map<string, JsonValue> {
  const empty = (value: JsonValue) => value === null || value === '' || (value instanceof Map && value.size === 0);
  return new Map(fields.filter(([, value]) => !empty(value)));
}

/** What graphql-ws hands the sink: the server's GraphQL errors, a close event, or a socket error. */
function subscriptionError(connection: Connection, error: unknown): CliError {
  if (Array.isArray(error) && error.length > 0) {
    const [first] = error as { message: string; extensions?: { code?: unknown } }[];
    return new ServerError(String(first?.extensions?.code ?? 'UNKNOWN'), first?.message ?? 'subscription failed');
  }
  const close = error as { code?: unknown; reason?: unknown; message?: unknown };
  // 4403 is how a WebSocket refuses credentials: missing, bad or expired (docs/api.md).
  if (close.code === 4403)
    return new ServerError('UNAUTHENTICATED', `the server refused the token (WebSocket closed: 4403 ${String(close.reason ?? '')})`.trimEnd());
  if (typeof close.code === 'number') return new CliError(`the server closed the event stream: ${close.code} ${String(close.reason ?? '')}`.trimEnd());
  return new CliError(`cannot reach ${connection.address}: ${String(close.message ?? error)}`);
}
