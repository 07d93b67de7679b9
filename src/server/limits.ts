import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { BerthError } from '../resolvers/errors.ts';
import type { Limits } from './config.ts';

/**
 * Query shape limits from GraphQL Armor. Armor reports a breach as a syntax error; Berth reports it
 * as RESOURCE_EXHAUSTED with Armor's message, so a client can tell "too big" from "malformed".
 */
export function queryLimitPlugins(limits: Limits): Plugin[] {
  const asResourceExhausted = {
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(exhausted(error.message))],
  };
  return [
    maxDepthPlugin({ n: limits.maxDepth, ...asResourceExhausted }),
    maxAliasesPlugin({ n: limits.maxAliases, ...asResourceExhausted }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...asResourceExhausted }),
    costLimitPlugin({ maxCost: limits.maxCost, ...asResourceExhausted }),
  ] as Plugin[];
}

function exhausted(message: string): BerthError {
  return new BerthError('RESOURCE_EXHAUSTED', message.replace(/^Syntax Error: /, ''));
}
