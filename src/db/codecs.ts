import type { AnyValue, Extensions } from '../model/records.ts';

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
  return Object.fromEntries(
    Object.entries(extensions).map(([name, any]) => [name, { typeUrl: any.typeUrl, value: any.value.toString('base64') }]),
  );
}

export function decodeExtensions(stored: StoredExtensions): Extensions {
  return Object.fromEntries(Object.entries(stored).map(([name, any]) => [name, { typeUrl: any.typeUrl, value: Buffer.from(any.value, 'base64') }]));
}
