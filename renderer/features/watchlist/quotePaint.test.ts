import { describe, expect, it } from 'vitest';
import { quote } from '../market/fakeMarket';
import { priceStyleOf } from '../market';
import { flashOf, rowText } from './quotePaint';

describe('row text', () => {
  const nse = priceStyleOf({ tickSize: 5, priceDivisor: 100 });
  it('shows LTP, change and % from the previous close, bid, ask and volume', () => {
    const text = rowText(quote(1, 152_345, { close: 150_000, bidPrice: 152_340, askPrice: 152_350 }), nse, 0);
    expect(text).toEqual({
      ltp: '1523.45',
      change: '+23.45',
      changePercent: '+1.56%',
      bid: '1523.40',
      ask: '1523.50',
      volume: '12,34,567',
      dayDirection: 'up',
    });
  });
  it('falls back to the dump close and dashes what is missing', () => {
    const text = rowText(quote(1, 149_000, { close: 0, bidPrice: 0, askPrice: 0, volume: 0 }), nse, 150_000);
    expect(text.change).toBe('-10.00');
    expect(text.dayDirection).toBe('down');
    expect([text.bid, text.ask, text.volume]).toEqual(['—', '—', '—']);
  });
  it('writes CDS prices with four decimals', () => {
    const cds = priceStyleOf({ tickSize: 25_000, priceDivisor: 10_000_000 });
    const text = rowText(quote(1, 832_575_000, { close: 832_500_000, bidPrice: 0, askPrice: 0 }), cds, 0);
    expect([text.ltp, text.change]).toEqual(['83.2575', '+0.0075']);
  });
});

describe('flash', () => {
  it('flashes the way the price moved, and not when it did not move', () => {
    expect(flashOf(0, 100)).toBeNull(); // the first price is not a move
    expect(flashOf(100, 105)).toBe('up');
    expect(flashOf(105, 100)).toBe('down');
    expect(flashOf(110, 110)).toBeNull();
    expect(flashOf(110, 0)).toBeNull(); // no price is not a move
  });
});
