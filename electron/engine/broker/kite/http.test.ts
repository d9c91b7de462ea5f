/**
 * KiteRest against the real local exchange (its own process, real sockets), with its admin API
 * injecting faults; and against a tiny HTTP server of our own for the answers the exchange never
 * gives (wrong content types, a 200 carrying an error). Nothing here assumes an empty book: resting
 * orders are placed far from the touch, prices are read from quotes.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Price } from '../../../../shared/domain/money';
import { startLocalExchange } from '../../testing/localExchange';
import type { LocalExchange } from '../../testing/localExchange';
import { BrokerError } from '../errors';
import { TERMINAL_ORDER_STATUSES } from '../types';
import type { BrokerOrder } from '../types';
import { KiteRest, kiteLoginUrl, requestTokenFromRedirect } from './http';
import type { AttemptEvent, KiteRestOptions } from './http';
import { RequestPacer } from './rateLimiter';

let exchange: LocalExchange;
// One pacer for every client of the exchange's one API key, as in the app.
const pacer = new RequestPacer();
let attempts: AttemptEvent[] = [];

const INFY = { exchange: 'NSE', tradingsymbol: 'INFY', token: 408065, tick: 5 } as const;

function client(options: Partial<KiteRestOptions> = {}): KiteRest {
  return new KiteRest({
    apiKey: exchange.apiKey,
    accessToken: exchange.accessToken,
    root: exchange.rest,
    pacer,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    onAttempt: (e) => attempts.push(e),
    ...options,
  });
}

async function admin(method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${exchange.rest}/__sim/${route}`, {
    method,
    headers: { 'X-Sim-Secret': exchange.apiSecret, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

const setFaults = (faults: unknown): Promise<unknown> => admin('PUT', 'faults', faults);

async function failure(promise: Promise<unknown>): Promise<BrokerError> {
  const e = await promise.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(BrokerError);
  return e as BrokerError;
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

let tagSeq = 0;
const newTag = (): string => `t${process.pid}x${Date.now() % 1e6}x${tagSeq++}`.slice(0, 20);

/** A BUY LIMIT that will rest: 10% under the last price, on the tick. */
async function restingBuyPrice(kite: KiteRest): Promise<Price> {
  const q = (await kite.ltp([`${INFY.exchange}:${INFY.tradingsymbol}`])).get('NSE:INFY');
  expect(q).toBeDefined();
  return (Math.floor((q!.lastPrice * 0.9) / INFY.tick) * INFY.tick) as Price;
}

const byTag = (orders: readonly BrokerOrder[], tag: string): BrokerOrder | undefined =>
  orders.find((o) => o.tag === tag);

beforeAll(async () => {
  exchange = await startLocalExchange();
});

afterAll(async () => {
  await exchange.close();
});

afterEach(async () => {
  attempts = [];
  await admin('DELETE', 'faults');
});

