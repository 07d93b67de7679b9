import type { AnyValue, Extensions, RecordCore } from '../model/records.ts';
import type { TransactionSql } from './pool.ts';

/**
 * Column codecs shared by the tables that hold container-shaped records (containers,
 * checkpoints): an Any is a type-URL column beside a bytea column, and extensions are one JSONB
 * map whose values carry their bytes base64-encoded.
 */
export type StoredExtensions = Record<string, { typeUrl: string; value: string }>;

export function anyValue(typeUrl: string | null, value: Buffer | null): AnyValue | null {
  return typeUrl === null || value === null ? null : { typeUrl, value };
}

export function encodeExtensions(extensions: Extensions): StoredExtensions {
  return Object.fromEntries(Object.entries(extensions).map(([name, any]) => [name, { typeUrl: any.typeUrl, value: any.value.toString('base64') }]));
}

export function decodeExtensions(stored: StoredExtensions): Extensions {
  return Object.fromEntries(Object.entries(stored).map(([name, any]) => [name, { typeUrl: any.typeUrl, value: Buffer.from(any.value, 'base64') }]));
}

/** The columns of a record's core (model RecordCore), as containers and checkpoints both store them. */
export interface CoreRow {
  image: string;
  runtime_name: string;
  runtime_options_type: string | null;
  runtime_options: Buffer | null;
  spec_type: string | null;
  spec: Buffer | null;
  snapshotter: string;
  labels: Record<string, string>;
  extensions: StoredExtensions;
}

export function coreOf(row: CoreRow): RecordCore {
  return {
    image: row.image,
    runtime: { name: row.runtime_name, options: anyValue(row.runtime_options_type, row.runtime_options) },
    spec: anyValue(row.spec_type, row.spec),
    snapshotter: row.snapshotter,
    labels: row.labels,
    extensions: decodeExtensions(row.extensions),
  };
}

/** The core's columns and their values, in one order, for the inserts of both tables. */
export function coreColumns(tx: TransactionSql) {
  return tx`image, runtime_name, runtime_options_type, runtime_options, spec_type, spec, snapshotter, labels, extensions`;
}

export function coreValues(tx: TransactionSql, c: RecordCore) {
  return tx`${c.image}, ${c.runtime.name}, ${c.runtime.options?.typeUrl ?? null}, ${c.runtime.options?.value ?? null},
            ${c.spec?.typeUrl ?? null}, ${c.spec?.value ?? null}, ${c.snapshotter}, ${tx.json(c.labels)}, ${tx.json(encodeExtensions(c.extensions))}`;
}
