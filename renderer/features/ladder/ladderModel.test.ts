import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../../shared/services/orders';
import { orderViewOf } from '../orders/fakeTrading';
import {
  centreRow,
  centredWindow,
  clickIntent,
  dragIntent,
  ladderOrders,
  needsRecentre,
  nearestRow,
  orderBlocker,
  orderKey,
  ordersByPrice,
  priceAtRow,
  productsFor,
  resized,
  rowOfPrice,
  scrolled,
  unitsOfLots,
} from './ladderModel';
import type { OrderContext } from './ladderModel';

const infy = { instrumentToken: 408065, lotSize: 1, tickSize: 5, instrumentType: 'EQ' } as const;
const nifty = { instrumentToken: 9_000_001, lotSize: 75, tickSize: 5, instrumentType: 'FUT' } as const;

/** An open INFY limit buy of 10 at 1530.00 (MIS), changed by `over`. */
const order = (over: Partial<OrderView>): OrderView =>
  orderViewOf(over.clientOrderId ?? 'SQ1', {
    product: 'MIS',
    price: 153_000,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  });

describe('rows and prices', () => {
  it('centres the last price on the middle row, one tick a row, highest first', () => {
    // 1530.02 rounds to 1530.00 on a 0.05 tick; 21 rows put it on row 10.
    const w = centredWindow(153_002, 5, 21);
    expect(centreRow(21)).toBe(10);
    expect(w.top).toBe(153_000 + 10 * 5);
    expect(priceAtRow(w, 0)).toBe(153_050);
    expect(priceAtRow(w, 10)).toBe(153_000);
    expect(priceAtRow(w, 20)).toBe(152_950);
    expect(rowOfPrice(w, 153_000)).toBe(10);
    expect(rowOfPrice(w, 153_003)).toBe(-1); // off the grid
    expect(rowOfPrice(w, 153_055)).toBe(-1); // above the window
    expect(nearestRow(w, 153_002)).toBe(10);
    expect(nearestRow(w, 153_003)).toBe(9); // nearer 153.05
  });

  it('puts the upper of two middle rows at the price for an even count', () => {
    const w = centredWindow(100_000, 100, 10);
    expect(priceAtRow(w, 4)).toBe(100_000);
  });

  it('maps every row to a price and back, for any tick and centre', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 80 }),
        (price, tick, rows) => {
          const w = centredWindow(price, tick, rows);
          for (let r = 0; r < rows; r++) {
            const p = priceAtRow(w, r);
            if (p <= 0 || p % tick !== 0 || rowOfPrice(w, p) !== r) return false;
          }
          return true;
        },
      ),
    );
  });

  it('never shows a price below one tick near zero', () => {
    const w = centredWindow(10, 5, 21);
    expect(priceAtRow(w, 20)).toBe(5);
    expect(scrolled(w, -5)).toBe(w); // cannot scroll further down
  });

  it('scrolls by rows and recentres when the price nears an edge or leaves', () => {
    const w = centredWindow(153_000, 5, 21);
    expect(priceAtRow(scrolled(w, 3), 10)).toBe(153_015);
    expect(needsRecentre(w, 153_000)).toBe(false);
    expect(needsRecentre(w, 153_040)).toBe(false); // row 2
    expect(needsRecentre(w, 153_045)).toBe(true); // row 1
    expect(needsRecentre(w, 152_955)).toBe(true); // row 19
    expect(needsRecentre(w, 160_000)).toBe(true); // off the window
    expect(needsRecentre(w, 0)).toBe(false); // no price yet
  });

  it('keeps the middle price when the row count changes', () => {
    const w = centredWindow(153_000, 5, 21);
    const r = resized(w, 41);
    expect(priceAtRow(r, centreRow(41))).toBe(153_000);
  });
});

describe('working orders by row', () => {
  it('places limits at their price and stops at their trigger, with what is left to fill', () => {
    const orders = ladderOrders(
      [
        order({ clientOrderId: 'A', price: 153_000, quantity: 10, filledQuantity: 4 }),
        order({ clientOrderId: 'B', price: 153_000, quantity: 5 }),
        order({ clientOrderId: 'C', side: 'SELL', orderType: 'SL-M', price: 0, triggerPrice: 152_500 }),
        order({ clientOrderId: 'D', state: 'CANCELLED' }),
        order({ clientOrderId: 'E', orderType: 'MARKET', price: 0 }),
        order({ clientOrderId: 'F', instrumentToken: 1 }),
      ],
      408065,
    );
    expect(orders.map((o) => o.clientOrderId)).toEqual(['A', 'B', 'C']);
    const byPrice = ordersByPrice(orders);
    expect(byPrice.get(orderKey('BUY', 153_000))?.quantity).toBe(11);
    expect(byPrice.get(orderKey('BUY', 153_000))?.orders.map((o) => o.clientOrderId)).toEqual(['A', 'B']);
    expect(byPrice.get(orderKey('SELL', 152_500))?.quantity).toBe(10);
    expect(byPrice.get(orderKey('SELL', 153_000))).toBeUndefined();
  });

  it('says which orders can be moved and cancelled now', () => {
    const [open, pending, modifying] = ladderOrders(
      [
        order({ clientOrderId: 'A', state: 'OPEN' }),
        order({ clientOrderId: 'B', state: 'PENDING_NEW' }),
        order({ clientOrderId: 'C', state: 'MODIFY_PENDING' }),
      ],
      408065,
    );
    expect([open?.modifiable, open?.cancellable]).toEqual([true, true]);
    expect([pending?.modifiable, pending?.cancellable]).toEqual([false, false]);
    expect([modifying?.modifiable, modifying?.cancellable]).toEqual([false, true]);
  });
});

