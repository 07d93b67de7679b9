import { gql } from '@urql/core';

/** Every GraphQL document the console sends, written against Berth's API v2 (global ids). */

export const CONTAINER_ROW = gql`
  fragment ContainerRow on Container {
    id
    containerId
    namespace
    image
    runtime { name }
    labels { key value }
    updatedAt
    revision
  }
`;

export const CONTAINER_DETAIL = gql`
  fragment ContainerDetail on Container {
    ...ContainerRow
    snapshotter
    snapshotKey
    sandbox
    createdAt
    runtime { name options { typeUrl value json } }
    spec { typeUrl value json }
    extensions { name value { typeUrl value json } }
  }
  ${CONTAINER_ROW}
`;

export const CONTAINERS = gql`
  query Containers($namespace: String!, $filters: [String!], $first: Int, $after: String, $last: Int, $before: String) {
    containers(namespace: $namespace, filters: $filters, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      watchCursor
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { ...ContainerRow }
    }
  }
  ${CONTAINER_ROW}
`;

export const CONTAINER = gql`
  query Container($namespace: String!, $containerId: String!, $eventFilters: [String!]) {
    container(namespace: $namespace, containerId: $containerId) { ...ContainerDetail }
    events(namespace: $namespace, filters: $eventFilters, first: 100) {
      nodes { id cursor timestamp topic }
    }
  }
  ${CONTAINER_DETAIL}
`;

export const NAMESPACES = gql`
  query Namespaces {
    namespaces { id name labels { key value } }
  }
`;

export const CHECKPOINTS = gql`
  query Checkpoints($namespace: String!) {
    checkpoints(namespace: $namespace, first: 100) {
      totalCount
      nodes { id ref containerId image createdAt }
    }
  }
`;

/** What each event brings: the record as it is now, so the cache updates rows in place. */
export const EVENT_FIELDS = gql`
  fragment EventFields on Event {
    id
    cursor
    timestamp
    namespace
    topic
    payload {
      __typename
      ... on ContainerCreate { containerId image container { ...ContainerRow } }
      ... on ContainerUpdate { containerId image container { ...ContainerRow } }
      ... on ContainerDelete { containerId deletedId }
      ... on NamespaceCreate { name namespace { id name labels { key value } } }
      ... on NamespaceUpdate { name namespace { id name labels { key value } } }
      ... on NamespaceDelete { name deletedId }
      ... on CheckpointCreate { ref containerId }
      ... on CheckpointDelete { ref deletedId }
    }
  }
  ${CONTAINER_ROW}
`;

/** The page's one subscription that keeps the cache current (App.tsx). */
export const LIVE_UPDATES = gql`
  subscription LiveUpdates($after: String!) {
    events(after: $after, allNamespaces: true) { ...EventFields }
  }
  ${EVENT_FIELDS}
`;

/**
 * The events panel's feed. A document of its own: urql shares one operation among identical
 * documents and variables, and the feed must replay from its own start, not join LiveUpdates.
 */
export const EVENT_FEED = gql`
  subscription EventFeed($namespace: String, $after: String!, $filters: [String!], $allNamespaces: Boolean) {
    events(namespace: $namespace, after: $after, filters: $filters, allNamespaces: $allNamespaces) { ...EventFields }
  }
  ${EVENT_FIELDS}
`;

export const SET_LABELS = gql`
  mutation SetLabels($input: SetContainerLabelsInput!) {
    setContainerLabels(input: $input) { container { ...ContainerDetail } }
  }
  ${CONTAINER_DETAIL}
`;

export const CREATE_CONTAINER = gql`
  mutation CreateContainer($input: CreateContainerInput!) {
    createContainer(input: $input) { container { ...ContainerRow } }
  }
  ${CONTAINER_ROW}
`;

export const DELETE_CONTAINER = gql`
  mutation DeleteContainer($input: DeleteContainerInput!) {
    deleteContainer(input: $input) { containerId deletedId }
  }
`;

export const CREATE_NAMESPACE = gql`
  mutation CreateNamespace($input: CreateNamespaceInput!) {
    createNamespace(input: $input) { namespace { id name labels { key value } } }
  }
`;

export const DELETE_NAMESPACE = gql`
  mutation DeleteNamespace($input: DeleteNamespaceInput!) {
    deleteNamespace(input: $input) { name deletedId }
  }
`;

export const CHECKPOINT_CONTAINER = gql`
  mutation CheckpointContainer($input: CheckpointContainerInput!) {
    checkpointContainer(input: $input) { checkpoint { id ref containerId image createdAt } }
  }
`;

export const RESTORE_CONTAINER = gql`
  mutation RestoreContainer($input: RestoreContainerInput!) {
    restoreContainer(input: $input) { container { ...ContainerRow } }
  }
  ${CONTAINER_ROW}
`;

export const DELETE_CHECKPOINT = gql`
  mutation DeleteCheckpoint($input: DeleteCheckpointInput!) {
    deleteCheckpoint(input: $input) { ref deletedId }
  }
`;
