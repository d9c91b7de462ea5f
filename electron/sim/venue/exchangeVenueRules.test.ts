import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TickSnapshot } from '../../../shared/kite/tickPacket';
import type { KiteDecimal, KiteOrder, KiteResult, PlaceOrderParams } from '../kite';
import { ExchangeVenue } from './exchangeVenue';

// The venue without sockets: varieties, rejections, coalesced snapshots, conversions.

/** 2026-11-24 (a Tuesday) at an IST wall-clock time. */
const ist = (hour: number, minute: number, day = 24): number =>
  Date.UTC(2026, 10, day, hour, minute) - 330 * 60_000;

const INFY = 408065;

function setup(at = ist(10, 0)): {
  venue: ExchangeVenue;
  clock: { now: number };
  updates: KiteOrder[];
  tasks: (() => void)[];
} {
  const clock = { now: at };
  const tasks: (() => void)[] = [];
  const venue = new ExchangeVenue({
    now: () => clock.now,
    seed: 3,
    schedule: (task) => {
      tasks.push(task);
    },
  });
  const updates: KiteOrder[] = [];
  venue.onOrderUpdate((o) => {
    updates.push(o);
  });
  return { venue, clock, updates, tasks };
}

function infy(
  side: 'BUY' | 'SELL',
  quantity: number,
  price: string | undefined,
  extra: Partial<PlaceOrderParams> = {},
): PlaceOrderParams {
  return {
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    transaction_type: side,
    order_type: price === undefined ? 'MARKET' : 'LIMIT',
    quantity,
    product: 'MIS',
    validity: 'DAY',
    ...(price === undefined ? {} : { price: price as KiteDecimal }),
    ...extra,
  };
}

function id<T extends { order_id: string }>(r: KiteResult<T>): string {
  if (!r.ok) throw new Error(r.error.message);
  return r.data.order_id;
}

function history(venue: ExchangeVenue, orderId: string): KiteOrder[] {
  const r = venue.orderHistory(orderId);
  if (!r.ok) throw new Error(r.error.message);
  return [...r.data];
}

