import SchemaBuilder from '@pothos/core';
import type { RequestContext } from '../resolvers/context.ts';

/** Plugins, scalars' TypeScript shapes and the context type. Types live in their own modules. */
export const builder = new SchemaBuilder<{
  Context: RequestContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({ defaultFieldNullability: false });
