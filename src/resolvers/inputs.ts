import type { AnyValue, Extensions, Labels } from '../model/records.ts';
import { invalidArgument } from '../model/errors.ts';

/** The GraphQL input shapes (docs/api.md), as the schema hands them over. */
export interface AnyInput {
  readonly typeUrl: string;
  readonly value?: string | null;
  readonly json?: unknown;
}
export interface LabelInput {
  readonly key: string;
  readonly value: string;
}
export interface ExtensionInput {
  readonly name: string;
  readonly value: AnyInput;
}
export interface ContainerInput {
  /** containerd's id (the API's `containerId`). */
  readonly containerId: string;
  readonly image?: string | null;
  readonly runtime?: { readonly name: string; readonly options?: AnyInput | null } | null;
  readonly spec?: AnyInput | null;
  readonly snapshotter?: string | null;
  readonly snapshotKey?: string | null;
  readonly sandbox?: string | null;
  readonly labels?: readonly LabelInput[] | null;
  readonly extensions?: readonly ExtensionInput[] | null;
}

/** A decoded ContainerInput: null/undefined fields stay undefined, so field masks can tell "absent". */
export interface ContainerDraft {
  readonly id: string;
  readonly image?: string;
  readonly runtime?: { readonly name: string; readonly options: AnyValue | null };
  readonly spec?: AnyValue;
  readonly snapshotter?: string;
  readonly snapshotKey?: string;
  readonly sandbox?: string;
  readonly labels?: Labels;
  readonly extensions?: Extensions;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeAny(input: AnyInput, where: string): AnyValue {
  const hasValue = input.value !== undefined && input.value !== null;
  const hasJson = input.json !== undefined && input.json !== null;
  if (hasValue === hasJson) throw invalidArgument(`${where}: give exactly one of value (base64) and json`);
  if (hasValue) {
    const text = input.value as string;
    if (!BASE64.test(text)) throw invalidArgument(`${where}: value is not valid base64`);
    return { typeUrl: input.typeUrl, value: Buffer.from(text, 'base64') };
  }
  return { typeUrl: input.typeUrl, value: Buffer.from(JSON.stringify(input.json)) };
}

/** A label list as a map. A key given twice is refused rather than silently resolved. */
export function decodeLabels(labels: readonly LabelInput[], where = 'labels'): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { key, value } of labels) {
    if (Object.hasOwn(map, key)) throw invalidArgument(`${where}: duplicate label key ${JSON.stringify(key)}`);
    map[key] = value;
  }
  return map;
}

export function decodeExtensions(extensions: readonly ExtensionInput[]): Record<string, AnyValue> {
  const map: Record<string, AnyValue> = {};
  for (const { name, value } of extensions) {
    if (Object.hasOwn(map, name)) throw invalidArgument(`extensions: duplicate extension name ${JSON.stringify(name)}`);
    map[name] = decodeAny(value, `extension ${JSON.stringify(name)}`);
  }
  return map;
}

export function decodeContainer(input: ContainerInput): ContainerDraft {
  const draft: { -readonly [K in keyof ContainerDraft]: ContainerDraft[K] } = { id: input.containerId };
  if (input.image != null) draft.image = input.image;
  if (input.runtime != null) {
    draft.runtime = { name: input.runtime.name, options: input.runtime.options ? decodeAny(input.runtime.options, 'runtime.options') : null };
  }
  if (input.spec != null) draft.spec = decodeAny(input.spec, 'spec');
  if (input.snapshotter != null) draft.snapshotter = input.snapshotter;
  if (input.snapshotKey != null) draft.snapshotKey = input.snapshotKey;
  if (input.sandbox != null) draft.sandbox = input.sandbox;
  if (input.labels != null) draft.labels = decodeLabels(input.labels);
  if (input.extensions != null) draft.extensions = decodeExtensions(input.extensions);
  return draft;
}

/** containerd never stores a label with an empty value (docs/behaviour.md §3). */
export function withoutEmptyValues(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([, value]) => value !== ''));
}