describe('KiteRest reads', () => {
  it('reads the profile and funds in integer paise', async () => {
    const kite = client();
    const profile = await kite.profile();
    expect(profile.userId).not.toBe('');
    expect(profile.exchanges).toContain('NSE');
    const margins = await kite.margins();
    expect(Number.isSafeInteger(margins.equity.net)).toBe(true);
    expect(margins.equity.net).toBeGreaterThan(0);
    expect(margins.equity.available['cash']).toBeDefined();
    const commodity = await kite.segmentMargins('commodity');
    expect(commodity.net).toBe(margins.commodity.net);
  });

  it('parses the instrument dump itself: numeric tokens, segment divisors, ticks in units', async () => {
    const kite = client();
    const all = await kite.instruments();
    expect(all.skipped).toEqual([]);
    expect(all.instruments.length).toBeGreaterThan(100);
    const infy = all.instruments.find((i) => i.exchange === 'NSE' && i.tradingSymbol === 'INFY');
    expect(infy).toMatchObject({ instrumentToken: INFY.token, priceDivisor: 100, tickSize: INFY.tick });
    const cds = all.instruments.find((i) => i.segment.startsWith('CDS'));
    expect(cds?.priceDivisor).toBe(10_000_000);
    expect(cds?.expiry).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const i of all.instruments) expect(i.instrumentToken & 0xff).toBeGreaterThan(0);
    const nse = await kite.instruments('NSE');
    expect(nse.instruments.length).toBeGreaterThan(0);
    expect(nse.instruments.length).toBeLessThan(all.instruments.length);
    expect(new Set(nse.instruments.map((i) => i.exchange))).toEqual(new Set(['NSE']));
  });

  it('reads quotes, OHLC and LTP keyed as asked, in wire units; unknown keys are absent', async () => {
    const kite = client();
    const quotes = await kite.quote(['NSE:INFY', 'NSE:NO_SUCH_THING']);
    expect([...quotes.keys()]).toEqual(['NSE:INFY']);
    const q = quotes.get('NSE:INFY');
    expect(q?.instrumentToken).toBe(INFY.token);
    expect(Number.isSafeInteger(q?.lastPrice)).toBe(true);
    expect(q!.lastPrice % INFY.tick).toBe(0);
    expect(q!.lowerCircuitLimit).toBeLessThan(q!.upperCircuitLimit);
    expect(q!.depth.buy).toHaveLength(5);
    // The snapshot time is now, as an instant (an IST misreading would be 5.5 hours off).
    expect(Math.abs(q!.time - Date.now())).toBeLessThan(60_000);
    const ohlc = (await kite.ohlc(['NSE:INFY'])).get('NSE:INFY');
    expect(ohlc?.ohlc.close).toBe(q!.ohlc.close);
    const ltp = (await kite.ltp(['NSE:INFY'])).get('NSE:INFY');
    expect(ltp?.instrumentToken).toBe(INFY.token);
  });

  it('reads historical candles with explicit IST times and keeps OI', async () => {
    const kite = client();
    const to = Date.now();
    const from = to - 10 * 86_400_000;
    const days = await kite.historical(INFY.token, 'day', from, to, { oi: true });
    expect(days.length).toBeGreaterThan(0);
    for (const c of days) {
      // Day candles start at 00:00 IST, i.e. 18:30 UTC the day before.
      expect((c.time + 5.5 * 3_600_000) % 86_400_000).toBe(0);
      expect(c.low).toBeLessThanOrEqual(c.high);
      expect(c.oi).not.toBeNull();
    }
    const minutes = await kite.historical(INFY.token, 'minute', to - 3 * 86_400_000, to);
    for (let i = 1; i < minutes.length; i++) expect(minutes[i]!.time).toBeGreaterThan(minutes[i - 1]!.time);
    expect(minutes.every((c) => c.oi === null && c.time % 60_000 === 0)).toBe(true);
    expect((await failure(kite.historical(INFY.token, 'day', to, from))).kind).toBe('input');
  });
});

