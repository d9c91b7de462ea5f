import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadInstruments } from '../instruments/loadInstruments';
import type { Instrument } from '../instruments/instruments';
import { MESSAGES } from './messages';
import { Exchange, ORDER_TRANSITIONS } from './exchange';
import type { ExchangeEvent, OrderStatus, PlaceOrder } from './types';

const INSTRUMENTS = loadInstruments('2025-11-24');
const byKey = (exchange: string, symbol: string): Instrument =>
  INSTRUMENTS.find((i) => i.exchange === exchange && i.tradingsymbol === symbol)!;
const INFY = byKey('NSE', 'INFY'); // previous close 1540.80, tick 0.05
const NIFTY_FUT = byKey('NFO', 'NIFTY25NOVFUT');
// 2025-11-24 10:00 IST
const START = Date.UTC(2025, 10, 24, 4, 30);

interface Seen {
  type: ExchangeEvent['type'];
  order_id: string;
  status: OrderStatus;
  price?: number;
  quantity?: number;
  reason?: string;
}

let now = START;
let seen: Seen[] = [];
let ex: Exchange;

function make(sessionOpen = true, instruments: readonly Instrument[] = INSTRUMENTS): Exchange {
  return new Exchange({
    instruments,
    now: () => now,
    sessionOpen,
    onEvent: (e) => {
      const s: Seen = { type: e.type, order_id: e.order.order_id, status: e.order.status };
      if (e.type === 'trade') {
        s.price = e.trade.price;
        s.quantity = e.trade.quantity;
      }
      if (e.type === 'rejected' || e.type === 'cancelled') s.reason = e.reason;
      seen.push(s);
    },
  });
}

function infy(over: Partial<PlaceOrder>): PlaceOrder {
  return {
    account: 'AB1234',
    variety: 'regular',
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    transaction_type: 'BUY',
    order_type: 'LIMIT',
    quantity: 10,
    product: 'CNC',
    price: 154_000,
    ...over,
  };
}

function place(p: PlaceOrder): string {
  const r = ex.placeOrder(p);
  if (!r.ok) throw new Error(r.error.message);
  return r.order_id;
}

function placeError(p: PlaceOrder): string {
  const r = ex.placeOrder(p);
  if (r.ok) throw new Error('placed');
  expect(r.error.error_type).toBe('InputException');
  return r.error.message;
}

beforeEach(() => {
  now = START;
  seen = [];
  ex = make();
});

