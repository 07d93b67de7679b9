import { NAMESPACE_FIELDS, filterCondition } from '../db/filter-sql.ts';
import * as store from '../db/namespaces.ts';
import type { Labels, NamespaceRecord } from '../model/records.ts';
import { readInScope } from '../db/transaction.ts';
import { requireRole } from './authorize.ts';
import type { RequestContext } from './context.ts';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../model/errors.ts';
import { namespaceCreated, namespaceDeleted, namespaceUpdated } from '../model/events.ts';
import { setOrDelete } from './field-mask.ts';
import { parseFilters } from './filters.ts';
import { assertCounts } from './size-limits.ts';
import { decodeLabels, type LabelInput, withoutEmptyValues } from './inputs.ts';
import { mutation } from './mutation.ts';
import { assertIdentifier, goQuote, labelsProblem } from './validate.ts';

/** The namespaces service (docs/behaviour.md §5, docs/behaviour.md §5). Each mutation runs scoped to its target. */

export function getNamespace(ctx: RequestContext, name: string): Promise<NamespaceRecord | null> {
  return readInScope(ctx.db, ctx.scope, (tx) => store.namespaceByName(tx, name)).then(([found]) => found ?? null);
}

export function listNamespaces(ctx: RequestContext, filters: readonly string[] | null | undefined): Promise<NamespaceRecord[]> {
  const parsed = parseFilters(filters, ctx.limits.maxFilterSelectors);
  return readInScope(ctx.db, ctx.scope, (tx) => store.listNamespaces(tx, filterCondition(tx, parsed, NAMESPACE_FIELDS)));
}

export function createNamespace(ctx: RequestContext, name: string, labelInput: readonly LabelInput[] | null | undefined): Promise<NamespaceRecord> {
  requireRole(ctx, 'admin', 'creating a namespace');
  assertIdentifier(name);
  const labels = validLabels(labelInput ?? []);
  assertCounts(ctx, `namespace ${goQuote(name)}`, { labels });
  return mutation(ctx, name, async (tx, emit) => {
    if (!(await store.insertNamespace(tx, name, labels))) throw alreadyExists(`namespace ${goQuote(name)}: already exists`);
    emit(namespaceCreated(name, labels));
    return { name, labels };
  });
}

export interface UpdateNamespaceArgs {
  readonly name: string;
  readonly labels?: readonly LabelInput[] | null;
  readonly fieldPaths?: readonly string[] | null;
}

export function updateNamespace(ctx: RequestContext, args: UpdateNamespaceArgs): Promise<NamespaceRecord> {
  assertIdentifier(args.name);
  const input = decodeLabels(args.labels ?? []);
  const paths = args.fieldPaths ?? [];
  return mutation(ctx, args.name, async (tx, emit) => {
    const stored = await store.getNamespace(tx, args.name, true);
    if (!stored) throw notFound(`namespace ${goQuote(args.name)}: not found`);
    const merged = paths.length === 0 ? input : paths.reduce((labels, path) => applyLabelPath(labels, input, path), stored.labels);
    const labels = validLabels(Object.entries(merged).map(([key, value]) => ({ key, value })));
    assertCounts(ctx, `namespace ${goQuote(args.name)}`, { labels });
    const updated = await store.setNamespaceLabels(tx, args.name, labels);
    emit(namespaceUpdated(updated.name, updated.labels));
    return updated;
  });
}

export function deleteNamespace(ctx: RequestContext, name: string): Promise<string> {
  requireRole(ctx, 'admin', 'deleting a namespace');
  assertIdentifier(name);
  return mutation(ctx, name, async (tx, emit) => {
    if (!(await store.getNamespace(tx, name, true))) throw notFound(`namespace ${goQuote(name)}: not found`);
    const blocking = await store.namespaceContents(tx, name);
    if (blocking.length > 0) throw failedPrecondition(`namespace ${goQuote(name)} must be empty, but it still has ${blocking.join(', ')}`);
    await store.deleteNamespace(tx, name);
    emit(namespaceDeleted(name));
    return name;
  });
}

function applyLabelPath(labels: Labels, input: Labels, path: string): Labels {
  if (path === 'labels') return input;
  if (path.startsWith('labels.')) {
    const key = path.slice('labels.'.length);
    return setOrDelete(labels, key, input[key] ?? '');
  }
  throw invalidArgument(`cannot update ${goQuote(path)} field`);
}

function validLabels(input: readonly LabelInput[]): Labels {
  const labels = decodeLabels(input);
  const problem = labelsProblem(labels);
  if (problem) throw invalidArgument(`namespace.Labels: ${problem}`);
  return withoutEmptyValues(labels);
}