describe('quantity and product', () => {
  it('sizes in lots', () => {
    expect(unitsOfLots(10, 1)).toBe(10);
    expect(unitsOfLots(2, 75)).toBe(150);
    expect(unitsOfLots(0, 75)).toBeUndefined();
    expect(unitsOfLots(1.5, 75)).toBeUndefined();
    expect(unitsOfLots(1, 0)).toBeUndefined(); // an index
  });

  it('offers MIS first for equities and NRML first for F&O', () => {
    expect(productsFor({ instrumentType: 'EQ' })).toEqual(['MIS', 'CNC']);
    expect(productsFor({ instrumentType: 'FUT' })).toEqual(['NRML', 'MIS']);
    expect(productsFor({ instrumentType: 'CE' })[0]).toBe('NRML');
  });

  it('never lets an order command run with an ambiguous instrument or quantity', () => {
    const ctx: OrderContext = { instrument: nifty, quantity: 75, product: 'NRML', lastPrice: 2_400_000 };
    expect(orderBlocker(ctx)).toBeUndefined();
    expect(orderBlocker({ ...ctx, instrument: undefined })).toMatch(/instrument/i);
    expect(orderBlocker({ ...ctx, quantity: 0 })).toMatch(/quantity/i);
    expect(orderBlocker({ ...ctx, quantity: 100 })).toMatch(/lot size \(75\)/);
    expect(orderBlocker({ ...ctx, instrument: { ...nifty, instrumentType: 'INDEX', lotSize: 0 } })).toMatch(
      /index/i,
    );
    expect(clickIntent({ ...ctx, quantity: 100 }, 'bid', 2_399_000, false).ok).toBe(false);
  });
});

describe('click to order', () => {
  const ctx: OrderContext = { instrument: infy, quantity: 10, product: 'MIS', lastPrice: 153_000 };

  it('buys LIMIT on the bid side and sells LIMIT on the ask side, at the row price', () => {
    expect(clickIntent(ctx, 'bid', 152_950, false)).toEqual({
      ok: true,
      order: {
        instrumentToken: 408065,
        quantity: 10,
        product: 'MIS',
        side: 'BUY',
        orderType: 'LIMIT',
        price: 152_950,
      },
    });
    expect(clickIntent(ctx, 'ask', 153_050, false)).toEqual({
      ok: true,
      order: {
        instrumentToken: 408065,
        quantity: 10,
        product: 'MIS',
        side: 'SELL',
        orderType: 'LIMIT',
        price: 153_050,
      },
    });
  });

  it('places a buy stop above the market on the ask side and a sell stop below it on the bid side', () => {
    const buyStop = clickIntent(ctx, 'ask', 153_100, true);
    expect(buyStop).toEqual({
      ok: true,
      order: {
        instrumentToken: 408065,
        quantity: 10,
        product: 'MIS',
        side: 'BUY',
        orderType: 'SL-M',
        triggerPrice: 153_100,
      },
    });
    const sellStop = clickIntent(ctx, 'bid', 152_900, true);
    expect(sellStop.ok && sellStop.order.side).toBe('SELL');
    expect(sellStop.ok && sellStop.order.triggerPrice).toBe(152_900);
    expect(sellStop.ok && sellStop.order.price).toBeUndefined();
  });

  it('refuses a stop on the wrong side of the market, or at it, with the reason', () => {
    const buyBelow = clickIntent(ctx, 'ask', 152_900, true);
    expect(buyBelow).toEqual({
      ok: false,
      message: expect.stringMatching(/buy stop must be above the last price/i),
    });
    expect(clickIntent(ctx, 'ask', 153_000, true).ok).toBe(false); // at the market
    const sellAbove = clickIntent(ctx, 'bid', 153_100, true);
    expect(sellAbove).toEqual({
      ok: false,
      message: expect.stringMatching(/sell stop must be below the last price/i),
    });
    expect(clickIntent({ ...ctx, lastPrice: 0 }, 'ask', 153_100, true)).toEqual({
      ok: false,
      message: expect.stringMatching(/no last price/i),
    });
  });

  it('refuses a price off the tick grid', () => {
    expect(clickIntent(ctx, 'bid', 152_951, false).ok).toBe(false);
  });
});

describe('drag to modify', () => {
  it('moves a limit to the row it is dropped on', () => {
    expect(dragIntent(order({ price: 153_000 }), 152_900, 153_100)).toEqual({
      ok: true,
      clientOrderId: 'SQ1',
      change: { price: 152_900 },
    });
    expect(dragIntent(order({ price: 153_000 }), 153_000, 153_100)).toBeUndefined(); // dropped where it was
  });

  it('moves a stop trigger, and an SL limit price with it by as many ticks', () => {
    const slm = order({ side: 'SELL', orderType: 'SL-M', price: 0, triggerPrice: 152_500 });
    expect(dragIntent(slm, 152_400, 153_000)).toEqual({
      ok: true,
      clientOrderId: 'SQ1',
      change: { triggerPrice: 152_400 },
    });
    const sl = order({ side: 'SELL', orderType: 'SL', price: 152_450, triggerPrice: 152_500 });
    expect(dragIntent(sl, 152_600, 153_000)).toEqual({
      ok: true,
      clientOrderId: 'SQ1',
      change: { triggerPrice: 152_600, price: 152_550 },
    });
  });

  it('refuses to drag a stop across the market', () => {
    const slm = order({ side: 'SELL', orderType: 'SL-M', price: 0, triggerPrice: 152_500 });
    expect(dragIntent(slm, 153_100, 153_000)).toEqual({
      ok: false,
      message: expect.stringMatching(/sell stop must be below/i),
    });
  });
});
