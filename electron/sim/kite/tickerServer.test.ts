import { KiteConnect, KiteTicker } from 'kiteconnect';
import type { KiteTickerParams, Ticker } from 'kiteconnect';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestExchange } from './testing/harness';
import type { TestExchange } from './testing/harness';

// KiteTicker keeps its socket and handlers in module-level state (kite-protocol.md section 9), so
// this file uses one ticker for the whole run and routes its events through `waiters`.

const INFY = 408065;
const NIFTY = 256265;

let ex: TestExchange;
let ticker: Ticker;
const ticks: Record<string, unknown>[] = [];
const orderUpdates: Record<string, unknown>[] = [];

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

beforeAll(async () => {
  ex = await startTestExchange({ heartbeatMs: 200 });
  const params = {
    api_key: ex.apiKey,
    access_token: ex.accessToken,
    root: ex.server.wsUrl,
    reconnect: false,
  };
  // `root` is missing from the published KiteTickerParams type; a variable (not a literal) passes
  // it without an excess-property error, so no cast is needed.
  const typed: KiteTickerParams = params;
  ticker = new KiteTicker(typed);
  ticker.on('ticks', (batch: Record<string, unknown>[]) => {
    ticks.push(...batch);
  });
  ticker.on('order_update', (order: Record<string, unknown>) => {
    orderUpdates.push(order);
  });
  const connected = new Promise<void>((resolve) => {
    ticker.on('connect', () => {
      resolve();
    });
  });
  ticker.connect();
  await connected;
});

afterAll(async () => {
  ticker.disconnect();
  await ex.close();
});

const latest = (token: number, mode: string): Record<string, unknown> | undefined =>
  ticks.findLast((t) => t['instrument_token'] === token && t['mode'] === mode);

describe('KiteTicker against the server', () => {
  it('streams new subscriptions in quote mode, an equity and an index', async () => {
    ticker.subscribe([INFY, NIFTY]);
    const equity = await until('INFY quote', () => latest(INFY, 'quote'));
    expect(equity).toMatchObject({
      tradable: true,
      last_price: 1500.5,
      last_traded_quantity: 10,
      volume_traded: 1000,
      total_buy_quantity: 500,
      ohlc: { open: 1490, high: 1500.5, low: 1490, close: 1490 },
    });
    const index = await until('NIFTY quote', () => latest(NIFTY, 'quote'));
    expect(index).toMatchObject({
      tradable: false,
      last_price: 24_500.25,
      ohlc: { high: 24_500.25, low: 24_400, open: 24_400, close: 24_400 },
    });
  });

  it('switches to ltp and full', async () => {
    ticker.setMode('ltp', [NIFTY, INFY]);
    expect(await until('INFY ltp', () => latest(INFY, 'ltp'))).toEqual({
      tradable: true,
      mode: 'ltp',
      instrument_token: INFY,
      last_price: 1500.5,
    });
    ticker.setMode('full', [INFY]);
    expect(await until('NIFTY ltp', () => latest(NIFTY, 'ltp'))).toEqual({
      tradable: false,
      mode: 'ltp',
      instrument_token: NIFTY,
      last_price: 24_500.25,
    });
    const full = await until('INFY full', () => latest(INFY, 'full'));
    const depth = full['depth'] as { buy: unknown[]; sell: unknown[] };
    expect(depth.buy).toHaveLength(5);
    expect(depth.buy[0]).toEqual({ price: 1500.45, quantity: 100, orders: 2 });
    expect(depth.buy[1]).toEqual({ price: 0, quantity: 0, orders: 0 });
    expect(depth.sell[0]).toEqual({ price: 1500.55, quantity: 150, orders: 3 });
    expect(full['exchange_timestamp']).toBeInstanceOf(Date);

    ticker.setMode('full', [NIFTY]);
    const indexFull = await until('NIFTY full', () => latest(NIFTY, 'full'));
    expect(indexFull['exchange_timestamp']).toBeInstanceOf(Date);

    ticks.length = 0;
    ex.venue.setLastPrice(INFY, 1502);
    expect(await until('INFY update', () => latest(INFY, 'full'))).toMatchObject({ last_price: 1502 });
  });

  it('pushes order updates as text frames', async () => {
    const kc = new KiteConnect({ api_key: ex.apiKey, root: ex.server.restUrl });
    kc.setAccessToken(ex.accessToken);
    const { order_id } = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'CNC',
      order_type: 'MARKET',
    });
    const complete = await until('COMPLETE update', () =>
      orderUpdates.find((o) => o['order_id'] === order_id && o['status'] === 'COMPLETE'),
    );
    expect(complete).toMatchObject({ user_id: 'SIM001', unfilled_quantity: 0, filled_quantity: 1 });
    expect(complete['checksum']).toMatch(/^[0-9a-f]{64}$/);
    expect(orderUpdates.filter((o) => o['order_id'] === order_id).map((o) => o['status'])).toEqual([
      'OPEN PENDING',
      'OPEN',
      'COMPLETE',
    ]);
  });

  it('stops streaming after unsubscribe', async () => {
    ticker.unsubscribe([INFY]);
    await until('unwatched', () => (ex.venue.watcherCount(INFY) === 0 ? true : undefined));
  });
});