describe('KiteRest orders', () => {
  it('places, reads, modifies and cancels a resting order, never touching the caller’s object', async () => {
    const kite = client();
    const price = await restingBuyPrice(kite);
    const tag = newTag();
    // Frozen: the official client assigns `variety` into the params it gets, which would throw here.
    const request = Object.freeze({
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 1,
      product: 'CNC',
      price,
      tag,
    } as const);
    const { orderId } = await kite.placeOrder(request);
    const placed = await eventually(async () => byTag(await kite.orders(), tag));
    expect(placed).toMatchObject({ orderId, price, side: 'BUY', quantity: 1, tag });
    expect(Math.abs(placed.orderTime - Date.now())).toBeLessThan(60_000);
    const open = await eventually(async () => {
      const h = await kite.orderHistory(orderId);
      return h.at(-1)?.status === 'OPEN' ? h : undefined;
    });
    expect(open[0]?.orderId).toBe(orderId);

    const lower = (price - 2 * INFY.tick) as Price;
    const modify = Object.freeze({ variety: 'regular', orderId, exchange: 'NSE', price: lower } as const);
    expect(await kite.modifyOrder(modify)).toBe(orderId);
    await eventually(async () =>
      (await kite.orderHistory(orderId)).at(-1)?.price === lower ? true : undefined,
    );

    expect(await kite.cancelOrder('regular', orderId)).toBe(orderId);
    const cancelled = await eventually(async () => {
      const o = byTag(await kite.orders(), tag);
      return o?.status === 'CANCELLED' ? o : undefined;
    });
    expect(cancelled.cancelledQuantity).toBe(1);
    expect(await kite.orderTrades(orderId)).toEqual([]);
    // Cancelling twice is the venue's refusal, typed, and not retried.
    attempts = [];
    const again = await failure(kite.cancelOrder('regular', orderId));
    expect(again.outcomeUnknown).toBe(false);
    expect(attempts.filter((a) => a.endpoint === 'orders.cancel')).toHaveLength(1);
  });

  it('reads fills at their exact price', async () => {
    const kite = client();
    const ltp = (await kite.ltp(['NSE:INFY'])).get('NSE:INFY')!.lastPrice;
    const base = {
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      quantity: 1,
      product: 'CNC',
    } as const;
    // A sell and a buy at the last price: whatever the book holds, at least one of them trades.
    const sell = await kite.placeOrder({
      ...base,
      side: 'SELL',
      orderType: 'LIMIT',
      price: ltp,
      tag: newTag(),
    });
    const buy = await kite.placeOrder({
      ...base,
      side: 'BUY',
      orderType: 'LIMIT',
      price: ltp,
      tag: newTag(),
    });
    const fills = await eventually(async () => {
      const f = [...(await kite.orderTrades(sell.orderId)), ...(await kite.orderTrades(buy.orderId))];
      return f.length > 0 ? f : undefined;
    });
    for (const f of fills) {
      expect(Number.isSafeInteger(f.price)).toBe(true);
      expect(f.price % INFY.tick).toBe(0);
      expect(Math.abs(f.fillTime - Date.now())).toBeLessThan(60_000);
    }
    const all = await kite.trades();
    expect(all.map((t) => t.tradeId)).toEqual(expect.arrayContaining(fills.map((f) => f.tradeId)));
    const positions = await kite.positions();
    expect(positions.net.some((p) => p.instrumentToken === INFY.token)).toBe(true);
    const holdings = await kite.holdings();
    for (const h of holdings) expect(Number.isSafeInteger(h.averagePrice)).toBe(true);
    // Leave nothing resting behind.
    for (const id of [sell.orderId, buy.orderId])
      await kite.cancelOrder('regular', id).catch(() => undefined);
  });

  it('computes order margins and charges in paise', async () => {
    const kite = client();
    const order = {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      side: 'BUY',
      variety: 'regular',
      product: 'CNC',
      orderType: 'LIMIT',
      quantity: 2,
      price: 150000 as Price,
    } as const;
    const [margin] = await kite.orderMargins([order]);
    expect(margin?.tradingsymbol).toBe('INFY');
    expect(margin!.total).toBeGreaterThan(0);
    expect(Number.isSafeInteger(margin!.charges.total)).toBe(true);
    const [note] = await kite.charges([
      { ...order, orderId: '2612010000000000004', averagePrice: 150000 as Price },
    ]);
    expect(note?.charges.total).toBeGreaterThan(0);
    expect(note?.price).toBe(150000);
  });

  it('sets, reads, modifies and deletes a GTT', async () => {
    const kite = client();
    const ltp = (await kite.ltp(['NSE:INFY'])).get('NSE:INFY')!.lastPrice;
    const trigger = (Math.floor((ltp * 0.7) / INFY.tick) * INFY.tick) as Price;
    const gtt = {
      type: 'single',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      triggerValues: [trigger],
      lastPrice: ltp,
      orders: [{ side: 'BUY', orderType: 'LIMIT', product: 'CNC', quantity: 1, price: trigger }],
    } as const;
    const id = await kite.placeGtt(gtt);
    const read = await kite.gtt(id);
    expect(read).toMatchObject({ id, type: 'single', status: 'active', triggerValues: [trigger] });
    expect(read.orders[0]?.price).toBe(trigger);
    expect((await kite.gtts()).map((g) => g.id)).toContain(id);
    const lower = (trigger - INFY.tick) as Price;
    await kite.modifyGtt(id, { ...gtt, triggerValues: [lower] });
    expect((await kite.gtt(id)).triggerValues).toEqual([lower]);
    expect(await kite.deleteGtt(id)).toBe(id);
    const after = await kite.gtt(id).then(
      (g) => g.status,
      (e: unknown) => (e instanceof BrokerError ? e.kind : 'other'),
    );
    expect(['deleted', 'cancelled', 'input', 'general']).toContain(after);
    // The client's own argument check (two values for a single GTT) arrives as an input error.
    expect((await failure(kite.placeGtt({ ...gtt, triggerValues: [trigger, lower] }))).kind).toBe('input');
  });
});