describe('Exchange: plain orders', () => {
  it('rests a limit order, then fills both sides at the resting price', () => {
    const buy = place(infy({ quantity: 10, price: 154_000 }));
    expect(ex.order(buy)!.status).toBe('OPEN');
    const sell = place(infy({ account: 'CD5678', transaction_type: 'SELL', quantity: 4, price: 153_900 }));
    expect(ex.order(sell)!.status).toBe('COMPLETE');
    expect(ex.order(buy)!).toMatchObject({ status: 'OPEN', filled_quantity: 4, pending_quantity: 6 });
    expect(seen.filter((s) => s.type === 'trade')).toEqual([
      { type: 'trade', order_id: buy, status: 'OPEN', price: 154_000, quantity: 4 },
      { type: 'trade', order_id: sell, status: 'COMPLETE', price: 154_000, quantity: 4 },
    ]);
    expect(ex.positions('AB1234')).toEqual([
      expect.objectContaining({ quantity: 4, buy_quantity: 4, buy_value: 616_000, product: 'CNC' }),
    ]);
    expect(ex.positions('CD5678')[0]!.quantity).toBe(-4);
    expect(ex.lastPrice(INFY.instrument_token)).toBe(154_000);
    expect(ex.marketStats(INFY.instrument_token)).toMatchObject({
      last_price: 154_000,
      last_quantity: 4,
      volume: 4,
      turnover: 616_000,
      open: 154_000,
      high: 154_000,
      low: 154_000,
      close: INFY.last_price,
    });
    expect(ex.book('NSE', 'INFY')!.totalQuantity(0)).toBe(6);
    expect(buy).toMatch(/^\d{19}$/);
  });

  it("refuses a price off the tick with Kite's message", () => {
    expect(placeError(infy({ price: 154_003 }))).toBe(MESSAGES.tick('0.05'));
    expect(placeError(infy({ price: 154_003 }))).toBe(
      'Tick size for this script is 0.05. Kindly enter price in the multiple of tick size for this script',
    );
  });

  it('refuses a quantity off the lot size', () => {
    const m = placeError({
      ...infy({}),
      exchange: 'NFO',
      tradingsymbol: NIFTY_FUT.tradingsymbol,
      product: 'NRML',
      quantity: 50,
      price: NIFTY_FUT.last_price,
    });
    expect(m).toBe(MESSAGES.lot(75));
  });

  it('refuses a product the segment does not allow, unknown instruments and indices', () => {
    expect(
      placeError({
        ...infy({}),
        exchange: 'NFO',
        tradingsymbol: NIFTY_FUT.tradingsymbol,
        quantity: 75,
        price: NIFTY_FUT.last_price,
      }),
    ).toBe(MESSAGES.product('CNC', 'NFO'));
    expect(placeError(infy({ product: 'NRML' }))).toBe(MESSAGES.product('NRML', 'NSE'));
    expect(placeError(infy({ tradingsymbol: 'NOPE' }))).toBe(MESSAGES.instrument('NSE', 'NOPE'));
    expect(placeError(infy({ tradingsymbol: 'NIFTY 50' }))).toBe(MESSAGES.notTradable);
    expect(placeError(infy({ order_type: 'STOP' }))).toBe(MESSAGES.invalid('order_type'));
    expect(placeError(infy({ price: undefined as unknown as number }))).toBe(MESSAGES.missing('price'));
  });

  it('rejects a price outside the circuit after accepting the request', () => {
    const id = place(infy({ price: INFY.upperCircuit + 5 }));
    expect(ex.order(id)!.status).toBe('REJECTED');
    expect(seen).toEqual([
      {
        type: 'rejected',
        order_id: id,
        status: 'REJECTED',
        reason: `Your order price is higher than the current upper circuit limit of ${INFY.upperCircuit / 100}. Place an order within the daily range.`,
      },
    ]);
    expect(ex.order(place(infy({ price: INFY.lowerCircuit - 5 })))!.status).toBe('REJECTED');
    expect(ex.order(place(infy({ price: INFY.upperCircuit })))!.status).toBe('OPEN');
  });

  it('cancels the unfilled part of an IOC order', () => {
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 3 }));
    const id = place(infy({ validity: 'IOC', quantity: 10 }));
    expect(ex.order(id)).toMatchObject({ status: 'CANCELLED', filled_quantity: 3, cancelled_quantity: 7 });
    expect(seen.at(-1)).toMatchObject({ type: 'cancelled', reason: MESSAGES.iocRemainder });
  });

  it('expires a TTL order after its minutes', () => {
    const id = place(infy({ validity: 'TTL', validity_ttl: 2 }));
    now += 119_000;
    ex.expireOrders();
    expect(ex.order(id)!.status).toBe('OPEN');
    now += 1_000;
    ex.expireOrders();
    expect(ex.order(id)!.status).toBe('CANCELLED');
    expect(seen.at(-1)!.type).toBe('expired');
    expect(placeError(infy({ validity: 'TTL' }))).toBe(MESSAGES.ttl);
  });

  it('fills a market order only within market protection and cancels the rest', () => {
    // Reference 1540.80; auto protection for a price over Rs 500 is 0.5%: up to 1548.50.
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 5, price: 154_500 }));
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 5, price: 155_000 }));
    const id = place(infy({ order_type: 'MARKET', quantity: 8, price: undefined as unknown as number }));
    expect(ex.order(id)).toMatchObject({ status: 'CANCELLED', filled_quantity: 5, cancelled_quantity: 3 });
    expect(seen.at(-1)).toMatchObject({ type: 'cancelled', reason: MESSAGES.marketRemainder });
    // With 1% protection from the new last price 1545.00 the second ask (1550.00) is in reach.
    const wide = place(infy({ order_type: 'MARKET', quantity: 5, market_protection: 1 }));
    expect(ex.order(wide)!.status).toBe('COMPLETE');
    expect(placeError(infy({ order_type: 'MARKET', market_protection: 150 }))).toBe(
      MESSAGES.marketProtection,
    );
  });

  it('refuses a single order above the freeze quantity, and autoslices when asked', () => {
    const fut = {
      ...infy({}),
      exchange: 'NFO',
      tradingsymbol: NIFTY_FUT.tradingsymbol,
      product: 'NRML',
      price: NIFTY_FUT.last_price,
    };
    expect(placeError({ ...fut, quantity: 1875 })).toBe(MESSAGES.freeze(1875, 1800));
    expect(MESSAGES.freeze(1875, 1800)).toMatch(
      /^The order quantity 1875 .* higher than the maximum quantity 1800 .*iceberg orders/,
    );
    const r = ex.placeOrder({ ...fut, quantity: 1875, autoslice: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.children).toHaveLength(2);
    const [a, b] = (r.children ?? []).map((c) => ('order_id' in c ? c.order_id : ''));
    expect(r.order_id).toBe(a);
    expect(ex.order(a!)).toMatchObject({ quantity: 1800, tags: ['autoslice', `autoslice:${a}`] });
    expect(ex.order(b!)).toMatchObject({ quantity: 75, tags: ['autoslice', `autoslice:${a}`] });
    expect(placeError(infy({ quantity: 100_001 }))).toBe('Maximum quantity per order for Equity is 1,00,000');
  });
});

