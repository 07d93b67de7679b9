import { useSubscription } from '@urql/preact';
import { useState } from 'preact/hooks';
import { connection } from '../client.ts';
import { EVENT_FEED } from '../documents.ts';
import { errorMessage } from '../errors.ts';
import { formatTime } from '../format.ts';
import { useStore } from '../store.ts';
import type { BerthEvent, EventPayload } from '../types.ts';

const KEEP = 300;
const TOPICS = [
  ['', 'All topics'],
  ['/containers/', 'Containers'],
  ['/namespaces/', 'Namespaces'],
  ['/checkpoints/', 'Checkpoints'],
] as const;

/**
 * The event feed since the page opened (from its first watchCursor), for this namespace or every
 * readable one. Across a disconnect or a server restart the subscription resumes after the last
 * event it delivered (client.ts), so the list has every event once.
 */
export function EventsPanel({ namespace, startCursor }: { namespace: string; startCursor: string | null }) {
  const [scope, setScope] = useState<'namespace' | 'all'>('namespace');
  const [topic, setTopic] = useState('');
  const state = useStore(connection);
  return (
    <section class="events" aria-labelledby="events-heading">
      <h2 id="events-heading">Events</h2>
      <div class="events-controls">
        <label for="events-scope">Scope</label>
        <select id="events-scope" value={scope} onChange={(e) => setScope(e.currentTarget.value as 'namespace' | 'all')}>
          <option value="namespace">{namespace}</option>
          <option value="all">All readable namespaces</option>
        </select>
        <label for="events-topic">Topic</label>
        <select id="events-topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)}>
          {TOPICS.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
        <span class={`badge ${state}`} data-connection={state}>
          {state}
        </span>
      </div>
      {startCursor !== null && (
        <Feed key={`${scope === 'all' ? '' : namespace}/${topic}`} after={startCursor} namespace={scope === 'all' ? null : namespace} topic={topic} />
      )}
    </section>
  );
}

/** One feed; a new scope or topic mounts a new one, which replays from the page's start. */
function Feed({ after, namespace, topic }: { after: string; namespace: string | null; topic: string }) {
  const variables = {
    after,
    ...(namespace === null ? { allNamespaces: true } : { namespace }),
    ...(topic ? { filters: [`topic~="^${topic}"`] } : {}),
  };
  const [{ data, error }] = useSubscription<{ events: BerthEvent }, BerthEvent[]>({ query: EVENT_FEED, variables }, (events = [], next) =>
    [next.events, ...events].slice(0, KEEP),
  );
  return (
    <>
      {error && (
        <p class="error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      <ol class="feed" aria-label="Event feed" aria-live="polite">
        {(data ?? []).map((event) => (
          <li key={event.id} data-cursor={event.cursor} data-topic={event.topic}>
            <time dateTime={event.timestamp}>{formatTime(event.timestamp)}</time> <span class="ns">{event.namespace}</span> <code>{event.topic}</code>{' '}
            <span class="subject">{subject(event.payload)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

function subject(payload: EventPayload): string {
  switch (payload.__typename) {
    case 'ContainerCreate':
    case 'ContainerUpdate':
    case 'ContainerDelete':
      return payload.containerId;
    case 'NamespaceCreate':
    case 'NamespaceUpdate':
    case 'NamespaceDelete':
      return payload.name;
    case 'CheckpointCreate':
    case 'CheckpointDelete':
      return payload.ref;
  }
}
