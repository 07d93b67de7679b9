/**
 * Evaluating parsed filters against an object, through an adaptor that
 * answers "what is the value at this field path, and is it present?".
 * Operator semantics are containerd's (docs/behaviour.md §4).
 */

import type { Conjunction, FilterSet, Selector } from './ast.ts';

export interface FieldValue {
  readonly value: string;
  readonly present: boolean;
}

export type Adaptor = (fieldpath: readonly string[]) => FieldValue;

export function matchSelector(sel: Selector, adaptor: Adaptor): boolean {
  const { value, present } = adaptor(sel.fieldpath);
  switch (sel.operator) {
    case 'present':
      return present;
    case '==':
      return present && value === sel.value;
    case '!=':
      // Presence is not required: an absent field reads as "" and so differs
      // from every non-empty operand.
      return value !== sel.value;
    case '~=':
      // Also tested when absent (as ""), so labels.missing~=^$ matches.
      return sel.regex?.js.test(value) ?? false;
  }
}

export function matchConjunction(conj: Conjunction, adaptor: Adaptor): boolean {
  return conj.every((sel) => matchSelector(sel, adaptor));
}

export function matches(filters: FilterSet, adaptor: Adaptor): boolean {
  return filters.some((conj) => matchConjunction(conj, adaptor));
}