describe('KiteRest under faults', () => {
  it('retries an idempotent read through a burst of 429s', async () => {
    await setFaults({ burst429: 2 });
    const orders = await client().orders();
    expect(Array.isArray(orders)).toBe(true);
    const sent = attempts.filter((a) => a.endpoint === 'orders.list');
    expect(sent.map((a) => a.error?.kind ?? 'ok')).toEqual(['rateLimited', 'rateLimited', 'ok']);
    expect(sent[0]?.error?.httpStatus).toBe(429);
    expect(sent[0]?.error?.venueErrorType).toBe('NetworkException');
  });

  it('gives up on a read after maxAttempts of 5xx NetworkException, and does not retry a 4xx', async () => {
    await setFaults({
      endpoints: { 'orders.list': { errorRate: 1, errorType: 'NetworkException', errorStatus: 503 } },
    });
    const e = await failure(client({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } }).orders());
    expect(e).toMatchObject({ kind: 'network', httpStatus: 503, attempts: 3, outcomeUnknown: false });
    expect(attempts.filter((a) => a.endpoint === 'orders.list')).toHaveLength(3);

    attempts = [];
    await setFaults({ endpoints: { 'trades.list': { errorRate: 1, errorType: 'InputException' } } });
    const input = await failure(client().trades());
    expect(input).toMatchObject({ kind: 'input', httpStatus: 400, attempts: 1 });
    expect(attempts).toHaveLength(1);
  });

  it('retries a read that timed out', async () => {
    await setFaults({ endpoints: { 'user.profile': { latencyMs: 600 } } });
    const e = await failure(client({ timeoutMs: 200, retry: { maxAttempts: 2, baseDelayMs: 10 } }).profile());
    expect(e).toMatchObject({ kind: 'timeout', attempts: 2, outcomeUnknown: false });
  });

  it('never retries an order placement: a 429 is a known refusal, and nothing was placed', async () => {
    const kite = client();
    const price = await restingBuyPrice(kite);
    const tag = newTag();
    await setFaults({ burst429: 1 });
    const e = await failure(
      kite.placeOrder({
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        side: 'BUY',
        orderType: 'LIMIT',
        quantity: 1,
        product: 'CNC',
        price,
        tag,
      }),
    );
    expect(e).toMatchObject({ kind: 'rateLimited', httpStatus: 429, outcomeUnknown: false, attempts: 1 });
    expect(attempts.filter((a) => a.endpoint === 'orders.place')).toHaveLength(1);
    expect(byTag(await kite.orders(), tag)).toBeUndefined();
  });

  it('marks a placement answered by a 503 as outcome unknown, sent once', async () => {
    const kite = client();
    await setFaults({
      endpoints: { 'orders.place': { errorRate: 1, errorType: 'NetworkException', errorStatus: 503 } },
    });
    const e = await failure(
      kite.placeOrder({
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        side: 'BUY',
        orderType: 'MARKET',
        quantity: 1,
        product: 'CNC',
        marketProtection: -1,
        tag: newTag(),
      }),
    );
    expect(e).toMatchObject({ kind: 'network', httpStatus: 503, outcomeUnknown: true, attempts: 1 });
    expect(attempts).toHaveLength(1);
  });

  for (const mode of ['hang', 'reset'] as const) {
    it(`a lost acknowledgement (${mode}) is outcome unknown, and the order is found by its tag`, async () => {
      const kite = client({ timeoutMs: 800 });
      const price = await restingBuyPrice(kite);
      const tag = newTag();
      await setFaults({ lostAcks: 1, lostAckMode: mode });
      const e = await failure(
        kite.placeOrder({
          variety: 'regular',
          exchange: 'NSE',
          tradingsymbol: 'INFY',
          side: 'BUY',
          orderType: 'LIMIT',
          quantity: 1,
          product: 'CNC',
          price,
          tag,
        }),
      );
      expect(e.kind).toBe(mode === 'hang' ? 'timeout' : 'network');
      expect(e.outcomeUnknown).toBe(true);
      expect(e.attempts).toBe(1);
      expect(attempts.filter((a) => a.endpoint === 'orders.place')).toHaveLength(1);
      // The OMS's way out: the order book, by tag. It was placed exactly once.
      const found = (await kite.orders()).filter((o) => o.tag === tag);
      expect(found).toHaveLength(1);
      await kite.cancelOrder('regular', found[0]!.orderId);
    });
  }

  it('says "not sent" when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) =>
      closed.close(() => {
        r();
      }),
    );
    const kite = client({ root: `http://127.0.0.1:${port}`, retry: { maxAttempts: 2, baseDelayMs: 5 } });
    const e = await failure(
      kite.placeOrder({
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        side: 'BUY',
        orderType: 'MARKET',
        quantity: 1,
        product: 'CNC',
        marketProtection: -1,
      }),
    );
    expect(e).toMatchObject({ kind: 'network', outcomeUnknown: false, attempts: 1 });
    expect((await failure(kite.orders())).attempts).toBe(2);
  });

  it('turns a bad access token into a token error that asks for a login', async () => {
    const expired: BrokerError[] = [];
    const kite = client({ accessToken: 'not-the-token', onTokenError: (e) => expired.push(e) });
    const e = await failure(kite.profile());
    expect(e).toMatchObject({
      kind: 'token',
      httpStatus: 403,
      venueErrorType: 'TokenException',
      attempts: 1,
      needsLogin: true,
    });
    expect(expired).toHaveLength(1);
  });
});

