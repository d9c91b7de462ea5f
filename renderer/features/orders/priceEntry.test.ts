import { describe, expect, it } from 'vitest';
import { priceInputText, readPrice, stepPrice } from './priceEntry';

describe('typed prices', () => {
  it('reads a typed price into wire units exactly, or says why not', () => {
    expect(readPrice('1544.9', 100)).toEqual({ ok: true, units: 154_490 });
    expect(readPrice(' 0.05 ', 100)).toEqual({ ok: true, units: 5 });
    expect(readPrice('83.2525', 10_000_000)).toEqual({ ok: true, units: 832_525_000 });
    expect(readPrice('', 100)).toMatchObject({ ok: false, empty: true });
    expect(readPrice('1544.925', 100)).toMatchObject({ ok: false, empty: false });
    expect(readPrice('abc', 100)).toMatchObject({ ok: false, empty: false });
    expect(readPrice('0', 100)).toMatchObject({ ok: false, empty: false });
    expect(readPrice('-5', 100)).toMatchObject({ ok: false, empty: false });
  });

  it('steps by the tick, first onto the tick grid when off it, never below one tick', () => {
    expect(stepPrice(154_490, 1, 5)).toBe(154_495);
    expect(stepPrice(154_490, -1, 5, 10)).toBe(154_440);
    expect(stepPrice(154_493, 1, 5)).toBe(154_495);
    expect(stepPrice(154_493, -1, 5)).toBe(154_490);
    expect(stepPrice(154_493, -1, 5, 3)).toBe(154_480);
    expect(stepPrice(5, -1, 5)).toBe(5);
    expect(stepPrice(100, 1, 0)).toBe(100);
  });

  it('writes a price for an input: no dash, empty for none', () => {
    expect(priceInputText(154_490, { divisor: 100, decimals: 2 })).toBe('1544.90');
    expect(priceInputText(0, { divisor: 100, decimals: 2 })).toBe('');
  });
});
