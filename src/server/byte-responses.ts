import type { Plugin } from 'graphql-yoga';
import { jsonBytes } from './json-bytes.ts';

/**
 * Serializes each GraphQL-over-HTTP answer with jsonBytes (src/server/json-bytes.ts) instead of
 * one JSON.stringify string. Yoga's regular result processor calls a result's own `stringify`
 * when it has one (graphql-jit sets it) and makes the Response body of whatever it returns; a
 * Buffer is a body as much as a string is, so the typed `string` is only cast. Batched answers
 * (an array) are joined into one string by Yoga, and event streams are written event by event:
 * both are left as they are.
 */
export function byteResponses(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (result === undefined || Array.isArray(result) || Symbol.asyncIterator in result) return;
      setResult({ ...result, stringify: jsonBytes as unknown as (value: unknown) => string });
    },
  };
}
