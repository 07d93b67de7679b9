import { invalidArgument } from '../model/errors.ts';

/**
 * Opaque cursors. Event cursors are fixed-width hex, so comparing two as strings orders them as
 * the events they name. Page cursors carry the id they follow, base64url-encoded.
 */
export function encodeEventCursor(seq: bigint): string {
  return seq.toString(16).padStart(16, '0');
}

export function decodeEventCursor(cursor: string): bigint {
  if (!/^[0-9a-f]{16}$/.test(cursor)) throw invalidArgument(`invalid event cursor ${JSON.stringify(cursor)}`);
  return BigInt('0x' + cursor);
}

export function encodePageCursor(key: string): string {
  return Buffer.from(key).toString('base64url');
}

export function decodePageCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString();
  if (encodePageCursor(key) !== cursor) throw invalidArgument(`invalid page cursor ${JSON.stringify(cursor)}`);
  return key;
}
