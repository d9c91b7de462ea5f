import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderView, TradeView } from '../../../shared/services/orders';
import { createEngineStore } from '../engine';
import { createOrdersStore } from '../orders';
import { orderViewOf } from '../orders/fakeTrading';
import { createRiskStore } from '../risk';
import { createSessionStore } from '../session';
import type { TradesHandle } from '../trades';
import { createEventLog, startEventLogFeeds } from './eventLog';
import { watchOrders } from './orderEvents';
import type { OrderEvent } from './orderEvents';
import { RingBuffer } from './ringBuffer';

const T0 = 1_790_000_000_000;
const order = (id: string, more: Partial<OrderView> = {}): OrderView =>
  orderViewOf(id, {
    quantity: 2,
    state: 'PENDING_NEW',
    createdAt: T0 + 10_000,
    updatedAt: T0 + 10_000,
    ...more,
  });

describe('the ring buffer', () => {
  it('keeps the latest `capacity` items, newest first, whatever was pushed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer(), { maxLength: 100 }),
        (capacity, items) => {
          const ring = new RingBuffer<number>(capacity);
          for (const i of items) ring.push(i);
          expect(ring.newestFirst()).toEqual(items.slice(-capacity).reverse());
          expect(ring.size).toBe(Math.min(capacity, items.length));
          expect(ring.total).toBe(items.length);
        },
      ),
    );
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('what happens to orders', () => {
  it('tells orders placed after the window opened and their ends, not the ones it found', () => {
    const store = createOrdersStore([order('OLD', { state: 'OPEN', createdAt: T0 - 60_000 })]);
    const events: string[] = [];
    watchOrders(store, (e: OrderEvent) => events.push(`${e.kind} ${e.order.clientOrderId}`), T0);
    // The first list brings an older order it did not have: baseline, not "placed".
    store
      .getState()
      .listed([order('OLDER', { state: 'COMPLETE', createdAt: T0 - 90_000, updatedAt: T0 - 80_000 })]);
    store.getState().received(order('NEW', { updatedAt: T0 + 10_001 }));
    store.getState().received(order('NEW', { state: 'OPEN', updatedAt: T0 + 10_002 }));
    store.getState().received(order('NEW', { state: 'COMPLETE', updatedAt: T0 + 10_003 }));
    store
      .getState()
      .received(order('OLD', { state: 'CANCELLED', createdAt: T0 - 60_000, updatedAt: T0 + 11_000 }));
    store
      .getState()
      .received(order('BAD', { state: 'REJECTED', reason: 'RMS: margin', updatedAt: T0 + 12_000 }));
    expect(events).toEqual(['placed NEW', 'complete NEW', 'cancelled OLD', 'placed BAD', 'rejected BAD']);
  });
});

describe('the event log', () => {
  it('logs orders, fills, the engine link, the session and the trading state', () => {
    const log = createEventLog(50, () => T0);
    const orders = createOrdersStore();
    const engine = createEngineStore();
    const session = createSessionStore();
    const risk = createRiskStore();
    const tradeListeners = new Set<(t: TradeView) => void>();
    const trades = {
      onNewTrade: (l: (t: TradeView) => void) => {
        tradeListeners.add(l);
        return { dispose: () => tradeListeners.delete(l) };
      },
    } as unknown as TradesHandle;
    const feeds = startEventLogFeeds(log, { orders, trades, engine, session, risk, startedAt: T0 });

    engine.getState().connectionChanged({ status: 'connected', attempt: 0, since: T0 });
    orders.getState().received(order('SQ1', { state: 'REJECTED', reason: 'Insufficient funds' }));
    for (const l of tradeListeners) {
      l({
        tradeId: 'T1',
        clientOrderId: 'SQ2',
        brokerOrderId: 'B2',
        instrumentToken: 408065,
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        priceDivisor: 100,
        side: 'SELL',
        product: 'MIS',
        quantity: 5,
        price: 152_345,
        time: T0,
      });
    }
    risk.getState().statusReceived({
      state: 'HALTED',
      reason: 'kill switch',
      since: T0,
      dayNetPaise: 0,
      dailyLossLimitPaise: 0,
      openOrders: 0,
      ordersLastSecond: 0,
      ordersLastMinute: 0,
      ordersToday: 0,
    });
    engine
      .getState()
      .connectionChanged({ status: 'reconnecting', attempt: 1, since: T0, lastError: 'socket closed' });

    const lines = log.store.getState().entries.map((e) => `${e.source} ${e.level} ${e.text}`);
    expect(lines).toEqual([
      'connection warn Engine link lost: socket closed; reconnecting',
      'risk alarm Trading HALTED — kill switch',
      'fill ok Filled SELL 5 INFY @ 1523.45 (SQ2)',
      'order alarm Rejected BUY 2 INFY LIMIT @ 1500.00 (SQ1): Insufficient funds',
      'order info Placed BUY 2 INFY LIMIT @ 1500.00 (SQ1)',
      'connection ok Engine connected',
    ]);
    feeds.dispose();
    engine.getState().connectionChanged({ status: 'connected', attempt: 0, since: T0 });
    expect(log.store.getState().entries).toHaveLength(6);
    log.clear();
    expect(log.store.getState().entries).toEqual([]);
  });
});
