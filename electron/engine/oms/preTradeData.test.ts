import { describe, expect, it } from 'vitest';
import type { Price } from '../../../shared/domain/money';
import type { Instrument } from '../market/instruments';
import { PreTradeData } from './preTradeData';
import type { CircuitBand, PreTradeDataSource } from './preTradeData';
import type { VenueMarginRequest } from './venue';

// PreTradeData's bookkeeping, against an in-test source whose answers the test releases one by one
// (the real broker is in orders.exchange.test.ts): what is known when, what is asked twice, and how
// orders sent while a margins request is in flight are counted.

const INFY: Instrument = {
  instrumentToken: 408_065,
  exchangeToken: 1594,
  tradingSymbol: 'INFY',
  name: 'INFOSYS',
  lastPrice: 150_000 as Price,
  expiry: '',
  strike: 0 as Price,
  tickSize: 5,
  lotSize: 1,
  instrumentType: 'EQ',
  segment: 'NSE',
  exchange: 'NSE',
  priceDivisor: 100,
  freezeQuantity: null,
};

const REQUEST: VenueMarginRequest = {
  instrumentToken: INFY.instrumentToken,
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  side: 'BUY',
  orderType: 'LIMIT',
  product: 'MIS',
  variety: 'regular',
  quantity: 3,
  price: 150_005,
  triggerPrice: 0,
};

function deferred<T>() {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function harness() {
  let now = Date.UTC(2026, 11, 2, 5, 0);
  const bands: ReturnType<typeof deferred<CircuitBand | null>>[] = [];
  const margins: ReturnType<typeof deferred<number>>[] = [];
  let bandAsks = 0;
  const source: PreTradeDataSource = {
    circuitBand: () => {
      bandAsks++;
      const d = deferred<CircuitBand | null>();
      bands.push(d);
      return d.promise;
    },
    margins: () => {
      const d = deferred<number>();
      margins.push(d);
      return d.promise.then((net) => ({
        equity: { net, availableCash: net, utilised: 0 },
        commodity: null,
      }));
    },
    orderMargin: (r) => Promise.resolve(Math.round((r.price * r.quantity) / 5)),
  };
  const data = new PreTradeData(
    source,
    () => now,
    () => undefined,
  );
  return {
    data,
    bands,
    margins,
    bandAsks: () => bandAsks,
    advance: (ms: number) => (now += ms),
  };
}

describe('PreTradeData', () => {
  it('asks for a band once, knows it after the answer, and asks again on a new IST day', async () => {
    const h = harness();
    expect(h.data.band(INFY)).toBeUndefined();
    expect(h.data.band(INFY)).toBeUndefined();
    expect(h.bandAsks()).toBe(1);
    h.bands[0]?.resolve({ lower: 135_000, upper: 165_000 });
    await Promise.resolve();
    await Promise.resolve();
    expect(h.data.band(INFY)).toEqual({ lower: 135_000, upper: 165_000 });
    expect(h.bandAsks()).toBe(1);
    h.advance(24 * 3_600_000);
    expect(h.data.band(INFY)).toBeUndefined();
    expect(h.bandAsks()).toBe(2);
    // A band of 0..0 (an index) is no band, remembered as such.
    h.bands[1]?.resolve({ lower: 0, upper: 0 });
    await new Promise((r) => setTimeout(r, 0));
    expect(h.data.band(INFY)).toBeNull();
    h.data.dispose();
  });

  it('learns a rate from the calculator, rounded up, per instrument, product and side', async () => {
    const h = harness();
    expect(h.data.marginRate(INFY.instrumentToken, 'MIS', 'BUY')).toBe(-1);
    // 3 x Rs 1,500.05 = 450,015 paise; the source answers a fifth, 90,003 paise: 2,000 bp.
    expect(await h.data.orderMargin(REQUEST)).toBe(90_003);
    expect(h.data.marginRate(INFY.instrumentToken, 'MIS', 'BUY')).toBe(2_000);
    expect(h.data.marginRate(INFY.instrumentToken, 'MIS', 'SELL')).toBe(-1);
    expect(h.data.marginRate(INFY.instrumentToken, 'CNC', 'BUY')).toBe(-1);
    h.data.dispose();
  });

  it('counts orders sent since the margins were asked for, and only those', async () => {
    const h = harness();
    // The constructor asks at once; nothing is known until it answers.
    expect(Number.isNaN(h.data.availableMargin('equity'))).toBe(true);
    h.margins[0]?.resolve(1_000_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(h.margins).toHaveLength(1);
    expect(h.data.availableMargin('equity')).toBe(1_000_000);
    expect(Number.isNaN(h.data.availableMargin('commodity'))).toBe(true);

    h.advance(10);
    h.data.reserve('equity', 200_000);
    expect(h.data.availableMargin('equity')).toBe(800_000);
    // A refresh asked now; an order goes out while it is in flight.
    const refresh = h.data.refreshMargins();
    h.advance(10);
    h.data.reserve('equity', 50_000);
    expect(h.data.availableMargin('equity')).toBe(750_000);
    // The broker's answer counts the first order (asked after it), not the second.
    expect(h.margins).toHaveLength(2);
    h.margins[1]?.resolve(800_000);
    await refresh;
    expect(h.data.availableMargin('equity')).toBe(750_000);
    h.data.dispose();
  });
});
