// The frames we write are read correctly by the official kiteconnect client's own parser.
import fc from 'fast-check';
import { KiteTicker } from 'kiteconnect';
import { describe, expect, it } from 'vitest';
import { packetLength, TickFrameWriter } from './tickPacket';
import type { TickMode, TickSnapshot } from './tickPacket';

const ticker = new KiteTicker({ api_key: 'k', access_token: 't' }) as unknown as {
  parseBinary(data: ArrayBuffer): Record<string, unknown>[];
};

function parse(frame: Uint8Array): Record<string, unknown>[] {
  return ticker.parseBinary(frame.slice().buffer);
}

const reliance: TickSnapshot = {
  instrumentToken: 738561, // NSE
  lastPrice: 295005,
  lastQuantity: 12,
  averagePrice: 294870,
  volume: 3_456_789,
  buyQuantity: 120_000,
  sellQuantity: 98_000,
  open: 293000,
  high: 296000,
  low: 292550,
  close: 292000,
  lastTradeTime: 1_795_500_000,
  oi: 0,
  oiDayHigh: 0,
  oiDayLow: 0,
  exchangeTimestamp: 1_795_500_001,
  bids: [
    { price: 295000, quantity: 150, orders: 3 },
    { price: 294995, quantity: 40, orders: 1 },
  ],
  asks: [{ price: 295010, quantity: 75, orders: 2 }],
};

describe('TickFrameWriter', () => {
  it('writes full packets the official client reads field for field', () => {
    const w = new TickFrameWriter();
    w.begin();
    w.add(reliance, 'full');
    const [tick] = parse(w.finish());
    expect(tick).toMatchObject({
      tradable: true,
      mode: 'full',
      instrument_token: 738561,
      last_price: 2950.05,
      last_traded_quantity: 12,
      average_traded_price: 2948.7,
      volume_traded: 3_456_789,
      total_buy_quantity: 120_000,
      total_sell_quantity: 98_000,
      ohlc: { open: 2930, high: 2960, low: 2925.5, close: 2920 },
      exchange_timestamp: new Date(1_795_500_001_000),
      last_trade_time: new Date(1_795_500_000_000),
    });
    const depth = (tick as { depth: { buy: unknown[]; sell: unknown[] } }).depth;
    expect(depth.buy[0]).toEqual({ quantity: 150, price: 2950, orders: 3 });
    expect(depth.buy[2]).toEqual({ quantity: 0, price: 0, orders: 0 });
    expect(depth.sell[0]).toEqual({ quantity: 75, price: 2950.1, orders: 2 });
  });

  it('writes index packets with their own field order, and ltp packets', () => {
    const nifty: TickSnapshot = {
      ...reliance,
      instrumentToken: 256265,
      lastPrice: 2_435_010,
      open: 2_420_000,
      high: 2_440_000,
      low: 2_410_000,
      close: 2_415_000,
    };
    const w = new TickFrameWriter();
    w.begin();
    w.add(nifty, 'full');
    w.add(nifty, 'quote');
    w.add(reliance, 'ltp');
    const [full, quote, ltp] = parse(w.finish());
    expect(full).toMatchObject({
      tradable: false,
      mode: 'full',
      last_price: 24350.1,
      ohlc: { high: 24400, low: 24100, open: 24200, close: 24150 },
      exchange_timestamp: new Date(1_795_500_001_000),
    });
    expect(quote).toMatchObject({ mode: 'quote', ohlc: { open: 24200 } });
    expect(ltp).toEqual({ tradable: true, mode: 'ltp', instrument_token: 738561, last_price: 2950.05 });
  });

  it('divides CDS prices by 1e7', () => {
    const usdinr: TickSnapshot = {
      ...reliance,
      instrumentToken: (412 << 8) | 3,
      lastPrice: 832_525_000,
      close: 831_000_000,
    };
    const w = new TickFrameWriter(16); // also exercises growing the buffer
    w.begin();
    w.add(usdinr, 'quote');
    expect(parse(w.finish())[0]).toMatchObject({ last_price: 83.2525, ohlc: { close: 83.1 } });
  });

  it('round-trips any batch through the official parser (property)', () => {
    const int = fc.integer({ min: 0, max: 2 ** 31 - 1 });
    const level = fc.record({ price: int, quantity: int, orders: fc.integer({ min: 0, max: 65535 }) });
    const snapshot = fc.record({
      instrumentToken: fc
        .tuple(fc.integer({ min: 1, max: 2 ** 23 - 1 }), fc.constantFrom(1, 2, 4, 5, 7, 9))
        .map(([e, s]) => e * 256 + s),
      lastPrice: int,
      lastQuantity: int,
      averagePrice: int,
      volume: int,
      buyQuantity: int,
      sellQuantity: int,
      open: int,
      high: int,
      low: int,
      close: int,
      lastTradeTime: int,
      oi: int,
      oiDayHigh: int,
      oiDayLow: int,
      exchangeTimestamp: int,
      bids: fc.array(level, { maxLength: 5 }),
      asks: fc.array(level, { maxLength: 5 }),
    });
    const w = new TickFrameWriter(256);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(snapshot, fc.constantFrom<TickMode>('ltp', 'quote', 'full')), { maxLength: 40 }),
        (batch) => {
          w.begin();
          for (const [s, m] of batch) w.add(s, m);
          const ticks = parse(w.finish());
          expect(ticks).toHaveLength(batch.length);
          batch.forEach(([s, m], i) => {
            const t = ticks[i] ?? {};
            expect(t.instrument_token).toBe(s.instrumentToken);
            expect(t.last_price).toBeCloseTo(s.lastPrice / 100, 6);
            expect(t.mode).toBe(packetLength(s.instrumentToken, m) === 8 ? 'ltp' : m);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
