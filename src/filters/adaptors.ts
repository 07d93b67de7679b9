/**
 * Adaptors expose an object's fields to filters, mirroring containerd's
 * (docs/behaviour.md §4 and §6.4). Only the first path component selects a field,
 * as upstream: "id.anything" reads the id, "runtime.name.x" the runtime name.
 */

import { EVENT_TYPES, type MessageField } from '../model/events.ts';
import type { Adaptor, FieldValue } from './match.ts';

export const ABSENT: FieldValue = Object.freeze({ value: '', present: false });

/** Present iff non-empty: the rule for every scalar field upstream. */
export function scalar(value: unknown): FieldValue {
  return typeof value === 'string' && value !== '' ? { value, present: true } : ABSENT;
}

/**
 * labels.<k1>.<k2>... looks up the key "k1.k2..." (so labels."a.b" and
 * labels.a.b are the same key). With emptyMapAbsent, as in containerd's
 * store and generated event adaptors, an object without labels has no
 * labels at all, so even `labels!=x`-style lookups see them as absent.
 */
export function label(rest: readonly string[], labels: unknown, emptyMapAbsent: boolean): FieldValue {
  if (labels === null || typeof labels !== 'object') return ABSENT;
  const map = labels as Record<string, unknown>;
  if (emptyMapAbsent && Object.keys(map).length === 0) return ABSENT;
  const key = rest.join('.');
  if (!Object.hasOwn(map, key)) return ABSENT;
  const value = map[key];
  return { value: typeof value === 'string' ? value : String(value ?? ''), present: true };
}

export interface ContainerFields {
  readonly id: string;
  readonly image: string;
  readonly runtimeName: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Containers (core/metadata/adaptors.go). Everything else, snapshotter and
 * snapshot key included, is absent, so `snapshotter!=x` matches every row.
 */
export function containerAdaptor(c: ContainerFields): Adaptor {
  return (path) => {
    switch (path[0]) {
      case 'id':
        return scalar(c.id);
      case 'image':
        return scalar(c.image);
      case 'runtime':
        return path[1] === 'name' ? scalar(c.runtimeName) : ABSENT;
      case 'labels':
        return label(path.slice(1), c.labels, true);
      default:
        return ABSENT;
    }
  };
}

/** Namespaces (`name`) and checkpoints (`ref`): a name field and labels. */
export function labelledAdaptor(nameField: 'name' | 'ref', o: { readonly name: string; readonly labels: Readonly<Record<string, string>> }): Adaptor {
  return (path) => {
    if (path[0] === nameField) return scalar(o.name);
    if (path[0] === 'labels') return label(path.slice(1), o.labels, true);
    return ABSENT;
  };
}

export interface EnvelopeFields {
  readonly namespace: string;
  readonly topic: string;
  readonly eventType: string; // "containerd.events.ContainerCreate" or "ContainerCreate"
  readonly event: Readonly<Record<string, unknown>>;
}

/**
 * The message fields of each payload type, by type name, from Berth's one
 * definition of its events (src/model/events.ts).
 */
export type PayloadFields = Readonly<Record<string, readonly MessageField[]>>;

const BERTH_PAYLOAD_FIELDS: PayloadFields = Object.fromEntries(Object.values(EVENT_TYPES).map((type) => [type.payloadType, type.fields]));

/**
 * Event envelopes (containerd's core/events): namespace, topic, and event.<…>
 * read through the payload type's fields. A type with no known fields (one
 * containerd could not decode) has none.
 */
export function envelopeAdaptor(e: EnvelopeFields, types: PayloadFields = BERTH_PAYLOAD_FIELDS): Adaptor {
  return (path) => {
    switch (path[0]) {
      case 'namespace':
        return scalar(e.namespace);
      case 'topic':
        return scalar(e.topic);
      case 'event':
        return path.length > 1 ? payloadField(types[typeName(e.eventType)], e.event, path.slice(1)) : ABSENT;
      default:
        return ABSENT; // timestamp included: containerd does not expose it
    }
  };
}

/**
 * "containerd.events.ContainerCreate", "type.googleapis.com/containerd.events.ContainerCreate"
 * and "ContainerCreate" all name the same payload type.
 */
function typeName(eventType: string): string {
  return eventType.slice(Math.max(eventType.lastIndexOf('.'), eventType.lastIndexOf('/')) + 1);
}

function payloadField(fields: readonly MessageField[] | undefined, event: Readonly<Record<string, unknown>>, path: readonly string[]): FieldValue {
  const field = fields?.find((candidate) => candidate.proto === path[0]);
  if (!field) return ABSENT;
  const value = event[field.proto];
  switch (field.kind) {
    case 'string':
      return scalar(value);
    case 'labels':
      return label(path.slice(1), value, true);
    case 'runtime':
      return runtimeField(value, path.slice(1));
  }
}

/**
 * ContainerCreate.Runtime: only `name`; `options` would need an adaptor on
 * the options' own type, which no runtime options type has.
 */
function runtimeField(runtime: unknown, path: readonly string[]): FieldValue {
  if (runtime === null || typeof runtime !== 'object') return ABSENT;
  return path[0] === 'name' ? scalar((runtime as Record<string, unknown>)['name']) : ABSENT;
}
