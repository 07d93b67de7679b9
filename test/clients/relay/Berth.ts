import { graphql } from 'relay-runtime';

/**
 * The Relay documents of test/clients/relay.test.ts, as a Relay app writes them. relay-compiler
 * reads these tags (and checks them against schema.graphql); the test loads the artifacts it
 * writes. This module is not imported: without Relay's Babel plugin the tag throws when run.
 */

export const createWebTwice = graphql`
  mutation BerthCreateWebTwiceMutation($spec: AnyInput!) {
    a: createContainer(input: { namespace: "a", container: { containerId: "web", image: "nginx:a", runtime: { name: "io.containerd.runc.v2" }, spec: $spec } }) { container { id } }
    b: createContainer(input: { namespace: "b", container: { containerId: "web", image: "nginx:b", runtime: { name: "io.containerd.runc.v2" }, spec: $spec } }) { container { id } }
  }
`;

export const containerIn = graphql`
  query BerthContainerInQuery($containerId: String!, $namespace: String!) {
    container(containerId: $containerId, namespace: $namespace) { id containerId namespace image }
  }
`;

export const bothWebs = graphql`
  query BerthBothWebsQuery {
    a: container(containerId: "web", namespace: "a") { id image }
    b: container(containerId: "web", namespace: "b") { id image }
  }
`;

export const pagedContainers = graphql`
  query BerthPagedContainersQuery($namespace: String!, $first: Int!, $after: String) {
    containers(namespace: $namespace, first: $first, after: $after) @connection(key: "Berth_containers", filters: ["namespace"]) {
      totalCount
      edges { cursor node { id containerId image revision labels { key value } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const relabel = graphql`
  mutation BerthRelabelMutation($containerId: String!, $namespace: String!, $labels: [LabelInput!]!, $revision: Int!) {
    setContainerLabels(input: { namespace: $namespace, containerId: $containerId, labels: $labels, expectedRevision: $revision }) {
      container { id revision labels { key value } }
    }
  }
`;

export const liveList = graphql`
  query BerthLiveListQuery($namespace: String!) {
    containers(namespace: $namespace, first: 100) @connection(key: "BerthLive_containers", filters: ["namespace"]) {
      watchCursor
      edges { node { id containerId image labels { key value } } }
    }
  }
`;

export const liveContainers = graphql`
  subscription BerthLiveContainersSubscription($namespace: String!, $after: String!, $connections: [ID!]!) {
    events(namespace: $namespace, after: $after) {
      id topic
      payload {
        __typename
        ... on ContainerCreate {
          containerId
          container @appendNode(connections: $connections, edgeTypeName: "ContainerEdge") { id containerId image revision labels { key value } }
        }
        ... on ContainerUpdate { containerId container { id containerId image revision labels { key value } } }
        # @deleteEdge finds the edge through its node record, so it comes before @deleteRecord
        # (one field takes one handle: hence the alias).
        ... on ContainerDelete { containerId removedFromLists: deletedId @deleteEdge(connections: $connections) deletedId @deleteRecord }
      }
    }
  }
`;

export const liveHistory = graphql`
  query BerthLiveHistoryQuery($namespace: String!) {
    events(namespace: $namespace, first: 20) {
      edges { node { id topic payload { __typename ... on ContainerUpdate { containerId labels { key value } } } } }
    }
  }
`;

export const liveRecord = graphql`
  fragment Berth_liveRecord on Container { id containerId image labels { key value } }
`;
