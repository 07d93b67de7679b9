import { type DocumentNode, Kind, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { invalidArgument } from '../model/errors.ts';

/**
 * Postgres text and JSONB cannot hold NUL, and a lone UTF-16 surrogate is not Unicode at all, yet
 * GraphQL strings may carry both ("\u0000", "\ud800"). Every string argument, literal or variable,
 * is checked once here, before any resolver runs, so such input is INVALID_ARGUMENT everywhere
 * instead of a database error.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function storableTextInputs(): Plugin {
  const check = (document: DocumentNode, variables: unknown) => {
    const bad = literalProblem(document) ?? valueProblem(variables, 'variables');
    return bad ? { errors: [invalidArgument(`${bad} holds a NUL character or a lone surrogate, which cannot be stored`)] } : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = check(args.document, args.variableValues);
      if (refusal) setResultAndStopExecution(refusal);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = check(args.document, args.variableValues);
      if (refusal) setResultAndStopExecution(refusal);
    },
  };
}

/** Yoga caches parsed documents, so each distinct document is scanned once. */
const scanned = new WeakMap<DocumentNode, string | null>();

function literalProblem(document: DocumentNode): string | null {
  if (scanned.has(document)) return scanned.get(document)!;
  const problem = scanLiterals(document);
  scanned.set(document, problem);
  return problem;
}

function scanLiterals(document: DocumentNode): string | null {
  let problem: string | null = null;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (UNSTORABLE.test(node.value)) problem = 'a string literal';
    },
  });
  return problem;
}

function valueProblem(value: unknown, path: string): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (Array.isArray(value)) return value.reduce<string | null>((found, item, i) => found ?? valueProblem(item, `${path}[${i}]`), null);
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = (UNSTORABLE.test(key) ? `${path} (a key)` : null) ?? valueProblem(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}
