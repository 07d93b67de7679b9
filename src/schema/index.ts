import { builder } from './builder.ts';
import './scalars.ts';
import './common.ts';
import './container.ts';
import './namespace.ts';

builder.queryType({});
builder.mutationType({});

export const schema = builder.toSchema();