describe('Exchange: modify and cancel', () => {
  it('keeps time priority on a quantity decrease and loses it on a price change or increase', () => {
    const first = place(infy({ account: 'A', quantity: 10 }));
    const second = place(infy({ account: 'B', quantity: 10 }));
    expect(ex.modifyOrder(first, { quantity: 6 })).toEqual({ ok: true, order_id: first });
    const book = ex.book('NSE', 'INFY')!;
    expect(book.queueAt(0, 154_000).map((q) => q.left)).toEqual([6, 10]);
    expect(ex.modifyOrder(first, { quantity: 8 }).ok).toBe(true);
    expect(book.queueAt(0, 154_000).map((q) => q.left)).toEqual([10, 8]);
    expect(ex.modifyOrder(second, { price: 154_100 }).ok).toBe(true);
    expect(ex.modifyOrder(second, { price: 154_000 }).ok).toBe(true);
    expect(book.queueAt(0, 154_000).map((q) => q.left)).toEqual([8, 10]);
    expect(seen.filter((s) => s.type === 'modified')).toHaveLength(4);
    const sell = place(infy({ account: 'S', transaction_type: 'SELL', quantity: 8 }));
    expect(ex.order(sell)!.status).toBe('COMPLETE');
    expect(ex.order(first)!.status).toBe('COMPLETE');
  });

  it('trades at once when a modified price crosses', () => {
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 5, price: 154_500 }));
    const id = place(infy({ quantity: 5 }));
    ex.modifyOrder(id, { price: 154_500 });
    expect(ex.order(id)!.status).toBe('COMPLETE');
  });

  it('cancels a pending order and refuses to touch a finished one', () => {
    const id = place(infy({}));
    expect(ex.cancelOrder(id)).toEqual({ ok: true, order_id: id });
    expect(ex.order(id)).toMatchObject({ status: 'CANCELLED', cancelled_quantity: 10 });
    const again = ex.cancelOrder(id);
    expect(again.ok).toBe(false);
    if (!again.ok)
      expect(again.error).toMatchObject({
        error_type: 'OrderException',
        message: MESSAGES.notPending('CANCELLED'),
      });
    const missing = ex.modifyOrder('1', { quantity: 1 });
    expect(missing.ok || missing.error.message).toBe(MESSAGES.notFound);
    expect(ex.book('NSE', 'INFY')!.restingOrders).toBe(0);
  });

  it('refuses a modify below the filled quantity or off the tick', () => {
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 4 }));
    const id = place(infy({ quantity: 10 }));
    const r = ex.modifyOrder(id, { quantity: 4 });
    expect(r.ok || r.error.message).toBe(MESSAGES.modifyBelowFilled);
    const t = ex.modifyOrder(id, { price: 154_001 });
    expect(t.ok || t.error.message).toBe(MESSAGES.tick('0.05'));
  });
});

describe('Exchange: stop orders', () => {
  it('parks SL and SL-M orders until the last price reaches the trigger', () => {
    const sl = place(infy({ order_type: 'SL', price: 155_500, trigger_price: 155_000, quantity: 2 }));
    const slm = place(
      infy({
        account: 'B',
        order_type: 'SL-M',
        trigger_price: 155_000,
        quantity: 3,
        price: undefined as unknown as number,
      }),
    );
    expect(ex.order(sl)!.status).toBe('TRIGGER PENDING');
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 20, price: 155_000 }));
    // Trade at 1550.00 by someone else: both stops trigger and trade against the remaining ask.
    place(infy({ account: 'X', quantity: 1, price: 155_000 }));
    expect(seen.filter((s) => s.type === 'triggered').map((s) => s.order_id)).toEqual([sl, slm]);
    expect(ex.order(sl)).toMatchObject({ status: 'COMPLETE', order_type: 'LIMIT' });
    expect(ex.order(slm)).toMatchObject({ status: 'COMPLETE', order_type: 'MARKET' });
  });

  it('refuses a stoploss trigger already reached and a limit on the wrong side of it', () => {
    expect(placeError(infy({ order_type: 'SL', trigger_price: 154_000, price: 154_100 }))).toBe(
      MESSAGES.stopBuyTrigger,
    );
    expect(placeError(infy({ order_type: 'SL', trigger_price: 155_000, price: 154_900 }))).toBe(
      MESSAGES.stopBuyPrice,
    );
    expect(placeError(infy({ transaction_type: 'SELL', order_type: 'SL-M', trigger_price: 155_000 }))).toBe(
      MESSAGES.stopSellTrigger,
    );
  });
});