describe('ExchangeVenue', () => {
  it('rejects a price beyond the circuit after accepting it, with Kite message', () => {
    const { venue } = setup();
    const orderId = id(venue.placeOrder('regular', infy('BUY', 1, '2000')));
    const rows = history(venue, orderId);
    expect(rows.map((r) => r.status)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'REJECTED',
    ]);
    expect(rows.at(-1)?.status_message).toBe(
      'Your order price is higher than the current upper circuit limit of 1848.95. Place an order within the daily range.',
    );
  });

  it('refuses a price off the tick and an unknown order', () => {
    const { venue } = setup();
    expect(venue.placeOrder('regular', infy('BUY', 1, '1500.123'))).toEqual({
      ok: false,
      error: {
        error_type: 'InputException',
        message:
          'Tick size for this script is 0.05. Kindly enter price in the multiple of tick size for this script',
      },
    });
    expect(venue.cancelOrder('regular', '123', undefined)).toMatchObject({
      ok: false,
      error: { error_type: 'OrderException', message: "Couldn't find that `order_id`." },
    });
  });

  it('iceberg: one leg at a time, each with parent_order_id and meta.iceberg', () => {
    const { venue } = setup();
    const first = id(
      venue.placeOrder('iceberg', infy('BUY', 30, '1540', { iceberg_legs: 3, iceberg_quantity: 10 })),
    );
    id(venue.placeFor('MKT001', 'regular', infy('SELL', 10, '1540')));
    const orders = venue.orders();
    if (!orders.ok) throw new Error('orders');
    expect(orders.data.map((o) => [o.status, o.quantity, o.parent_order_id, o.meta])).toEqual([
      [
        'COMPLETE',
        10,
        null,
        { iceberg: { leg: 1, legs: 3, leg_quantity: 10, total_quantity: 30, remaining_quantity: 20 } },
      ],
      [
        'OPEN',
        10,
        first,
        { iceberg: { leg: 2, legs: 3, leg_quantity: 10, total_quantity: 30, remaining_quantity: 20 } },
      ],
    ]);
  });

  it('cover order: the stoploss leg follows the entry, and cancelling it exits at market', () => {
    const { venue } = setup();
    id(venue.placeFor('MKT001', 'regular', infy('SELL', 5, '1540.80')));
    const entry = id(
      venue.placeOrder('co', infy('BUY', 5, '1541', { trigger_price: '1530' as KiteDecimal })),
    );
    const orders = venue.orders();
    if (!orders.ok) throw new Error('orders');
    const leg = orders.data.find((o) => o.parent_order_id === entry);
    expect(leg).toMatchObject({
      variety: 'co',
      status: 'TRIGGER PENDING',
      transaction_type: 'SELL',
      order_type: 'SL-M',
      trigger_price: 1530,
    });
    id(venue.placeFor('MKT001', 'regular', infy('BUY', 5, '1540')));
    id(venue.cancelOrder('co', leg?.order_id ?? '', entry));
    expect(history(venue, leg?.order_id ?? '').at(-1)).toMatchObject({
      status: 'COMPLETE',
      average_price: 1540,
    });
  });

  it('AMO: queued while closed, sent when the session opens', () => {
    const { venue, clock, updates } = setup(ist(20, 0));
    expect(venue.placeOrder('regular', infy('BUY', 1, '1500'))).toMatchObject({
      ok: false,
      error: { message: 'Markets are closed right now. Use GTT for placing long standing orders instead.' },
    });
    const amo = id(venue.placeOrder('amo', infy('BUY', 1, '1500')));
    expect(history(venue, amo).map((r) => [r.status, r.exchange_order_id])).toEqual([
      ['PUT ORDER REQ RECEIVED', null],
      ['VALIDATION PENDING', null],
      ['OPEN PENDING', null],
      ['AMO REQ RECEIVED', null],
    ]);
    clock.now = ist(9, 15, 25);
    venue.tick();
    expect(history(venue, amo).at(-1)?.status).toBe('OPEN');
    expect(updates.filter((u) => u.order_id === amo).map((u) => u.status)).toHaveLength(5);
  });

  it('coalesces snapshots: many book changes, one notification with the latest book', () => {
    const { venue, tasks } = setup();
    const seen: TickSnapshot[] = [];
    venue.watchInstrument(INFY, (s) => seen.push(s));
    for (let k = 0; k < 5; k++) id(venue.placeFor('MKT001', 'regular', infy('BUY', 2, `${1530 + k}`)));
    expect(tasks).toHaveLength(1);
    tasks.splice(0).forEach((task) => {
      task();
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.bids.map((b) => b.price)).toEqual([153_400, 153_300, 153_200, 153_100, 153_000]);
    expect(seen[0]?.buyQuantity).toBe(10);
    expect(venue.watchInstrument(1, () => undefined)).toBeUndefined();
    expect(venue.snapshot(256265)).toMatchObject({ lastPrice: expect.any(Number), bids: [] });
  });

  it('converts an intraday position to delivery, and blocks margin for open orders', () => {
    const { venue } = setup();
    id(venue.placeFor('MKT001', 'regular', infy('SELL', 10, '1540')));
    id(venue.placeOrder('regular', infy('BUY', 10, '1540')));
    expect(
      venue.convertPosition({
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        position_type: 'day',
        quantity: 4,
        old_product: 'MIS',
        new_product: 'CNC',
      }),
    ).toEqual({ ok: true, data: true });
    const positions = venue.positions();
    if (!positions.ok) throw new Error('positions');
    expect(positions.data.net.map((p) => [p.product, p.quantity, p.average_price])).toEqual([
      ['MIS', 6, 1540],
      ['CNC', 4, 1540],
    ]);
    expect(
      venue.convertPosition({
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        position_type: 'day',
        quantity: 7,
        old_product: 'MIS',
        new_product: 'CNC',
      }),
    ).toMatchObject({ ok: false, error: { error_type: 'InputException' } });
    id(venue.placeOrder('regular', infy('BUY', 10, '1500')));
    const margins = venue.margins();
    if (!margins.ok) throw new Error('margins');
    // MIS 20% of (6 x 1540 open + 10 x 1500 ordered) + CNC 4 x 1540 in full.
    expect(margins.data.equity.utilised).toMatchObject({ exposure: 4848, delivery: 6160 });
    expect(margins.data.equity.net).toBe(1_00_00_000 - 4848 - 6160);
  });

  it('settles orders placed on the Exchange directly (the market): GTTs, ticks, observers', () => {
    const tasks: (() => void)[] = [];
    const seenEvents: string[] = [];
    const venue = new ExchangeVenue({
      now: () => ist(10, 0),
      schedule: (task) => {
        tasks.push(task);
      },
      onExchangeEvent: (e) => {
        seenEvents.push(e.type);
      },
    });
    const ticks: TickSnapshot[] = [];
    venue.watchInstrument(INFY, (t) => ticks.push(t));
    const gtt = venue.placeGtt({
      type: 'single',
      condition: { exchange: 'NSE', tradingsymbol: 'INFY', trigger_values: [1550], last_price: 1540.8 },
      orders: [
        {
          exchange: 'NSE',
          tradingsymbol: 'INFY',
          transaction_type: 'SELL',
          order_type: 'LIMIT',
          product: 'CNC',
          quantity: 1,
          price: 1549,
        },
      ],
    });
    if (!gtt.ok) throw new Error(gtt.error.message);
    const market = { account: 'MARKET:maker', variety: 'regular', exchange: 'NSE', tradingsymbol: 'INFY' };
    venue.exchange.placeOrder({
      ...market,
      transaction_type: 'SELL',
      order_type: 'LIMIT',
      quantity: 3,
      product: 'MIS',
      price: 155_000,
    });
    venue.exchange.placeOrder({
      ...market,
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      quantity: 3,
      product: 'MIS',
      price: 155_000,
    });
    expect(seenEvents).toEqual(['accepted', 'accepted', 'trade', 'trade']);
    expect(tasks).toHaveLength(1);
    tasks.splice(0).forEach((task) => {
      task();
    });
    const fired = venue.gtt(gtt.data.trigger_id);
    expect(fired.ok && fired.data.status).toBe('triggered');
    tasks.splice(0).forEach((task) => {
      task();
    });
    expect(ticks.at(-1)).toMatchObject({ lastPrice: 155_000, volume: 3 });
  });

  it('keeps open interest of a derivative from the net longs of every account', () => {
    const { venue } = setup();
    const rows = venue.instruments('NFO');
    if (!rows.ok) throw new Error('instruments');
    const fut = rows.data.find((r) => r.segment === 'NFO-FUT' && r.name === 'NIFTY');
    if (fut === undefined) throw new Error('no NIFTY future');
    const order = (side: 'BUY' | 'SELL', quantity: number): PlaceOrderParams => ({
      exchange: 'NFO',
      tradingsymbol: fut.tradingsymbol,
      transaction_type: side,
      order_type: 'LIMIT',
      quantity,
      product: 'NRML',
      validity: 'DAY',
      price: String(fut.last_price) as KiteDecimal,
    });
    id(venue.placeFor('A', 'regular', order('SELL', 150)));
    id(venue.placeFor('B', 'regular', order('BUY', 150)));
    id(venue.placeFor('B', 'regular', order('SELL', 75)));
    id(venue.placeFor('C', 'regular', order('BUY', 75)));
    const quote = venue.quotes([String(fut.instrument_token)]);
    if (!quote.ok) throw new Error('quote');
    // B is long 150 then sells 75 to C: longs are B 75 + C 75.
    expect(quote.data[String(fut.instrument_token)]).toMatchObject({
      oi: 150,
      oi_day_high: 150,
      oi_day_low: 0,
    });
  });

  it('with a state file, a restart replays the day: same rows, trades and positions, no updates', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'venue-state-'));
    const file = path.join(dir, 'exchange.sqlite');
    try {
      const clock = { now: ist(10, 0) };
      const first = new ExchangeVenue({ now: () => clock.now, stateFile: file });
      id(first.placeFor('MKT001', 'regular', infy('SELL', 5, '1540')));
      const buy = id(first.placeOrder('regular', infy('BUY', 5, '1540')));
      clock.now += 1_000;
      const rest = id(first.placeOrder('regular', infy('BUY', 2, '1530')));
      id(first.modifyOrder('regular', rest, { quantity: 1 }));
      const before = { orders: first.orders(), trades: first.trades(), positions: first.positions() };
      first.close();

      clock.now += 60_000;
      const second = new ExchangeVenue({ now: () => clock.now, stateFile: file });
      const pushed: KiteOrder[] = [];
      second.onOrderUpdate((o) => pushed.push(o));
      expect(second.orders()).toEqual(before.orders);
      expect(second.trades()).toEqual(before.trades);
      expect(second.positions()).toEqual(before.positions);
      expect(history(second, buy).at(-1)?.status).toBe('COMPLETE');
      expect(pushed).toEqual([]);
      id(second.cancelOrder('regular', rest, undefined));
      expect(pushed.map((o) => o.status)).toEqual(['CANCEL PENDING', 'CANCELLED']);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with a state file, GTTs and position conversions survive a restart, and a fired GTT fires once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'venue-state-'));
    const file = path.join(dir, 'exchange.sqlite');
    const gtt = (trigger: number, price: number): Parameters<ExchangeVenue['placeGtt']>[0] => ({
      type: 'single',
      condition: { exchange: 'NSE', tradingsymbol: 'INFY', trigger_values: [trigger], last_price: 1540 },
      orders: [
        {
          exchange: 'NSE',
          tradingsymbol: 'INFY',
          transaction_type: 'SELL',
          order_type: 'LIMIT',
          product: 'CNC',
          quantity: 1,
          price,
        },
      ],
    });
    try {
      const clock = { now: ist(10, 0) };
      const first = new ExchangeVenue({ now: () => clock.now, stateFile: file });
      id(first.placeFor('MKT001', 'regular', infy('SELL', 5, '1540')));
      id(first.placeOrder('regular', { ...infy('BUY', 5, '1540'), product: 'MIS' }));
      expect(
        first.convertPosition({
          exchange: 'NSE',
          tradingsymbol: 'INFY',
          transaction_type: 'BUY',
          position_type: 'day',
          quantity: 2,
          old_product: 'MIS',
          new_product: 'CNC',
        }),
      ).toEqual({ ok: true, data: true });
      const waiting = first.placeGtt(gtt(1560, 1559));
      const firing = first.placeGtt(gtt(1545, 1544));
      const deleted = first.placeGtt(gtt(1570, 1569));
      if (!waiting.ok || !firing.ok || !deleted.ok) throw new Error('gtt');
      expect(first.deleteGtt(deleted.data.trigger_id).ok).toBe(true);
      // A trade at 1545 fires the second GTT (its SELL 1 @ 1544 is placed for the user).
      id(first.placeFor('MKT001', 'regular', infy('SELL', 1, '1545')));
      id(first.placeFor('MKT002', 'regular', infy('BUY', 1, '1545')));
      const before = { gtts: first.gtts(), positions: first.positions(), orders: first.orders() };
      expect(before.gtts.ok && before.gtts.data.map((g) => g.status)).toEqual(['active', 'triggered']);
      first.close();

      clock.now += 60_000;
      const second = new ExchangeVenue({ now: () => clock.now, stateFile: file });
      expect(second.gtts()).toEqual(before.gtts);
      expect(second.positions()).toEqual(before.positions);
      expect(second.orders()).toEqual(before.orders);
      // Trading through 1545 again does not fire the triggered GTT twice; the next id is new.
      id(second.placeFor('MKT001', 'regular', infy('SELL', 1, '1545')));
      id(second.placeFor('MKT002', 'regular', infy('BUY', 1, '1545')));
      const after = second.orders();
      if (!after.ok || !before.orders.ok) throw new Error('orders');
      expect(after.data).toHaveLength(before.orders.data.length);
      const next = second.placeGtt(gtt(1580, 1579));
      expect(next.ok && next.data.trigger_id).toBe(deleted.data.trigger_id + 1);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves demo holdings valued at the last price', () => {
    const { venue } = setup();
    const holdings = venue.holdings();
    if (!holdings.ok) throw new Error('holdings');
    expect(holdings.data.map((h) => h.tradingsymbol)).toEqual(['RELIANCE', 'INFY', 'TCS', 'HDFCBANK', 'ITC']);
    const infyHolding = holdings.data[1];
    expect(infyHolding).toMatchObject({ isin: 'INE009A01021', quantity: 15, last_price: 1540.8 });
    expect(infyHolding?.pnl).toBeCloseTo(
      ((infyHolding?.last_price ?? 0) - (infyHolding?.average_price ?? 0)) * 15,
      6,
    );
  });
});
