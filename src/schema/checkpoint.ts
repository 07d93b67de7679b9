import type { CheckpointRecord } from '../model/records.ts';
import * as checkpoints from '../resolvers/checkpoints.ts';
import { checkpointGlobalId, namespacedKey } from '../resolvers/global-ids.ts';
import { inNamespace } from '../resolvers/namespace-argument.ts';
import { checkpointNode } from '../resolvers/nodes.ts';
import { builder } from './builder.ts';
import { AnyRef, connectionType, ExtensionRef, LabelRef, NAMESPACE_ARGUMENT, RuntimeRef, sortedExtensions, sortedLabels } from './common.ts';
import { ContainerPayloadRef } from './container.ts';
import { selectedFields } from './selection.ts';

export const CheckpointRef = builder.objectRef<CheckpointRecord>('Checkpoint');

builder.node(CheckpointRef, {
  description: "An immutable copy of a container's record, taken by checkpointContainer.",
  id: { resolve: (c) => namespacedKey(c.namespace, c.ref) },
  loadOne: (key, ctx) => checkpointNode(ctx, key),
  fields: (t) => ({
    ref: t.exposeString('ref'),
    namespace: t.exposeString('namespace'),
    containerId: t.exposeString('containerId', { description: 'The container it was taken from; it may since have been deleted.' }),
    image: t.exposeString('image'),
    runtime: t.field({ type: RuntimeRef, resolve: (c) => c.runtime }),
    snapshotter: t.exposeString('snapshotter'),
    spec: t.field({ type: AnyRef, nullable: true, resolve: (c) => c.spec }),
    labels: t.field({ type: [LabelRef], description: 'Sorted by key, byte-wise.', resolve: (c) => sortedLabels(c.labels) }),
    extensions: t.field({ type: [ExtensionRef], description: 'Sorted by name, byte-wise.', resolve: (c) => sortedExtensions(c.extensions) }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
  }),
});

const CheckpointConnectionRef = connectionType<CheckpointRecord, checkpoints.CheckpointList>('Checkpoint', CheckpointRef, (t) => ({
  totalCount: t.int({ description: 'Checkpoints matching the filters, in the same snapshot as the page.', resolve: (page) => page.totalCount ?? 0 }),
}));

const CheckpointPayloadRef = builder.objectRef<{ checkpoint: CheckpointRecord }>('CheckpointPayload').implement({
  fields: (t) => ({ checkpoint: t.field({ type: CheckpointRef, resolve: (payload) => payload.checkpoint }) }),
});
const DeleteCheckpointPayloadRef = builder.objectRef<{ namespace: string; ref: string }>('DeleteCheckpointPayload').implement({
  fields: (t) => ({
    ref: t.exposeString('ref'),
    deletedId: t.id({ description: 'The global id the checkpoint had.', resolve: (p) => checkpointGlobalId(p.namespace, p.ref) }),
  }),
});

const CheckpointContainerInputRef = builder.inputType('CheckpointContainerInput', {
  fields: (t) => ({
    namespace: t.string(NAMESPACE_ARGUMENT),
    containerId: t.string({ required: true, description: 'The container to checkpoint.' }),
    ref: t.string({ required: true, description: 'The name of the new checkpoint, unique in the namespace.' }),
  }),
});
const RestoreContainerInputRef = builder.inputType('RestoreContainerInput', {
  fields: (t) => ({
    namespace: t.string(NAMESPACE_ARGUMENT),
    containerId: t.string({ required: true, description: 'The id of the new container.' }),
    ref: t.string({ required: true, description: 'The checkpoint to restore from.' }),
  }),
});
const DeleteCheckpointInputRef = builder.inputType('DeleteCheckpointInput', {
  fields: (t) => ({ namespace: t.string(NAMESPACE_ARGUMENT), ref: t.string({ required: true }) }),
});

builder.queryFields((t) => ({
  checkpoint: t.field({
    type: CheckpointRef,
    nullable: true,
    description: 'null when no checkpoint has this ref in the namespace.',
    args: { ref: t.arg.string({ required: true }), namespace: t.arg.string(NAMESPACE_ARGUMENT) },
    resolve: (_root, args, ctx) => checkpoints.getCheckpoint(inNamespace(ctx, args.namespace), args.ref),
  }),
  checkpoints: t.field({
    type: CheckpointConnectionRef,
    description: 'Checkpoints matching ANY of the filters (fields: ref, labels.<key>), in byte-wise ref order.',
    args: { namespace: t.arg.string(NAMESPACE_ARGUMENT), filters: t.arg.stringList(), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, { namespace, filters, ...page }, ctx, info) =>
      checkpoints.listCheckpoints(inNamespace(ctx, namespace), filters, page, { totalCount: selectedFields(info).has('totalCount') }),
  }),
}));

builder.mutationFields((t) => ({
  checkpointContainer: t.field({
    type: CheckpointPayloadRef,
    description: "Stores the container's record as an immutable checkpoint; the container is unchanged.",
    args: { input: t.arg({ type: CheckpointContainerInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      checkpoint: await checkpoints.checkpointContainer(inNamespace(ctx, input.namespace), input.containerId, input.ref),
    }),
  }),
  restoreContainer: t.field({
    type: ContainerPayloadRef,
    description: 'Creates a new container from a checkpoint, with the snapshot key set to its id when it has a snapshotter.',
    args: { input: t.arg({ type: RestoreContainerInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      container: await checkpoints.restoreContainer(inNamespace(ctx, input.namespace), input.containerId, input.ref),
    }),
  }),
  deleteCheckpoint: t.field({
    type: DeleteCheckpointPayloadRef,
    args: { input: t.arg({ type: DeleteCheckpointInputRef, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const scoped = inNamespace(ctx, input.namespace);
      return { namespace: scoped.scope.namespace, ref: await checkpoints.deleteCheckpoint(scoped, input.ref) };
    },
  }),
}));
