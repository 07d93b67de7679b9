/**
 * A linear-time matcher for the parsed RE2 tree (a Pike-style NFA
 * simulation, boolean result only).
 *
 * JavaScript's own engine backtracks: (a*)*b against thirty a's runs for
 * seconds, and filters come from API clients. RE2, and so containerd,
 * guarantee time linear in the input; this matcher restores that guarantee
 * for the in-process side of Berth. Its cost is O(len(input) x len(program)).
 */

import type { Assertion, Node } from './re2-syntax.ts';

type Inst =
  | { op: 'char'; ranges: readonly number[]; next: number }
  | { op: 'split'; x: number; y: number }
  | { op: 'assert'; assertion: Assertion; next: number }
  | { op: 'match' };

export class Program {
  private readonly insts: Inst[] = [];
  private readonly start: number;
  private seen: Float64Array | undefined;
  private steps = 0;

  constructor(root: Node) {
    const match = this.push({ op: 'match' });
    this.start = this.compile(root, match);
  }

  private push(inst: Inst): number {
    this.insts.push(inst);
    return this.insts.length - 1;
  }

  /**
   * Compiles node so that it continues at `next`; returns its entry point.
   * Building back to front means no jump ever needs patching, except the
   * back edge of an unbounded loop.
   */
  private compile(node: Node, next: number): number {
    switch (node.kind) {
      case 'empty':
        return next;
      case 'chars':
        return this.push({ op: 'char', ranges: node.set.ranges, next });
      case 'assert':
        return this.push({ op: 'assert', assertion: node.assertion, next });
      case 'group':
        return this.compile(node.sub, next);
      case 'concat':
        return node.subs.reduceRight((pc, sub) => this.compile(sub, pc), next);
      case 'alt':
        return node.subs.map((sub) => this.compile(sub, next)).reduceRight((rest, entry) => this.push({ op: 'split', x: entry, y: rest }));
      case 'repeat': {
        let pc: number;
        if (node.max === -1) {
          const loop = this.push({ op: 'split', x: -1, y: next });
          (this.insts[loop] as { x: number }).x = this.compile(node.sub, loop);
          pc = loop;
        } else {
          // x{n,m}: n copies, then m-n nested optional copies.
          pc = next;
          for (let k = node.min; k < node.max; k++) pc = this.push({ op: 'split', x: this.compile(node.sub, pc), y: next });
        }
        for (let k = 0; k < node.min; k++) pc = this.compile(node.sub, pc);
        return pc;
      }
    }
  }

  /**
   * Unanchored search: a thread starts at every position, and each
   * instruction runs at most once per position.
   */
  test(input: string): boolean {
    const text = codePoints(input);
    const n = this.insts.length;
    let current = new Int32Array(n);
    let next = new Int32Array(n);
    let count = 0;
    // seen[pc] holds the step that last visited pc; steps are numbered
    // across calls so that the array never needs clearing.
    this.seen ??= new Float64Array(n).fill(-1);
    const seen = this.seen;
    const base = this.steps;
    this.steps += text.length + 1;
    const stack: number[] = [];

    // Follows splits and assertions from pc at position pos. Returns the new
    // list size, or -1 on reaching a match.
    const add = (list: Int32Array, size: number, pc: number, pos: number): number => {
      stack.push(pc);
      while (stack.length > 0) {
        const at = stack.pop()!;
        if (seen[at] === base + pos) continue;
        seen[at] = base + pos;
        const inst = this.insts[at]!;
        switch (inst.op) {
          case 'match':
            stack.length = 0;
            return -1;
          case 'split':
            stack.push(inst.y, inst.x);
            break;
          case 'assert':
            if (holds(inst.assertion, text, pos)) stack.push(inst.next);
            break;
          case 'char':
            list[size++] = at;
        }
      }
      return size;
    };

    for (let pos = 0; ; pos++) {
      count = add(current, count, this.start, pos);
      if (count < 0) return true;
      if (pos === text.length || count === 0) {
        if (pos === text.length) return false;
        continue; // nothing alive: only a new start can match later
      }
      const c = text[pos]!;
      let size = 0;
      for (let k = 0; k < count; k++) {
        const inst = this.insts[current[k]!] as Extract<Inst, { op: 'char' }>;
        if (contains(inst.ranges, c)) {
          size = add(next, size, inst.next, pos + 1);
          if (size < 0) return true;
        }
      }
      [current, next] = [next, current];
      count = size;
    }
  }
}

function contains(ranges: readonly number[], c: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c > ranges[2 * mid + 1]!) lo = mid + 1;
    else if (c < ranges[2 * mid]!) hi = mid;
    else return true;
  }
  return false;
}

/**
 * A lone surrogate reads as U+FFFD, which is what RE2 sees in place of the
 * invalid UTF-8 such a string becomes (and what PostgreSQL would store).
 */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    out.push(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
    if (c > 0xffff) i++;
  }
  return out;
}

const isWord = (c: number | undefined): boolean =>
  c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f);

function holds(a: Assertion, text: readonly number[], pos: number): boolean {
  switch (a) {
    case 'textStart':
      return pos === 0;
    case 'textEnd':
      return pos === text.length;
    case 'lineStart':
      return pos === 0 || text[pos - 1] === 0x0a;
    case 'lineEnd':
      return pos === text.length || text[pos] === 0x0a;
    case 'wordBoundary':
      return isWord(text[pos - 1]) !== isWord(text[pos]);
    case 'notWordBoundary':
      return isWord(text[pos - 1]) === isWord(text[pos]);
  }
}