describe('Exchange: varieties', () => {
  it('queues AMO orders while closed and sends them when the session opens', () => {
    ex = make(false);
    expect(placeError(infy({}))).toBe(MESSAGES.marketClosed);
    const sell = place(infy({ variety: 'amo', account: 'S', transaction_type: 'SELL' }));
    const buy = place(infy({ variety: 'amo' }));
    expect(ex.order(buy)!.status).toBe('AMO REQ RECEIVED');
    ex.openSession();
    expect(ex.order(sell)!.status).toBe('COMPLETE');
    expect(ex.order(buy)!.status).toBe('COMPLETE');
    expect(placeError(infy({ variety: 'amo' }))).toBe(MESSAGES.amoDuringMarket);
  });

  it('expires DAY orders at the close', () => {
    const id = place(infy({}));
    ex.closeSession();
    expect(ex.order(id)!.status).toBe('CANCELLED');
    expect(seen.at(-1)!.type).toBe('expired');
  });

  it("places an iceberg order leg by leg with Kite's meta.iceberg", () => {
    const first = place(infy({ variety: 'iceberg', quantity: 300, iceberg_legs: 3, iceberg_quantity: 100 }));
    expect(ex.order(first)!.meta.iceberg).toEqual({
      leg: 1,
      legs: 3,
      leg_quantity: 100,
      total_quantity: 300,
      remaining_quantity: 300,
    });
    expect(ex.book('NSE', 'INFY')!.quantityAt(0, 154_000)).toBe(100);
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 150 }));
    const legs = ex.orders().filter((o) => o.variety === 'iceberg');
    expect(legs).toHaveLength(2);
    expect(legs[1]).toMatchObject({ parent_order_id: first, status: 'OPEN', filled_quantity: 50 });
    expect(legs[1]!.meta.iceberg).toEqual({
      leg: 2,
      legs: 3,
      leg_quantity: 100,
      total_quantity: 300,
      remaining_quantity: 150,
    });
    ex.cancelOrder(legs[1]!.order_id);
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 200 }));
    expect(ex.orders().filter((o) => o.variety === 'iceberg')).toHaveLength(2);
    expect(
      placeError(infy({ variety: 'iceberg', quantity: 300, iceberg_legs: 1, iceberg_quantity: 300 })),
    ).toBe(MESSAGES.icebergLegs);
    expect(
      placeError(infy({ variety: 'iceberg', quantity: 300, iceberg_legs: 3, iceberg_quantity: 50 })),
    ).toBe(MESSAGES.icebergQuantity);
  });

  it('gives a cover order a stoploss leg as it fills, and exits it at market on cancel', () => {
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 10 }));
    const entry = place(
      infy({ variety: 'co', product: 'MIS', order_type: 'LIMIT', trigger_price: 150_000, quantity: 10 }),
    );
    expect(ex.order(entry)!.status).toBe('COMPLETE');
    const leg = ex.orders().find((o) => o.parent_order_id === entry)!;
    expect(leg).toMatchObject({
      variety: 'co',
      transaction_type: 'SELL',
      order_type: 'SL-M',
      trigger_price: 150_000,
      status: 'TRIGGER PENDING',
      quantity: 10,
    });
    place(infy({ account: 'B', quantity: 10, price: 153_900 }));
    ex.cancelOrder(leg.order_id);
    expect(ex.order(leg.order_id)).toMatchObject({ status: 'COMPLETE', order_type: 'MARKET' });
    expect(ex.positions('AB1234')[0]!.quantity).toBe(0);
    expect(placeError(infy({ variety: 'co', product: 'CNC', trigger_price: 150_000 }))).toBe(
      MESSAGES.coProduct,
    );
    expect(placeError(infy({ variety: 'co', product: 'MIS' }))).toBe(MESSAGES.coTrigger);
  });

  it('squares off MIS positions and cancels pending MIS orders, leaving CNC alone', () => {
    place(infy({ account: 'S', transaction_type: 'SELL', quantity: 10, product: 'MIS' }));
    place(infy({ quantity: 10, product: 'MIS' }));
    const pending = place(infy({ quantity: 5, product: 'MIS', price: 150_000 }));
    const cnc = place(infy({ quantity: 5, product: 'CNC', price: 150_000 }));
    // Liquidity for the square-off: a market maker on both sides near the last price.
    place(infy({ account: 'MM', transaction_type: 'SELL', quantity: 50, price: 154_100, product: 'CNC' }));
    place(infy({ account: 'MM', quantity: 50, price: 153_900, product: 'CNC' }));
    ex.squareOffIntraday();
    expect(ex.order(pending)!.status).toBe('CANCELLED');
    expect(ex.order(cnc)!.status).toBe('OPEN');
    const mis = ex.allPositions().filter((p) => p.product === 'MIS');
    expect(mis.map((p) => p.quantity)).toEqual([0, 0]);
    expect(ex.orders().filter((o) => o.tag === 'squareoff')).toHaveLength(2);
  });
});

