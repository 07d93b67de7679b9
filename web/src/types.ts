/** The shapes the console's documents (documents.ts) select. */

export interface Label {
  key: string;
  value: string;
}
export interface AnyValue {
  typeUrl: string;
  value: string;
  json: unknown;
}

export interface ContainerRow {
  __typename?: 'Container';
  id: string;
  containerId: string;
  namespace: string;
  image: string;
  runtime: { name: string; options?: AnyValue | null };
  labels: Label[];
  updatedAt: string;
  revision: number;
}

export interface ContainerDetail extends ContainerRow {
  snapshotter: string;
  snapshotKey: string;
  sandbox: string;
  createdAt: string;
  spec: AnyValue | null;
  extensions: { name: string; value: AnyValue }[];
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface ContainersData {
  containers: { totalCount: number; watchCursor: string; pageInfo: PageInfo; nodes: ContainerRow[] };
}

export interface NamespaceRow {
  id: string;
  name: string;
  labels: Label[];
}

export interface CheckpointRow {
  id: string;
  ref: string;
  containerId: string;
  image: string;
  createdAt: string;
}

export type EventPayload =
  | { __typename: 'ContainerCreate'; containerId: string; image: string; container: ContainerRow | null }
  | { __typename: 'ContainerUpdate'; containerId: string; image: string; container: ContainerRow | null }
  | { __typename: 'ContainerDelete'; containerId: string; deletedId: string }
  | { __typename: 'NamespaceCreate'; name: string; namespace: NamespaceRow | null }
  | { __typename: 'NamespaceUpdate'; name: string; namespace: NamespaceRow | null }
  | { __typename: 'NamespaceDelete'; name: string; deletedId: string }
  | { __typename: 'CheckpointCreate'; ref: string; containerId: string }
  | { __typename: 'CheckpointDelete'; ref: string; deletedId: string };

export interface BerthEvent {
  id: string;
  cursor: string;
  timestamp: string;
  namespace: string;
  topic: string;
  payload: EventPayload;
}
