import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  MARKET_HOURS,
  activityPeak,
  activityShape,
  dayOfDate,
  inSession,
  istMidnight,
  nextSessionInstant,
  varianceShape,
} from './session';

describe('session', () => {
  it('parses dates and rejects what is not one', () => {
    expect(dayOfDate('1970-01-02')).toBe(1);
    expect(dayOfDate('2025-11-24')).toBe(20416);
    expect(() => dayOfDate('2025-02-30')).toThrow(RangeError);
    expect(() => dayOfDate('24-11-2025')).toThrow(RangeError);
  });

  it('trades 09:15-15:30 IST on weekdays, or always', () => {
    const monday = dayOfDate('2025-11-24');
    const t = (day: number, h: number, m: number) => istMidnight(day) + (h * 60 + m) * 60_000;
    expect(inSession(MARKET_HOURS, t(monday, 9, 14))).toBe(false);
    expect(inSession(MARKET_HOURS, t(monday, 9, 15))).toBe(true);
    expect(inSession(MARKET_HOURS, t(monday, 15, 30))).toBe(false);
    expect(inSession(MARKET_HOURS, t(monday - 1, 12, 0))).toBe(false); // Sunday
    expect(nextSessionInstant(MARKET_HOURS, t(monday - 2, 16, 0))).toBe(t(monday, 9, 15));
    expect(nextSessionInstant(MARKET_HOURS, t(monday, 15, 30))).toBe(t(monday + 1, 9, 15));
    expect(inSession(ALWAYS_OPEN, t(monday - 1, 3, 0))).toBe(true);
  });

  it('shapes are U-shaped with mean 1, and the activity peak bounds the activity', () => {
    let mean = 0;
    let meanVariance = 0;
    const n = 10_000;
    for (let k = 0; k < n; k++) {
      mean += activityShape(MARKET_HOURS, (k + 0.5) / n) / n;
      meanVariance += varianceShape(MARKET_HOURS, (k + 0.5) / n) / n;
    }
    expect(mean).toBeCloseTo(1, 2);
    expect(meanVariance).toBeCloseTo(1, 2);
    expect(activityShape(MARKET_HOURS, 0.5)).toBeLessThan(1);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (u) => {
        expect(activityShape(MARKET_HOURS, u)).toBeLessThanOrEqual(activityPeak(MARKET_HOURS) + 1e-12);
      }),
      { seed: 2 },
    );
  });
});
