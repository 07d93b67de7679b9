/** GraphQL documents and conversions shared by the container tests. */

export const CONTAINER_FIELDS = `
  id containerId namespace image runtime { name options { typeUrl value } } spec { typeUrl value json }
  snapshotter snapshotKey sandbox labels { key value } extensions { name value { typeUrl value } }
  createdAt updatedAt revision`;

export const CREATE = `mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { ${CONTAINER_FIELDS} } } }`;
export const UPDATE = `mutation($c: ContainerInput!, $paths: [String!], $rev: Int) {
  updateContainer(input: { container: $c, fieldPaths: $paths, expectedRevision: $rev }) { container { ${CONTAINER_FIELDS} } } }`;
export const DELETE = `mutation($id: String!) { deleteContainer(input: { containerId: $id }) { containerId } }`;
export const GET = `query($id: String!) { container(containerId: $id) { ${CONTAINER_FIELDS} } }`;
export const LIST = `query($f: [String!], $first: Int, $after: String, $last: Int, $before: String) {
  containers(filters: $f, first: $first, after: $after, last: $last, before: $before) {
    totalCount watchCursor nodes { containerId } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

/** An Any as the vectors write it: value is the raw bytes as a UTF-8 string. */
export interface VectorAny {
  type_url: string;
  value: string;
}

/** A container object as the vector files write it (proto-style keys, maps). */
export interface VectorContainer {
  id?: string;
  labels?: Record<string, string> | null;
  image?: string;
  runtime?: { name: string; options?: VectorAny };
  spec?: VectorAny | string;
  snapshotter?: string;
  snapshot_key?: string;
  sandbox?: string;
  extensions?: Record<string, VectorAny>;
}

export const anyInput = (any: VectorAny) => ({ typeUrl: any.type_url, value: Buffer.from(any.value).toString('base64') });

export function containerInput(c: VectorContainer, specs: Record<string, VectorAny> = {}): Record<string, unknown> {
  const spec = typeof c.spec === 'string' ? specs[c.spec] : c.spec;
  return {
    containerId: c.id,
    image: c.image,
    runtime: c.runtime ? { name: c.runtime.name, options: c.runtime.options ? anyInput(c.runtime.options) : undefined } : undefined,
    spec: spec ? anyInput(spec) : undefined,
    snapshotter: c.snapshotter,
    snapshotKey: c.snapshot_key,
    sandbox: c.sandbox,
    labels: c.labels ? Object.entries(c.labels).map(([key, value]) => ({ key, value })) : c.labels,
    extensions: c.extensions ? Object.entries(c.extensions).map(([name, value]) => ({ name, value: anyInput(value) })) : undefined,
  };
}

/** The fields a vector compares, from an API container, in the vectors' own shape. */
export function comparable(api: any): Record<string, unknown> {
  const bytes = (any: { typeUrl: string; value: string } | null) =>
    any ? { type_url: any.typeUrl, value: Buffer.from(any.value, 'base64').toString() } : undefined;
  return {
    labels: Object.fromEntries(api.labels.map((l: { key: string; value: string }) => [l.key, l.value])),
    image: api.image,
    runtime: api.runtime.name,
    spec: bytes(api.spec),
    snapshotter: api.snapshotter,
    snapshot_key: api.snapshotKey,
    extensions: Object.fromEntries(api.extensions.map((e: any) => [e.name, bytes(e.value)])),
  };
}

export function expectedComparable(c: VectorContainer, specs: Record<string, VectorAny>): Record<string, unknown> {
  const spec = typeof c.spec === 'string' ? specs[c.spec] : c.spec;
  return {
    labels: Object.fromEntries(Object.entries(c.labels ?? {}).filter(([, v]) => v !== '')),
    image: c.image ?? '',
    runtime: c.runtime?.name ?? '',
    spec: spec ? { type_url: spec.type_url, value: spec.value } : undefined,
    snapshotter: c.snapshotter ?? '',
    snapshot_key: c.snapshot_key ?? '',
    extensions: c.extensions ?? {},
  };
}

/** containerd's Go message without the suffixes that only repeat the code (docs/behaviour.md §2). */
export function berthMessage(goMessage: string): string {
  return goMessage.replace(/(: invalid argument)+$/, '').replace(/: failed precondition$/, '');
}

export const CODE_OF_KIND: Record<string, string> = {
  InvalidArgument: 'INVALID_ARGUMENT',
  NotFound: 'NOT_FOUND',
  AlreadyExists: 'ALREADY_EXISTS',
  FailedPrecondition: 'FAILED_PRECONDITION',
};
