import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { BerthError } from '../model/errors.ts';
import { toGraphQLError } from './error-codes.ts';
import type { Limits } from '../model/limits.ts';

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
    maxTokens(limits.maxTokens),
    maxDepthPlugin({ n: limits.maxDepth, ...asResourceExhausted }),
    maxAliasesPlugin({ n: limits.maxAliases, ...asResourceExhausted }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...asResourceExhausted }),
    costLimitPlugin({ maxCost: limits.maxCost, ...asResourceExhausted }),
  ] as Plugin[];
}

/**
 * graphql-js's own token limit, applied before anything recurses over the document: a deeply
 * nested query or a long chain of fragments is refused while it is still being lexed, instead of
 * overflowing the stack of the parser or of a validation rule.
 */
function maxTokens(n: number): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, { ...options, maxTokens: n });
        } catch (error) {
          if (error instanceof Error && /Document contains more tha[nt] \d+ tokens/.test(error.message))
            throw exhausted(`the document has more than ${n} tokens (BERTH_MAX_TOKENS)`);
          throw error;
        }
      });
    },
  };
}

function exhausted(message: string): GraphQLError {
  return toGraphQLError(new BerthError('RESOURCE_EXHAUSTED', message.replace(/^Syntax Error: /, '')));
}
