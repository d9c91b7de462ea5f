import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random, hashString, mixSeed } from './random';

describe('Random (sfc32)', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const xs = Array.from({ length: 100 }, () => a.uint32());
    expect(Array.from({ length: 100 }, () => b.uint32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.uint32())).not.toEqual(xs);
  });

  it('draws uniforms in [0, 1) with the right mean and normals with mean 0 and variance 1', () => {
    const r = new Random(123);
    let sum = 0;
    let sumG = 0;
    let sumG2 = 0;
    let lo = 1;
    let hi = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      sum += u;
      const g = r.gaussian();
      sumG += g;
      sumG2 += g * g;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumG / n).toBeCloseTo(0, 1);
    expect(sumG2 / n).toBeCloseTo(1, 1);
  });

  it('draws exponentials and Poisson counts with the asked means', () => {
    const r = new Random(9);
    let e = 0;
    let p = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      e += r.exponential(4);
      p += r.poisson(2.5);
    }
    expect(e / n).toBeCloseTo(0.25, 2);
    expect(p / n).toBeCloseTo(2.5, 1);
  });

  it('mixSeed is a deterministic 32-bit function of every part, high words included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 4 }), (parts) => {
        const h = mixSeed(...parts);
        expect(h).toBe(mixSeed(...parts));
        expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      }),
      { seed: 1, numRuns: 500 },
    );
    expect(mixSeed(1, 2 ** 33)).not.toBe(mixSeed(1, 2 ** 34));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(hashString('NIFTY')).not.toBe(hashString('NIFTX'));
  });
});
