/**
 * The GraphQL documents the Apollo and urql tests send (the README's "Using Berth from a UI" shows
 * the same ones). Relay's are in relay/Berth.ts: its compiler wants its own names and directives.
 */

export const CREATE_WEB_TWICE = `
  mutation CreateWebTwice($spec: AnyInput!) {
    a: createContainer(input: { namespace: "a", container: { containerId: "web", image: "nginx:a", runtime: { name: "io.containerd.runc.v2" }, spec: $spec } }) { container { id } }
    b: createContainer(input: { namespace: "b", container: { containerId: "web", image: "nginx:b", runtime: { name: "io.containerd.runc.v2" }, spec: $spec } }) { container { id } }
  }
`;

export const CONTAINER_IN = `
  query ContainerIn($containerId: String!, $namespace: String!) {
    container(containerId: $containerId, namespace: $namespace) { id containerId namespace image }
  }
`;

export const BOTH_WEBS = `
  query BothWebs {
    a: container(containerId: "web", namespace: "a") { id image }
    b: container(containerId: "web", namespace: "b") { id image }
  }
`;

export const PAGED = `
  query PagedContainers($namespace: String!, $first: Int!, $after: String) {
    containers(namespace: $namespace, first: $first, after: $after) {
      totalCount
      edges { cursor node { id containerId image revision labels { key value } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const RELABEL = `
  mutation Relabel($namespace: String!, $containerId: String!, $labels: [LabelInput!]!, $revision: Int!) {
    setContainerLabels(input: { namespace: $namespace, containerId: $containerId, labels: $labels, expectedRevision: $revision }) {
      container { id revision labels { key value } }
    }
  }
`;

export const LIVE_LIST = `
  query LiveList($namespace: String!) {
    containers(namespace: $namespace, first: 100) {
      watchCursor
      edges { node { id containerId image labels { key value } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const LIVE_EVENTS = `
  subscription LiveContainers($namespace: String!, $after: String!) {
    events(namespace: $namespace, after: $after) {
      id topic
      payload {
        __typename
        ... on ContainerCreate { containerId container { id containerId image revision labels { key value } } }
        ... on ContainerUpdate { containerId container { id containerId image revision labels { key value } } }
        ... on ContainerDelete { containerId deletedId }
      }
    }
  }
`;

export const LIVE_HISTORY = `
  query LiveHistory($namespace: String!) {
    events(namespace: $namespace, first: 20) {
      edges { node { id topic payload { __typename ... on ContainerUpdate { containerId labels { key value } } } } }
    }
  }
`;

/** What the tests read of a container straight from the cache. */
export const CONTAINER_RECORD = `fragment LiveRecord on Container { id containerId image labels { key value } }`;
