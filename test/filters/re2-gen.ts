// A seeded generator of RE2 patterns and subject strings, for differential
// tests. It mixes valid constructs, the usual traps (case folding of k/s/ß,
// newlines, anchors, empty-width repeats) and constructs RE2 rejects.

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LIT = ['a', 'b', 'c', 'A', 'B', 'k', 'K', 's', 'S', 'ſ', 'K', 'é', 'É', '0', '1', '_', '-', ' ', 'ß', 'ẞ', '😀', 'x', ',', '/', 'σ', 'Σ', 'ς'];
const ESC = [
  '\\d',
  '\\D',
  '\\s',
  '\\S',
  '\\w',
  '\\W',
  '\\b',
  '\\B',
  '\\A',
  '\\z',
  '\\n',
  '\\t',
  '\\r',
  '\\x41',
  '\\x{e9}',
  '\\x{1F600}',
  '\\101',
  '\\0',
  '\\.',
  '\\*',
  '\\\\',
  '\\-',
  '\\_',
  '\\Qa.b\\E',
  '\\Q*\\E',
  '\\v',
  '\\f',
  '\\a',
  '\\x{2028}',
  '\\x{85}',
];
const CLS = [
  '[abc]',
  '[^a-c]',
  '[[:alpha:]]',
  '[^[:space:]]',
  '[\\d_]',
  '[a-]',
  '[]a]',
  '[k-s]',
  '[A-z]',
  '[\\x{e0}-\\x{ff}]',
  '[^\\n]',
  '[[:^digit:]x]',
  '[\\W]',
  '[^\\S]',
  '[.]',
  '[\\]]',
  '[^]]',
  '[[:word:]]',
  '[[:punct:]]',
  '[^\\x00-\\x{10FFFF}]',
  '[\\x00-\\x{10FFFF}]',
  '[😀-😂]',
  '[ſ]',
  '[K]',
  '[[:upper:]]',
  '[[:lower:]]',
  '[ -~]',
];
const BAD = [
  '(?=a)',
  '(?!a)',
  '\\1',
  '(',
  ')',
  '[',
  '**',
  '\\pL',
  '\\p{Greek}',
  '\\C',
  '\\Z',
  'a{1001}',
  '[z-a]',
  '(?P<>a)',
  '(?#c)',
  '\\8',
  '\\x{110000}',
  'x{2}{3}',
  '+',
  '\\',
  '[[:foo:]]',
  '(?i',
  'a{256}',
  '(a{300}){4}',
];
const FLAGS = ['(?i)', '(?s)', '(?m)', '(?is)', '(?-i)', '(?i-s)', '(?U)', '(?ims)'];
const QUANT = ['*', '+', '?', '{2}', '{1,}', '{0,3}', '{2,1}', '*?', '+?', '??', '{1,2}?', '{0}', '{,2}', '{01}', '{3'];
const GROUP = ['(', '(?:', '(?P<n>', '(?i:', '(?s:', '(?m:', '(?-i:', '(?is:'];
const SUBJ = [
  'a',
  'b',
  'c',
  'A',
  'B',
  'k',
  'K',
  's',
  'S',
  'ſ',
  'K',
  'é',
  'É',
  '0',
  '1',
  '_',
  '-',
  ' ',
  '\n',
  '\r',
  '\t',
  '.',
  '😀',
  'ß',
  'ẞ',
  'x',
  '*',
  '\\',
  ']',
  'σ',
  'Σ',
  'ς',
  '\u2028',
  '\u0085',
  '\v',
  '\f',
  'ü',
];

export function regexGenerator(seed: number): { pattern(): string; subject(): string } {
  const rnd = mulberry32(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const atom = (depth: number): string => {
    const r = rnd();
    if (r < 0.35) return pick(LIT);
    if (r < 0.47) return pick(ESC);
    if (r < 0.57) return pick(CLS);
    if (r < 0.62) return '.';
    if (r < 0.67) return pick(['^', '$']);
    if (r < 0.7) return pick(FLAGS);
    if (r < 0.72) return pick(BAD);
    if (depth > 2) return pick(LIT);
    return pick(GROUP) + alt(depth + 1) + ')';
  };
  const seq = (depth: number): string => {
    let s = '';
    const n = Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) {
      s += atom(depth);
      if (rnd() < 0.3) s += pick(QUANT);
    }
    return s;
  };
  const alt = (depth: number): string => {
    let s = seq(depth);
    while (rnd() < 0.25) s += '|' + seq(depth);
    return s;
  };
  const subject = (): string => {
    let s = '';
    const n = Math.floor(rnd() * 7);
    for (let i = 0; i < n; i++) s += pick(SUBJ);
    return s;
  };
  return { pattern: () => alt(0), subject };
}
