import { useMutation } from '@urql/preact';
import { useState } from 'preact/hooks';
import { SET_LABELS } from '../documents.ts';
import { errorCode, errorMessage } from '../errors.ts';
import type { ContainerRow, Label } from '../types.ts';
import { LabelChips } from './LabelChips.tsx';

interface Draft {
  /** The revision the person started from: setContainerLabels checks it (expectedRevision). */
  revision: number;
  original: Label[];
  rows: Label[];
}

/**
 * Adds, changes and removes labels with setContainerLabels, one entry per changed key (an empty
 * value removes). If someone else changed the container since the edit began, Berth answers
 * ABORTED and writes nothing: the panel then shows the container's current labels (kept current
 * by the live cache) and offers to apply the same changes on top of them.
 */
export function LabelEditor({ container, refresh }: { container: ContainerRow; refresh: () => void }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [conflict, setConflict] = useState<Label[] | null>(null);
  const [result, setLabels] = useMutation(SET_LABELS);
  const [problem, setProblem] = useState<string | null>(null);

  const save = async (changes: Label[], expectedRevision: number) => {
    setProblem(null);
    const done = await setLabels({ input: { namespace: container.namespace, containerId: container.containerId, labels: changes, expectedRevision } });
    const code = errorCode(done.error);
    if (!done.error) {
      setDraft(null);
      setConflict(null);
    } else if (code === 'ABORTED') {
      setConflict(changes);
      refresh();
    } else {
      setProblem(errorMessage(done.error));
    }
  };

  if (conflict) {
    return (
      <section class="labels conflict" aria-labelledby="labels-heading">
        <h3 id="labels-heading">Labels</h3>
        <p class="warning" role="alert">
          Someone else changed this container first; nothing of yours was written. It is now at revision {container.revision}, with these labels:
        </p>
        <LabelChips labels={container.labels} />
        <p>Your changes:</p>
        <ul class="changes">
          {conflict.map((change) => (
            <li key={change.key}>{change.value === '' ? `remove ${change.key}` : `${change.key}=${change.value}`}</li>
          ))}
        </ul>
        <div class="actions">
          <button type="button" onClick={() => void save(conflict, container.revision)}>
            Reapply my changes
          </button>
          <button
            type="button"
            onClick={() => {
              setConflict(null);
              setDraft(null);
            }}
          >
            Discard them
          </button>
        </div>
        <p id="labels-error" class="error" role={problem ? 'alert' : undefined} hidden={!problem}>
          {problem}
        </p>
      </section>
    );
  }

  if (!draft) {
    return (
      <section class="labels" aria-labelledby="labels-heading">
        <h3 id="labels-heading">Labels</h3>
        <LabelChips labels={container.labels} />
        <button
          type="button"
          onClick={() => setDraft({ revision: container.revision, original: container.labels, rows: container.labels.map((l) => ({ ...l })) })}
        >
          Edit labels
        </button>
      </section>
    );
  }

  const update = (index: number, change: Partial<Label>) =>
    setDraft({ ...draft, rows: draft.rows.map((row, i) => (i === index ? { ...row, ...change } : row)) });
  const problemRow = rowOfProblem(problem, draft.rows);
  return (
    <form
      class="labels editing"
      aria-labelledby="labels-heading"
      onSubmit={(event) => {
        event.preventDefault();
        const changes = labelChanges(draft.original, draft.rows);
        if (changes.length === 0) return void setDraft(null);
        void save(changes, draft.revision);
      }}
    >
      <h3 id="labels-heading">Edit labels (from revision {draft.revision})</h3>
      {draft.rows.map((row, index) => (
        <div class="label-row" key={index}>
          <label for={`label-key-${index}`}>Key</label>
          <input
            id={`label-key-${index}`}
            value={row.key}
            aria-invalid={problemRow === index ? true : undefined}
            aria-describedby={problemRow === index ? 'labels-error' : undefined}
            onInput={(e) => update(index, { key: e.currentTarget.value })}
          />
          <label for={`label-value-${index}`}>Value</label>
          <input id={`label-value-${index}`} value={row.value} onInput={(e) => update(index, { value: e.currentTarget.value })} />
          <button type="button" aria-label={`Remove label ${row.key}`} onClick={() => setDraft({ ...draft, rows: draft.rows.filter((_, i) => i !== index) })}>
            Remove
          </button>
          {problemRow === index && (
            <p id="labels-error" class="error" role="alert">
              {problem}
            </p>
          )}
        </div>
      ))}
      {problem && problemRow === null && (
        <p id="labels-error" class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={() => setDraft({ ...draft, rows: [...draft.rows, { key: '', value: '' }] })}>
          Add label
        </button>
        <button type="submit" disabled={result.fetching}>
          Save labels
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(null);
            setProblem(null);
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

/** One entry per key that changed; a removed key is sent with an empty value, which deletes it. */
function labelChanges(original: Label[], rows: Label[]): Label[] {
  const wanted = new Map(rows.filter((row) => row.key !== '' || row.value !== '').map((row) => [row.key, row.value]));
  const removed = original.filter(({ key }) => !wanted.has(key)).map(({ key }) => ({ key, value: '' }));
  const changed = [...wanted].filter(([key, value]) => original.find((l) => l.key === key)?.value !== value).map(([key, value]) => ({ key, value }));
  return [...removed, ...changed];
}

/** The row a validation message is about: containerd names the key (`key: …`) or an empty one. */
function rowOfProblem(problem: string | null, rows: Label[]): number | null {
  if (!problem) return null;
  if (/key must not be empty/.test(problem)) return rows.findIndex((row) => row.key === '');
  const named = /key: (.*)$/.exec(problem)?.[1];
  if (named !== undefined) {
    const index = rows.findIndex((row) => row.key.startsWith(named));
    return index >= 0 ? index : null;
  }
  return null;
}
