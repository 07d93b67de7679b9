/**
 * Unicode simple case-folding orbits, the equivalence RE2 uses for (?i).
 *
 * There is no folding table in the JavaScript standard library, but the
 * engine has one: a /u regex with the i flag compares characters by simple
 * case folding, exactly RE2's notion. The orbits are found by linking each
 * character to its one-character upper- and lower-case mappings and keeping
 * only the links that such a regex confirms (which drops, say, the dotless
 * i's upper case "I", a different orbit in simple folding). Built on first
 * use, in a few tens of milliseconds.
 */

let orbits: Map<number, readonly number[]> | undefined;
let foldable: number[] = []; // sorted members of non-trivial orbits

/** No character above this has a case mapping (the last is in Adlam). */
const LAST_CASED = 0x1ffff;

function build(): Map<number, readonly number[]> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const sameFold = (a: number, b: number): boolean => new RegExp(`^\\u{${a.toString(16)}}$`, 'iu').test(String.fromCodePoint(b));

  for (let c = 0; c <= LAST_CASED; c++) {
    // Stryker disable next-line all: equivalent, a lone surrogate has no case mapping; skipping it only saves time
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const s = String.fromCodePoint(c);
    for (const m of [s.toLowerCase(), s.toUpperCase()]) {
      if (m === s) continue;
      const d = m.codePointAt(0)!;
      if (String.fromCodePoint(d) !== m) continue; // a multi-character mapping
      if (!sameFold(c, d)) continue;
      const [rc, rd] = [find(c), find(d)];
      if (rc !== rd) parent.set(rc, rd);
    }
  }

  const groups = new Map<number, number[]>();
  for (const c of parent.keys()) {
    const root = find(c);
    const g = groups.get(root) ?? [];
    g.push(c);
    groups.set(root, g);
  }
  const result = new Map<number, readonly number[]>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => a - b);
    for (const c of g) result.set(c, g);
  }
  foldable = [...result.keys()].sort((a, b) => a - b);
  return result;
}

/** All characters equal to c under simple case folding, c included. */
export function caseOrbit(c: number): readonly number[] {
  orbits ??= build();
  return orbits.get(c) ?? [c];
}

/** Members of non-trivial orbits within [lo, hi], in order. */
export function foldableBetween(lo: number, hi: number): number[] {
  orbits ??= build();
  let a = 0;
  let b = foldable.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (foldable[mid]! < lo) a = mid + 1;
    else b = mid;
  }
  const out: number[] = [];
  for (let i = a; i < foldable.length && foldable[i]! <= hi; i++) out.push(foldable[i]!);
  return out;
}
