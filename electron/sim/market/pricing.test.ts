import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARRY_RATE, INDEX_SMILE, black76, futureFairValue, normalCdf, smileVolatility } from './pricing';

describe('pricing', () => {
  it('normalCdf matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 10);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 12);
  });

  it('Black-76 keeps put-call parity, stays above intrinsic value and falls as the strike rises', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1_000, max: 100_000, noNaN: true }),
        fc.double({ min: 0.7, max: 1.3, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 0.8, noNaN: true }),
        (future, ratio, years, vol) => {
          const strike = future * ratio;
          const call = black76('CE', future, strike, years, vol);
          const put = black76('PE', future, strike, years, vol);
          const df = Math.exp(-CARRY_RATE * years);
          expect(call - put).toBeCloseTo(df * (future - strike), 6);
          expect(call).toBeGreaterThanOrEqual(df * Math.max(0, future - strike) - 1e-9);
          expect(put).toBeGreaterThanOrEqual(df * Math.max(0, strike - future) - 1e-9);
          expect(black76('CE', future, strike * 1.01, years, vol)).toBeLessThanOrEqual(call + 1e-9);
        },
      ),
      { seed: 3, numRuns: 2_000 },
    );
  });

  it('the smile is skewed (low strikes dearer) and curved (both wings above the skew line)', () => {
    const f = 26_000;
    const y = 7 / 365;
    const atm = smileVolatility(0.13, INDEX_SMILE, f, f, y);
    expect(atm).toBeCloseTo(0.13, 10);
    const low = smileVolatility(0.13, INDEX_SMILE, f, f * 0.97, y);
    const high = smileVolatility(0.13, INDEX_SMILE, f, f * 1.03, y);
    expect(low).toBeGreaterThan(high);
    expect(low + high).toBeGreaterThan(2 * atm);
  });

  it('futures carry the spot to expiry', () => {
    expect(futureFairValue(26_000, 0.5)).toBeCloseTo(26_000 * Math.exp(CARRY_RATE * 0.5), 8);
  });
});
