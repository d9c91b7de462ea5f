import { describe, expect, it } from 'vitest';
import { QuoteF64, QuoteI32 } from '../../../native/quoteBoard';
import type { BarUpdate } from '../../../shared/services/market';
import { MarketData } from './marketData';

// The tick path's bar rule, on the board the decoder writes: before today's first trade the feed's
// last price is the previous close, which is no trade and must not draw a wick into a bar.

describe('MarketData bars', () => {
  it('makes bars from traded ticks only, not from the pre-trade previous close', () => {
    const now = Date.UTC(2026, 11, 2, 4, 0, 0); // 09:30 IST
    const market = new MarketData({ now: () => now, log: () => undefined });
    try {
      const bars: BarUpdate[] = [];
      const service = market.service();
      service.onBars((b) => bars.push(b), { instrumentToken: 408065, interval: '1m' });
      const board = market.board;
      const row = board.addInstrument(408065);
      const tick = (price: number, volume: number, at: number): void => {
        board.i32[board.i32Base(row) + QuoteI32.lastPrice] = price;
        board.f64[board.f64Base(row) + QuoteF64.volume] = volume;
        board.f64[board.f64Base(row) + QuoteF64.exchangeTime] = at;
        market.onTick(408065, row);
      };
      tick(154_080, 0, now); // the previous close, nothing traded yet
      expect(bars).toEqual([]);
      tick(154_500, 23, now + 1_000);
      tick(154_450, 40, now + 2_000);
      expect(bars.at(-1)).toMatchObject({ open: 154_500, high: 154_500, low: 154_450, close: 154_450 });
      expect(Math.min(...bars.map((b) => b.low))).toBe(154_450);
      service.dispose();
    } finally {
      market.dispose();
    }
  });
});