describe('KiteRest against answers the exchange never gives', () => {
  let server: Server;
  let root = '';
  let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();

  beforeAll(async () => {
    server = createServer((req, res) => {
      answer(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) =>
      server.close(() => {
        r();
      }),
    );
  });

  const kite = (): KiteRest => client({ root, accessToken: 'x', retry: { maxAttempts: 2, baseDelayMs: 5 } });

  it('rejects a 2xx of an unknown content type (the client would resolve it)', async () => {
    answer = (_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('hello');
    expect(await failure(kite().profile())).toMatchObject({ kind: 'data', venueErrorType: 'DataException' });
    answer = (_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('hello');
    const e = await failure(
      kite().placeOrder({
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        side: 'BUY',
        orderType: 'MARKET',
        quantity: 1,
        product: 'CNC',
      }),
    );
    // A placement answered with something unreadable may have been carried out.
    expect(e).toMatchObject({ kind: 'data', outcomeUnknown: true });
  });

  it('rejects a 200 that carries an error envelope, keeping its type and status', async () => {
    answer = (_req, res) =>
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ status: 'error', error_type: 'OrderException', message: 'no', data: null }));
    expect(await failure(kite().orders())).toMatchObject({ kind: 'order', httpStatus: 200, message: 'no' });
    answer = (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('[1,2]');
    expect((await failure(kite().orders())).kind).toBe('data');
    answer = (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"succ');
    expect((await failure(kite().orders())).kind).toBe('data');
  });

  it('retries a proxy’s plain 502 on a read, keeping the status', async () => {
    let hits = 0;
    answer = (_req, res) => {
      hits++;
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('<h1>Bad Gateway</h1>');
    };
    expect(await failure(kite().orders())).toMatchObject({ kind: 'network', httpStatus: 502, attempts: 2 });
    expect(hits).toBe(2);
  });

  it('parses a dump sent as text/csv with a charset (the client returns the raw string)', async () => {
    answer = (_req, res) =>
      res
        .writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' })
        .end(
          'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\r\n' +
            '408065,1594,INFY,INFOSYS,1540.8,,0,0.05,1,EQ,NSE,NSE\r\n',
        );
    const dump = await kite().instruments();
    expect(dump.instruments).toHaveLength(1);
    expect(dump.instruments[0]?.instrumentToken).toBe(408065);
  });

  it('refuses to put an unsafe order id into a URL path, without sending anything', async () => {
    let hits = 0;
    answer = (_req, res) => {
      hits++;
      res.end();
    };
    expect((await failure(kite().orderHistory('../user/margins'))).kind).toBe('input');
    expect((await failure(kite().cancelOrder('regular', '1/2'))).kind).toBe('input');
    expect(hits).toBe(0);
  });
});

describe('KiteRest in any machine time zone', () => {
  // The same reads in child processes under two zones; everything parsed must be identical.
  const script = `
    // tsx loads the file as CommonJS here: its exports may sit under \`default\`.
    const m = await import(${JSON.stringify(path.join(__dirname, 'http.ts'))});
    const KiteRest = m.KiteRest ?? m.default.KiteRest;
    const kite = new KiteRest({ apiKey: process.env.K_KEY, accessToken: process.env.K_TOKEN, root: process.env.K_ROOT });
    const now = Number(process.env.K_NOW);
    const out = {
      offset: new Date(2026, 0, 15).getTimezoneOffset(),
      orders: await kite.orders(),
      trades: await kite.trades(),
      gtts: await kite.gtts(),
      candles: await kite.historical(408065, '60minute', now - 5 * 86400000, now - 86400000),
    };
    process.stdout.write(JSON.stringify(out));
  `;
  // One instant for both runs, so that both ask for the same candles.
  const now = Date.now();
  const run = (tz: string): Promise<{ offset: number; orders: BrokerOrder[] } & Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          env: {
            ...process.env,
            TZ: tz,
            K_KEY: exchange.apiKey,
            K_TOKEN: exchange.accessToken,
            K_ROOT: exchange.rest,
            K_NOW: String(now),
          },
          timeout: 30_000,
        },
        (error, stdout, stderr) => {
          if (error !== null) reject(new Error(`${error.message}\n${stderr}`));
          else resolve(JSON.parse(stdout) as { offset: number; orders: BrokerOrder[] });
        },
      );
    });

  it('gives identical orders, trades, GTTs and candles under America/New_York and Asia/Kolkata', async () => {
    const kite = client();
    const tag = newTag();
    const price = await restingBuyPrice(kite);
    const { orderId } = await kite.placeOrder({
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 1,
      product: 'CNC',
      price,
      tag,
    });
    await eventually(async () =>
      (await kite.orderHistory(orderId)).at(-1)?.status === 'OPEN' ? true : undefined,
    );
    const newYork = await run('America/New_York');
    const kolkata = await run('Asia/Kolkata');
    expect(newYork.offset).toBe(300);
    expect(kolkata.offset).toBe(-330);
    expect(kolkata['candles']).toEqual(newYork['candles']);
    expect(kolkata['gtts']).toEqual(newYork['gtts']);
    // The market keeps trading between the two runs: trades only accrue, and an order that was not
    // final may move on. What was already there must read the same, times first.
    expect(kolkata['trades']).toEqual(expect.arrayContaining(newYork['trades'] as unknown[]));
    const later = new Map(kolkata.orders.map((o) => [o.orderId, o]));
    for (const o of newYork.orders) {
      const k = later.get(o.orderId);
      expect(k?.orderTime).toBe(o.orderTime);
      if (TERMINAL_ORDER_STATUSES.has(o.status)) expect(k).toEqual(o);
    }
    const mine = newYork.orders.find((o) => o.tag === tag);
    expect(mine).toBeDefined();
    expect(Math.abs(mine!.orderTime - Date.now())).toBeLessThan(60_000);
    expect((newYork['candles'] as unknown[]).length).toBeGreaterThan(0);
    await kite.cancelOrder('regular', orderId);
  }, 60_000);
});

