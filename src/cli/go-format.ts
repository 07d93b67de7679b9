/**
 * The output formats of Go's standard library that ctr's output is made of, so berth can print
 * the same bytes: encoding/json (Marshal and MarshalIndent) and time.Time's two text forms.
 */

/**
 * A value to encode. A Map is an object whose keys print in insertion order: plain JS objects
 * would move integer-like keys ("10", "9") to the front, which Go never does. Callers build Maps
 * with Go's order: struct field order, or sorted keys for Go maps.
 */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | ReadonlyMap<string, JsonValue> | { readonly [key: string]: JsonValue };

/** json.Marshal: compact. */
export function marshal(value: JsonValue): string {
  return encode(value, null, '');
}

/** json.MarshalIndent(value, "", "    "), as ctr's commands.PrintAsJSON calls it. */
export function marshalIndent(value: JsonValue): string {
  return encode(value, '    ', '');
}

function encode(value: JsonValue, indent: string | null, current: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'string') return goString(value);
  const entries: [string | null, JsonValue][] = Array.isArray(value)
    ? (value as readonly JsonValue[]).map((item) => [null, item])
    : [...(value instanceof Map ? (value as ReadonlyMap<string, JsonValue>).entries() : Object.entries(value))];
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  const inner = indent === null ? '' : current + indent;
  const parts = entries.map(([key, item]) => {
    const head = key === null ? '' : goString(key) + (indent === null ? ':' : ': ');
    return inner + head + encode(item, indent, inner);
  });
  if (indent === null) return open + parts.join(',') + close;
  return `${open}\n${parts.join(',\n')}\n${current}${close}`;
}

/**
 * Go's float64 encoding: shortest round-trip digits, exponent form below 1e-6 and from 1e21 on,
 * with a one-digit exponent written without padding. JavaScript's Number#toString agrees on all
 * of that (Go's "1e-07" is cleaned up to "1e-7" by the encoder).
 */
function goNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
  return Object.is(n, -0) ? '-0' : String(n);
}

const HEX = '0123456789abcdef';
const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Go's string encoding with its default HTML escaping: <, > and & become \u003c, \u003e and
 * \u0026; other control characters \u00XX; U+2028 and U+2029 are escaped for JavaScript's sake;
 * what is not valid UTF-8 (a lone surrogate here) becomes \ufffd.
 */
function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&') out += '\\u00' + HEX[code >> 4] + HEX[code & 0xf];
    else if (code === 0x2028 || code === 0x2029) out += '\\u' + code.toString(16);
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** A protobuf Any as the API serves it. */
export interface AnyView {
  readonly typeUrl: string;
  /** The bytes, base64-encoded. */
  readonly value: string;
}

/** A protobuf Any through encoding/json: its Go json tags are `type_url,omitempty` and `value,omitempty`. */
export function anyJson(any: AnyView | null): JsonValue {
  if (!any) return null;
  const fields = new Map<string, JsonValue>();
  if (any.typeUrl !== '') fields.set('type_url', any.typeUrl);
  if (any.value !== '') fields.set('value', any.value);
  return fields;
}

const DATE_TIME = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;

/** A UTC DateTime from the API as [date, time, fraction without trailing zeros]. */
function splitUtc(dateTime: string): [string, string, string] {
  const match = DATE_TIME.exec(dateTime) ?? DATE_TIME.exec(new Date(dateTime).toISOString());
  if (!match) throw new Error(`not an RFC 3339 UTC timestamp: ${dateTime}`);
  return [match[1]!, match[2]!, (match[3] ?? '').replace(/0+$/, '')];
}

/** time.Time's JSON form (RFC 3339 with nanoseconds, trailing zeros trimmed): 2026-11-28T06:10:29.1234Z. */
export function goJsonTime(dateTime: string): string {
  const [date, time, fraction] = splitUtc(dateTime);
  return `${date}T${time}${fraction ? '.' + fraction : ''}Z`;
}

/** time.Time.String() for a UTC time, as fmt.Println prints it: 2026-11-28 06:10:29.1234 +0000 UTC. */
export function goTimeString(dateTime: string): string {
  const [date, time, fraction] = splitUtc(dateTime);
  return `${date} ${time}${fraction ? '.' + fraction : ''} +0000 UTC`;
}
