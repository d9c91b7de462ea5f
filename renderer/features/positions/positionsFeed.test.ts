import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../shared/rpc/errors';
import { fakeFrames } from '../market/fakeFrames';
import { fakeLink, settle } from '../market/fakeMarket';
import { startOrders, createOrdersStore } from '../orders';
import { fakeTrading } from '../orders/fakeTrading';
import type { PnlCells, PortfolioService, PositionCells } from './positionsFeed';
import { startPositionsFeed } from './positionsFeed';
import { createPositionsStore } from './positionsStore';

// Live positions into cells, against an in-memory fake of the engine's portfolio service
// (orders/fakeTrading.ts): the engine's own service is being written elsewhere. Cells are plain
// objects with the two things the feed writes: textContent and dataset.

function cell(): HTMLElement {
  return { textContent: '', dataset: {} } as unknown as HTMLElement;
}

function positionCells(): PositionCells {
  return {
    row: cell(),
    quantity: cell(),
    average: cell(),
    lastPrice: cell(),
    realized: cell(),
    unrealized: cell(),
    charges: cell(),
    net: cell(),
  };
}

function setup() {
  const trading = fakeTrading([
    {
      instrumentToken: 408065,
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      tickSize: 5,
      lotSize: 1,
      priceDivisor: 100,
      lastPrice: 154_490,
    },
  ]);
  const link = fakeLink();
  const frames = fakeFrames();
  const store = createPositionsStore();
  const feed = startPositionsFeed(trading.portfolio, link, frames, store);
  const orders = startOrders(trading.orders, link, createOrdersStore());
  return { trading, frames, store, feed, orders };
}

describe('the positions feed', () => {
  it('adds a row when a fill makes a position and paints its numbers once per frame', async () => {
    const { frames, store, feed, orders, trading } = setup();
    await settle();
    expect(store.getState().served).toBe('yes');
    expect(store.getState().rows).toEqual([]);
    await orders.actions.place({
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 10,
      orderType: 'MARKET',
      product: 'CNC',
    });
    expect(store.getState().rows).toEqual([
      {
        key: '408065:CNC',
        instrumentToken: 408065,
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        product: 'CNC',
        open: true,
      },
    ]);
    const cells = positionCells();
    const totals: PnlCells = { realized: cell(), unrealized: cell(), charges: cell(), net: cell() };
    feed.register('408065:CNC', cells);
    feed.registerTotals(totals);
    // Painted at once from what is known when the row mounts.
    expect(cells.quantity.textContent).toBe('+10');
    expect(cells.average.textContent).toBe('1544.90');

    // Prices move: the rows stay (no React update), the cells change on the next frame only.
    const rows = store.getState().rows;
    trading.setLastPrice(408065, 154_600);
    trading.setLastPrice(408065, 154_700);
    expect(cells.lastPrice.textContent).toBe('1544.90');
    frames.runFrame();
    expect(store.getState().rows).toBe(rows);
    expect(cells.lastPrice.textContent).toBe('1547.00');
    expect(cells.unrealized.textContent).toBe('+21.00');
    expect(cells.unrealized.dataset['dir']).toBe('up');
    expect(cells.charges.textContent).toBe('20.00');
    expect(cells.net.textContent).toBe('+1.00');
    expect(totals.net.textContent).toBe('+1.00');
    expect(totals.charges.textContent).toBe('20.00');
  });

  it('moves a closed position below the open ones and marks it flat', async () => {
    const { store, orders, trading } = setup();
    trading.setLastPrice(408065, 154_490);
    await orders.actions.place({
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 10,
      orderType: 'MARKET',
      product: 'MIS',
    });
    await orders.actions.place({
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 5,
      orderType: 'MARKET',
      product: 'CNC',
    });
    expect(store.getState().rows.map((r) => r.product)).toEqual(['CNC', 'MIS']);
    expect(await orders.actions.exit(408065, 'CNC', 'INFY CNC')).toMatchObject({
      ok: true,
      order: { side: 'SELL' },
    });
    expect(store.getState().rows.map((r) => [r.product, r.open])).toEqual([
      ['MIS', true],
      ['CNC', false],
    ]);
  });

  it('says the engine keeps no positions when it answers UNKNOWN_METHOD', async () => {
    const missing = () => Promise.reject(new RpcError('UNKNOWN_METHOD', 'no service portfolio'));
    const none = { dispose: () => undefined };
    const portfolio = {
      positions: missing,
      pnl: missing,
      margins: missing,
      holdings: missing,
      orderMargin: missing,
      onPositions: () => none,
      onPnl: () => none,
    } as PortfolioService;
    const store = createPositionsStore();
    startPositionsFeed(portfolio, fakeLink(), fakeFrames(), store);
    await settle();
    expect(store.getState().served).toBe('no');
  });

  it('hands each newer day P&L to its listeners (the equity curve) on the one subscription', async () => {
    const { feed, trading, frames } = setup();
    await settle();
    const heard: number[] = [];
    const listening = feed.onPnl((p) => heard.push(p.net));
    trading.setLastPrice(408065, 154_600); // no position: the P&L stays 0 but a sample comes
    expect(trading.listeners('pnl')).toBe(1);
    const before = heard.length;
    expect(before).toBeGreaterThan(0);
    expect(heard.at(-1)).toBe(feed.latestPnl()?.net);
    listening.dispose();
    trading.setLastPrice(408065, 154_700);
    frames.runFrame();
    expect(heard).toHaveLength(before);
  });

  it('closes its streams when disposed', () => {
    const { feed, trading } = setup();
    expect(trading.listeners('positions')).toBe(1);
    expect(trading.listeners('pnl')).toBe(1);
    feed.dispose();
    expect(trading.listeners('positions')).toBe(0);
    expect(trading.listeners('pnl')).toBe(0);
  });
});