describe('KiteRest login (last: a new session ends the exchange’s first one)', () => {
  it('builds the login URL, logs in with the request_token, and logs out', async () => {
    // The time-zone test before this one ran two child processes, each pacing itself: give the
    // exchange's one-second windows (per API key, shared by all of them) time to empty.
    await new Promise((r) => setTimeout(r, 1_100));
    const login = kiteLoginUrl(exchange.apiKey, { loginUrl: `${exchange.rest}/connect/login` });
    expect(login).toBe(`${exchange.rest}/connect/login?api_key=${exchange.apiKey}&v=3`);
    expect(kiteLoginUrl('k', { redirectParams: { a: '1' } })).toBe(
      'https://kite.zerodha.com/connect/login?api_key=k&v=3&redirect_params=a%3D1',
    );
    expect(requestTokenFromRedirect('http://app/cb?action=login&status=success&request_token=abc123')).toBe(
      'abc123',
    );
    expect(requestTokenFromRedirect('http://app/cb?status=cancelled&request_token=abc123')).toBeUndefined();

    // The local exchange's login page, without a redirect URL, shows the request_token.
    const page = await fetch(`${exchange.rest}/connect/login`, {
      method: 'POST',
      body: new URLSearchParams({ api_key: exchange.apiKey }),
    });
    const requestToken = /id="request_token">([A-Za-z0-9]+)</.exec(await page.text())?.[1];
    expect(requestToken).toBeDefined();

    const fresh = client({ accessToken: 'none-yet' });
    expect((await failure(fresh.generateSession(requestToken!, 'wrong-secret'))).kind).toBe('token');
    const session = await fresh.generateSession(requestToken!, exchange.apiSecret);
    expect(session.accessToken).not.toBe(exchange.accessToken);
    expect(session.apiKey).toBe(exchange.apiKey);
    expect((await fresh.profile()).userId).toBe(session.userId);
    // One active session: the old token is gone, and a used request_token does not work twice.
    expect((await failure(client().profile())).kind).toBe('token');
    expect((await failure(fresh.generateSession(requestToken!, exchange.apiSecret))).kind).toBe('token');

    await fresh.invalidateAccessToken();
    expect((await failure(fresh.profile())).kind).toBe('token');
  });
});
