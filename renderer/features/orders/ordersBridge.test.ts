import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../shared/rpc/errors';
import { fakeLink, settle } from '../market/fakeMarket';
import { startOrders } from './ordersBridge';
import type { OrdersService } from './ordersBridge';
import { createOrdersStore, selectOrderEntryBlocked } from './ordersStore';
import { fakeTrading, orderViewOf } from './fakeTrading';
import type { FakeInstrument } from './fakeTrading';

// The orders feed and commands against an in-memory fake of the engine's orders service
// (fakeTrading.ts): the engine's own service is being written elsewhere.

const infy = (): FakeInstrument => ({
  instrumentToken: 408065,
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  tickSize: 5,
  lotSize: 1,
  priceDivisor: 100,
  lastPrice: 154_490,
});

function setup() {
  const trading = fakeTrading([infy()]);
  const link = fakeLink();
  const store = createOrdersStore();
  const handle = startOrders(trading.orders, link, store);
  return { trading, link, store, handle };
}

describe('the orders feed', () => {
  it('lists the orders on connecting and follows the stream; working orders first', async () => {
    const { handle, store } = setup();
    await settle();
    expect(store.getState().served).toBe('yes');
    expect(store.getState().rows).toEqual([]);
    const open = await handle.actions.place({
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 5,
      orderType: 'LIMIT',
      product: 'CNC',
      price: 150_000,
    });
    expect(open).toMatchObject({ ok: true, order: { state: 'OPEN' } });
    const filled = await handle.actions.place({
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 1,
      orderType: 'MARKET',
      product: 'CNC',
    });
    expect(filled).toMatchObject({ ok: true, order: { state: 'COMPLETE', averagePrice: 154_490 } });
    expect(store.getState().rows.map((o) => o.state)).toEqual(['OPEN', 'COMPLETE']);
    expect(store.getState().workingCount).toBe(1);
  });

  it('cancels an order; a refused cancel becomes the grid notice', async () => {
    const { handle, store } = setup();
    const placed = await handle.actions.place({
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 5,
      orderType: 'LIMIT',
      product: 'CNC',
      price: 150_000,
    });
    const id = placed.ok && placed.order !== null ? placed.order.clientOrderId : '';
    const cancelling = handle.actions.cancel(id);
    expect(store.getState().busy.has(id)).toBe(true);
    expect(await cancelling).toMatchObject({ ok: true, order: { state: 'CANCELLED' } });
    expect(store.getState().busy.has(id)).toBe(false);
    expect(store.getState().rows[0]?.state).toBe('CANCELLED');

    expect(await handle.actions.cancel(id)).toMatchObject({ ok: false, refusal: { code: 'NOT_MODIFIABLE' } });
    expect(store.getState().notice).toMatchObject({
      action: `Cancel ${id}`,
      refusal: { code: 'NOT_MODIFIABLE' },
    });
  });

  it("returns the engine's refusal of a new order (and does not put it in the grid notice)", async () => {
    const { handle, store } = setup();
    const off = await handle.actions.place({
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      product: 'CNC',
      price: 154_493,
    });
    expect(off).toMatchObject({
      ok: false,
      refusal: { code: 'TICK_SIZE', suggestion: 'Use 1544.9 or 1544.95' },
    });
    expect(store.getState().notice).toBeUndefined();
  });

  it('modifies a price and cancels all', async () => {
    const { handle, store, trading } = setup();
    for (const price of [150_000, 149_000]) {
      await handle.actions.place({
        instrumentToken: 408065,
        side: 'BUY',
        quantity: 1,
        orderType: 'LIMIT',
        product: 'CNC',
        price,
      });
    }
    const first = store.getState().rows.find((o) => o.price === 150_000);
    expect(await handle.actions.modify(first?.clientOrderId ?? '', { price: 150_500 })).toMatchObject({
      ok: true,
      order: { price: 150_500 },
    });
    expect(await handle.actions.cancelAll()).toEqual({ ok: true, order: null });
    expect(store.getState().workingCount).toBe(0);
    expect(trading.calls.map((c) => c.method)).toContain('orders.cancelAll');
  });

  it('blocks new orders while reconciling or blocked, with the issues; accepting lifts the block', async () => {
    const { handle, store, trading } = setup();
    await settle();
    expect(selectOrderEntryBlocked(store.getState())).toBe(false);
    trading.setReconciliation({ state: 'reconciling', at: 0, summary: '', issues: [] });
    expect(selectOrderEntryBlocked(store.getState())).toBe(true);
    trading.setReconciliation({
      state: 'blocked',
      at: 1,
      summary: '',
      issues: [
        {
          id: 'i1',
          kind: 'missing-order',
          message: 'Order FK1 is not at the broker',
          clientOrderId: 'FK1',
          instrumentToken: null,
        },
      ],
    });
    expect(store.getState().reconciliation?.issues).toHaveLength(1);
    await handle.actions.acceptIssue('i1');
    expect(store.getState().reconciliation?.state).toBe('ok');
    expect(selectOrderEntryBlocked(store.getState())).toBe(false);
  });

  it('fetches again on every connection, keeps the newer of two views of an order', async () => {
    const { link, store, trading } = setup();
    await settle();
    store.getState().received(orderViewOf('X', { state: 'CANCELLED', updatedAt: 10 }));
    store.getState().listed([orderViewOf('X', { state: 'OPEN', updatedAt: 5 })]);
    expect(store.getState().rows[0]?.state).toBe('CANCELLED');
    const lists = () => trading.calls.filter((c) => c.method === 'orders.list').length;
    const before = lists();
    link.drop();
    link.connect();
    await settle();
    expect(lists()).toBe(before + 1);
  });

  it('says the engine does not serve orders when it answers UNKNOWN_METHOD', async () => {
    const missing = () => Promise.reject(new RpcError('UNKNOWN_METHOD', 'no service orders'));
    const none = { dispose: () => undefined };
    const service = {
      place: missing,
      modify: missing,
      cancel: missing,
      cancelAll: missing,
      exit: missing,
      list: missing,
      trades: missing,
      reconciliation: missing,
      acceptIssue: missing,
      onOrders: () => none,
      onTrades: () => none,
      onReconciliation: () => none,
    } as OrdersService;
    const store = createOrdersStore();
    const handle = startOrders(service, fakeLink(), store);
    await settle();
    expect(store.getState().served).toBe('no');
    handle.dispose();
  });

  it('closes its streams when disposed', () => {
    const { handle, trading } = setup();
    expect(trading.listeners('orders')).toBe(1);
    expect(trading.listeners('reconciliation')).toBe(1);
    handle.dispose();
    expect(trading.listeners('orders')).toBe(0);
    expect(trading.listeners('reconciliation')).toBe(0);
  });
});