describe('Exchange: order lifecycle', () => {
  it('has no way out of a terminal status', () => {
    expect(ORDER_TRANSITIONS.COMPLETE).toEqual([]);
    expect(ORDER_TRANSITIONS.CANCELLED).toEqual([]);
    expect(ORDER_TRANSITIONS.REJECTED).toEqual([]);
    expect(ORDER_TRANSITIONS['TRIGGER PENDING']).not.toContain('COMPLETE');
  });
});

// ---- properties ---------------------------------------------------------------------------------

type Action =
  | {
      kind: 'place';
      account: number;
      buy: boolean;
      type: 'LIMIT' | 'MARKET' | 'IOC' | 'SL' | 'SL-M';
      offset: number;
      quantity: number;
    }
  | { kind: 'cancel'; pick: number }
  | { kind: 'modify'; pick: number; offset: number; quantity: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      account: fc.integer({ min: 0, max: 2 }),
      buy: fc.boolean(),
      type: fc.constantFrom(
        'LIMIT' as const,
        'LIMIT' as const,
        'LIMIT' as const,
        'MARKET' as const,
        'IOC' as const,
        'SL' as const,
        'SL-M' as const,
      ),
      offset: fc.integer({ min: -12, max: 12 }),
      quantity: fc.integer({ min: 1, max: 30 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('modify' as const),
      pick: fc.nat(),
      offset: fc.integer({ min: -12, max: 12 }),
      quantity: fc.integer({ min: 1, max: 30 }),
    }),
  },
);

// A stock with a 2% band and a 0.01 tick: the offsets reach outside the band on purpose.
const TINY: Instrument = {
  ...INFY,
  tradingsymbol: 'TINY',
  last_price: 10_000,
  tick_size: 1,
  lowerCircuit: 9_990,
  upperCircuit: 10_010,
};

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

