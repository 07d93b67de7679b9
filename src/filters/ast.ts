/**
 * The parsed form of containerd's filter language. Other modules (the SQL
 * compiler, the event bus) consume these shapes, so they are kept minimal and
 * stable: a filter set is an OR of conjunctions, a conjunction is an AND of
 * selectors.
 */

export type Operator = 'present' | '==' | '!=' | '~=';

export interface Selector {
  readonly fieldpath: readonly string[]; // unquoted components, e.g. labels."a.b" -> ['labels','a.b']
  readonly operator: Operator;
  readonly value: string; // unquoted operand ('' for present)
  readonly regex?: Re2Regex; // set iff operator is '~='
}

export type Conjunction = readonly Selector[]; // AND; [] matches everything
export type FilterSet = readonly Conjunction[]; // OR over the filter strings

/**
 * An RE2 pattern that has been validated once and translated into two
 * engines with the same match/no-match behaviour (see regex.ts).
 */
export interface Re2Regex {
  readonly source: string;
  readonly js: RegExp;
  readonly postgres: string;
}
