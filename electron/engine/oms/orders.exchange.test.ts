import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient, toService } from '../../../shared/rpc/client';
import { RpcError } from '../../../shared/rpc/errors';
import { chargeSegment, orderCharges } from '../../../shared/domain/charges';
import { createMemoryPortPair } from '../../../shared/rpc/transports/memory';
import { marketService } from '../../../shared/services/market';
import type { InstrumentInfo } from '../../../shared/services/market';
import { ordersService } from '../../../shared/services/orders';
import type { OrderView, ReconciliationState } from '../../../shared/services/orders';
import { portfolioService } from '../../../shared/services/portfolio';
import { riskService } from '../../../shared/services/risk';
import type { PositionStopView } from '../../../shared/services/risk';
import { sessionService } from '../../../shared/services/session';
import { Engine } from '../engine';
import { morningOf, startLocalExchange } from '../testing/localExchange';
import type { LocalExchange } from '../testing/localExchange';
import { until } from '../testing/until';

// The order path end to end in sim mode: the contract's `orders` service -> validation -> risk ->
// the SQLite journal -> the official kiteconnect client -> the local exchange (its own process, real
// sockets) -> order updates on the ticker and the order book poll -> positions and P&L.

let exchange: LocalExchange;
let engine: Engine;
let dir: string;
let dbFile: string;

function connect() {
  const [clientPort, enginePort] = createMemoryPortPair('structured');
  engine.connect(enginePort, 'test');
  const client = new RpcClient(clientPort);
  return {
    market: toService(client, marketService),
    session: toService(client, sessionService),
    orders: toService(client, ordersService),
    portfolio: toService(client, portfolioService),
    risk: toService(client, riskService),
  };
}

/** Journal row counts, read through a second connection (WAL readers see committed rows). */
function journalCounts(): { orders: number; events: number; fills: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const n = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { orders: n('orders'), events: n('order_events'), fills: n('fills') };
  } finally {
    db.close();
  }
}

let api: ReturnType<typeof connect>;

function lastPrice(): Promise<number> {
  return until('a last price', async () => {
    const q = (await api.market.quotes({ instrumentTokens: [infy.instrumentToken] })).quotes[0];
    return q !== undefined && q.lastPrice > 0 ? q.lastPrice : undefined;
  });
}
let infy: InstrumentInfo;
let ltp = 0;

beforeAll(async () => {
  exchange = await startLocalExchange(['--seed', '6', '--always-open', '--speed', '30', ...morningOf()]);
  dir = mkdtempSync(path.join(tmpdir(), 'engine-orders-'));
  dbFile = path.join(dir, 'engine.sqlite');
  engine = new Engine({
    mode: 'sim',
    version: 'test',
    host: 'in-process',
    databaseFile: dbFile,
    orderPollMs: 300,
    // The stale-feed breaker at 3 s (default 15 s), for the frozen-exchange test below.
    staleFeedMs: 3_000,
    // OMS_LOG=FILE keeps the engine's log for a failing run.
    log: (line) => {
      const file = process.env['OMS_LOG'];
      if (file !== undefined) appendFileSync(file, `${line}\n`);
    },
  });
  api = connect();
  const recon: ReconciliationState[] = [];
  api.orders.onReconciliation((r) => recon.push(r));
  engine.setVenue({
    rest: exchange.rest,
    ws: exchange.ws,
    apiKey: exchange.apiKey,
    apiSecret: exchange.apiSecret,
    marketHours: false,
  });
  await until('reconciliation', () => recon.find((r) => r.state === 'ok'));
  const found = await api.market.lookup({ keys: ['NSE:INFY'] });
  const i = found.instruments[0];
  if (i === undefined) throw new Error('no NSE:INFY');
  infy = i;
  await api.market.subscribe({ instrumentTokens: [infy.instrumentToken], mode: 'quote' });
  ltp = await lastPrice();
}, 60_000);

afterAll(async () => {
  engine.dispose();
  await exchange.close();
  rmSync(dir, { recursive: true, force: true });
});

const tickDown = (price: number, tick: number) => price - (price % tick);

