/**
 * A set of price levels (tick indices `0..size-1`) that answers "the best level at or beyond this one"
 * in a few word operations: a bitmap of levels plus a summary bitmap of non-empty words. The price
 * band bounds the number of levels, so both bitmaps are allocated once and never grow.
 */
export class TickSet {
  private readonly words: Int32Array;
  private readonly summary: Int32Array;

  /** Allocates the bitmaps for `size` levels. */
  constructor(readonly size: number) {
    const wordCount = (size + 31) >>> 5;
    this.words = new Int32Array(wordCount);
    this.summary = new Int32Array((wordCount + 31) >>> 5);
  }

  /** Marks level `i` as non-empty. */
  add(i: number): void {
    const w = i >>> 5;
    const word = this.words[w] ?? 0;
    if (word === 0) this.summary[w >>> 5] = (this.summary[w >>> 5] ?? 0) | (1 << (w & 31));
    this.words[w] = word | (1 << (i & 31));
  }

  /** Marks level `i` as empty. */
  delete(i: number): void {
    const w = i >>> 5;
    const word = (this.words[w] ?? 0) & ~(1 << (i & 31));
    this.words[w] = word;
    if (word === 0) this.summary[w >>> 5] = (this.summary[w >>> 5] ?? 0) & ~(1 << (w & 31));
  }

  /** Whether level `i` is non-empty. */
  has(i: number): boolean {
    return ((this.words[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
  }

  /** The highest non-empty level `<= i`, or -1. */
  highestAtOrBelow(i: number): number {
    if (i < 0) return -1;
    if (i >= this.size) i = this.size - 1;
    const w = i >>> 5;
    const bit = i & 31;
    // Keep bits 0..bit; `-1 >>> (31 - bit)` avoids the undefined `1 << 32`.
    const m = (this.words[w] ?? 0) & (-1 >>> (31 - bit));
    if (m !== 0) return (w << 5) + 31 - Math.clz32(m);
    let s = w >>> 5;
    const wb = w & 31;
    let sm = wb === 0 ? 0 : (this.summary[s] ?? 0) & (-1 >>> (32 - wb));
    while (sm === 0) {
      s--;
      if (s < 0) return -1;
      sm = this.summary[s] ?? 0;
    }
    const w2 = (s << 5) + 31 - Math.clz32(sm);
    return (w2 << 5) + 31 - Math.clz32(this.words[w2] ?? 0);
  }

  /** The lowest non-empty level `>= i`, or -1. */
  lowestAtOrAbove(i: number): number {
    if (i < 0) i = 0;
    if (i >= this.size) return -1;
    const w = i >>> 5;
    const m = (this.words[w] ?? 0) & (-1 << (i & 31));
    if (m !== 0) return (w << 5) + lowestBit(m);
    let s = w >>> 5;
    const wb = w & 31;
    let sm = wb === 31 ? 0 : (this.summary[s] ?? 0) & (-1 << (wb + 1));
    while (sm === 0) {
      s++;
      if (s >= this.summary.length) return -1;
      sm = this.summary[s] ?? 0;
    }
    const w2 = (s << 5) + lowestBit(sm);
    return (w2 << 5) + lowestBit(this.words[w2] ?? 0);
  }
}

function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}
