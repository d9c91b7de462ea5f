import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_PROTECTION_TICKS, defaultMarketProtection } from './protection';

describe('the default market protection', () => {
  it('is automatic where 2% already spans five ticks, and five ticks where it does not', () => {
    // RELIANCE at Rs 1,300.00, tick Rs 0.10: 5 ticks are 0.04%.
    expect(defaultMarketProtection(130_000, 10)).toBe(-1);
    // A Rs 12.50 stock, tick Rs 0.01: 0.4%.
    expect(defaultMarketProtection(1_250, 1)).toBe(-1);
    // A far option at Rs 1.35, tick Rs 0.05: Rs 0.25 is 18.52 % (18.518..., rounded up).
    expect(defaultMarketProtection(135, 5)).toBe(18.52);
    // At Rs 0.05 (one tick), five ticks are 500%: capped at Kite's 100.
    expect(defaultMarketProtection(5, 5)).toBe(100);
    // Exactly 2% (Rs 12.50, tick Rs 0.05: 5 ticks = Rs 0.25) stays automatic.
    expect(defaultMarketProtection(1_250, 5)).toBe(-1);
    expect(defaultMarketProtection(1_245, 5)).toBe(2.01);
  });

  it('is automatic when the price or the tick size is not known', () => {
    expect(defaultMarketProtection(0, 5)).toBe(-1);
    expect(defaultMarketProtection(135, 0)).toBe(-1);
    expect(defaultMarketProtection(Number.NaN, 5)).toBe(-1);
    expect(defaultMarketProtection(135, Number.POSITIVE_INFINITY)).toBe(-1);
  });

  it('never spans fewer than five ticks, and is a valid Kite percent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000_000 }), fc.constantFrom(1, 5, 10, 25, 100), (ref, tick) => {
        const p = defaultMarketProtection(ref, tick);
        const bp = p === -1 ? 200 : Math.round(p * 100); // automatic: at least 2% (the assumption)
        if (p !== -1) {
          expect(p).toBeGreaterThan(2);
          expect(p).toBeLessThanOrEqual(100);
          expect(Number(p.toFixed(2))).toBe(p); // two decimals
        }
        // The span the exchange allows (a sell's limit: reference x (1 - bp), rounded up to a tick).
        if (bp < 10_000) expect(ref * bp).toBeGreaterThanOrEqual(MIN_PROTECTION_TICKS * tick * 10_000);
      }),
      { numRuns: 2_000 },
    );
  });
});
