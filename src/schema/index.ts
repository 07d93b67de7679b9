import { builder } from './builder.ts';
import './scalars.ts';
import './common.ts';
import './container.ts';
import './namespace.ts';
import './event.ts';
import './checkpoint.ts';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const schema = builder.toSchema();
