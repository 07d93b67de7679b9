import { useMutation } from '@urql/preact';
import { useState } from 'preact/hooks';
import { CREATE_CONTAINER } from '../documents.ts';
import { errorCode, errorMessage } from '../errors.ts';
import { navigate } from '../location.ts';
import { ErrorText } from './ErrorText.tsx';

type FieldName = 'containerId' | 'image' | 'runtime' | 'snapshotter' | 'labels' | 'spec';

const OCI_SPEC = 'types.containerd.io/opencontainers/runtime-spec/1/Spec';

/**
 * Which field a server message is about. containerd's validation names the field in its own
 * words (container.ID, containers.Labels, container.Runtime.Name, container.Spec, ...).
 */
function fieldOf(code: string | null, message: string): FieldName | null {
  if (code === 'ALREADY_EXISTS' || /container\.ID/.test(message)) return 'containerId';
  if (/Labels|label/.test(message)) return 'labels';
  if (/Runtime/.test(message)) return 'runtime';
  if (/Spec|spec/.test(message)) return 'spec';
  if (/Snapshot/.test(message)) return 'snapshotter';
  if (/image/i.test(message)) return 'image';
  return null;
}

/** A new container: id, image, runtime, snapshotter, labels and an optional spec; errors by field. */
export function CreateContainerForm({ namespace }: { namespace: string }) {
  const [open, setOpen] = useState(false);
  const [fields, setFields] = useState({ containerId: '', image: '', runtime: 'io.containerd.runc.v2', snapshotter: '', labels: '', spec: '{}' });
  const [errors, setErrors] = useState<Partial<Record<FieldName | 'form', string>>>({});
  const [result, create] = useMutation(CREATE_CONTAINER);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        New container…
      </button>
    );
  }
  const input = (name: FieldName, label: string, props: Record<string, unknown> = {}) => (
    <div class="field">
      <label for={`create-${name}`}>{label}</label>
      {name === 'labels' || name === 'spec' ? (
        <textarea
          id={`create-${name}`}
          rows={3}
          value={fields[name]}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={`create-${name}-error`}
          onInput={(e) => setFields({ ...fields, [name]: e.currentTarget.value })}
          {...props}
        />
      ) : (
        <input
          id={`create-${name}`}
          value={fields[name]}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={`create-${name}-error`}
          onInput={(e) => setFields({ ...fields, [name]: e.currentTarget.value })}
          {...props}
        />
      )}
      <ErrorText id={`create-${name}-error`} message={errors[name]} />
    </div>
  );
  return (
    <form
      class="create"
      aria-labelledby="create-heading"
      onSubmit={async (event) => {
        event.preventDefault();
        const labels = parseLabels(fields.labels);
        let spec: unknown;
        try {
          spec = JSON.parse(fields.spec || 'null');
        } catch (error) {
          return setErrors({ spec: `not JSON: ${(error as Error).message}` });
        }
        if (typeof labels === 'string') return setErrors({ labels });
        setErrors({});
        const done = await create({
          input: {
            namespace,
            container: {
              containerId: fields.containerId,
              image: fields.image,
              runtime: { name: fields.runtime },
              snapshotter: fields.snapshotter,
              labels,
              ...(spec === null ? {} : { spec: { typeUrl: OCI_SPEC, json: spec } }),
            },
          },
        });
        if (done.error) {
          const message = errorMessage(done.error);
          return setErrors({ [fieldOf(errorCode(done.error), message) ?? 'form']: message });
        }
        setOpen(false);
        setFields({ ...fields, containerId: '', image: '', labels: '' });
        navigate({ container: fields.containerId });
      }}
    >
      <h3 id="create-heading">New container in {namespace}</h3>
      {input('containerId', 'ID', { required: true, spellcheck: false })}
      {input('image', 'Image', { spellcheck: false })}
      {input('runtime', 'Runtime', { spellcheck: false })}
      {input('snapshotter', 'Snapshotter', { spellcheck: false })}
      {input('labels', 'Labels (key=value, one a line)', { spellcheck: false })}
      {input('spec', 'Spec (JSON, empty for none)', { spellcheck: false })}
      <ErrorText id="create-form-error" message={errors.form} />
      <div class="actions">
        <button type="submit" disabled={result.fetching}>
          Create container
        </button>
        <button
          type="button"
          onClick={() => {
            setOpen(false);
            setErrors({});
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

function parseLabels(text: string): { key: string; value: string }[] | string {
  const labels = [];
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const at = line.indexOf('=');
    if (at < 0) return `"${line}" is not key=value`;
    labels.push({ key: line.slice(0, at), value: line.slice(at + 1) });
  }
  return labels;
}
