// The synthetic market's randomness: a small, fast, seeded generator (sfc32) and the samplers the
// market needs. Every stream is derived from (seed, what, when) by hashing, so any stretch of the
// market can be regenerated on its own without replaying what came before it.

/** Mixes 32-bit words into one well-spread 32-bit seed (murmur3's finaliser per word). */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Split doubles beyond 32 bits (day numbers, tokens) into two words so nothing is truncated.
    const lo = p >>> 0;
    const hi = Math.floor(p / 4_294_967_296) >>> 0;
    h = fmix(h ^ lo);
    h = fmix((h + 0x6d2b79f5) ^ hi);
  }
  return h >>> 0;
}

function fmix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a), to turn names into stream keys. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes PractRand
 * to terabytes, a handful of integer operations per draw. Not cryptographic.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The second normal of the last polar pair, or NaN when none is waiting. */
  private spare = Number.NaN;

  /** A stream for `seed` (a 32-bit integer; see `mixSeed` to derive one from several keys). */
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // The first outputs of a fresh state are correlated with the seed: discard them.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A standard normal (Marsaglia's polar method; the pair's second value is kept for the next call). */
  gaussian(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** An exponential waiting time with mean `1 / rate`. */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  /** A Poisson count with mean `mean` (Knuth's product method; for the small means used here). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** 1, 2, 3 ... with P(k) = (1 - p)^(k - 1) p: a geometric count of at least one. */
  geometric(p: number): number {
    return 1 + Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }
}
