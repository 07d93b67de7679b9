/** The shapes the store reads and writes. Bytes stay bytes; timestamps are RFC 3339 text. */
export interface AnyValue {
  readonly typeUrl: string;
  readonly value: Buffer;
}

export type Labels = Readonly<Record<string, string>>;
export type Extensions = Readonly<Record<string, AnyValue>>;

/** What a container and a checkpoint of it both hold: the part of the record a checkpoint freezes. */
export interface RecordCore {
  readonly image: string;
  readonly runtime: { readonly name: string; readonly options: AnyValue | null };
  readonly spec: AnyValue | null;
  readonly snapshotter: string;
  readonly labels: Labels;
  readonly extensions: Extensions;
}

/** The writable part of a container: what a create stores and an update replaces. */
export interface ContainerFields extends RecordCore {
  readonly id: string;
  readonly snapshotKey: string;
  readonly sandbox: string;
}

export interface ContainerRecord extends ContainerFields {
  readonly namespace: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly revision: number;
}

export interface NamespaceRecord {
  readonly name: string;
  readonly labels: Labels;
}

/** A container's record frozen under a name of its own (docs/behaviour.md §7); never updated once stored. */
export interface CheckpointRecord extends RecordCore {
  readonly namespace: string;
  readonly ref: string;
  /** The container it was taken from, which may since have been deleted. */
  readonly containerId: string;
  readonly createdAt: string;
}