describe('orders against the local exchange', () => {
  it('places a limit order that rests, sees it OPEN from the exchange, cancels it', async () => {
    const seen: OrderView[] = [];
    api.orders.onOrders((o) => seen.push(o));
    const price = tickDown(Math.round(ltp * 0.97), infy.tickSize);
    const { order } = await api.orders.place({
      instrumentToken: infy.instrumentToken,
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      product: 'MIS',
      price,
    });
    expect(order.brokerOrderId).not.toBeNull();
    expect(['ACCEPTED', 'OPEN']).toContain(order.state);
    await until('OPEN', () =>
      seen.find((o) => o.clientOrderId === order.clientOrderId && o.state === 'OPEN'),
    );
    const cancelled = await api.orders.cancel({ clientOrderId: order.clientOrderId });
    expect(['CANCEL_PENDING', 'CANCELLED']).toContain(cancelled.order.state);
    await until('CANCELLED', () =>
      seen.find((o) => o.clientOrderId === order.clientOrderId && o.state === 'CANCELLED'),
    );
    const events = engine.trading?.journal.events(order.clientOrderId).map((e) => e.type);
    // The order update can beat the HTTP answer: then the report comes first and the ack is a no-op.
    expect(events?.[0]).toBe('Submitted');
    expect(events?.slice(1, 3).some((t) => t === 'Acknowledged' || t === 'Reported')).toBe(true);
    expect(events).toContain('CancelRequested');
    expect(engine.trading?.journal.check().ok).toBe(true);
  });

  it('fills a market order; the position, fills and charges follow', async () => {
    const seen: OrderView[] = [];
    api.orders.onOrders((o) => seen.push(o));
    const { order } = await api.orders.place({
      instrumentToken: infy.instrumentToken,
      side: 'BUY',
      quantity: 3,
      orderType: 'MARKET',
      product: 'MIS',
    });
    const done = await until('COMPLETE', async () => {
      const o = (await api.orders.list()).orders.find((x) => x.clientOrderId === order.clientOrderId);
      return o?.state === 'COMPLETE' && o.filledQuantity === 3 ? o : undefined;
    });
    expect(done.averagePrice).toBeGreaterThan(0);
    // The exchange reports COMPLETE before its trades are fetched: from the first COMPLETE the order
    // shows the broker's filled quantity and average, never COMPLETE with nothing filled.
    const mine = (o: OrderView): boolean => o.clientOrderId === order.clientOrderId && o.state === 'COMPLETE';
    await until('COMPLETE in the order stream', () => seen.find(mine));
    for (const o of seen.filter(mine)) {
      expect(o.filledQuantity).toBe(3);
      expect(o.averagePrice).toBe(done.averagePrice);
    }
    const position = await until('the position', async () =>
      (await api.portfolio.positions()).positions.find(
        (p) => p.instrumentToken === infy.instrumentToken && p.product === 'MIS' && p.quantity === 3,
      ),
    );
    expect(position.dayBuyQuantity).toBe(3);
    expect(position.charges).toBeGreaterThan(0);
    const trades = (await api.orders.trades()).trades.filter((t) => t.clientOrderId === order.clientOrderId);
    expect(trades.reduce((a, t) => a + t.quantity, 0)).toBe(3);
    // Exiting closes it.
    const exit = await api.orders.exit({ instrumentToken: infy.instrumentToken, product: 'MIS' });
    expect(exit.orders.map((o) => [o.side, o.quantity])).toEqual([['SELL', 3]]);
    await until('flat', async () =>
      (await api.portfolio.positions()).positions.find(
        (p) => p.instrumentToken === infy.instrumentToken && p.product === 'MIS' && p.quantity === 0,
      ),
    );
    // Holdings and funds come from the broker (the local exchange's demat and margins).
    const { holdings } = await api.portfolio.holdings();
    for (const h of holdings) {
      expect(Number.isSafeInteger(h.quantity)).toBe(true);
      expect(h.priceDivisor).toBeGreaterThan(0);
    }
    const margins = await api.portfolio.margins();
    expect(margins.equity?.net).toBeGreaterThan(0);
    const pnl = await api.portfolio.pnl();
    expect(pnl.net).toBe(pnl.realized + pnl.unrealized - pnl.charges);
    expect(engine.trading?.journal.check().ok).toBe(true);
  });

  it('refuses bad input with a typed error and leaves the journal unchanged', async () => {
    const before = journalCounts();
    const base = {
      instrumentToken: infy.instrumentToken,
      side: 'BUY' as const,
      orderType: 'LIMIT' as const,
      product: 'MIS' as const,
    };
    const price = tickDown(ltp, infy.tickSize);
    const cases: { params: unknown; code: string; detail?: string }[] = [
      { params: { ...base, quantity: -1, price }, code: 'INVALID_PARAMS' },
      { params: { ...base, quantity: 1.5, price }, code: 'INVALID_PARAMS' },
      { params: { ...base, quantity: 0, price }, code: 'INVALID_PARAMS' },
      { params: { ...base, quantity: 1, price: Number.NaN }, code: 'INVALID_PARAMS' },
      { params: { ...base, quantity: 1, price: price + 1 }, code: 'REJECTED', detail: 'TICK_SIZE' },
      {
        params: { ...base, quantity: 1, instrumentToken: 12_345_678 },
        code: 'REJECTED',
        detail: 'UNKNOWN_INSTRUMENT',
      },
      { params: { ...base, quantity: 1_000_000, price }, code: 'REJECTED', detail: 'MAX_VALUE' },
      // Outside the day's circuit band (the exchange's, asked for by the engine)...
      { params: { ...base, quantity: 1, price: price * 2 }, code: 'REJECTED', detail: 'PRICE_BAND' },
      // ...and inside it, but 8% from the last price (the fat-finger band is 5%).
      {
        params: { ...base, quantity: 1, price: tickDown(Math.round(ltp * 1.08), infy.tickSize) },
        code: 'REJECTED',
        detail: 'FAT_FINGER',
      },
      { params: { ...base, quantity: 1 }, code: 'REJECTED', detail: 'BAD_COMBINATION' },
      {
        params: { ...base, product: 'NRML', quantity: 1, price },
        code: 'REJECTED',
        detail: 'BAD_COMBINATION',
      },
    ];
    for (const c of cases) {
      const error = await api.orders.place(c.params as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(c.params)).toBeInstanceOf(RpcError);
      const e = error as RpcError;
      expect(e.code, `${JSON.stringify(c.params)}: ${e.message}`).toBe(c.code);
      if (c.detail !== undefined) expect((e.details as { code: string }).code).toBe(c.detail);
    }
    expect(journalCounts()).toEqual(before);
  });

  it('prices an order before sending it, and refuses one the margin cannot cover', async () => {
    const price = tickDown(ltp, infy.tickSize);
    const quote = await api.portfolio.orderMargin({
      instrumentToken: infy.instrumentToken,
      side: 'BUY',
      quantity: 10,
      orderType: 'LIMIT',
      product: 'MIS',
      price,
    });
    // The local exchange's calculator blocks 20% of an intraday order's value (electron/sim/venue/margins.ts).
    expect(quote.required).toBe(Math.round((price * 10 * 20) / 100));
    expect(quote.price).toBe(price);
    // Zerodha's charges of the order, as the positions will charge them.
    expect(quote.charges.total).toBe(
      orderCharges(chargeSegment('NSE', 'EQ', 'MIS'), 'NSE', 'BUY', price * 10, Date.now()).total,
    );
    expect(quote.charges.total).toBeGreaterThan(0);
    const margins = await api.portfolio.margins();
    expect(quote.available).toBe(margins.equity?.net);
    expect(quote.lowerCircuit).toBeGreaterThan(0);
    expect(quote.lowerCircuit ?? 0).toBeLessThan(ltp);
    expect(quote.upperCircuit ?? 0).toBeGreaterThan(ltp);
    // A bad order is refused as place refuses it.
    const bad = await api.portfolio
      .orderMargin({
        instrumentToken: infy.instrumentToken,
        side: 'BUY',
        quantity: 1,
        orderType: 'LIMIT',
        product: 'MIS',
        price: price + 1,
      })
      .then(
        () => undefined,
        (e: unknown) => e as RpcError,
      );
    expect((bad?.details as { code: string } | undefined)?.code).toBe('TICK_SIZE');

    // A delivery buy worth more than the account (the limits allow it): refused for margin, locally.
    const limits = await api.risk.limits();
    await api.risk.setLimits({ maxOrderValuePaise: 1_000_000_000_000 });
    try {
      const available = quote.available ?? 0;
      const quantity = Math.ceil(available / price) + 10;
      const ask = {
        instrumentToken: infy.instrumentToken,
        side: 'BUY' as const,
        quantity,
        orderType: 'LIMIT' as const,
        product: 'CNC' as const,
        price,
      };
      // The engine learns the broker's rate for CNC buys from the calculator (the ticket asks it first).
      const cnc = await api.portfolio.orderMargin(ask);
      expect(cnc.required).toBe(price * quantity);
      const before = journalCounts();
      const refused = await api.orders.place(ask).then(
        () => undefined,
        (e: unknown) => e as RpcError,
      );
      expect(refused?.code).toBe('REJECTED');
      expect((refused?.details as { code: string } | undefined)?.code).toBe('MARGIN');
      expect(refused?.message).toMatch(/needs about Rs .* of margin; Rs .* is available/);
      expect(journalCounts()).toEqual(before);
      // What the margin covers still goes.
      // (Resting well under the market, so it leaves no position behind.)
      const fits = await api.orders.place({
        ...ask,
        quantity: 1,
        price: tickDown(Math.round(price * 0.97), infy.tickSize),
      });
      expect(fits.order.state).not.toBe('REJECTED');
      await api.orders.cancelAll({ instrumentToken: infy.instrumentToken });
    } finally {
      await api.risk.setLimits({ maxOrderValuePaise: limits.maxOrderValuePaise });
    }
  });

  it("exits above the freeze quantity in slices: at the day's table (NIFTY options) and at what the exchange said (USDINR)", async () => {
    const position = (i: InstrumentInfo, product: 'NRML' | 'MIS') =>
      api.portfolio
        .positions()
        .then(
          (r) =>
            r.positions.find((p) => p.instrumentToken === i.instrumentToken && p.product === product)
              ?.quantity ?? 0,
        );
    /**
     * The order once it ended and its fills are in: a COMPLETE order's status can come before its
     * trades, so it waits for them; a CANCELLED one's fills until they hold still for a second.
     */
    const ended = async (o: OrderView) => {
      const read = async () =>
        (await api.orders.list()).orders.find((x) => x.clientOrderId === o.clientOrderId);
      let last = -1;
      let since = Date.now();
      return until(`${o.clientOrderId} to end with its fills`, async () => {
        const now = await read();
        if (now === undefined || !['COMPLETE', 'CANCELLED', 'REJECTED'].includes(now.state)) return undefined;
        if (now.state === 'COMPLETE') return now.filledQuantity === now.quantity ? now : undefined;
        if (now.filledQuantity !== last) {
          last = now.filledQuantity;
          since = Date.now();
        }
        return Date.now() - since >= 1_000 ? now : undefined;
      });
    };
    /**
     * Buys `total` with market orders of at most `most` each. The local exchange's book may not hold
     * that much at once (market protection cancels the rest), so it buys the shortfall again until
     * the fills add up, never more.
     */
    const build = async (i: InstrumentInfo, product: 'NRML' | 'MIS', total: number, most: number) => {
      let held = 0;
      let last = 0;
      for (let k = 0; k < 40 && held < total; k++) {
        let quantity = Math.min(most, total - held);
        // Not the same order as the last one, which the duplicate guard would refuse.
        if (quantity === last && quantity > i.lotSize) quantity -= i.lotSize;
        last = quantity;
        const { order } = await api.orders.place({
          instrumentToken: i.instrumentToken,
          side: 'BUY',
          quantity,
          orderType: 'MARKET',
          product,
        });
        expect(order.state, order.reason).not.toBe('REJECTED');
        held += (await ended(order)).filledQuantity;
      }
      expect(held).toBe(total);
      await until(`${total} of ${i.tradingsymbol}`, async () =>
        (await position(i, product)) === total ? true : undefined,
      );
    };
    /**
     * Exits until flat (what a thin book leaves of an exit), so no position is left to later tests.
     * Each exit follows the last one at once, while its order reads COMPLETE and its trades may not
     * have reached the position yet: the exit must count what the broker reported filled, or it
     * sells the same quantity again (and the duplicate guard throws here).
     */
    const flatten = async (i: InstrumentInfo, product: 'NRML' | 'MIS') => {
      for (let k = 0; k < 40 && (await position(i, product)) !== 0; k++) {
        const { orders } = await api.orders.exit({ instrumentToken: i.instrumentToken, product });
        for (const o of orders) await ended(o);
        // Nothing sent: flat once the trades are in.
        if (orders.length === 0)
          await until(`${i.tradingsymbol} flat`, async () =>
            (await position(i, product)) === 0 ? true : undefined,
          );
      }
      expect(await position(i, product)).toBe(0);
    };

    // NIFTY options: 1800 an order from the day's table (market/freezeQuantities.ts), 75 a lot.
    const calls = (
      await api.market.search({ query: 'NIFTY', exchange: 'NFO', instrumentType: 'CE', limit: 100 })
    ).instruments.filter((i) => i.name === 'NIFTY');
    await api.market.subscribe({ instrumentTokens: calls.map((c) => c.instrumentToken), mode: 'quote' });
    const priced = await until('NIFTY call prices', async () => {
      const quotes = (await api.market.quotes({ instrumentTokens: calls.map((c) => c.instrumentToken) }))
        .quotes;
      return quotes.some((q) => q.lastPrice > 0) ? quotes : undefined;
    });
    // A premium of Rs 20-250: 1800 of it stays under the Rs 10 lakh an order.
    const quote = priced.find((q) => q.lastPrice >= 20_00 && q.lastPrice <= 250_00);
    const call = calls.find((c) => c.instrumentToken === quote?.instrumentToken);
    if (call === undefined) throw new Error('no NIFTY call priced Rs 20-250');
    expect(call.freezeQuantity).toBe(1800);
    await build(call, 'NRML', 3675, 1800);
    const { orders: exit } = await api.orders.exit({
      instrumentToken: call.instrumentToken,
      product: 'NRML',
    });
    expect(exit.map((o) => [o.side, o.orderType, o.quantity])).toEqual([
      ['SELL', 'MARKET', 1800],
      ['SELL', 'MARKET', 1800],
      ['SELL', 'MARKET', 75],
    ]);
    // None refused by the exchange; what they filled and what is left add up to the position.
    const exitEnded = [];
    for (const o of exit) exitEnded.push(await ended(o));
    expect(exitEnded.filter((o) => o.state === 'REJECTED').map((o) => o.reason)).toEqual([]);
    const exited = exitEnded.reduce((a, o) => a + o.filledQuantity, 0);
    expect(exited).toBeGreaterThan(0);
    await until('the position after the exit', async () =>
      (await position(call, 'NRML')) === 3675 - exited ? true : undefined,
    );
    await flatten(call, 'NRML');

    // USDINR futures: no freeze quantity in the table. The exchange refuses an order above its own
    // and names it; the OMS keeps it. (Its book is too thin to build a position above 10,000 here:
    // exitSlices.test.ts exits one, re-sliced at the quantity a refusal named.)
    const usdinr = (await api.market.search({ query: 'USDINR', exchange: 'CDS', instrumentType: 'FUT' }))
      .instruments[0];
    if (usdinr === undefined) throw new Error('no USDINR future');
    expect(usdinr.freezeQuantity).toBeNull();
    await api.market.subscribe({ instrumentTokens: [usdinr.instrumentToken], mode: 'quote' });
    await until('a USDINR price', async () => {
      const q = (await api.market.quotes({ instrumentTokens: [usdinr.instrumentToken] })).quotes[0];
      return q !== undefined && q.lastPrice > 0 ? q : undefined;
    });
    const big = {
      instrumentToken: usdinr.instrumentToken,
      side: 'BUY',
      quantity: 10_001,
      orderType: 'MARKET',
      product: 'MIS',
    } as const;
    const { order: rejected } = await api.orders.place(big);
    expect(rejected.state).toBe('REJECTED');
    expect(rejected.reason).toMatch(/higher than the maximum quantity 10000 allowed per order/);
    // Learnt: an order above it is now refused here, with the slicing suggestion, and nothing journaled.
    const before = journalCounts();
    const refused = await api.orders.place(big).then(
      () => undefined,
      (e: unknown) => e as RpcError,
    );
    expect(refused?.details as { code?: string; suggestion?: string } | undefined).toEqual({
      code: 'FREEZE_QUANTITY',
      suggestion: 'Slice it into 2 orders of at most 10000 (an iceberg).',
    });
    expect(journalCounts()).toEqual(before);
    expect(engine.trading?.journal.check().ok).toBe(true);
  }, 60_000);

  it("exits a cheap option: the exit's market protection spans five ticks where Kite's automatic 2% is under one", async () => {
    // The cheapest NIFTY call (a far strike, a rupee or two, tick Rs 0.05). Buying lifts the offer, so
    // the last price is the ask; 2% of it is under a tick, so with the automatic protection a market
    // sell could trade no lower than the last price and the exchange cancels it at the bid below.
    const calls = (
      await api.market.search({ query: 'NIFTY', exchange: 'NFO', instrumentType: 'CE', limit: 100 })
    ).instruments.filter((i) => i.name === 'NIFTY');
    await api.market.subscribe({ instrumentTokens: calls.map((c) => c.instrumentToken), mode: 'quote' });
    const quotes = await until('NIFTY call prices', async () => {
      const q = (await api.market.quotes({ instrumentTokens: calls.map((c) => c.instrumentToken) })).quotes;
      return q.some((x) => x.lastPrice > 0) ? q : undefined;
    });
    const cheapest = quotes.filter((q) => q.lastPrice > 0).sort((a, b) => a.lastPrice - b.lastPrice)[0];
    const call = calls.find((c) => c.instrumentToken === cheapest?.instrumentToken);
    if (call === undefined || cheapest === undefined) throw new Error('no priced NIFTY call');
    // Cheap enough that five ticks are more than 2% (under Rs 12.50 at a Rs 0.05 tick).
    expect(cheapest.lastPrice * 200).toBeLessThan(5 * call.tickSize * 10_000);
    const held = async () =>
      (await api.portfolio.positions()).positions.find(
        (p) => p.instrumentToken === call.instrumentToken && p.product === 'MIS',
      )?.quantity ?? 0;
    const { order: buy } = await api.orders.place({
      instrumentToken: call.instrumentToken,
      side: 'BUY',
      quantity: call.lotSize,
      orderType: 'MARKET',
      product: 'MIS',
    });
    await until('the buy filled', async () => ((await held()) === call.lotSize ? true : undefined));
    const { orders: exit } = await api.orders.exit({ instrumentToken: call.instrumentToken, product: 'MIS' });
    expect(exit.map((o) => [o.side, o.orderType, o.quantity])).toEqual([['SELL', 'MARKET', call.lotSize]]);
    const sell = exit[0] as OrderView;
    const done = await until('the exit ended', async () => {
      const o = (await api.orders.list()).orders.find((x) => x.clientOrderId === sell.clientOrderId);
      return o !== undefined && ['COMPLETE', 'CANCELLED', 'REJECTED'].includes(o.state) ? o : undefined;
    });
    expect([done.state, done.reason]).toEqual(['COMPLETE', '']);
    await until('flat', async () => ((await held()) === 0 ? true : undefined));
    // What was asked of the exchange, as journaled: an explicit percent of at least five ticks.
    const db = new Database(dbFile, { readonly: true });
    try {
      const protection = (id: string) =>
        (
          db.prepare('SELECT market_protection AS p FROM orders WHERE client_order_id = ?').get(id) as {
            p: number;
          }
        ).p;
      for (const id of [buy.clientOrderId, sell.clientOrderId]) {
        const p = protection(id);
        expect(p).toBeGreaterThan(2);
        expect(p).toBeLessThanOrEqual(100);
      }
    } finally {
      db.close();
    }
    expect(engine.trading?.journal.check().ok).toBe(true);
  }, 60_000);

  it('a stale feed (the exchange frozen by SIGSTOP) turns risk to REDUCING; the working order stays; reset resumes', async () => {
    ltp = await lastPrice();
    const ask = {
      instrumentToken: infy.instrumentToken,
      side: 'BUY' as const,
      quantity: 1,
      orderType: 'LIMIT' as const,
      product: 'MIS' as const,
      price: tickDown(Math.round(ltp * 0.97), infy.tickSize),
    };
    const { order } = await api.orders.place(ask);
    await until('open', async () =>
      (await api.orders.list()).orders.find(
        (o) => o.clientOrderId === order.clientOrderId && o.state === 'OPEN',
      ),
    );
    expect((await api.risk.status()).state).toBe('ACTIVE');
    // A real fault: the exchange process stops (no ticks, no heartbeats, no answers).
    exchange.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    try {
      const status = await until(
        'REDUCING',
        async () => {
          const s = await api.risk.status();
          return s.state === 'REDUCING' ? s : undefined;
        },
        15_000,
      );
      // 3 s of silence, checked once a second.
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(2_900);
      expect(status.reason).toMatch(/^Stale feed: no tick on INFY for/);
      // New risk is refused locally; the trader's working order is left alone.
      const refused = await api.orders.place({ ...ask, price: ask.price - infy.tickSize }).then(
        () => undefined,
        (e: unknown) => e as RpcError,
      );
      expect((refused?.details as { code: string } | undefined)?.code).toBe('REDUCING_ONLY');
      expect(
        (await api.orders.list()).orders.find((o) => o.clientOrderId === order.clientOrderId)?.state,
      ).toBe('OPEN');
    } finally {
      exchange.child.kill('SIGCONT');
    }
    // The feed comes back first: on a loaded machine the ticker may have dropped the frozen socket
    // and be reconnecting, and a reset before a fresh tick would trip the breaker again.
    const resumedAt = Date.now();
    await until(
      'a tick after the exchange resumed',
      async () => {
        const q = (await api.market.quotes({ instrumentTokens: [infy.instrumentToken] })).quotes[0];
        return q !== undefined && q.receivedAt > resumedAt ? q : undefined;
      },
      20_000,
    );
    // Latched until a person resets it.
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await api.risk.status()).state).toBe('REDUCING');
    expect((await api.risk.reset()).state).toBe('ACTIVE');
    await api.orders.cancel({ clientOrderId: order.clientOrderId });
    await until('cancelled', async () =>
      (await api.orders.list()).orders.find(
        (o) => o.clientOrderId === order.clientOrderId && o.state === 'CANCELLED',
      ),
    );
  }, 60_000);

  it('a stop-loss on a position exits it when the price reaches the stop, and is kept in the database', async () => {
    const token = infy.instrumentToken;
    const { order } = await api.orders.place({
      instrumentToken: token,
      side: 'BUY',
      quantity: 3,
      orderType: 'MARKET',
      product: 'MIS',
    });
    await until('long 3', async () =>
      (await api.portfolio.positions()).positions.find(
        (p) => p.instrumentToken === token && p.product === 'MIS' && p.quantity === 3,
      ),
    );
    expect(order.side).toBe('BUY');
    const seen: PositionStopView[] = [];
    api.risk.onStopLoss((s) => seen.push(s));
    // Refusals change nothing: no position, on the wrong side of the price, off the tick.
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => ((e as RpcError).details as { code: string }).code,
      );
    ltp = await lastPrice();
    expect(
      await refusal(api.risk.setStopLoss({ instrumentToken: token, product: 'NRML', stopPrice: ltp - 100 })),
    ).toBe('NO_POSITION');
    expect(
      await refusal(api.risk.setStopLoss({ instrumentToken: token, product: 'MIS', stopPrice: ltp + 100 })),
    ).toBe('STOP_REACHED');
    expect(
      await refusal(
        api.risk.setStopLoss({
          instrumentToken: token,
          product: 'MIS',
          stopPrice: tickDown(ltp, infy.tickSize) - infy.tickSize + 1,
        }),
      ),
    ).toBe('TICK_SIZE');
    expect((await api.risk.stopLosses()).stops).toEqual([]);
    // Trail the stop one tick under the price (up only, as a trailing stop) until the market comes
    // down to it.
    let stopAt = 0;
    const exited = await until(
      'the stop to exit the position',
      async () => {
        const flat = (await api.portfolio.positions()).positions.find(
          (p) => p.instrumentToken === token && p.product === 'MIS' && p.quantity === 0,
        );
        if (flat !== undefined) return flat;
        const price = tickDown(await lastPrice(), infy.tickSize) - infy.tickSize;
        const stop = (await api.risk.stopLosses()).stops[0];
        if ((stop === undefined || stop.state === 'armed') && price > stopAt) {
          const set = await api.risk
            .setStopLoss({ instrumentToken: token, product: 'MIS', stopPrice: price })
            .catch(() => undefined);
          if (set !== undefined) {
            stopAt = price;
            // Kept in the database before it was reported.
            const db = new Database(dbFile, { readonly: true });
            try {
              const stored = db
                .prepare(`SELECT stop_price, state FROM position_stops WHERE instrument_token = ?`)
                .get(token) as { stop_price: number; state: string } | undefined;
              expect(stored?.stop_price).toBe(set.stopPrice);
            } finally {
              db.close();
            }
          }
        }
        return undefined;
      },
      45_000,
    );
    expect(exited.quantity).toBe(0);
    // The stream is conflated per position (100 ms): the last word on the stop carries its exit.
    const last = await until('the stop with its exit', () =>
      seen.filter((s) => s.exitClientOrderId !== null && s.state === 'removed').at(-1),
    );
    const withExit = seen.filter((s) => s.exitClientOrderId !== null);
    expect(last.message).toMatch(/Stop reached at [\d.]+; exit order sent\./);
    const exit = (await api.orders.list()).orders.find((o) => o.clientOrderId === last.exitClientOrderId);
    expect(exit).toMatchObject({ side: 'SELL', orderType: 'MARKET', quantity: 3, product: 'MIS' });
    // One exit only.
    expect(new Set(withExit.map((s) => s.exitClientOrderId)).size).toBe(1);
    const sells = (await api.orders.list()).orders.filter(
      (o) =>
        o.instrumentToken === token &&
        o.side === 'SELL' &&
        o.orderType === 'MARKET' &&
        o.product === 'MIS' &&
        o.createdAt >= order.createdAt,
    );
    expect(sells).toHaveLength(1);
    await until('the stop removed', async () =>
      (await api.risk.stopLosses()).stops.length === 0 ? true : undefined,
    );
  }, 60_000);

  it('the kill switch halts, cancels every working order within a second, and blocks until reset', async () => {
    const ids: string[] = [];
    ltp = await lastPrice();
    for (let k = 0; k < 4; k++) {
      const price = tickDown(Math.round(ltp * (0.96 - k * 0.002)), infy.tickSize);
      const { order } = await api.orders.place({
        instrumentToken: infy.instrumentToken,
        side: 'BUY',
        quantity: 1,
        orderType: 'LIMIT',
        product: 'MIS',
        price,
      });
      ids.push(order.clientOrderId);
    }
    await until('all open', async () => {
      const list = (await api.orders.list()).orders.filter((o) => ids.includes(o.clientOrderId));
      return list.every((o) => o.state === 'OPEN') ? list : undefined;
    });
    const started = Date.now();
    const { status, cancelled } = await api.risk.killSwitch({ reason: 'test' });
    expect(status.state).toBe('HALTED');
    expect(new Set(cancelled)).toEqual(new Set(ids));
    await until(
      'all cancelled',
      async () => {
        const list = (await api.orders.list()).orders.filter((o) => ids.includes(o.clientOrderId));
        return list.every((o) => o.state === 'CANCELLED') ? list : undefined;
      },
      1_000,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    const refused = await api.orders
      .place({
        instrumentToken: infy.instrumentToken,
        side: 'BUY',
        quantity: 1,
        orderType: 'MARKET',
        product: 'MIS',
      })
      .then(
        () => undefined,
        (e: unknown) => e as RpcError,
      );
    expect((refused?.details as { code: string }).code).toBe('HALTED');
    expect((await api.risk.reset()).state).toBe('ACTIVE');
  });

  it('refuses the 11th order inside a second locally, with nothing journaled or sent for it', async () => {
    // A second with no order in it first, so the window holds only these.
    await new Promise((r) => setTimeout(r, 1_100));
    ltp = await lastPrice();
    const before = journalCounts();
    const results = await Promise.allSettled(
      Array.from({ length: 11 }, (_, k) =>
        api.orders.place({
          instrumentToken: infy.instrumentToken,
          side: 'BUY',
          quantity: 1 + k,
          orderType: 'LIMIT',
          product: 'MIS',
          price: tickDown(Math.round(ltp * 0.97), infy.tickSize),
        }),
      ),
    );
    const placed = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(placed).toHaveLength(10);
    expect(refused).toHaveLength(1);
    const error = refused[0]?.reason as RpcError;
    expect(error.code).toBe('REJECTED');
    expect((error.details as { code: string }).code).toBe('ORDER_RATE');
    expect(journalCounts().orders).toBe(before.orders + 10);
    // The exchange got the ten (each has its broker id), and no refusal came from it.
    for (const r of placed) expect(r.value.order.brokerOrderId).not.toBeNull();
    await api.orders.cancelAll();
  });
});
