import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.ts';

/** RFC 3339 in UTC, with microseconds: the store hands timestamps over already formatted. */
builder.scalarType('DateTime', {
  description: 'An RFC 3339 timestamp in UTC with microsecond precision, e.g. 2026-11-28T06:10:29.123456Z',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new GraphQLError('DateTime must be an RFC 3339 string');
    return value;
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node) => literalValue(node),
});

function literalValue(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalValue(field.value)]));
    default:
      throw new GraphQLError('JSON literals cannot hold variables or enums');
  }
}
