import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KITE_ORDER_RATE, OrderRateLimiter } from './orderRate';
import type { RateWindow } from './orderRate';

describe('OrderRateLimiter, Kite limits', () => {
  it('admits 10 orders inside a second, refuses the 11th, and admits again once the first leaves the window', () => {
    const rate = new OrderRateLimiter();
    const t0 = 1_000_000;
    for (let k = 0; k < 10; k++) expect(rate.tryAcquire(t0 + k * 10)).toBe(true);
    expect(rate.check(t0 + 500)).toBe(false);
    expect(rate.tryAcquire(t0 + 999)).toBe(false);
    expect(KITE_ORDER_RATE[rate.blockingWindow(t0 + 999)]?.label).toBe('10 orders a second');
    expect(rate.waitMs(t0 + 999)).toBe(1);
    // The first order (t0) leaves the window (now - 1000, now] at t0 + 1000: one slot, not two.
    expect(rate.tryAcquire(t0 + 1_000)).toBe(true);
    expect(rate.tryAcquire(t0 + 1_000)).toBe(false);
    expect(rate.tryAcquire(t0 + 1_010)).toBe(true);
  });

  it('check() consumes nothing', () => {
    const rate = new OrderRateLimiter();
    for (let k = 0; k < 100; k++) expect(rate.check(5)).toBe(true);
    for (let k = 0; k < 10; k++) expect(rate.tryAcquire(5)).toBe(true);
    expect(rate.check(5)).toBe(false);
    expect(rate.inWindow(5, 1_000)).toBe(10);
  });

  it('refuses the 401st order inside a minute even at under 10 a second, and recovers as the minute slides', () => {
    const rate = new OrderRateLimiter();
    // 10 a second for 40 seconds: 400 orders, never more than 10 in any second.
    for (let s = 0; s < 40; s++)
      for (let k = 0; k < 10; k++) expect(rate.tryAcquire(s * 1_000 + k * 50)).toBe(true);
    expect(rate.tryAcquire(45_000)).toBe(false);
    expect(KITE_ORDER_RATE[rate.blockingWindow(45_000)]?.label).toBe('400 orders a minute');
    expect(rate.tryAcquire(59_999)).toBe(false);
    expect(rate.waitMs(59_999)).toBe(1);
    // At 60,000 the order at 0 has left; the one at 50 has not.
    expect(rate.tryAcquire(60_000)).toBe(true);
    expect(rate.tryAcquire(60_010)).toBe(false);
    expect(rate.tryAcquire(60_050)).toBe(true);
  });

  it('refuses the 5001st order inside a day, and admits it 24 hours after the first', () => {
    const rate = new OrderRateLimiter();
    // One order every 150 ms is exactly 400 a minute and under 10 a second: 5000 orders in 750 s.
    for (let k = 0; k < 5_000; k++) expect(rate.tryAcquire(k * 150)).toBe(true);
    expect(rate.tryAcquire(5_000 * 150)).toBe(false);
    expect(KITE_ORDER_RATE[rate.blockingWindow(3_600_000)]?.label).toBe('5000 orders a day');
    expect(rate.check(86_399_999)).toBe(false);
    expect(rate.tryAcquire(86_400_000)).toBe(true);
    expect(rate.tryAcquire(86_400_001)).toBe(false);
  });

  it('a clock that steps back, or NaN, frees no slot', () => {
    const rate = new OrderRateLimiter();
    for (let k = 0; k < 10; k++) expect(rate.tryAcquire(10_000)).toBe(true);
    expect(rate.tryAcquire(0)).toBe(false);
    expect(rate.tryAcquire(Number.NaN)).toBe(false);
    expect(rate.tryAcquire(11_000)).toBe(true);
  });

  it('refuses malformed windows', () => {
    expect(() => new OrderRateLimiter([])).toThrow(RangeError);
    expect(() => new OrderRateLimiter([{ limit: 0, windowMs: 1_000, label: 'x' }])).toThrow(RangeError);
    expect(() => new OrderRateLimiter([{ limit: 1.5, windowMs: 1_000, label: 'x' }])).toThrow(RangeError);
    expect(() => new OrderRateLimiter([{ limit: 1, windowMs: 0, label: 'x' }])).toThrow(RangeError);
  });
});

/** The reference: admit at t iff, for every window, fewer than `limit` admissions lie in (t - W, t]. */
function referenceAdmits(admitted: readonly number[], t: number, windows: readonly RateWindow[]): boolean {
  return windows.every((w) => admitted.filter((a) => t - a < w.windowMs).length < w.limit);
}

describe('OrderRateLimiter, properties over random timestamp streams', () => {
  const small: RateWindow[] = [
    { limit: 3, windowMs: 100, label: '3 per 100 ms' },
    { limit: 7, windowMs: 1_000, label: '7 a second' },
  ];
  const gaps = fc.array(
    fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 700 })),
    {
      minLength: 1,
      maxLength: 300,
    },
  );

  it('admits exactly what the brute-force sliding-window model admits (small windows)', () => {
    fc.assert(
      fc.property(gaps, (steps) => {
        const rate = new OrderRateLimiter(small);
        const admitted: number[] = [];
        let t = 0;
        for (const g of steps) {
          t += g;
          const expected = referenceAdmits(admitted, t, small);
          expect(rate.check(t)).toBe(expected);
          expect(rate.tryAcquire(t)).toBe(expected);
          if (expected) admitted.push(t);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never admits more than 10 in any 1-second window or 400 in any minute (Kite limits)', () => {
    const burst = fc.array(
      fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 400 })),
      {
        minLength: 1,
        maxLength: 1_500,
      },
    );
    fc.assert(
      fc.property(burst, (steps) => {
        const rate = new OrderRateLimiter();
        const admitted: number[] = [];
        let t = 0;
        for (const g of steps) {
          t += g;
          if (rate.tryAcquire(t)) admitted.push(t);
        }
        // Any window's worst case starts at an admission: count admissions in [a, a + W).
        for (let i = 0; i < admitted.length; i++) {
          const a = admitted[i] ?? 0;
          let perSecond = 0;
          let perMinute = 0;
          for (let j = i; j < admitted.length && (admitted[j] ?? 0) - a < 60_000; j++) {
            perMinute++;
            if ((admitted[j] ?? 0) - a < 1_000) perSecond++;
          }
          expect(perSecond).toBeLessThanOrEqual(10);
          expect(perMinute).toBeLessThanOrEqual(400);
        }
      }),
      { numRuns: 100 },
    );
  });
});
