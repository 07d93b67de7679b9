import type { ContainerRecord } from '../model/records.ts';
import * as containers from '../resolvers/containers.ts';
import { containerGlobalId, namespacedKey } from '../resolvers/global-ids.ts';
import { inNamespace } from '../resolvers/namespace-argument.ts';
import { containerNode } from '../resolvers/nodes.ts';
import { builder } from './builder.ts';
import {
  AnyInputRef,
  AnyRef,
  ExtensionInputRef,
  ExtensionRef,
  connectionType,
  LabelInputRef,
  LabelRef,
  NAMESPACE_ARGUMENT,
  RuntimeInputRef,
  RuntimeRef,
  sortedExtensions,
  sortedLabels,
} from './common.ts';
import { selectedAt, selectedFields } from './selection.ts';

export const ContainerRef = builder.objectRef<ContainerRecord>('Container');

builder.node(ContainerRef, {
  id: { resolve: (c) => namespacedKey(c.namespace, c.id) },
  loadOne: (key, ctx) => containerNode(ctx, key),
  fields: (t) => ({
    containerId: t.exposeString('id', { description: "containerd's id, unique in its namespace." }),
    namespace: t.exposeString('namespace'),
    image: t.exposeString('image'),
    runtime: t.field({ type: RuntimeRef, resolve: (c) => c.runtime }),
    spec: t.field({ type: AnyRef, nullable: true, resolve: (c) => c.spec }),
    snapshotter: t.exposeString('snapshotter'),
    snapshotKey: t.exposeString('snapshotKey'),
    sandbox: t.exposeString('sandbox'),
    labels: t.field({ type: [LabelRef], description: 'Sorted by key, byte-wise.', resolve: (c) => sortedLabels(c.labels) }),
    label: t.string({ nullable: true, args: { key: t.arg.string({ required: true }) }, resolve: (c, { key }) => c.labels[key] ?? null }),
    extensions: t.field({ type: [ExtensionRef], description: 'Sorted by name, byte-wise.', resolve: (c) => sortedExtensions(c.extensions) }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (c) => c.updatedAt }),
    revision: t.exposeInt('revision', { description: 'Starts at 1 and grows by 1 with every update.' }),
  }),
});

const ContainerConnectionRef = connectionType<ContainerRecord, containers.ContainerList>('Container', ContainerRef, (t) => ({
  totalCount: t.int({ description: 'Containers matching the filters, in the same snapshot as the page.', resolve: (page) => page.totalCount ?? 0 }),
  watchCursor: t.string({
    description: 'Pass to events(after:) to see every change after this snapshot, and none before it.',
    resolve: (page) => page.watchCursor ?? '',
  }),
}));

const ContainerInputRef = builder.inputType('ContainerInput', {
  fields: (t) => ({
    containerId: t.string({ required: true, description: "containerd's id." }),
    image: t.string(),
    runtime: t.field({ type: RuntimeInputRef }),
    spec: t.field({ type: AnyInputRef }),
    snapshotter: t.string(),
    snapshotKey: t.string(),
    sandbox: t.string(),
    labels: t.field({ type: [LabelInputRef] }),
    extensions: t.field({ type: [ExtensionInputRef] }),
  }),
});

export const ContainerPayloadRef = builder.objectRef<{ container: ContainerRecord }>('ContainerPayload').implement({
  fields: (t) => ({ container: t.field({ type: ContainerRef, resolve: (payload) => payload.container }) }),
});

const DeleteContainerPayloadRef = builder.objectRef<{ namespace: string; containerId: string }>('DeleteContainerPayload').implement({
  fields: (t) => ({
    containerId: t.exposeString('containerId'),
    deletedId: t.id({ description: 'The global id the container had.', resolve: (p) => containerGlobalId(p.namespace, p.containerId) }),
  }),
});

builder.queryFields((t) => ({
  container: t.field({
    type: ContainerRef,
    nullable: true,
    description: 'null when no container has this id in the namespace.',
    args: { containerId: t.arg.string({ required: true }), namespace: t.arg.string(NAMESPACE_ARGUMENT) },
    resolve: (_root, args, ctx) => containers.getContainer(inNamespace(ctx, args.namespace), args.containerId),
  }),
  containers: t.field({
    type: ContainerConnectionRef,
    description: 'Containers matching ANY of the filters (containerd syntax), in byte-wise id order.',
    args: {
      namespace: t.arg.string(NAMESPACE_ARGUMENT),
      filters: t.arg.stringList(),
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
    },
    resolve: (_root, { namespace, filters, ...page }, ctx, info) => {
      const selected = selectedFields(info);
      const read = new Set([...selectedAt(info, ['nodes']), ...selectedAt(info, ['edges', 'node'])]);
      return containers.listContainers(inNamespace(ctx, namespace), filters, page, {
        totalCount: selected.has('totalCount'),
        watchCursor: selected.has('watchCursor'),
        spec: read.has('spec'),
        extensions: read.has('extensions'),
      });
    },
  }),
}));

const CreateContainerInputRef = builder.inputType('CreateContainerInput', {
  fields: (t) => ({ namespace: t.string(NAMESPACE_ARGUMENT), container: t.field({ type: ContainerInputRef, required: true }) }),
});
const UpdateContainerInputRef = builder.inputType('UpdateContainerInput', {
  fields: (t) => ({
    namespace: t.string(NAMESPACE_ARGUMENT),
    container: t.field({ type: ContainerInputRef, required: true }),
    fieldPaths: t.stringList({ description: 'Absent or [] means a full replace.' }),
    expectedRevision: t.int({ description: 'When it differs from the stored revision: ABORTED, and nothing is written.' }),
  }),
});
const DeleteContainerInputRef = builder.inputType('DeleteContainerInput', {
  fields: (t) => ({ namespace: t.string(NAMESPACE_ARGUMENT), containerId: t.string({ required: true }) }),
});
const SetContainerLabelsInputRef = builder.inputType('SetContainerLabelsInput', {
  fields: (t) => ({
    namespace: t.string(NAMESPACE_ARGUMENT),
    containerId: t.string({ required: true }),
    labels: t.field({ type: [LabelInputRef], required: true }),
    expectedRevision: t.int({ description: 'When it differs from the stored revision: ABORTED, and nothing is written.' }),
  }),
});

builder.mutationFields((t) => ({
  createContainer: t.field({
    type: ContainerPayloadRef,
    args: { input: t.arg({ type: CreateContainerInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ container: await containers.createContainer(inNamespace(ctx, input.namespace), input.container) }),
  }),
  updateContainer: t.field({
    type: ContainerPayloadRef,
    args: { input: t.arg({ type: UpdateContainerInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ container: await containers.updateContainer(inNamespace(ctx, input.namespace), input) }),
  }),
  deleteContainer: t.field({
    type: DeleteContainerPayloadRef,
    args: { input: t.arg({ type: DeleteContainerInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const scoped = inNamespace(ctx, input.namespace);
      return { namespace: scoped.scope.namespace, containerId: await containers.deleteContainer(scoped, input.containerId) };
    },
  }),
  setContainerLabels: t.field({
    type: ContainerPayloadRef,
    description: 'One labels.<key> path per entry; an empty value deletes the label.',
    args: { input: t.arg({ type: SetContainerLabelsInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      container: await containers.setContainerLabels(inNamespace(ctx, input.namespace), input.containerId, input.labels, input.expectedRevision),
    }),
  }),
}));
