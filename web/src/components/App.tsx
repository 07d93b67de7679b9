import { Provider, useSubscription } from '@urql/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createConsoleClient } from '../client.ts';
import { LIVE_UPDATES } from '../documents.ts';
import { errorMessage } from '../errors.ts';
import { view } from '../location.ts';
import { token } from '../session.ts';
import { useStore } from '../store.ts';
import { Checkpoints } from './Checkpoints.tsx';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import { ContainerDetail } from './ContainerDetail.tsx';
import { ContainersTable } from './ContainersTable.tsx';
import { CreateContainerForm } from './CreateContainerForm.tsx';
import { EventsPanel } from './EventsPanel.tsx';
import { NamespaceBar } from './NamespaceBar.tsx';
import { TokenPrompt } from './TokenPrompt.tsx';

/** A new token means a new client: every query runs again and the WebSocket reconnects with it. */
export function App() {
  const currentToken = useStore(token);
  const { client, dispose } = useMemo(() => createConsoleClient(), [currentToken]);
  useEffect(() => dispose, [dispose]);
  return (
    <Provider value={client}>
      <Console key={currentToken ?? ''} />
      <TokenPrompt />
    </Provider>
  );
}

function Console() {
  const { namespace, filter, container } = useStore(view);
  // The first list's watchCursor: the one live subscription of the page replays from there, so
  // nothing that happened after that list was read is missed.
  const [liveCursor, setLiveCursor] = useState<string | null>(null);
  const [listSettled, setListSettled] = useState(false);
  return (
    <>
      <header class="bar">
        <h1>Berth Console</h1>
        <NamespaceBar namespace={namespace} ready={liveCursor !== null || listSettled} />
        <ConnectionBadge />
      </header>
      <main class="layout">
        <section class="containers" aria-labelledby="containers-heading">
          <h2 id="containers-heading">Containers in {namespace}</h2>
          <ContainersTable
            namespace={namespace}
            filter={filter}
            selected={container}
            onSnapshot={(cursor) => {
              setListSettled(true);
              if (cursor) setLiveCursor((current) => current ?? cursor);
            }}
          />
          <CreateContainerForm namespace={namespace} />
          <Checkpoints namespace={namespace} />
        </section>
        {container && <ContainerDetail key={`${namespace}/${container}`} namespace={namespace} containerId={container} />}
        <EventsPanel namespace={namespace} startCursor={liveCursor} />
      </main>
      {liveCursor && <LiveUpdates after={liveCursor} />}
    </>
  );
}

/**
 * Every change in every readable namespace, fed to the cache (live-cache.ts). It shows nothing
 * unless it stops: the server ended it (say, its cursor fell out of the event retention after a
 * long disconnect), and only a reload gives a current page again.
 */
function LiveUpdates({ after }: { after: string }) {
  const [{ error }] = useSubscription({ query: LIVE_UPDATES, variables: { after } });
  if (!error) return null;
  return (
    <p class="error stopped" role="alert">
      Live updates stopped: {errorMessage(error)}{' '}
      <button type="button" onClick={() => location.reload()}>
        Reload
      </button>
    </p>
  );
}
