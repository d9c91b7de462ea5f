import { describe, expect, it } from 'vitest';
import type { OrderView, TradeView } from '../../../shared/services/orders';
import { createOrdersStore } from '../orders';
import type { TradesHandle } from '../trades';
import { startToastFeed } from './toastFeed';
import { MAX_TOASTS, TOAST_MS, createToasts } from './toastStore';
import type { ToastTimers } from './toastStore';

function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; cb: () => void }>();
  const timers: ToastTimers = {
    setTimeout: (cb, ms) => {
      pending.set(next, { at: now + ms, cb });
      return next++;
    },
    clearTimeout: (h) => {
      pending.delete(h as number);
    },
  };
  return {
    timers,
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...pending]) {
        if (t.at > now) continue;
        pending.delete(id);
        t.cb();
      }
    },
    get pending() {
      return pending.size;
    },
  };
}

describe('toasts', () => {
  it('go by themselves (a rejection stays longer), stack at most four, and can be dismissed', () => {
    const time = fakeTimers();
    const toasts = createToasts(time.timers);
    const titles = () => toasts.store.getState().toasts.map((t) => t.title);
    toasts.show({ kind: 'fill', side: 'BUY', title: 'f1', detail: '' });
    toasts.show({ kind: 'rejected', side: 'SELL', title: 'r1', detail: 'why' });
    time.advance(TOAST_MS.fill);
    expect(titles()).toEqual(['r1']);
    time.advance(TOAST_MS.rejected - TOAST_MS.fill);
    expect(titles()).toEqual([]);
    for (let i = 0; i < MAX_TOASTS + 2; i++)
      toasts.show({ kind: 'fill', side: 'BUY', title: `n${i}`, detail: '' });
    expect(titles()).toEqual(['n2', 'n3', 'n4', 'n5']);
    expect(time.pending).toBe(MAX_TOASTS);
    const first = toasts.store.getState().toasts[0];
    if (first !== undefined) toasts.dismiss(first.id);
    expect(titles()).toEqual(['n3', 'n4', 'n5']);
    toasts.dispose();
    expect(time.pending).toBe(0);
  });

  it('tell each new fill and each rejection with its reason', () => {
    const time = fakeTimers();
    const toasts = createToasts(time.timers);
    const orders = createOrdersStore();
    const tradeListeners = new Set<(t: TradeView) => void>();
    const trades = {
      onNewTrade: (l: (t: TradeView) => void) => {
        tradeListeners.add(l);
        return { dispose: () => tradeListeners.delete(l) };
      },
    } as unknown as TradesHandle;
    const feed = startToastFeed(toasts, { orders, trades, startedAt: 0 });
    for (const l of tradeListeners) {
      l({
        tradeId: 'T1',
        clientOrderId: 'SQ1',
        brokerOrderId: 'B1',
        instrumentToken: 1,
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        priceDivisor: 100,
        side: 'BUY',
        product: 'CNC',
        quantity: 2,
        price: 152_345,
        time: 1,
      });
    }
    const rejected = {
      clientOrderId: 'SQ2',
      side: 'SELL',
      tradingsymbol: 'TCS',
      quantity: 1,
      state: 'REJECTED',
      reason: 'Price outside the circuit band',
      createdAt: 10,
      updatedAt: 10,
    } as OrderView;
    orders.getState().received(rejected);
    expect(toasts.store.getState().toasts.map((t) => [t.kind, t.title, t.detail])).toEqual([
      ['fill', 'Bought 2 INFY @ 1523.45', 'NSE · CNC · SQ1'],
      ['rejected', 'Rejected: SELL 1 TCS', 'Price outside the circuit band'],
    ]);
    feed.dispose();
    expect(tradeListeners.size).toBe(0);
  });
});
