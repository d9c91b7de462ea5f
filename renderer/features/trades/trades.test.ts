import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../shared/rpc/errors';
import type { TradeView } from '../../../shared/services/orders';
import { fakeLink, settle } from '../market/fakeMarket';
import { startTrades } from './tradesBridge';
import { createTradesStore } from './tradesStore';
import { tradeRowText, tradeSentence, tradeTotals, tradeValuePaise } from './tradeView';

const trade = (id: string, more: Partial<TradeView> = {}): TradeView => ({
  tradeId: id,
  clientOrderId: 'SQ1',
  brokerOrderId: 'B1',
  instrumentToken: 408065,
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  priceDivisor: 100,
  side: 'BUY',
  product: 'CNC',
  quantity: 2,
  price: 152_345,
  time: Date.parse('2026-11-24T04:00:00Z'),
  ...more,
});

function fakeService(list: TradeView[]) {
  const listeners = new Set<(t: TradeView) => void>();
  let failWith: Error | undefined;
  return {
    service: {
      trades: () =>
        failWith === undefined ? Promise.resolve({ trades: [...list] }) : Promise.reject(failWith),
      onTrades: (l: (t: TradeView) => void) => {
        listeners.add(l);
        return { dispose: () => listeners.delete(l) };
      },
    },
    emit(t: TradeView) {
      list.push(t);
      for (const l of [...listeners]) l(t);
    },
    fail(e: Error) {
      failWith = e;
    },
  };
}

describe('the day’s fills', () => {
  it('lists them newest first; only fills after the first list are new to the window', async () => {
    const fake = fakeService([trade('T1', { time: 1 }), trade('T2', { time: 3 })]);
    const store = createTradesStore();
    const link = fakeLink();
    const handle = startTrades(fake.service, link, store);
    const fresh: string[] = [];
    handle.onNewTrade((t) => fresh.push(t.tradeId));
    // The stream opens with a fill the list also has, before the list answers: not new.
    fake.emit(trade('T0', { time: 0 }));
    await settle();
    expect(store.getState().rows.map((t) => t.tradeId)).toEqual(['T2', 'T1', 'T0']);
    expect(store.getState()).toMatchObject({ served: 'yes', loaded: true });
    expect(fresh).toEqual([]);

    fake.emit(trade('T3', { time: 5 }));
    expect(fresh).toEqual(['T3']);
    // A reconnect repeats every fill: none is new, none is doubled; one made meanwhile is.
    fake.emit(trade('T3', { time: 5 }));
    const missed = trade('T4', { time: 6 });
    link.drop();
    fake.emit(missed);
    link.connect();
    await settle();
    expect(fresh).toEqual(['T3', 'T4']);
    expect(store.getState().rows.map((t) => t.tradeId)).toEqual(['T4', 'T3', 'T2', 'T1', 'T0']);
    handle.dispose();
  });

  it('records an engine without the service', async () => {
    const fake = fakeService([]);
    fake.fail(new RpcError('UNKNOWN_METHOD', 'no such method'));
    const store = createTradesStore();
    startTrades(fake.service, fakeLink(), store);
    await settle();
    expect(store.getState().served).toBe('no');
  });

  it('reads a fill in the grid and in a toast: value in rupees to the paisa', () => {
    const t = trade('T1');
    expect(tradeValuePaise(t)).toBe(304_690);
    expect(tradeRowText(t)).toEqual({ time: '09:30:00', quantity: '2', price: '1523.45', value: '3,046.90' });
    expect(tradeSentence(t)).toBe('Bought 2 INFY @ 1523.45');
    expect(tradeSentence(trade('T2', { side: 'SELL', quantity: 1500 }))).toBe('Sold 1,500 INFY @ 1523.45');
    // A currency pair: 4 decimals, divisor 10^7.
    const usd = trade('T3', {
      priceDivisor: 10_000_000,
      price: 832_525_000,
      quantity: 1000,
      tradingsymbol: 'USDINR',
    });
    expect(tradeRowText(usd).price).toBe('83.2525');
    expect(tradeValuePaise(usd)).toBe(8_325_250);
    expect(tradeTotals([t, trade('T4', { side: 'SELL', quantity: 1 })])).toEqual({
      count: 2,
      bought: 2,
      sold: 1,
      turnoverPaise: 304_690 + 152_345,
    });
  });
});