describe('Exchange properties (seeded)', () => {
  it('keeps positions equal to signed fills, buys equal to sells, prices on the tick and in the band', () => {
    let trades = 0;
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 20 }), (actions) => {
        const signed = [0, 0, 0];
        let bought = 0;
        let sold = 0;
        const ids: string[] = [];
        const x = new Exchange({
          instruments: [TINY],
          now: () => START,
          onEvent: (e) => {
            if (e.type !== 'trade') return;
            trades++;
            const t = e.trade;
            check(t.price % TINY.tick_size === 0, 'price off the tick');
            check(t.price >= TINY.lowerCircuit && t.price <= TINY.upperCircuit, 'fill outside the band');
            const a = Number(t.account);
            if (t.transaction_type === 'BUY') {
              bought += t.quantity;
              signed[a] = (signed[a] ?? 0) + t.quantity;
            } else {
              sold += t.quantity;
              signed[a] = (signed[a] ?? 0) - t.quantity;
            }
          },
        });
        const book = x.book('NSE', 'TINY')!;
        for (const a of actions) {
          if (a.kind === 'place') {
            // Stops: a trigger 1-4 ticks beyond the last price, the limit 2 ticks beyond that.
            const last = x.lastPrice(TINY.instrument_token) ?? TINY.last_price;
            const away = 1 + (Math.abs(a.offset) % 4);
            const trigger = a.buy ? last + away : last - away;
            const stop = a.type === 'SL' || a.type === 'SL-M';
            const r = x.placeOrder({
              account: String(a.account),
              variety: 'regular',
              exchange: 'NSE',
              tradingsymbol: 'TINY',
              transaction_type: a.buy ? 'BUY' : 'SELL',
              order_type: a.type === 'IOC' ? 'LIMIT' : a.type,
              ...(stop ? { trigger_price: trigger } : {}),
              validity: a.type === 'IOC' ? 'IOC' : 'DAY',
              quantity: a.quantity,
              product: 'MIS',
              ...(a.type === 'MARKET' || a.type === 'SL-M'
                ? { market_protection: 1 }
                : { price: a.type === 'SL' ? trigger + (a.buy ? 2 : -2) : 10_000 + a.offset }),
            });
            if (r.ok) ids.push(r.order_id);
          } else if (ids.length > 0) {
            const id = ids[a.pick % ids.length]!;
            if (a.kind === 'cancel') x.cancelOrder(id);
            else x.modifyOrder(id, { price: 10_000 + a.offset, quantity: a.quantity });
          }
          const bid = book.bestBid();
          const ask = book.bestAsk();
          check(bid === 0 || ask === 0 || bid < ask, 'crossed book at rest');
        }
        check(bought === sold, 'buys and sells differ');
        for (const p of x.allPositions())
          check(p.quantity === signed[Number(p.account)], 'position differs from fills');
        for (const o of x.orders()) {
          check(
            o.filled_quantity + o.pending_quantity + o.cancelled_quantity === o.quantity ||
              o.status === 'REJECTED',
            'quantities do not add up',
          );
        }
      }),
      { seed: 424242, numRuns: 45_000 },
    );
    // The sequences do trade: a property over an idle book would prove nothing.
    expect(trades).toBeGreaterThan(20_000);
  });
});

describe('Exchange: position conversion and forgetting', () => {
  it('moves a converted MIS position to CNC at its average, so the 15:20 square-off leaves it alone', () => {
    place(infy({ account: 'CD5678', transaction_type: 'SELL', quantity: 10, price: 154_000 }));
    place(infy({ product: 'MIS', quantity: 10, price: 154_000 }));
    const c = {
      account: 'AB1234',
      instrument_token: INFY.instrument_token,
      transaction_type: 'BUY' as const,
      quantity: 4,
      old_product: 'MIS' as const,
      new_product: 'CNC' as const,
    };
    expect(ex.convertPosition(c)).toEqual({ ok: true });
    expect(ex.convertPosition({ ...c, quantity: 7 })).toMatchObject({
      ok: false,
      error: { error_type: 'InputException', message: MESSAGES.convertQuantity },
    });
    expect(ex.convertPosition({ ...c, transaction_type: 'SELL' })).toMatchObject({ ok: false });
    const mine = (): [string, number, number][] =>
      ex.positions('AB1234').map((p) => [p.product, p.quantity, p.buy_value]);
    expect(mine()).toEqual([
      ['MIS', 6, 924_000],
      ['CNC', 4, 616_000],
    ]);
    // Liquidity for the square-off's market sell.
    place(infy({ account: 'CD5678', quantity: 20, price: 154_000 }));
    ex.squareOffIntraday();
    expect(mine()).toEqual([
      ['MIS', 0, 924_000],
      ['CNC', 4, 616_000],
    ]);
  });

  it('forgets finished orders only, and trading goes on the same', () => {
    const resting = place(infy({ quantity: 10, price: 154_000 }));
    const filled = place(infy({ account: 'CD5678', transaction_type: 'SELL', quantity: 4, price: 154_000 }));
    const countBefore = ex.orderCount;
    expect(ex.forget(resting)).toBe(false);
    expect(ex.forget(filled)).toBe(true);
    expect(ex.forget(filled)).toBe(false);
    expect(ex.order(filled)).toBeUndefined();
    expect(ex.orderCount).toBe(countBefore - 1);
    expect(ex.orders().map((o) => o.order_id)).toEqual([resting]);
    // The resting order still fills by its ref; positions kept the forgotten order's fills.
    place(infy({ account: 'CD5678', transaction_type: 'SELL', quantity: 6, price: 154_000 }));
    expect(ex.order(resting)!.status).toBe('COMPLETE');
    expect(ex.positions('CD5678')[0]!.quantity).toBe(-10);
    expect(ex.forget(resting)).toBe(true);
  });
});
