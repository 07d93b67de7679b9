import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import type { RequestContext } from '../resolvers/context.ts';
import { decodeGlobalId, encodeGlobalId } from '../resolvers/global-ids.ts';

/**
 * Plugins, scalars' TypeScript shapes and the context type. Types live in their own modules.
 * The relay plugin serves Relay's Node interface with `node` and `nodes`; the ids are Berth's own
 * (src/resolvers/global-ids.ts), so a malformed one is INVALID_ARGUMENT like any bad input.
 */
export const builder = new SchemaBuilder<{
  Context: RequestContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodeQueryOptions: { description: 'The record with this global id, or null when it does not exist (any more).' },
    nodesQueryOptions: { description: 'node(id:) for each id, in order.' },
  },
});
