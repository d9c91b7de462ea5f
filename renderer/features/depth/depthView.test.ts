import { describe, expect, it } from 'vitest';
import type { Depth } from '../../../shared/services/market';
import { fakeMarketData, instrument, quote } from '../market/fakeMarket';
import { priceStyleOf } from '../market';
import { startDepthFeed } from './depthFeed';
import { depthView } from './depthView';
import type { DepthView } from './depthView';
import { quoteDetails } from './quoteDetails';

const nse = priceStyleOf({ tickSize: 5, priceDivisor: 100 });
const book = (bidQty: number): Depth => ({
  instrumentToken: 408065,
  bids: [
    { price: 154_360, quantity: bidQty, orders: 3 },
    { price: 154_355, quantity: 100, orders: 1 },
  ],
  asks: [
    { price: 154_370, quantity: 50, orders: 2 },
    { price: 154_375, quantity: 400, orders: 4 },
    { price: 0, quantity: 0, orders: 0 },
  ],
  exchangeTime: 0,
  receivedAt: 0,
});

describe('depth view', () => {
  it('shows five levels a side, bars against the largest level, and totals', () => {
    const v = depthView(book(200), nse);
    expect(v.bids).toHaveLength(5);
    expect(v.asks).toHaveLength(5);
    expect(v.bids[0]).toEqual({ price: '1543.60', quantity: '200', orders: '3', bar: 0.5 });
    expect(v.asks[1]).toEqual({ price: '1543.75', quantity: '400', orders: '4', bar: 1 });
    expect(v.asks[2]).toEqual({ price: '—', quantity: '', orders: '', bar: 0 });
    expect([v.totalBid, v.totalAsk]).toEqual(['300', '450']);
    expect(v.bidShare).toBeCloseTo(0.4);
  });

  it('is all dashes before the first book', () => {
    const v = depthView(undefined, nse);
    expect(v.totalBid).toBe('—');
    expect(v.bidShare).toBe(0.5);
  });
});

describe('depth feed', () => {
  it('subscribes the instrument and paints the latest book once per frame', () => {
    const { data, market, frames } = fakeMarketData();
    const painted: DepthView[] = [];
    const feed = startDepthFeed(data, instrument(408065, 'INFY'), (v) => painted.push(v));
    expect([...market.depthStreams][0]?.params).toEqual({ instrumentToken: 408065 });
    expect(painted).toHaveLength(1); // dashes at once
    for (let q = 1; q <= 20; q++) market.emitDepth(book(q));
    frames.runFrame();
    expect(painted).toHaveLength(2);
    expect(painted[1]?.bids[0]?.quantity).toBe('20');
    feed.dispose();
    expect(market.depthStreams.size).toBe(0);
  });
});

describe('quote details', () => {
  it('reads OHLC, average, LTQ and LTT in IST, book totals, OI, lot and tick', () => {
    const infy = instrument(408065, 'INFY');
    const d = quoteDetails(
      infy,
      quote(408065, 154_370, { lastTradeTime: Date.parse('2026-11-24T03:45:07Z'), averagePrice: 154_012 }),
    );
    expect(d).toMatchObject({
      open: '1500.00',
      close: '1500.00',
      average: '1540.12',
      lastTradeTime: '09:15:07',
      totalBuy: '1,000',
      oi: '—',
      lotTick: '1 · 0.05',
    });
    expect(quoteDetails(infy, undefined).open).toBe('—');
    expect(quoteDetails(infy, undefined).close).toBe('1500.00');
  });
});
