import { describe, expect, it } from 'vitest';
import { createBollinger, createEma, createRsi, createSma, createVwap, istDay } from './indicators';
import type { StreamingIndicator } from './indicators';

function run<I, O>(ind: StreamingIndicator<I, O>, inputs: readonly I[]): (O | undefined)[] {
  return inputs.map((x) => ind.next(x));
}

describe('SMA', () => {
  it('averages the last period values, by hand', () => {
    expect(run(createSma(3), [1, 2, 3, 4, 5])).toEqual([undefined, undefined, 2, 3, 4]);
  });
  it('replaces the forming bar without counting it twice', () => {
    const sma = createSma(3);
    run(sma, [1, 2, 3, 4, 5]);
    expect(sma.update(8)).toBe(5); // (3 + 4 + 8) / 3
    expect(sma.update(5)).toBe(4);
    expect(sma.next(6)).toBe(5); // (4 + 5 + 6) / 3
  });
  it('refuses a period below one', () => {
    expect(() => createSma(0)).toThrow(RangeError);
  });
});

describe('EMA', () => {
  it('seeds with the SMA, then smooths with k = 2 / (n + 1), by hand', () => {
    // k = 0.5: seed (1+2+3)/3 = 2; 2 + 0.5(4-2) = 3; 3 + 0.5(5-3) = 4.
    expect(run(createEma(3), [1, 2, 3, 4, 5])).toEqual([undefined, undefined, 2, 3, 4]);
  });
  it('updates the forming bar from the EMA before it', () => {
    const ema = createEma(3);
    run(ema, [1, 2, 3, 4, 5]);
    expect(ema.update(7)).toBe(5); // 3 + 0.5(7 - 3)
    expect(ema.next(6)).toBe(5.5); // 5 + 0.5(6 - 5)
  });
  it('updates the seeding bar too', () => {
    const ema = createEma(3);
    run(ema, [1, 2, 3]);
    expect(ema.update(6)).toBe(3); // (1 + 2 + 6) / 3
    expect(ema.next(5)).toBe(4); // 3 + 0.5(5 - 3)
  });
});

describe('RSI (Wilder)', () => {
  it('matches a hand computation', () => {
    // Changes +1, -1, +2, +1. At bar 4: gain (1+0+2)/3 = 1, loss 1/3, RS 3, RSI 75.
    // At bar 5: gain (1x2 + 1)/3 = 1, loss (1/3 x 2 + 0)/3 = 2/9, RS 4.5, RSI 100 - 100/5.5.
    const values = run(createRsi(3), [10, 11, 10, 12, 13]);
    expect(values.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(values[3]).toBeCloseTo(75, 10);
    expect(values[4]).toBeCloseTo(100 - 100 / 5.5, 10);
  });
  it('updates the forming bar from the averages before it', () => {
    const rsi = createRsi(3);
    run(rsi, [10, 11, 10, 12, 13]);
    // Bar 5 at 11 instead: change -1, gain 2/3, loss (2/9 x ... ) = (1/3 x 2 + 1)/3 = 5/9, RS 1.2.
    expect(rsi.update(11)).toBeCloseTo(100 - 100 / 2.2, 10);
    expect(rsi.update(13)).toBeCloseTo(100 - 100 / 5.5, 10);
  });
  it('is 100 on gains only and 50 on a flat price', () => {
    expect(run(createRsi(2), [1, 2, 3]).at(-1)).toBe(100);
    expect(run(createRsi(2), [5, 5, 5]).at(-1)).toBe(50);
  });
});

describe('Bollinger bands', () => {
  it('puts two population standard deviations around the SMA, by hand', () => {
    const b = run(createBollinger(3, 2), [1, 2, 3]).at(-1);
    const sd = Math.sqrt(2 / 3);
    expect(b?.middle).toBeCloseTo(2, 12);
    expect(b?.upper).toBeCloseTo(2 + 2 * sd, 12);
    expect(b?.lower).toBeCloseTo(2 - 2 * sd, 12);
  });
  it('updates the forming bar', () => {
    const bb = createBollinger(2, 1);
    run(bb, [1, 3]);
    expect(bb.update(5)).toEqual({ upper: 5, middle: 3, lower: 1 }); // values 1, 5: sd 2
  });
});

describe('VWAP', () => {
  const day = Date.UTC(2026, 11, 1, 3, 45); // 09:15 IST
  const bar = (minutes: number, price: number, volume: number) => ({
    time: day + minutes * 60_000,
    high: price,
    low: price,
    close: price,
    volume,
  });
  it('weights the typical price by volume from the session start, by hand', () => {
    const vwap = createVwap();
    expect(vwap.next(bar(0, 10, 1))).toBe(10);
    expect(vwap.next(bar(1, 20, 3))).toBe(17.5); // (10 + 60) / 4
    expect(vwap.update(bar(1, 20, 1))).toBe(15); // (10 + 20) / 2
    expect(vwap.next({ time: day + 120_000, high: 33, low: 27, close: 30, volume: 2 })).toBe(22.5); // typical 30: (10 + 20 + 60) / 4
  });
  it('starts again on a new IST day, and has no value without volume', () => {
    const vwap = createVwap();
    vwap.next(bar(0, 10, 5));
    expect(vwap.next(bar(24 * 60, 30, 2))).toBe(30);
    expect(createVwap().next(bar(0, 10, 0))).toBeUndefined();
  });
  it('counts days on the IST clock', () => {
    expect(istDay(Date.UTC(2026, 11, 1, 18, 29))).toBe(istDay(Date.UTC(2026, 11, 1, 3, 45))); // 23:59 IST
    expect(istDay(Date.UTC(2026, 11, 1, 18, 30))).toBe(istDay(Date.UTC(2026, 11, 1, 3, 45)) + 1); // 00:00 IST
  });
});
