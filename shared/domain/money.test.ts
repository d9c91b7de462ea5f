import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPrice,
  isTickMultiple,
  MoneyError,
  notionalPaise,
  priceDivisor,
  priceFromUnits,
  roundToTick,
  SEGMENT,
  segmentOfToken,
  tickInUnits,
  toPrice,
} from './money';

describe('segments', () => {
  it('come from the low byte of an instrument_token', () => {
    expect(segmentOfToken(256265)).toBe(SEGMENT.INDICES); // NIFTY 50
    expect(segmentOfToken(738561)).toBe(SEGMENT.NSE); // RELIANCE
    expect(() => segmentOfToken((5 << 8) | 0)).toThrow(MoneyError);
    expect(() => segmentOfToken(-1)).toThrow(MoneyError);
  });
  it('set the divisor as Kite does', () => {
    expect(priceDivisor(SEGMENT.NSE)).toBe(100);
    expect(priceDivisor(SEGMENT.CDS)).toBe(10_000_000);
    expect(priceDivisor(SEGMENT.BCD)).toBe(10_000);
    expect(priceDivisor(SEGMENT.MCX)).toBe(100);
  });
});

describe('toPrice', () => {
  it('converts text and numbers exactly', () => {
    expect(toPrice('2950.05', 100)).toBe(295005);
    expect(toPrice(2950.05, 100)).toBe(295005); // 2950.05 * 100 is 295004.99999999994 as a double
    expect(toPrice('83.2525', 10_000_000)).toBe(832525000);
    expect(toPrice('-12.5', 100)).toBe(-1250);
    expect(toPrice('7', 100)).toBe(700);
    expect(toPrice(' 1.10 ', 100)).toBe(110);
  });
  it.each([
    [Number.NaN],
    [Infinity],
    [-Infinity],
    [0.1 + 0.2], // float noise: 0.30000000000000004 is not a price anyone typed
    [1e-9],
    ['1e3'],
    ['12.345'],
    ['abc'],
    [''],
    ['1.2.3'],
    ['9'.repeat(20)],
  ])('refuses %s', (v) => {
    expect(() => toPrice(v, 100)).toThrow(MoneyError);
  });
  it('round-trips every paise amount through text and number (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (units) => {
        const text = formatPrice(priceFromUnits(units), 100);
        return toPrice(text, 100) === units && toPrice(Number(text), 100) === units;
      }),
    );
  });
  it('round-trips CDS prices with 7 decimals (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2e9 }), (units) => {
        return toPrice(formatPrice(priceFromUnits(units), 1e7), 1e7) === units;
      }),
    );
  });
});

describe('formatting and ticks', () => {
  it('formats with the segment decimals', () => {
    expect(formatPrice(priceFromUnits(295005), 100)).toBe('2950.05');
    expect(formatPrice(priceFromUnits(5), 100)).toBe('0.05');
    expect(formatPrice(priceFromUnits(-1250), 100)).toBe('-12.50');
    expect(formatPrice(priceFromUnits(832525000), 1e7, 4)).toBe('83.2525');
  });
  it('checks tick multiples in integer units', () => {
    const tick = tickInUnits('0.05', 100);
    expect(tick).toBe(5);
    expect(isTickMultiple(priceFromUnits(295005), tick)).toBe(true);
    expect(isTickMultiple(priceFromUnits(295003), tick)).toBe(false);
    expect(() => tickInUnits('0', 100)).toThrow(MoneyError);
  });
  it('computes notional in paise', () => {
    expect(notionalPaise(priceFromUnits(295005), 10, 100)).toBe(2950050);
    expect(notionalPaise(priceFromUnits(832525000), 1000, 1e7)).toBe(8325250);
  });
});

describe('the tick grid', () => {
  it('rounds to any tick size, half up', () => {
    expect(roundToTick(153_002, 5)).toBe(153_000);
    expect(roundToTick(153_003, 5)).toBe(153_005);
    expect(roundToTick(83_251_250, 25_000)).toBe(83_250_000); // CDS: 0.0025 in 1e7 units
    expect(roundToTick(1_237, 100)).toBe(1_200); // a rupee tick
    expect(roundToTick(1_250, 100)).toBe(1_300);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 50_000 }), (p, t) => {
        const r = roundToTick(p, t);
        return r % t === 0 && Math.abs(r - p) <= t / 2;
      }),
    );
  });
});
