import type { ContainerFields, Labels } from '../model/records.ts';
import { invalidArgument } from '../model/errors.ts';

/**
 * containerd's validation rules (docs/behaviour.md §2) with its messages. Go appends ": invalid argument"
 * to each; docs/behaviour.md §2 drops that suffix because extensions.code already says it.
 */
const IDENTIFIER = /^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$/;
const MAX_IDENTIFIER_BYTES = 76;
const MAX_LABEL_BYTES = 4096;

/** The identifier rule for container ids, namespace names and checkpoint refs; null when valid. */
export function identifierProblem(s: string): string | null {
  if (s === '') return 'identifier must not be empty';
  if (Buffer.byteLength(s) > MAX_IDENTIFIER_BYTES) {
    return `identifier ${goQuote(s)} greater than maximum length (${MAX_IDENTIFIER_BYTES} characters)`;
  }
  if (!IDENTIFIER.test(s)) return `identifier ${goQuote(s)} must match ${IDENTIFIER.source}`;
  return null;
}

/** The size rule for one label; null when valid. An empty key is a Berth deviation (docs/behaviour.md §2). */
export function labelProblem(key: string, value: string): string | null {
  if (key === '') return 'label key must not be empty';
  const total = Buffer.byteLength(key) + Buffer.byteLength(value);
  if (total <= MAX_LABEL_BYTES) return null;
  const shownKey = Buffer.from(key).subarray(0, 64).toString();
  return `label key and value length (${total} bytes) greater than maximum size (${MAX_LABEL_BYTES} bytes), key: ${shownKey}`;
}

/** First problem among labels, in byte-wise key order so the same input always names the same key. */
export function labelsProblem(labels: Labels): string | null {
  for (const [key, value] of Object.entries(labels).sort(([a], [b]) => compareBytes(a, b))) {
    const problem = labelProblem(key, value);
    if (problem) return problem;
  }
  return null;
}

/** validateContainer (docs/behaviour.md §2): the first failing rule, in containerd's order. */
export function containerProblem(c: ContainerFields): string | null {
  const id = identifierProblem(c.id);
  if (id) return `container.ID: ${id}`;
  if (Object.hasOwn(c.extensions, '')) return 'container.Extension keys must not be zero-length';
  const labels = labelsProblem(c.labels);
  if (labels) return `containers.Labels: ${labels}`;
  if (c.runtime.name === '') return 'container.Runtime.Name must be set';
  if (c.spec === null) return 'container.Spec must be set';
  if (c.snapshotKey !== '' && c.snapshotter === '') return 'container.Snapshotter must be set if container.SnapshotKey is set';
  return null;
}

export function assertValidContainer(c: ContainerFields, prefix: string): void {
  const problem = containerProblem(c);
  if (problem) throw invalidArgument(`${prefix}: ${problem}`);
}

export function assertIdentifier(s: string, context?: string): void {
  const problem = identifierProblem(s);
  if (problem) throw invalidArgument(context ? `${context}: ${problem}` : problem);
}

/**
 * Go's %q (strconv.Quote): how containerd quotes names in its messages. Go prints a rune as it is
 * when unicode.IsPrint holds (letters, marks, numbers, punctuation, symbols, ASCII space) and
 * escapes every other; a lone surrogate is no valid rune, which Go quotes as U+FFFD. The Unicode
 * tables are the JavaScript engine's, which may be a version apart from Go's on new characters.
 */
const GO_PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u; // tested on one code point at a time

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (GO_PRINTABLE.test(ch)) out += ch;
    else if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code >= 0xd800 && code < 0xe000) out += '\\ufffd';
    else if (code < 0x10000) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += '\\U' + code.toString(16).padStart(8, '0');
  }
  return out + '"';
}

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/**
 * Byte-wise order of the UTF-8 encodings, as Postgres's COLLATE "C" and containerd's bolt keys.
 * JavaScript compares UTF-16 code units, which orders the same way except around surrogates (a
 * character above U+FFFF sorts before U+E000..U+FFFF in UTF-16, after them in UTF-8); only
 * strings that hold such code units pay for encoding.
 */
const UTF16_ORDER_DIFFERS = /[\ud800-\uffff]/;

export function compareBytes(a: string, b: string): number {
  if (UTF16_ORDER_DIFFERS.test(a) || UTF16_ORDER_DIFFERS.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}