/** A raw socket to the ticker, collecting what it receives. */
async function rawSocket(query: string): Promise<{ ws: WebSocket; frames: (Buffer | string)[] }> {
  const ws = new WebSocket(`${ex.server.wsUrl}?${query}`);
  const frames: (Buffer | string)[] = [];
  ws.on('message', (data: Buffer, isBinary) => {
    frames.push(isBinary ? data : data.toString('utf8'));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('error', reject);
  });
  return { ws, frames };
}

describe('the ticker protocol on a raw socket', () => {
  const credentials = (): string => `api_key=${ex.apiKey}&access_token=${ex.accessToken}&uid=1`;

  it('refuses bad credentials at the upgrade with 403', async () => {
    const ws = new WebSocket(`${ex.server.wsUrl}?api_key=${ex.apiKey}&access_token=wrong`);
    ws.on('error', () => undefined);
    const status = await new Promise<number | undefined>((resolve) => {
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode);
        ws.terminate();
      });
      ws.once('open', () => {
        resolve(undefined);
      });
    });
    expect(status).toBe(403);
  });

  it('heartbeats with 1-byte binary frames, answers bad JSON with an error frame and stays open', async () => {
    const { ws, frames } = await rawSocket(credentials());
    await until('heartbeat', () => frames.find((f) => Buffer.isBuffer(f) && f.length === 1));
    ws.send('{not json');
    ws.send(JSON.stringify({ a: 'mode', v: ['deep', [INFY]] }));
    await until('two error frames', () =>
      frames.filter((f) => f === '{"type":"error","data":"error parsing request"}').length === 2
        ? true
        : undefined,
    );
    expect(ws.readyState).toBe(WebSocket.OPEN);
    // Still usable: string tokens are ignored, numbers subscribe in quote mode (44-byte packets).
    ws.send(JSON.stringify({ a: 'subscribe', v: ['408065', INFY] }));
    const frame = await until('tick frame', () =>
      frames.find((f): f is Buffer => Buffer.isBuffer(f) && f.length > 2),
    );
    expect(frame.readUInt16BE(0)).toBe(1);
    expect(frame.readUInt16BE(2)).toBe(44);
    expect(frame.readUInt32BE(4)).toBe(INFY);
    ws.close();
  });

  it('refuses subscriptions beyond 3000 instruments per connection', async () => {
    const { ws, frames } = await rawSocket(credentials());
    const tokens = Array.from({ length: 3001 }, (_, i) => 1_000_000 + i);
    ws.send(JSON.stringify({ a: 'subscribe', v: tokens }));
    const error = await until('limit error', () =>
      frames.find((f): f is string => typeof f === 'string' && f.includes('"type":"error"')),
    );
    expect(error).toContain('3000');
    ws.close();
  });

  it('drops and stalls connections through the admin API', async () => {
    const admin = (path: string, body?: unknown): Promise<Response> =>
      fetch(`${ex.server.restUrl}/__sim/${path}`, {
        method: 'POST',
        headers: { 'X-Sim-Secret': ex.apiSecret },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const stalled = await rawSocket(credentials());
    await until('heartbeat', () => stalled.frames.find((f) => Buffer.isBuffer(f)));
    expect((await admin('ws/stall', { ms: 800 })).status).toBe(200);
    stalled.frames.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stalled.frames).toEqual([]);
    await until('heartbeat after the stall', () => stalled.frames.find((f) => Buffer.isBuffer(f)));

    const closed = new Promise<number>((resolve) => {
      stalled.ws.once('close', (code) => {
        resolve(code);
      });
    });
    expect(await (await admin('ws/drop')).json()).toMatchObject({ status: 'success' });
    // No closing handshake: the client sees an abnormal closure.
    expect(await closed).toBe(1006);
    expect((await fetch(`${ex.server.restUrl}/__sim/ws/drop`, { method: 'POST' })).status).toBe(403);
  });
});
