import {
  EXTENSION_NAME,
  EXTENSION_TYPE,
  EXTENSION_VALUE,
  imageFor,
  labelsFor,
  RUNTIME_NAME,
  RUNTIME_OPTIONS,
  RUNTIME_OPTIONS_TYPE,
  SNAPSHOTTER,
  SPEC,
  SPEC_TYPE,
} from '../fixtures.ts';

/** The GraphQL operations the load process sends (names from schema.graphql only). */

/** Every field of Container, as `get` must ask for. */
export const CONTAINER_FIELDS = `id containerId namespace image runtime { name options { typeUrl value json } } spec { typeUrl value json }
  snapshotter snapshotKey sandbox labels { key value } extensions { name value { typeUrl value json } }
  createdAt updatedAt revision`;

export const GET = `query BenchGet($id: String!) { container(containerId: $id) { ${CONTAINER_FIELDS} } }`;
export const LIST = `query BenchList($filters: [String!], $first: Int) {
  containers(filters: $filters, first: $first) { nodes { ${CONTAINER_FIELDS} } pageInfo { hasNextPage endCursor } } }`;
export const CREATE = `mutation BenchCreate($c: ContainerInput!) { createContainer(input: { container: $c }) { container { containerId revision } } }`;
export const SET_LABELS = `mutation BenchSetLabels($id: String!, $labels: [LabelInput!]!) {
  setContainerLabels(input: { containerId: $id, labels: $labels }) { container { containerId revision } } }`;
export const DELETE = `mutation BenchDelete($id: String!) { deleteContainer(input: { containerId: $id }) { containerId } }`;

/** A snapshot's cursor: subscribing after it misses nothing that commits later. */
export const WATCH_CURSOR = `query BenchWatchCursor { containers(first: 0) { watchCursor } }`;
export const EVENTS = `subscription BenchEvents($after: String) {
  events(after: $after) { cursor timestamp topic payload { __typename ... on ContainerCreate { containerId } } } }`;
export const SUBSCRIPTION_FIELDS = `query BenchProbe { __schema { subscriptionType { fields { name } } } }`;

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A ContainerInput like the seeded rows (bench/fixtures.ts), for createContainer. */
export function containerInput(id: string, index: number): Record<string, unknown> {
  return {
    containerId: id,
    image: imageFor(index),
    runtime: { name: RUNTIME_NAME, options: { typeUrl: RUNTIME_OPTIONS_TYPE, value: base64(RUNTIME_OPTIONS) } },
    spec: { typeUrl: SPEC_TYPE, value: base64(SPEC) },
    snapshotter: SNAPSHOTTER,
    snapshotKey: id,
    labels: Object.entries(labelsFor(index, id)).map(([key, value]) => ({ key, value })),
    extensions: [{ name: EXTENSION_NAME, value: { typeUrl: EXTENSION_TYPE, value: base64(EXTENSION_VALUE) } }],
  };
}

export function body(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables ? { query, variables } : { query });
}
