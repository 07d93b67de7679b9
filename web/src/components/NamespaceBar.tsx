import { useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { CREATE_NAMESPACE, DELETE_NAMESPACE, NAMESPACES } from '../documents.ts';
import { errorMessage } from '../errors.ts';
import { DEFAULT_NAMESPACE, navigate } from '../location.ts';
import type { NamespaceRow } from '../types.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ErrorText } from './ErrorText.tsx';

/**
 * The namespace picker: the list is live (a NamespaceCreate/Delete event invalidates it). It waits
 * for the page's first watchCursor (`ready`), so a namespace made between the two reads is not missed.
 */
export function NamespaceBar({ namespace, ready }: { namespace: string; ready: boolean }) {
  const [{ data }] = useQuery<{ namespaces: NamespaceRow[] }>({ query: NAMESPACES, pause: !ready });
  const [created, create] = useMutation(CREATE_NAMESPACE);
  const [deleted, remove] = useMutation(DELETE_NAMESPACE);
  const [name, setName] = useState('');
  const names = data?.namespaces.map((n) => n.name) ?? [];
  if (!names.includes(namespace)) names.unshift(namespace);
  return (
    <div class="namespaces">
      <label for="namespace">Namespace</label>
      <select id="namespace" value={namespace} onChange={(e) => navigate({ namespace: e.currentTarget.value, container: null })}>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <ConfirmButton
        label="Delete namespace"
        question={<>Delete namespace “{namespace}”? containerd refuses while it holds containers or checkpoints.</>}
        confirm="Delete"
        onConfirm={async () => {
          const result = await remove({ input: { name: namespace } });
          if (!result.error) navigate({ namespace: DEFAULT_NAMESPACE, container: null });
        }}
      />
      <form
        class="inline"
        onSubmit={async (event) => {
          event.preventDefault();
          const result = await create({ input: { name } });
          if (!result.error) {
            setName('');
            navigate({ namespace: name, container: null });
          }
        }}
      >
        <label for="new-namespace">New namespace</label>
        <input id="new-namespace" value={name} onInput={(e) => setName(e.currentTarget.value)} aria-describedby="namespace-error" required />
        <button type="submit">Create namespace</button>
      </form>
      <ErrorText id="namespace-error" message={errorMessage(created.error) || errorMessage(deleted.error)} />
    </div>
  );
}
