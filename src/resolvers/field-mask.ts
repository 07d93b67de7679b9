import type { ContainerFields, ContainerRecord, Labels } from '../model/records.ts';
import { invalidArgument } from '../model/errors.ts';
import type { ContainerDraft } from './inputs.ts';
import { goQuote } from './validate.ts';

/** The paths a full replace (no field paths) stands for (docs/behaviour.md §3). */
const FULL_REPLACE = ['labels', 'spec', 'extensions', 'image', 'snapshotkey'] as const;

/**
 * Merges an update into the stored container, path by path (docs/behaviour.md §3, docs/behaviour.md §3). The first
 * path that cannot be updated fails the whole update. Validation of the result is the caller's.
 */
export function applyContainerUpdate(stored: ContainerRecord, input: ContainerDraft, paths: readonly string[]): ContainerFields {
  if (paths.length === 0) assertImmutablesUnchanged(stored, input);
  let merged: ContainerFields = stored;
  for (const path of paths.length === 0 ? FULL_REPLACE : paths) merged = applyPath(merged, input, path, stored.id);
  return merged;
}

function assertImmutablesUnchanged(stored: ContainerRecord, input: ContainerDraft): void {
  if ((input.snapshotter ?? '') !== stored.snapshotter) throw invalidArgument('container.Snapshotter field is immutable');
  if ((input.runtime?.name ?? '') !== stored.runtime.name) throw invalidArgument('container.Runtime.Name field is immutable');
}

function applyPath(c: ContainerFields, input: ContainerDraft, path: string, id: string): ContainerFields {
  switch (path) {
    case 'labels':
      return { ...c, labels: input.labels ?? {} };
    case 'spec':
      return { ...c, spec: input.spec ?? null };
    case 'extensions':
      // Deviation (docs/behaviour.md §3): keys missing from the input are removed, as the word "replace" says.
      return { ...c, extensions: input.extensions ?? {} };
    case 'image':
      return { ...c, image: input.image ?? '' };
    case 'snapshotkey':
    case 'snapshotKey':
      return { ...c, snapshotKey: input.snapshotKey ?? '' };
  }
  if (path.startsWith('labels.')) {
    const key = path.slice('labels.'.length);
    return { ...c, labels: setOrDelete(c.labels, key, input.labels?.[key] ?? '') };
  }
  if (path.startsWith('extensions.')) {
    const name = path.slice('extensions.'.length);
    const value = input.extensions?.[name];
    const { [name]: _removed, ...rest } = c.extensions;
    // Deviation (docs/behaviour.md §3): an extension absent from the input is deleted, not blanked.
    return { ...c, extensions: value ? { ...rest, [name]: value } : rest };
  }
  throw invalidArgument(`cannot update ${goQuote(path)} field on ${goQuote(id)}`);
}

/** Sets one label; an empty value deletes it (docs/behaviour.md §3). */
export function setOrDelete(labels: Labels, key: string, value: string): Labels {
  const { [key]: _previous, ...rest } = labels;
  return value === '' ? rest : { ...rest, [key]: value };
}
