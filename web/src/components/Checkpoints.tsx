import { useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { CHECKPOINTS, DELETE_CHECKPOINT, RESTORE_CONTAINER } from '../documents.ts';
import { errorMessage } from '../errors.ts';
import { formatTime } from '../format.ts';
import { navigate } from '../location.ts';
import type { CheckpointRow } from '../types.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ErrorText } from './ErrorText.tsx';

/** The namespace's checkpoints (live: CheckpointCreate/Delete events invalidate the list), restore and delete. */
export function Checkpoints({ namespace }: { namespace: string }) {
  const [{ data }] = useQuery<{ checkpoints: { totalCount: number; nodes: CheckpointRow[] } }>({ query: CHECKPOINTS, variables: { namespace } });
  const [restored, restore] = useMutation(RESTORE_CONTAINER);
  const [deleted, remove] = useMutation(DELETE_CHECKPOINT);
  const [newIds, setNewIds] = useState<Record<string, string>>({});
  const nodes = data?.checkpoints.nodes ?? [];
  return (
    <section class="checkpoints" aria-labelledby="checkpoints-heading">
      <h2 id="checkpoints-heading">Checkpoints ({data?.checkpoints.totalCount ?? '…'})</h2>
      {nodes.length === 0 && <p class="none">No checkpoints in {namespace}. Open a container to checkpoint it.</p>}
      <ul>
        {nodes.map((checkpoint) => (
          <li key={checkpoint.id} data-ref={checkpoint.ref}>
            <strong>{checkpoint.ref}</strong> of <code>{checkpoint.containerId}</code> ({checkpoint.image || 'no image'}), {formatTime(checkpoint.createdAt)}
            <form
              class="inline"
              onSubmit={async (event) => {
                event.preventDefault();
                const containerId = newIds[checkpoint.ref] ?? '';
                const done = await restore({ input: { namespace, containerId, ref: checkpoint.ref } });
                if (!done.error) navigate({ container: containerId });
              }}
            >
              <label for={`restore-${checkpoint.ref}`}>New container id</label>
              <input
                id={`restore-${checkpoint.ref}`}
                required
                value={newIds[checkpoint.ref] ?? ''}
                onInput={(e) => setNewIds({ ...newIds, [checkpoint.ref]: e.currentTarget.value })}
              />
              <button type="submit">Restore</button>
            </form>
            <ConfirmButton
              label={`Delete checkpoint ${checkpoint.ref}`}
              question={<>Delete checkpoint “{checkpoint.ref}”?</>}
              confirm="Delete"
              onConfirm={() => void remove({ input: { namespace, ref: checkpoint.ref } })}
            />
          </li>
        ))}
      </ul>
      <ErrorText id="checkpoints-error" message={errorMessage(restored.error) || errorMessage(deleted.error)} />
    </section>
  );
}
