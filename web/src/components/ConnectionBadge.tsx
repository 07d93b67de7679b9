import { connection } from '../client.ts';
import { useStore } from '../store.ts';

const TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

export function ConnectionBadge() {
  const state = useStore(connection);
  return (
    <p class={`badge ${state}`} role="status" data-connection={state}>
      {TEXT[state]}
    </p>
  );
}
