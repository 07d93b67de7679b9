import { useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { CHECKPOINT_CONTAINER, CONTAINER, DELETE_CONTAINER } from '../documents.ts';
import { errorMessage } from '../errors.ts';
import { formatTime } from '../format.ts';
import { navigate } from '../location.ts';
import type { AnyValue, ContainerDetail as Detail } from '../types.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ErrorText } from './ErrorText.tsx';
import { LabelEditor } from './LabelEditor.tsx';

interface Data {
  container: Detail | null;
  events: { nodes: { id: string; cursor: string; timestamp: string; topic: string }[] };
}

/** Everything about one container, its label editor, its actions, and its event history. */
export function ContainerDetail({ namespace, containerId }: { namespace: string; containerId: string }) {
  const [{ data, error }, reexecute] = useQuery<Data>({
    query: CONTAINER,
    // containerd's filters name the payload's container id `event.id`.
    variables: { namespace, containerId, eventFilters: [`event.id==${JSON.stringify(containerId)}`] },
  });
  const [deleted, remove] = useMutation(DELETE_CONTAINER);
  const container = data?.container;
  return (
    <section class="detail" aria-labelledby="detail-heading">
      <div class="detail-head">
        <h2 id="detail-heading">
          Container <code>{containerId}</code>
        </h2>
        <button type="button" onClick={() => navigate({ container: null })} aria-label="Close the detail panel">
          Close
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      {data && !container && (
        <p class="empty">
          Container “{containerId}” does not exist in {namespace} (it may have been deleted).
        </p>
      )}
      {container && (
        <>
          <dl class="fields">
            <Field name="Namespace" value={container.namespace} />
            <Field name="Image" value={container.image} />
            <Field name="Runtime" value={container.runtime.name} />
            <Field name="Snapshotter" value={container.snapshotter} />
            <Field name="Snapshot key" value={container.snapshotKey} />
            <Field name="Sandbox" value={container.sandbox} />
            <Field name="Created" value={formatTime(container.createdAt)} />
            <Field name="Updated" value={formatTime(container.updatedAt)} />
            <Field name="Revision" value={String(container.revision)} />
            <Field name="Global id" value={container.id} />
          </dl>
          <LabelEditor container={container} refresh={() => reexecute({ requestPolicy: 'network-only' })} />
          <h3>Spec</h3>
          <AnyView value={container.spec} />
          {container.runtime.options && (
            <>
              <h3>Runtime options</h3>
              <AnyView value={container.runtime.options} />
            </>
          )}
          <h3>Extensions</h3>
          {container.extensions.length === 0 ? (
            <p class="none">none</p>
          ) : (
            container.extensions.map((extension) => (
              <div key={extension.name}>
                <h4>{extension.name}</h4>
                <AnyView value={extension.value} />
              </div>
            ))
          )}
          <div class="actions">
            <CheckpointForm namespace={namespace} containerId={containerId} />
            <ConfirmButton
              label="Delete container"
              question={
                <>
                  Delete container “{containerId}” from {namespace}? This cannot be undone.
                </>
              }
              confirm="Delete"
              onConfirm={async () => {
                const result = await remove({ input: { namespace, containerId } });
                if (!result.error) navigate({ container: null });
              }}
            />
          </div>
          <ErrorText id="delete-error" message={errorMessage(deleted.error)} />
        </>
      )}
      <h3>Events</h3>
      <ol class="history">
        {data?.events.nodes.map((event) => (
          <li key={event.id}>
            <time dateTime={event.timestamp}>{formatTime(event.timestamp)}</time> <code>{event.topic}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Field({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{value || <span class="none">—</span>}</dd>
    </>
  );
}

/** An Any: its type URL and the value as pretty JSON when it is JSON, else its base64 bytes. */
function AnyView({ value }: { value: AnyValue | null }) {
  if (!value) return <p class="none">none</p>;
  return (
    <figure class="any">
      <figcaption>
        <code>{value.typeUrl}</code>
      </figcaption>
      <pre>{value.json !== null && value.json !== undefined ? JSON.stringify(value.json, null, 2) : value.value}</pre>
    </figure>
  );
}

function CheckpointForm({ namespace, containerId }: { namespace: string; containerId: string }) {
  const [ref, setRef] = useState('');
  const [result, checkpoint] = useMutation(CHECKPOINT_CONTAINER);
  return (
    <form
      class="inline"
      onSubmit={async (event) => {
        event.preventDefault();
        const done = await checkpoint({ input: { namespace, containerId, ref } });
        if (!done.error) setRef('');
      }}
    >
      <label for="checkpoint-ref">Checkpoint ref</label>
      <input id="checkpoint-ref" value={ref} required aria-describedby="checkpoint-error" onInput={(e) => setRef(e.currentTarget.value)} />
      <button type="submit">Checkpoint</button>
      <ErrorText id="checkpoint-error" message={errorMessage(result.error)} />
    </form>
  );
}
