// Adaptors expose an object's fields to filters, mirroring containerd's
// (reference §4.8 and §6.4). Only the first path component selects a field,
// as upstream: "id.anything" reads the id, "runtime.name.x" the runtime name.

import type { Adaptor, FieldValue } from './match.ts';

const ABSENT: FieldValue = Object.freeze({ value: '', present: false });

// Present iff non-empty: the rule for every scalar field upstream.
function scalar(value: unknown): FieldValue {
  return typeof value === 'string' && value !== '' ? { value, present: true } : ABSENT;
}

// labels.<k1>.<k2>... looks up the key "k1.k2..." (so labels."a.b" and
// labels.a.b are the same key). With emptyMapAbsent, as in containerd's
// store and generated event adaptors, an object without labels has no
// labels at all, so even `labels!=x`-style lookups see them as absent.
function label(rest: readonly string[], labels: unknown, emptyMapAbsent: boolean): FieldValue {
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

// Containers (core/metadata/adaptors.go). Everything else, snapshotter and
// snapshot key included, is absent, so `snapshotter!=x` matches every row.
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

// The adaptor of containerd's own filter tests (pkg/filters/filter_test.go):
// no empty-map special case, labels may be missing altogether.
export function testAdaptor(o: {
  readonly name?: string;
  readonly other?: string;
  readonly labels?: Readonly<Record<string, string>>;
}): Adaptor {
  return (path) => {
    switch (path[0]) {
      case 'name':
        return scalar(o.name);
      case 'other':
        return scalar(o.other);
      case 'labels':
        return label(path.slice(1), o.labels, false);
      default:
        return ABSENT;
    }
  };
}

// Namespaces (`name`) and checkpoints (`ref`): a name field and labels.
export function labelledAdaptor(
  nameField: 'name' | 'ref',
  o: { readonly name: string; readonly labels: Readonly<Record<string, string>> },
): Adaptor {
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

// Event envelopes (core/events/events.go): namespace, topic, and event.<…>
// delegated to the payload type's own field adaptor. Payloads are plain
// objects; snake_case keys are read first (containerd's names), camelCase as
// a fallback, since Berth's GraphQL layer speaks camelCase.
export function envelopeAdaptor(e: EnvelopeFields): Adaptor {
  return (path) => {
    switch (path[0]) {
      case 'namespace':
        return scalar(e.namespace);
      case 'topic':
        return scalar(e.topic);
      case 'event':
        return path.length > 1 ? payloadField(typeName(e.eventType), e.event, path.slice(1)) : ABSENT;
      default:
        return ABSENT; // timestamp included: containerd does not expose it
    }
  };
}

// "containerd.events.TaskExit", "type.googleapis.com/containerd.events.TaskExit"
// and "TaskExit" all name the same payload type.
function typeName(eventType: string): string {
  return eventType.slice(Math.max(eventType.lastIndexOf('.'), eventType.lastIndexOf('/')) + 1);
}

function get(event: Readonly<Record<string, unknown>>, snake: string, camel: string): unknown {
  return Object.hasOwn(event, snake) ? event[snake] : event[camel];
}

function payloadField(type: string, ev: Readonly<Record<string, unknown>>, path: readonly string[]): FieldValue {
  const [head] = path;
  switch (type) {
    case 'ContainerCreate':
      if (head === 'id' || head === 'image') return scalar(ev[head]);
      if (head === 'runtime') return runtimeField(ev['runtime'], path.slice(1));
      return ABSENT;
    case 'ContainerUpdate':
      if (head === 'id' || head === 'image') return scalar(ev[head]);
      if (head === 'labels') return label(path.slice(1), ev['labels'], true);
      if (head === 'snapshot_key') return scalar(get(ev, 'snapshot_key', 'snapshotKey'));
      return ABSENT;
    case 'ContainerDelete':
      return head === 'id' ? scalar(ev['id']) : ABSENT;
    case 'TaskExit':
      if (head === 'id') return scalar(ev['id']);
      if (head === 'container_id') return scalar(get(ev, 'container_id', 'containerId'));
      return ABSENT;
    case 'NamespaceCreate':
    case 'NamespaceUpdate':
      if (head === 'name') return scalar(ev['name']);
      if (head === 'labels') return label(path.slice(1), ev['labels'], true);
      return ABSENT;
    case 'NamespaceDelete':
      return head === 'name' ? scalar(ev['name']) : ABSENT;
    case 'CheckpointCreate':
    case 'CheckpointDelete':
      // Berth's own events.
      if (head === 'ref') return scalar(ev['ref']);
      if (head === 'container_id') return scalar(get(ev, 'container_id', 'containerId'));
      return ABSENT;
    default:
      return ABSENT; // containerd cannot decode an unknown type: no fields
  }
}

// ContainerCreate.Runtime: only `name`; `options` would need an adaptor on
// the options' own type, which no runtime options type has.
function runtimeField(runtime: unknown, path: readonly string[]): FieldValue {
  if (typeof runtime === 'string') return path[0] === 'name' ? scalar(runtime) : ABSENT;
  if (runtime === null || typeof runtime !== 'object') return ABSENT;
  return path[0] === 'name' ? scalar((runtime as Record<string, unknown>)['name']) : ABSENT;
}
