// containerd's filter language: parse, evaluate, and adapt Berth's objects.
export type { Conjunction, FilterSet, Operator, Re2Regex, Selector } from './ast.ts';
export { FilterParseError, RegexError } from './errors.ts';
export { parse, parseAll } from './parser.ts';
export { compileRe2 } from './regex.ts';
export { matchConjunction, matchSelector, matches, type Adaptor, type FieldValue } from './match.ts';
export {
  containerAdaptor,
  envelopeAdaptor,
  labelledAdaptor,
  testAdaptor,
  type ContainerFields,
  type EnvelopeFields,
} from './adaptors.ts';
