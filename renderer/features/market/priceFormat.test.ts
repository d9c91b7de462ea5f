import { describe, expect, it } from 'vitest';
import {
  EM_DASH,
  directionOf,
  formatCompactQuantity,
  formatExpiry,
  formatPercentChange,
  formatPriceChange,
  formatPriceUnits,
  formatQuantity,
  formatStrike,
  priceDecimals,
  priceStyleOf,
} from './priceFormat';

describe('priceDecimals', () => {
  it('shows as many decimals as the tick needs, at least two', () => {
    expect(priceDecimals(5, 100)).toBe(2); // NSE 0.05
    expect(priceDecimals(1, 100)).toBe(2); // 0.01
    expect(priceDecimals(100, 100)).toBe(2); // MCX 1.00
    expect(priceDecimals(25_000, 10_000_000)).toBe(4); // CDS 0.0025
    expect(priceDecimals(25, 10_000)).toBe(4); // BCD 0.0025
    expect(priceDecimals(0, 100)).toBe(2); // an index has no tick
    expect(priceDecimals(0, 10_000_000)).toBe(2);
  });
});

describe('formatPriceUnits', () => {
  const nse = priceStyleOf({ tickSize: 5, priceDivisor: 100 });
  const cds = priceStyleOf({ tickSize: 25_000, priceDivisor: 10_000_000 });
  it('divides wire units exactly, with the instrument decimals', () => {
    expect(formatPriceUnits(152_345, nse)).toBe('1523.45');
    expect(formatPriceUnits(5, nse)).toBe('0.05');
    expect(formatPriceUnits(832_575_000, cds)).toBe('83.2575');
    expect(formatPriceUnits(2_456_780, nse)).toBe('24567.80');
  });
  it('shows a dash for no price', () => {
    expect(formatPriceUnits(0, nse)).toBe(EM_DASH);
    expect(formatPriceUnits(1.5, nse)).toBe(EM_DASH);
  });
  it('signs a change', () => {
    expect(formatPriceChange(1235, nse)).toBe('+12.35');
    expect(formatPriceChange(-5, nse)).toBe('-0.05');
    expect(formatPriceChange(0, nse)).toBe('0.00');
  });
});

describe('formatPercentChange', () => {
  it('is signed with two decimals, and a dash without a previous close', () => {
    expect(formatPercentChange(1235, 100_000)).toBe('+1.24%');
    expect(formatPercentChange(-50, 100_000)).toBe('-0.05%');
    expect(formatPercentChange(-1, 10_000_000)).toBe('0.00%');
    expect(formatPercentChange(0, 100_000)).toBe('0.00%');
    expect(formatPercentChange(5, 0)).toBe(EM_DASH);
  });
  it('names the direction', () => {
    expect([directionOf(3), directionOf(-3), directionOf(0)]).toEqual(['up', 'down', 'flat']);
  });
});

describe('quantities', () => {
  it('groups digits the Indian way', () => {
    expect(formatQuantity(0)).toBe('0');
    expect(formatQuantity(999)).toBe('999');
    expect(formatQuantity(1000)).toBe('1,000');
    expect(formatQuantity(123_456)).toBe('1,23,456');
    expect(formatQuantity(1_234_567)).toBe('12,34,567');
    expect(formatQuantity(123_456_789)).toBe('12,34,56,789');
    expect(formatQuantity(-1)).toBe(EM_DASH);
  });
  it('compacts into lakhs and crores', () => {
    expect(formatCompactQuantity(99_999)).toBe('99,999');
    expect(formatCompactQuantity(1_234_567)).toBe('12.35 L');
    expect(formatCompactQuantity(341_000_000)).toBe('34.10 Cr');
  });
});

describe('contract fields', () => {
  it('writes an expiry as DD MMM YY', () => {
    expect(formatExpiry('2026-12-24')).toBe('24 DEC 26');
    expect(formatExpiry('')).toBe('');
    expect(formatExpiry('2026-13-01')).toBe('');
  });
  it('writes a strike without needless zeros', () => {
    expect(formatStrike(2_400_000, 100)).toBe('24000');
    expect(formatStrike(2_401_250, 100)).toBe('24012.5');
    expect(formatStrike(832_500_000, 10_000_000)).toBe('83.25');
    expect(formatStrike(0, 100)).toBe('');
  });
});
