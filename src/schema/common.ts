import type { FieldMap, ObjectRef } from '@pothos/core';
import type { AnyValue, Extensions, Labels } from '../model/records.ts';
import type { Page } from '../resolvers/paging.ts';
import { compareBytes } from '../resolvers/validate.ts';
import { builder } from './builder.ts';

/** Types shared by containers, namespaces, checkpoints and events (schema.graphql). */

export const AnyRef = builder.objectRef<AnyValue>('Any').implement({
  description: 'A protobuf-style Any: a type URL and bytes.',
  fields: (t) => ({
    typeUrl: t.exposeString('typeUrl'),
    value: t.string({ description: 'The bytes, base64-encoded.', resolve: (any) => any.value.toString('base64') }),
    json: t.field({ type: 'JSON', nullable: true, description: 'The bytes decoded, when they are JSON text.', resolve: (any) => jsonOf(any.value) }),
  }),
});

export interface LabelShape {
  readonly key: string;
  readonly value: string;
}

export const LabelRef = builder.objectRef<LabelShape>('Label').implement({
  fields: (t) => ({ key: t.exposeString('key'), value: t.exposeString('value') }),
});

/** Labels as the API lists them: sorted by the bytes of their keys. */
export function sortedLabels(labels: Labels): LabelShape[] {
  return Object.keys(labels)
    .sort(compareBytes)
    .map((key) => ({ key, value: labels[key] ?? '' }));
}

export const RuntimeRef = builder.objectRef<{ name: string; options: AnyValue | null }>('Runtime').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    options: t.field({ type: AnyRef, nullable: true, resolve: (runtime) => runtime.options }),
  }),
});

export const ExtensionRef = builder.objectRef<{ name: string; value: AnyValue }>('Extension').implement({
  fields: (t) => ({ name: t.exposeString('name'), value: t.field({ type: AnyRef, resolve: (extension) => extension.value }) }),
});

/** Extensions as the API lists them: sorted by the bytes of their names. */
export function sortedExtensions(extensions: Extensions): { name: string; value: AnyValue }[] {
  return Object.keys(extensions)
    .sort(compareBytes)
    .map((name) => ({ name, value: extensions[name]! }));
}

export const PageInfoRef = builder
  .objectRef<{ hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }>('PageInfo')
  .implement({
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
      startCursor: t.exposeString('startCursor', { nullable: true }),
      endCursor: t.exposeString('endCursor', { nullable: true }),
    }),
  });

export const AnyInputRef = builder.inputType('AnyInput', {
  description: 'Exactly one of value (base64 bytes) and json (stored as its JSON text).',
  fields: (t) => ({
    typeUrl: t.string({ required: true }),
    value: t.string(),
    json: t.field({ type: 'JSON' }),
  }),
});

export const LabelInputRef = builder.inputType('LabelInput', {
  fields: (t) => ({ key: t.string({ required: true }), value: t.string({ required: true }) }),
});

export const ExtensionInputRef = builder.inputType('ExtensionInput', {
  fields: (t) => ({ name: t.string({ required: true }), value: t.field({ type: AnyInputRef, required: true }) }),
});

export const RuntimeInputRef = builder.inputType('RuntimeInput', {
  fields: (t) => ({ name: t.string({ required: true }), options: t.field({ type: AnyInputRef }) }),
});

/** One decoder for every read: constructing one per value was a visible share of a page's cost. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function jsonOf(bytes: Buffer): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    return null;
  }
}

/** The `namespace` argument of root fields and mutation inputs (src/resolvers/namespace-argument.ts). */
export const NAMESPACE_ARGUMENT = {
  description: 'Overrides the request namespace (the berth-namespace header) for this field alone.',
} as const;

type Types = typeof builder.$inferSchemaTypes;

/**
 * A Relay connection type and its edge type, `<name>Connection` and `<name>Edge`: edges, nodes
 * and pageInfo from a Page, plus the fields a connection adds of its own (a count, a cursor).
 */
export function connectionType<T, P extends Page<T>>(
  name: string,
  node: ObjectRef<Types, T>,
  fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, P>) => FieldMap = () => ({}),
): ObjectRef<Types, P> {
  const edge = builder.objectRef<Page<T>['edges'][number]>(`${name}Edge`).implement({
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: node, resolve: (e) => e.node as never }) }),
  });
  return builder.objectRef<P>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [edge], resolve: (page) => page.edges }),
      nodes: t.field({ type: [node], resolve: (page) => page.nodes }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (page) => page.pageInfo }),
      ...fields(t),
    }),
  });
}
