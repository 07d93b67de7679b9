import type { NamespaceRecord } from '../model/records.ts';
import * as namespaces from '../resolvers/namespaces.ts';
import { namespaceGlobalId } from '../resolvers/global-ids.ts';
import { namespaceNode } from '../resolvers/nodes.ts';
import { builder } from './builder.ts';
import { LabelInputRef, LabelRef, sortedLabels } from './common.ts';

export const NamespaceRef = builder.objectRef<NamespaceRecord>('Namespace');

builder.node(NamespaceRef, {
  id: { resolve: (ns) => ns.name },
  loadOne: (name, ctx) => namespaceNode(ctx, name),
  fields: (t) => ({
    name: t.exposeString('name'),
    labels: t.field({ type: [LabelRef], description: 'Sorted by key, byte-wise.', resolve: (ns) => sortedLabels(ns.labels) }),
    label: t.string({ nullable: true, args: { key: t.arg.string({ required: true }) }, resolve: (ns, { key }) => ns.labels[key] ?? null }),
  }),
});

const NamespacePayloadRef = builder.objectRef<{ namespace: NamespaceRecord }>('NamespacePayload').implement({
  fields: (t) => ({ namespace: t.field({ type: NamespaceRef, resolve: (payload) => payload.namespace }) }),
});
const DeleteNamespacePayloadRef = builder.objectRef<{ name: string }>('DeleteNamespacePayload').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    deletedId: t.id({ description: 'The global id the namespace had.', resolve: (p) => namespaceGlobalId(p.name) }),
  }),
});

const CreateNamespaceInputRef = builder.inputType('CreateNamespaceInput', {
  fields: (t) => ({ name: t.string({ required: true }), labels: t.field({ type: [LabelInputRef] }) }),
});
const UpdateNamespaceInputRef = builder.inputType('UpdateNamespaceInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    labels: t.field({ type: [LabelInputRef] }),
    fieldPaths: t.stringList({ description: 'labels.<key> sets one label; labels, absent or [] replace all.' }),
  }),
});
const DeleteNamespaceInputRef = builder.inputType('DeleteNamespaceInput', { fields: (t) => ({ name: t.string({ required: true }) }) });

builder.queryFields((t) => ({
  namespace: t.field({
    type: NamespaceRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, { name }, ctx) => namespaces.getNamespace(ctx, name),
  }),
  namespaces: t.field({
    type: [NamespaceRef],
    description: 'Namespaces matching ANY of the filters (fields: name, labels.<key>), in byte-wise order.',
    args: { filters: t.arg.stringList() },
    resolve: (_root, { filters }, ctx) => namespaces.listNamespaces(ctx, filters),
  }),
}));

builder.mutationFields((t) => ({
  createNamespace: t.field({
    type: NamespacePayloadRef,
    args: { input: t.arg({ type: CreateNamespaceInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ namespace: await namespaces.createNamespace(ctx, input.name, input.labels) }),
  }),
  updateNamespace: t.field({
    type: NamespacePayloadRef,
    args: { input: t.arg({ type: UpdateNamespaceInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ namespace: await namespaces.updateNamespace(ctx, input) }),
  }),
  deleteNamespace: t.field({
    type: DeleteNamespacePayloadRef,
    args: { input: t.arg({ type: DeleteNamespaceInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ name: await namespaces.deleteNamespace(ctx, input.name) }),
  }),
}));
