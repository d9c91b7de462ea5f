import { KiteConnect, KiteTicker } from 'kiteconnect';
import type { Connect, KiteTickerParams, Ticker } from 'kiteconnect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KiteDecimal, KiteTransactionType } from '../kite';
import { startTestExchange, TEST_START_MS } from '../kite/testing/harness';
import type { TestExchange } from '../kite/testing/harness';
import { ExchangeVenue } from './exchangeVenue';

// The local exchange behind the Kite server, driven by the official client (kiteconnect 5.3.0,
// unmodified) over real sockets. A second trader (MKT001, MKT002) places orders straight into the
// venue, as the synthetic market will. The tests run in order and share the exchange.

const RELIANCE = 738561;

let now = TEST_START_MS;
const clock = (): number => now;
let venue: ExchangeVenue;
let ex: TestExchange;
let kc: Connect;
let ticker: Ticker;
const updates: Record<string, unknown>[] = [];
const ticks: Record<string, unknown>[] = [];

/** Each call one second after the last, so the 10/s and 1/s limits never bite. */
async function spaced<T>(call: () => Promise<T>): Promise<T> {
  now += 1_001;
  return call();
}

function until<T>(what: string, find: () => T | undefined, timeoutMs = 3_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const found = find();
      if (found !== undefined) {
        clearInterval(poll);
        resolve(found);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 10);
  });
}

/** Another trader's DAY limit order, straight into the venue. */
function other(
  account: string,
  tradingsymbol: string,
  side: KiteTransactionType,
  quantity: number,
  price: string,
): string {
  const r = venue.placeFor(account, 'regular', {
    exchange: 'NSE',
    tradingsymbol,
    transaction_type: side,
    order_type: 'LIMIT',
    quantity,
    product: 'MIS',
    validity: 'DAY',
    price: price as KiteDecimal,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.data.order_id;
}

async function login(): Promise<string> {
  const page = await fetch(`${ex.server.restUrl}/connect/login?api_key=${ex.apiKey}&v=3`);
  const action = /<form method="post" action="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const submitted = await fetch(new URL(action, ex.server.restUrl), {
    method: 'POST',
    body: new URLSearchParams({ api_key: ex.apiKey, redirect_params: '' }),
    redirect: 'manual',
  });
  return new URL(submitted.headers.get('location') ?? '').searchParams.get('request_token') ?? '';
}

const statusesOf = (orderId: string): unknown[] =>
  updates.filter((u) => u['order_id'] === orderId).map((u) => u['status']);

beforeAll(async () => {
  venue = new ExchangeVenue({ now: clock, seed: 7 });
  ex = await startTestExchange({ venue, now: clock, heartbeatMs: 200 });
  kc = new KiteConnect({ api_key: ex.apiKey, root: ex.server.restUrl });
  const requestToken = await login();
  const session = await spaced(() => kc.generateSession(requestToken, ex.apiSecret));
  const params = {
    api_key: ex.apiKey,
    access_token: session.access_token,
    root: ex.server.wsUrl,
    reconnect: false,
  };
  const typed: KiteTickerParams = params;
  ticker = new KiteTicker(typed);
  ticker.on('order_update', (order: Record<string, unknown>) => {
    updates.push(order);
  });
  ticker.on('ticks', (batch: Record<string, unknown>[]) => {
    ticks.push(...batch);
  });
  const connected = new Promise<void>((resolve) => {
    ticker.on('connect', () => {
      resolve();
    });
  });
  ticker.connect();
  await connected;
  ticker.subscribe([RELIANCE]);
  ticker.setMode('full', [RELIANCE]);
});

afterAll(async () => {
  ticker.disconnect();
  await ex.close();
});

describe('the local exchange through the official client', () => {
  it('a resting buy LIMIT and a crossing sell LIMIT both complete, with trades and order updates', async () => {
    const buy = await spaced(() =>
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        order_type: 'LIMIT',
        quantity: 5,
        product: 'MIS',
        price: 1500,
        tag: 'buy1',
      }),
    );
    expect((await spaced(() => kc.getOrders())).find((o) => o.order_id === buy.order_id)).toMatchObject({
      status: 'OPEN',
      pending_quantity: 5,
      price: 1500,
      tag: 'buy1',
    });
    const sell = await spaced(() =>
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'SELL',
        order_type: 'LIMIT',
        quantity: 5,
        product: 'MIS',
        price: 1499.5,
      }),
    );
    const orders = await spaced(() => kc.getOrders());
    for (const id of [buy.order_id, sell.order_id]) {
      expect(orders.find((o) => o.order_id === id)).toMatchObject({
        status: 'COMPLETE',
        filled_quantity: 5,
        pending_quantity: 0,
        average_price: 1500, // the resting order's price
      });
    }
    const trades = await spaced(() => kc.getTrades());
    expect(trades.map((t) => [t.order_id, t.transaction_type, t.quantity, t.average_price])).toEqual([
      [buy.order_id, 'BUY', 5, 1500],
      [sell.order_id, 'SELL', 5, 1500],
    ]);
    expect(trades[0]?.fill_timestamp).toBeInstanceOf(Date);
    expect(await spaced(() => kc.getOrderTrades(sell.order_id))).toHaveLength(1);
    const lifecycle = ['PUT ORDER REQ RECEIVED', 'VALIDATION PENDING', 'OPEN PENDING', 'OPEN', 'COMPLETE'];
    const history = await spaced(() => kc.getOrderHistory(buy.order_id));
    expect(history.map((o) => o.status)).toEqual(lifecycle);
    expect(history[0]?.exchange_order_id).toBeNull();
    expect(history[3]?.exchange_order_id).toMatch(/^\d{16}$/);
    // One order update frame per state change, in order.
    await until('COMPLETE of the sell', () =>
      updates.find((u) => u['order_id'] === sell.order_id && u['status'] === 'COMPLETE'),
    );
    expect(statusesOf(buy.order_id)).toEqual(lifecycle);
    expect(statusesOf(sell.order_id)).toEqual(lifecycle);
    expect(updates.find((u) => u['order_id'] === buy.order_id && u['status'] === 'COMPLETE')).toMatchObject({
      user_id: 'SIM001',
      filled_quantity: 5,
      unfilled_quantity: 0,
    });
  });

  it('positions net to the fills, with the average price and P&L in rupees', async () => {
    other('MKT001', 'RELIANCE', 'SELL', 10, '1520.00');
    other('MKT001', 'RELIANCE', 'SELL', 5, '1521.00');
    const buy = await spaced(() =>
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'RELIANCE',
        transaction_type: 'BUY',
        order_type: 'LIMIT',
        quantity: 12,
        product: 'MIS',
        price: 1521,
      }),
    );
    other('MKT001', 'RELIANCE', 'BUY', 4, '1520.50');
    await spaced(() =>
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'RELIANCE',
        transaction_type: 'SELL',
        order_type: 'LIMIT',
        quantity: 4,
        product: 'MIS',
        price: 1520.5,
      }),
    );
    const history = await spaced(() => kc.getOrderHistory(buy.order_id));
    // 10 at 1520 then 2 at 1521: two fills, one row each.
    expect(history.map((o) => [o.status, o.filled_quantity])).toEqual([
      ['PUT ORDER REQ RECEIVED', 0],
      ['VALIDATION PENDING', 0],
      ['OPEN PENDING', 0],
      ['OPEN', 0],
      ['OPEN', 10],
      ['COMPLETE', 12],
    ]);
    expect(history.at(-1)?.average_price).toBe(1520.1667);

    const { net, day } = await spaced(() => kc.getPositions());
    const reliance = net.find((p) => p.tradingsymbol === 'RELIANCE');
    expect(reliance).toMatchObject({
      product: 'MIS',
      quantity: 8,
      buy_quantity: 12,
      buy_value: 18_242,
      sell_quantity: 4,
      sell_value: 6_082,
      average_price: 1520.1667,
      last_price: 1520.5,
      close_price: 1520.4,
      // 6,082 - 18,242 + 8 x 1,520.50
      pnl: 4,
      m2m: 4,
      realised: 1.33,
      unrealised: 2.67,
      multiplier: 1,
      overnight_quantity: 0,
    });
    expect(day).toEqual(net);
    // The self-crossed INFY pair nets to zero.
    expect(net.find((p) => p.tradingsymbol === 'INFY')).toMatchObject({ quantity: 0, pnl: 0 });

    const margins = await spaced(() => kc.getMargins());
    // MIS: 20% of 8 x 1520.50 = 2,432.80 on the open position.
    expect(margins.equity?.utilised).toMatchObject({
      exposure: 2432.8,
      m2m_realised: 1.33,
      m2m_unrealised: 2.67,
    });
  });

  it('a quote shows the book, the last trade, OHLC and circuit limits', async () => {
    other('MKT001', 'RELIANCE', 'BUY', 7, '1519.00');
    other('MKT002', 'RELIANCE', 'BUY', 3, '1519.00');
    const quote = await spaced(() => kc.getQuote(['NSE:RELIANCE']));
    expect(quote['NSE:RELIANCE']).toMatchObject({
      instrument_token: RELIANCE,
      last_price: 1520.5,
      last_quantity: 4,
      volume: 16,
      buy_quantity: 10,
      sell_quantity: 3,
      ohlc: { open: 1520, high: 1521, low: 1520, close: 1520.4 },
      lower_circuit_limit: 1216.35,
      upper_circuit_limit: 1824.45,
      depth: {
        buy: [
          { price: 1519, quantity: 10, orders: 2 },
          { price: 0, quantity: 0, orders: 0 },
          { price: 0, quantity: 0, orders: 0 },
          { price: 0, quantity: 0, orders: 0 },
          { price: 0, quantity: 0, orders: 0 },
        ],
        sell: [
          { price: 1521, quantity: 3, orders: 1 },
          { price: 0, quantity: 0, orders: 0 },
          { price: 0, quantity: 0, orders: 0 },
          { price: 0, quantity: 0, orders: 0 },
          { price: 0, quantity: 0, orders: 0 },
        ],
      },
    });
    // The ticker got the same book, coalesced into snapshots.
    const tick = await until('RELIANCE tick with the bids', () =>
      ticks.findLast(
        (t) => t['instrument_token'] === RELIANCE && t['mode'] === 'full' && t['total_buy_quantity'] === 10,
      ),
    );
    expect(tick).toMatchObject({ last_price: 1520.5, volume_traded: 16, total_sell_quantity: 3 });
    const depth = tick['depth'] as { buy: unknown[]; sell: unknown[] };
    expect(depth.buy[0]).toEqual({ price: 1519, quantity: 10, orders: 2 });
    expect(depth.sell[0]).toEqual({ price: 1521, quantity: 3, orders: 1 });
  });

  it('refuses a quantity above the freeze limit with Kite message, and autoslices it', async () => {
    const future = (await spaced(() => kc.getInstruments('NFO'))).find(
      (i) => i.segment === 'NFO-FUT' && i.name === 'NIFTY',
    );
    expect(future).toBeDefined();
    const order = {
      exchange: 'NFO' as const,
      tradingsymbol: future?.tradingsymbol ?? '',
      transaction_type: 'BUY' as const,
      order_type: 'LIMIT' as const,
      quantity: 1875,
      product: 'NRML' as const,
      price: future?.last_price ?? 0,
    };
    const refused = await spaced(() => kc.placeOrder('regular', order)).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      error_type: 'InputException',
      message:
        'The order quantity 1875 is higher than the maximum quantity 1800 allowed per order for this contract. Reduce the quantity, use iceberg orders or set autoslice.',
    });
    const sliced = { ...order, autoslice: true };
    const placed = await spaced(() => kc.placeOrder('regular', sliced));
    const children = (placed as { children?: { order_id?: string }[] }).children ?? [];
    expect(children).toHaveLength(2);
    expect(children[0]?.order_id).toBe(placed.order_id);
    const rows = (await spaced(() => kc.getOrders())).filter((o) =>
      children.some((c) => c.order_id === o.order_id),
    );
    expect(rows.map((o) => [o.quantity, o.status, o.tags])).toEqual([
      [1800, 'OPEN', ['autoslice', `autoslice:${placed.order_id}`]],
      [75, 'OPEN', ['autoslice', `autoslice:${placed.order_id}`]],
    ]);
  });

  it('a modify that lowers the quantity keeps time priority; one that raises it loses it', async () => {
    const place = (price: number): Promise<{ order_id: string }> =>
      spaced(() =>
        kc.placeOrder('regular', {
          exchange: 'NSE',
          tradingsymbol: 'TCS',
          transaction_type: 'BUY',
          order_type: 'LIMIT',
          quantity: 2,
          product: 'MIS',
          price,
        }),
      );
    const first = await place(3140);
    const behindFirst = other('MKT001', 'TCS', 'BUY', 2, '3140.00');
    await spaced(() => kc.modifyOrder('regular', first.order_id, { quantity: 1 }));
    other('MKT002', 'TCS', 'SELL', 1, '3140.00');
    const history = await spaced(() => kc.getOrderHistory(first.order_id));
    expect(history.map((o) => o.status)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'MODIFY VALIDATION PENDING',
      'MODIFY PENDING',
      'MODIFIED',
      'OPEN',
      'COMPLETE',
    ]);
    expect(history.at(-1)).toMatchObject({ modified: true, quantity: 1, filled_quantity: 1 });
    expect(venue.exchange.order(behindFirst)?.pending_quantity).toBe(2);
    // Clear the 3140 bid so that the next sells reach 3135.
    other('MKT002', 'TCS', 'SELL', 2, '3140.00');

    const second = await place(3135);
    const behindSecond = other('MKT001', 'TCS', 'BUY', 2, '3135.00');
    await spaced(() => kc.modifyOrder('regular', second.order_id, { quantity: 3 }));
    other('MKT002', 'TCS', 'SELL', 2, '3135.00');
    expect(venue.exchange.order(behindSecond)?.status).toBe('COMPLETE');
    const rows = await spaced(() => kc.getOrders());
    expect(rows.find((o) => o.order_id === second.order_id)).toMatchObject({
      status: 'OPEN',
      quantity: 3,
      filled_quantity: 0,
      modified: true,
    });
    await until('the modify rows on the ticker', () =>
      statusesOf(second.order_id).length >= 8 ? true : undefined,
    );
    expect(statusesOf(second.order_id).slice(4)).toEqual([
      'MODIFY VALIDATION PENDING',
      'MODIFY PENDING',
      'MODIFIED',
      'OPEN',
    ]);
    const cancelled = await spaced(() => kc.cancelOrder('regular', second.order_id));
    expect(cancelled).toEqual({ order_id: second.order_id });
    const end = await spaced(() => kc.getOrderHistory(second.order_id));
    expect(end.slice(-2).map((o) => o.status)).toEqual(['CANCEL PENDING', 'CANCELLED']);
    expect(end.at(-1)).toMatchObject({ cancelled_quantity: 3, pending_quantity: 0 });
  });

  it('a GTT fires when the last price crosses its trigger and places its order', async () => {
    // INFY last traded at 1500; a buy GTT below the market.
    const placed = await spaced(() =>
      kc.placeGTT({
        trigger_type: 'single',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        trigger_values: [1495],
        last_price: 1500,
        orders: [{ transaction_type: 'BUY', quantity: 1, product: 'CNC', order_type: 'LIMIT', price: 1496 }],
      }),
    );
    expect((await spaced(() => kc.getGTT(placed.trigger_id))).status).toBe('active');
    other('MKT001', 'INFY', 'BUY', 1, '1497.00');
    other('MKT002', 'INFY', 'SELL', 1, '1497.00');
    expect((await spaced(() => kc.getGTT(placed.trigger_id))).status).toBe('active');
    other('MKT001', 'INFY', 'BUY', 1, '1495.00');
    other('MKT002', 'INFY', 'SELL', 1, '1495.00');
    const fired = await spaced(() => kc.getGTT(placed.trigger_id));
    expect(fired.status).toBe('triggered');
    const result = (fired.orders[0] as { result?: { order_result?: { order_id?: string; status?: string } } })
      .result;
    expect(result?.order_result?.status).toBe('success');
    const orderId = result?.order_result?.order_id ?? '';
    expect((await spaced(() => kc.getOrders())).find((o) => o.order_id === orderId)).toMatchObject({
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      price: 1496,
      status: 'OPEN',
    });

    // Two-leg (OCO): the upper leg fires on a rise.
    const oco = await spaced(() =>
      kc.placeGTT({
        trigger_type: 'two-leg',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        trigger_values: [1480, 1510],
        last_price: 1495,
        orders: [
          { transaction_type: 'SELL', quantity: 1, product: 'CNC', order_type: 'LIMIT', price: 1479 },
          { transaction_type: 'SELL', quantity: 1, product: 'CNC', order_type: 'LIMIT', price: 1511 },
        ],
      }),
    );
    other('MKT001', 'INFY', 'BUY', 1, '1510.00');
    other('MKT002', 'INFY', 'SELL', 1, '1510.00');
    const two = await spaced(() => kc.getGTT(oco.trigger_id));
    expect(two.status).toBe('triggered');
    expect(two.orders[0]).toMatchObject({ result: null });
    expect(two.orders[1]).toMatchObject({ result: { triggered_at: 1510 } });
  });

  it('instruments, historical candles, margins for orders and the contract note', async () => {
    const nse = await spaced(() => kc.getInstruments('NSE'));
    expect(nse.find((i) => i.tradingsymbol === 'INFY')).toMatchObject({
      instrument_token: '408065',
      last_price: 1540.8,
      tick_size: 0.05,
    });
    const candles = await spaced(() =>
      kc.getHistoricalData(408065, 'day', '2026-11-16 00:00:00', '2026-11-24 00:00:00'),
    );
    expect(candles).toHaveLength(6);
    expect(candles.at(-1)?.close).toBe(1540.8);
    const [margin] = await spaced(() =>
      kc.orderMargins([
        {
          exchange: 'NSE',
          tradingsymbol: 'INFY',
          transaction_type: 'BUY',
          variety: 'regular',
          product: 'CNC',
          order_type: 'LIMIT',
          quantity: 10,
          price: 1540.8,
          trigger_price: 0,
        },
      ]),
    );
    expect(margin).toMatchObject({ type: 'equity', var: 15_408, total: 15_408, charges: { total: 17.88 } });
    const note = await spaced(() =>
      kc.getvirtualContractNote([
        {
          order_id: '1',
          exchange: 'NSE',
          tradingsymbol: 'INFY',
          transaction_type: 'SELL',
          variety: 'regular',
          product: 'MIS',
          order_type: 'LIMIT',
          quantity: 400,
          average_price: 1100,
        },
      ]),
    );
    expect(note[0]).toMatchObject({ charges: { brokerage: 20, transaction_tax: 110, total: 149.54 } });
  });
});
