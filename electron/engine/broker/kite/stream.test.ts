// The ticker client and pool over real sockets: first against a small scripted ws server in this
// file (exact messages, refusals, silence, bad frames), then against the real local exchange
// (electron/sim as its own process) with its admin API's drops and stalls.
import { KiteConnect } from 'kiteconnect';
import type { Connect } from 'kiteconnect';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { QuoteBoard, QuoteF64, QuoteI32 } from '../../../../native/quoteBoard';
import { PACKET_LENGTH, TickFrameWriter } from '../../../../shared/kite/tickPacket';
import type { TickMode, TickSnapshot } from '../../../../shared/kite/tickPacket';
import { startLocalExchange } from '../../testing/localExchange';
import type { LocalExchange } from '../../testing/localExchange';
import { TickDecoder } from './decode';
import { backoffDelay, KiteTickerClient } from './stream';
import type {
  KiteTickerClientOptions,
  OrderUpdateEvent,
  TickerConnectionState,
  TickerNotice,
  TickerProblem,
} from './stream';
import { KiteTickerPool } from './tickerPool';
import type { PoolProblem, TickerPoolState } from './tickerPool';

// The process must survive everything below: a ticker that calls process.exit fails the file.
const exitSpy = vi.spyOn(process, 'exit').mockImplementation((code) => {
  throw new Error(`process.exit(${String(code)}) called`);
});
afterAll(() => {
  expect(exitSpy).not.toHaveBeenCalled();
  exitSpy.mockRestore();
});

function until<T>(what: string, find: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const found = find();
      if (found !== undefined && found !== false) {
        clearInterval(poll);
        resolve(found);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }
    }, 5);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---- a scripted ticker server ------------------------------------------------------------------

interface ServerConnection {
  readonly ws: WebSocket;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly messages: unknown[];
  closed: { code: number } | undefined;
}

/** A ws server on loopback that records what clients send and does what a test tells it. */
class ScriptedServer {
  readonly connections: ServerConnection[] = [];
  /** HTTP status to refuse upgrades with; 0 accepts. */
  refuseWith = 0;
  /** Heartbeats to every open connection while true. */
  heartbeats = true;
  private readonly wss: WebSocketServer;
  private readonly timer: NodeJS.Timeout;

  private constructor(heartbeatMs: number) {
    this.wss = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      verifyClient: (_info, done) => {
        if (this.refuseWith === 0) done(true);
        else done(false, this.refuseWith);
      },
    });
    this.timer = setInterval(() => {
      if (!this.heartbeats) return;
      for (const c of this.open()) c.ws.send(Buffer.of(0));
    }, heartbeatMs);
    this.wss.on('connection', (ws, req) => {
      const c: ServerConnection = {
        ws,
        url: new URL(req.url ?? '/', 'ws://localhost'),
        headers: req.headers,
        messages: [],
        closed: undefined,
      };
      this.connections.push(c);
      ws.on('message', (data: Buffer) => {
        c.messages.push(JSON.parse(data.toString('utf8')) as unknown);
      });
      ws.on('close', (code) => {
        c.closed = { code };
      });
    });
  }

  static async start(heartbeatMs = 50): Promise<ScriptedServer> {
    const server = new ScriptedServer(heartbeatMs);
    await new Promise<void>((resolve) => {
      server.wss.once('listening', () => {
        resolve();
      });
    });
    return server;
  }

  get root(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/`;
  }

  open(): ServerConnection[] {
    return this.connections.filter((c) => c.closed === undefined);
  }

  last(): ServerConnection {
    const c = this.connections.at(-1);
    if (c === undefined) throw new Error('no connection yet');
    return c;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.connections) c.ws.terminate();
    await new Promise<void>((resolve) => {
      this.wss.close(() => {
        resolve();
      });
    });
  }
}

const INFY = 408065;
const RELIANCE = 738561;
const NIFTY = 256265;

function snapshot(instrumentToken: number, lastPrice: number): TickSnapshot {
  return {
    instrumentToken,
    lastPrice,
    lastQuantity: 5,
    averagePrice: lastPrice - 10,
    volume: 1_000,
    buyQuantity: 500,
    sellQuantity: 400,
    open: lastPrice - 100,
    high: lastPrice + 200,
    low: lastPrice - 300,
    close: lastPrice - 50,
    lastTradeTime: 1_795_500_000,
    oi: 0,
    oiDayHigh: 0,
    oiDayLow: 0,
    exchangeTimestamp: 1_795_500_001,
    bids: [{ price: lastPrice - 5, quantity: 10, orders: 1 }],
    asks: [{ price: lastPrice + 5, quantity: 20, orders: 2 }],
  };
}

function frame(ticks: readonly (readonly [TickSnapshot, TickMode])[]): Buffer {
  const w = new TickFrameWriter();
  w.begin();
  for (const [t, m] of ticks) w.add(t, m);
  return Buffer.from(w.finish());
}

/** A client with fast backoff, recording its states and everything it reports. */
function clientOn(root: string, extra: Partial<KiteTickerClientOptions> = {}) {
  const board = QuoteBoard.create(4096);
  const ticks: { token: number; length: number }[] = [];
  const decoder = new TickDecoder(board, { onTick: (token, _row, length) => ticks.push({ token, length }) });
  const client = new KiteTickerClient({
    root,
    apiKey: 'key',
    accessToken: 'tok+en/=',
    decoder,
    backoff: { initialMs: 20, maxMs: 100 },
    random: () => 0.5,
    ...extra,
  });
  const states: TickerConnectionState[] = [];
  const orders: OrderUpdateEvent[] = [];
  const notices: TickerNotice[] = [];
  const problems: TickerProblem[] = [];
  client.onState((s) => states.push(s));
  client.onOrderUpdate((o) => orders.push(o));
  client.onNotice((n) => notices.push(n));
  client.onProblem((p) => problems.push(p));
  return { board, decoder, client, ticks, states, orders, notices, problems };
}

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, jittered into [d/2, d]', () => {
    const b = { initialMs: 500, maxMs: 30_000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, () => 0, b))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, () => 0.999999, b))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(60, () => 0.5, b)).toBe(22_500);
    expect(backoffDelay(1_000, () => 1, b)).toBe(30_000);
  });
});

describe('KiteTickerClient (scripted server)', () => {
  let server: ScriptedServer;
  const clients: KiteTickerClient[] = [];
  const make = (extra: Partial<KiteTickerClientOptions> = {}) => {
    const made = clientOn(server.root, extra);
    clients.push(made.client);
    return made;
  };

  beforeAll(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.dispose();
    server.refuseWith = 0;
    server.heartbeats = true;
  });
  afterAll(async () => {
    await server.close();
  });

  it('connects with the credentials and the Kite version header, and subscribes with explicit modes', async () => {
    const { client } = make();
    client.subscribe([INFY, RELIANCE, INFY], 'full'); // before open: remembered
    const before = server.connections.length;
    await until('open', () => client.state.status === 'open');
    const c = server.last();
    expect(server.connections.length).toBe(before + 1);
    expect(c.url.searchParams.get('api_key')).toBe('key');
    expect(c.url.searchParams.get('access_token')).toBe('tok+en/=');
    expect(c.url.searchParams.get('uid')).toMatch(/^\d+$/);
    expect(c.headers['x-kite-version']).toBe('3');
    await until('resubscribe', () => c.messages.length >= 2);
    expect(c.messages).toEqual([
      { a: 'subscribe', v: [INFY, RELIANCE] },
      { a: 'mode', v: ['full', [INFY, RELIANCE]] },
    ]);
    client.subscribe([NIFTY], 'ltp');
    client.setMode([INFY, 999], 'quote');
    client.subscribe([RELIANCE], 'full'); // already so: nothing to send
    client.unsubscribe([RELIANCE, 12345]);
    await until('four more messages', () => c.messages.length >= 6);
    await sleep(30);
    expect(c.messages.slice(2)).toEqual([
      { a: 'subscribe', v: [NIFTY] },
      { a: 'mode', v: ['ltp', [NIFTY]] },
      { a: 'mode', v: ['quote', [INFY]] },
      { a: 'unsubscribe', v: [RELIANCE] },
    ]);
    expect(client.tokens().sort()).toEqual([NIFTY, INFY].sort());
    expect(client.modeOf(INFY)).toBe('quote');
  });

  it('after the server drops it, reconnects and sends every subscription again in its mode', async () => {
    const { client, states } = make();
    await until('open', () => client.state.status === 'open');
    client.subscribe([INFY], 'full');
    client.subscribe([RELIANCE], 'ltp');
    client.subscribe([NIFTY, 1234], 'quote');
    client.unsubscribe([1234]);
    const first = server.last();
    await until('heartbeat', () => client.state.attempt === 0 && client.state.lastError === null);
    first.ws.terminate();
    await until('a new connection', () => server.last() !== first && server.last().messages.length >= 4);
    const again = server.last().messages;
    expect(again[0]).toEqual({ a: 'subscribe', v: [INFY, RELIANCE, NIFTY] });
    expect(again.slice(1)).toEqual([
      { a: 'mode', v: ['ltp', [RELIANCE]] },
      { a: 'mode', v: ['quote', [NIFTY]] },
      { a: 'mode', v: ['full', [INFY]] },
    ]);
    await until('open again', () => client.state.status === 'open' && client.state.connects === 2);
    const reconnecting = states.find((s) => s.status === 'reconnecting');
    expect(reconnecting).toMatchObject({ attempt: 1, nextDelayMs: 15 });
    expect(reconnecting?.lastError).toMatch(/1006/);
    expect(states.map((s) => s.status)).toEqual(
      expect.arrayContaining(['connecting', 'open', 'reconnecting', 'connecting', 'open']),
    );
  });

  it('backs off exponentially with jitter while upgrades are refused, then recovers and resets', async () => {
    server.refuseWith = 403;
    const { client, states, problems } = make({ backoff: { initialMs: 20, maxMs: 100 } });
    await until('five refusals', () => states.filter((s) => s.status === 'reconnecting').length >= 5);
    expect(problems[0]).toEqual({ kind: 'rejected', status: 403 });
    const waits = states.filter((s) => s.status === 'reconnecting').slice(0, 5);
    // equal jitter with random 0.5: 0.75 x 20, 40, 80, then the 100 ms cap.
    expect(waits.map((s) => [s.attempt, s.nextDelayMs])).toEqual([
      [1, 15],
      [2, 30],
      [3, 60],
      [4, 75],
      [5, 75],
    ]);
    expect(waits[0]?.lastError).toMatch(/403/);
    server.refuseWith = 0;
    await until(
      'open and proven by a frame',
      () => client.state.status === 'open' && client.state.attempt === 0,
    );
    expect(client.state.lastError).toBeNull();
  });

  it('drops a connection silent for staleAfterMs and reconnects; heartbeats alone keep one alive', async () => {
    const { client, problems } = make({ staleAfterMs: 400 });
    await until('open', () => client.state.status === 'open');
    const first = server.last();
    await sleep(1_200); // heartbeats every 50 ms: never 400 ms of silence
    expect(problems.filter((p) => p.kind === 'stale')).toEqual([]);
    expect(server.last()).toBe(first);
    server.heartbeats = false;
    const silentFrom = Date.now();
    const stale = await until('stale', () => problems.find((p) => p.kind === 'stale'), 2_000);
    const noticedAfter = Date.now() - silentFrom;
    expect(noticedAfter).toBeGreaterThanOrEqual(340);
    expect(noticedAfter).toBeLessThan(1_500);
    expect(stale.silentMs).toBeGreaterThanOrEqual(400);
    server.heartbeats = true;
    await until('a new connection', () => server.last() !== first && client.state.status === 'open');
    await until('the server saw the old one go', () => first.closed !== undefined);
  });

  it('decodes binary frames into the board; delivers order updates and notices; reports bad frames', async () => {
    const { client, board, decoder, ticks, orders, notices, problems } = make();
    client.subscribe([INFY, NIFTY], 'full');
    await until('open', () => client.state.status === 'open');
    const c = server.last();
    c.ws.send(
      frame([
        [snapshot(INFY, 150_025), 'full'],
        [snapshot(NIFTY, 2_435_010), 'full'],
      ]),
    );
    await until('two ticks', () => ticks.length >= 2);
    expect(ticks).toEqual([
      { token: INFY, length: PACKET_LENGTH.full },
      { token: NIFTY, length: PACKET_LENGTH.indexFull },
    ]);
    const snap = QuoteBoard.snapshot();
    board.read(decoder.rowOf(INFY), snap);
    expect(snap.i32[QuoteI32.lastPrice]).toBe(150_025);
    expect(snap.i32[QuoteI32.bidPrice]).toBe(150_020);
    expect(snap.f64[QuoteF64.askQuantity]).toBe(20);

    const order = { order_id: '250101000000001', status: 'OPEN', tag: 'SQ1' };
    c.ws.send(JSON.stringify({ type: 'order', data: order }));
    c.ws.send(JSON.stringify({ type: 'error', data: 'error parsing request' }));
    c.ws.send(JSON.stringify({ type: 'message', data: 'Exchange is down' }));
    c.ws.send(JSON.stringify({ type: 'instruments_meta', data: { count: 1 } }));
    c.ws.send('not json');
    c.ws.send('[1,2]');
    c.ws.send(Buffer.of(0, 5, 0)); // five packets promised, not one length present
    await until('everything', () => problems.length >= 3 && notices.length >= 3);
    expect(orders).toEqual([{ data: order, raw: JSON.stringify({ type: 'order', data: order }) }]);
    expect(notices).toEqual([
      { type: 'error', data: 'error parsing request' },
      { type: 'message', data: 'Exchange is down' },
      { type: 'instruments_meta', data: { count: 1 } },
    ]);
    expect(problems).toEqual([
      { kind: 'badText', text: 'not json' },
      { kind: 'badText', text: '[1,2]' },
      { kind: 'malformedFrame', reason: 'truncatedLength', bytes: 3 },
    ]);
    expect(client.state).toMatchObject({ status: 'open', connects: 1 });
    expect(server.last()).toBe(c);
  });

  it('survives throwing listeners: each is reported, nothing escapes, the feed goes on', async () => {
    const board = QuoteBoard.create(8);
    let tickThrows = true;
    const decoder = new TickDecoder(board, {
      onTick: () => {
        if (tickThrows) throw new Error('tick listener bug');
      },
    });
    const client = new KiteTickerClient({ root: server.root, apiKey: 'k', accessToken: 't', decoder });
    clients.push(client);
    const problems: TickerProblem[] = [];
    client.onProblem((p) => problems.push(p));
    client.onProblem(() => {
      throw new Error('problem listener bug'); // logged only; must not loop
    });
    client.onState(() => {
      throw new Error('state listener bug');
    });
    client.onOrderUpdate(() => {
      throw new Error('order listener bug');
    });
    client.subscribe([INFY], 'quote');
    await until('open', () => client.state.status === 'open');
    const c = server.last();
    c.ws.send(frame([[snapshot(INFY, 100_000), 'quote']]));
    c.ws.send(JSON.stringify({ type: 'order', data: {} }));
    await until(
      'three listener errors',
      () => problems.filter((p) => p.kind === 'listenerError').length >= 3,
    );
    const wheres = problems.flatMap((p) => (p.kind === 'listenerError' ? [p.where] : []));
    expect(wheres).toEqual(
      expect.arrayContaining(['state listener', 'tick listener', 'order-update listener']),
    );
    tickThrows = false;
    c.ws.send(frame([[snapshot(INFY, 100_500), 'quote']]));
    await until(
      'the next tick lands',
      () => board.i32[board.i32Base(decoder.rowOf(INFY)) + QuoteI32.lastPrice] === 100_500,
    );
    expect(board.version(decoder.rowOf(INFY))).toBe(2);
    expect(client.state.status).toBe('open');
  });

  it('holds at most 3000 instruments and refuses bad tokens, changing nothing', async () => {
    const { client } = make();
    const tokens = Array.from({ length: 3000 }, (_, k) => ((10_000 + k) << 8) | 1); // INFY not among them
    expect(() => {
      client.subscribe([...tokens, INFY], 'ltp');
    }).toThrow(RangeError);
    expect(() => {
      client.subscribe([INFY, 0], 'ltp');
    }).toThrow(RangeError);
    expect(() => {
      client.subscribe([INFY, 2 ** 32], 'ltp');
    }).toThrow(RangeError);
    expect(client.size).toBe(0);
    client.subscribe(tokens, 'ltp');
    expect(client.size).toBe(3000);
    expect(() => {
      client.subscribe([INFY], 'ltp');
    }).toThrow(/at most 3000/);
    await until('open', () => client.state.status === 'open');
    const c = server.last();
    await until('subscribe and mode', () => c.messages.length >= 2);
    expect(c.messages[0]).toEqual({ a: 'subscribe', v: tokens });
    expect(c.messages[1]).toEqual({ a: 'mode', v: ['ltp', tokens] });
  });

  it('refuses a subscription the board has no room for', () => {
    const board = QuoteBoard.create(2);
    const client = new KiteTickerClient({
      root: server.root,
      apiKey: 'k',
      accessToken: 't',
      decoder: new TickDecoder(board),
    });
    clients.push(client);
    expect(() => {
      client.subscribe([INFY, RELIANCE, NIFTY], 'quote');
    }).toThrow(/room for 2/);
    expect(board.rows).toBe(0);
    client.subscribe([INFY, RELIANCE], 'quote');
    expect(board.rows).toBe(2);
  });

  it('dispose closes the socket with 1000 and stops reconnecting, also while backing off', async () => {
    const { client, states } = make();
    await until('open', () => client.state.status === 'open');
    const c = server.last();
    const count = server.connections.length;
    client.dispose();
    expect(client.state.status).toBe('closed');
    await until('closed at the server', () => c.closed);
    expect(c.closed).toEqual({ code: 1000 });
    await sleep(150);
    expect(server.connections.length).toBe(count);
    expect(states.at(-1)?.status).toBe('closed');

    server.refuseWith = 403;
    const refused = make();
    await until('backing off', () => refused.client.state.status === 'reconnecting');
    const attempts = server.connections.length;
    refused.client.dispose();
    server.refuseWith = 0;
    await sleep(300);
    expect(server.connections.length).toBe(attempts);
    expect(refused.client.state.status).toBe('closed');
  });

  it('refuses a root that is not ws: or wss:, and a watchdog period that is not positive', () => {
    expect(() => {
      make({ staleAfterMs: 0 });
    }).toThrow(RangeError);
    expect(
      () =>
        new KiteTickerClient({
          root: 'http://127.0.0.1:1/',
          apiKey: 'k',
          accessToken: 't',
          decoder: new TickDecoder(QuoteBoard.create(1)),
        }),
    ).toThrow(TypeError);
  });
});

describe('KiteTickerPool (scripted server)', () => {
  let server: ScriptedServer;
  const pools: KiteTickerPool[] = [];
  const poolOn = (maxInstrumentsPerConnection: number): KiteTickerPool => {
    const pool = new KiteTickerPool({
      root: server.root,
      apiKey: 'k',
      accessToken: 't',
      board: QuoteBoard.create(64),
      maxInstrumentsPerConnection,
      backoff: { initialMs: 20, maxMs: 100 },
    });
    pools.push(pool);
    return pool;
  };

  beforeAll(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(() => {
    for (const p of pools.splice(0)) p.dispose();
  });
  afterAll(async () => {
    await server.close();
  });

  it('starts one connection at once and spreads instruments over at most three', async () => {
    const from = server.connections.length;
    const pool = poolOn(2);
    expect(pool.connectionCount).toBe(1);
    const t = [1, 2, 3, 4, 5].map((k) => (k << 8) | 1);
    pool.subscribe(t, 'quote');
    expect(pool.connectionCount).toBe(3);
    expect(t.map((x) => pool.connectionOf(x))).toEqual([0, 0, 1, 1, 2]);
    expect(() => {
      pool.subscribe([(6 << 8) | 1, (7 << 8) | 1], 'quote');
    }).toThrow(/at most 6/);
    expect(pool.size).toBe(5);
    // A freed slot is reused by the least-loaded connection with room.
    pool.unsubscribe([t[0] ?? 0]);
    pool.subscribe([(8 << 8) | 1], 'full');
    expect(pool.connectionOf((8 << 8) | 1)).toBe(0);
    pool.setMode([t[3] ?? 0], 'ltp');
    expect(pool.modeOf(t[3] ?? 0)).toBe('ltp');
    await until('three open', () => pool.state.status === 'open' && pool.state.connections.length === 3);
    const mine = server.connections.slice(from);
    await until('messages', () => mine.reduce((n, c) => n + c.messages.length, 0) >= 8);
    await sleep(30);
    const subscribed = mine.map((c) =>
      c.messages.flatMap((m) => ((m as { a: string }).a === 'subscribe' ? (m as { v: number[] }).v : [])),
    );
    // All of it happened before any connection opened: each sends what it holds on open.
    expect(subscribed).toEqual([[t[1], (8 << 8) | 1], [t[2], t[3]], [t[4]]]);
    expect(mine[1]?.messages).toContainEqual({ a: 'mode', v: ['ltp', [t[3]]] });
  });

  it('uses a new access token on reconnects and on connections started later', async () => {
    const pool = poolOn(1);
    await until('open', () => pool.state.status === 'open');
    const first = server.last();
    expect(first.url.searchParams.get('access_token')).toBe('t');
    pool.setAccessToken('after-login');
    pool.subscribe([INFY, RELIANCE], 'quote'); // the second one needs a second connection
    await until('two open', () => pool.state.status === 'open' && pool.state.connections.length === 2);
    first.ws.terminate();
    await until(
      'first reconnected',
      () => pool.state.connections[0]?.connects === 2 && pool.state.status === 'open',
    );
    const later = server.connections.slice(server.connections.indexOf(first) + 1);
    expect(later.map((c) => c.url.searchParams.get('access_token'))).toEqual(['after-login', 'after-login']);
  });

  it('delivers an order update once although every connection receives it', async () => {
    const pool = poolOn(1);
    pool.subscribe([INFY, RELIANCE, NIFTY], 'ltp');
    const updates: OrderUpdateEvent[] = [];
    pool.onOrderUpdate((u) => updates.push(u));
    await until('three open', () => pool.state.status === 'open' && pool.state.connections.length === 3);
    const text = JSON.stringify({ type: 'order', data: { order_id: '1', status: 'OPEN' } });
    const next = JSON.stringify({ type: 'order', data: { order_id: '1', status: 'COMPLETE' } });
    for (const c of server.open()) c.ws.send(text);
    for (const c of server.open()) c.ws.send(next);
    await sleep(100);
    expect(updates.map((u) => u.raw)).toEqual([text, next]);
  });

  it('summarises its connections for the status bar, and closes them all on dispose', async () => {
    const pool = poolOn(1);
    pool.subscribe([INFY, RELIANCE], 'quote');
    const problems: PoolProblem[] = [];
    pool.onProblem((p) => problems.push(p));
    await until('two open', () => pool.state.status === 'open' && pool.state.connections.length === 2);
    const states: TickerPoolState[] = [];
    pool.onState((s) => states.push(s));
    // One instrument per connection: RELIANCE is on connection 1.
    const second = await until('connection 1 at the server', () =>
      server
        .open()
        .find((c) =>
          c.messages.some((m) => JSON.stringify(m) === JSON.stringify({ a: 'subscribe', v: [RELIANCE] })),
        ),
    );
    second.ws.send(Buffer.of(0, 1)); // one packet promised, none there
    await until('the bad frame reported', () => problems.length > 0);
    second.ws.terminate();
    const reconnecting = await until('reconnecting', () => states.find((s) => s.status === 'reconnecting'));
    expect(reconnecting.connections.map((c) => c.status)).toEqual(['open', 'reconnecting']);
    expect(reconnecting.nextDelayMs).toBe(reconnecting.connections[1]?.nextDelayMs);
    expect(reconnecting.attempt).toBe(1);
    await until(
      'open again',
      () => pool.state.status === 'open' && pool.state.connections[1]?.connects === 2,
    );
    expect(problems).toContainEqual({
      connection: 1,
      problem: { kind: 'malformedFrame', reason: 'truncatedLength', bytes: 2 },
    });
    const open = server.open().slice(-2);
    pool.dispose();
    expect(pool.state.status).toBe('closed');
    await until('all closed at the server', () => open.every((c) => c.closed !== undefined));
  });
});

// ---- against the real local exchange -------------------------------------------------------------

/**
 * The fault schedule: the connection dropped every 10 s for 2 minutes (12 drops). It runs
 * in full: the test is mostly waiting (about 2 minutes of wall time, little CPU), and vitest runs
 * it beside the other files.
 */
const DROP_EVERY_MS = 10_000;
const DROP_FOR_MS = 120_000;
/** After a drop, every subscription must stream again in its mode within this long. */
const RECOVER_WITHIN_MS = 5_000;

describe('against the local exchange', () => {
  let ex: LocalExchange;
  let kc: Connect;
  let pool: KiteTickerPool;
  const board = QuoteBoard.create(64);
  /** The packet length each token's last tick had, and the ticks since `mark()`. */
  const lastLength = new Map<number, number>();
  const sinceMark = new Map<number, number>();
  const orderUpdates: OrderUpdateEvent[] = [];
  const problems: PoolProblem[] = [];
  const subscriptions = new Map<number, { mode: TickMode; length: number; name: string }>();
  let infyTickUnits = 5;

  const admin = async (path: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${ex.rest}/__sim/${path}`, {
      method: 'POST',
      headers: { 'X-Sim-Secret': ex.apiSecret, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.status).toBe(200);
  };
  const connects = (): number => pool.state.connections.reduce((n, c) => n + c.connects, 0);
  /** Every subscription has ticked since the mark, and its latest tick is in its mode. */
  const allStreaming = (): boolean =>
    [...subscriptions].every(([t, s]) => (sinceMark.get(t) ?? 0) > 0 && lastLength.get(t) === s.length);
  const streamingReport = (): string =>
    [...subscriptions]
      .map(
        ([t, s]) => `${s.name} ${s.mode}: ${sinceMark.get(t) ?? 0} ticks, last ${lastLength.get(t) ?? '-'}`,
      )
      .join('; ');

  beforeAll(async () => {
    ex = await startLocalExchange();
    kc = new KiteConnect({ api_key: ex.apiKey, root: ex.rest });
    kc.setAccessToken(ex.accessToken);
    const instruments = (await kc.getInstruments()) as unknown as Record<string, unknown>[];
    const infyRow = instruments.find((i) => i.exchange === 'NSE' && i.tradingsymbol === 'INFY');
    infyTickUnits = Math.round(Number(infyRow?.tick_size ?? 0.05) * 100);
    const token = (exchange: string, symbol: string | RegExp): number => {
      const row = instruments.find(
        (i) =>
          i.exchange === exchange &&
          (typeof symbol === 'string' ? i.tradingsymbol === symbol : symbol.test(String(i.tradingsymbol))),
      );
      if (row === undefined) throw new Error(`no ${exchange}:${String(symbol)} in the local exchange`);
      return Number(row.instrument_token);
    };
    const want: [number, TickMode, string][] = [
      [token('NSE', 'INFY'), 'full', 'INFY'],
      [token('NSE', 'RELIANCE'), 'quote', 'RELIANCE'],
      [token('NSE', 'TCS'), 'ltp', 'TCS'],
      [token('NFO', /^NIFTY\d{2}[A-Z]{3}FUT$/), 'full', 'NIFTY FUT'],
      [token('NSE', 'NIFTY 50'), 'full', 'NIFTY 50'],
      [token('NSE', 'NIFTY BANK'), 'quote', 'NIFTY BANK'],
      [token('CDS', /^USDINR\d{2}[A-Z]{3}FUT$/), 'quote', 'USDINR FUT'],
      [token('MCX', /^CRUDEOIL\d{2}[A-Z]{3}FUT$/), 'ltp', 'CRUDEOIL FUT'],
    ];
    for (const [t, mode, name] of want) {
      const index = (t & 0xff) === 9;
      const length =
        mode === 'ltp'
          ? PACKET_LENGTH.ltp
          : mode === 'quote'
            ? index
              ? PACKET_LENGTH.indexQuote
              : PACKET_LENGTH.quote
            : index
              ? PACKET_LENGTH.indexFull
              : PACKET_LENGTH.full;
      subscriptions.set(t, { mode, length, name });
    }
    pool = new KiteTickerPool({
      root: ex.ws,
      apiKey: ex.apiKey,
      accessToken: ex.accessToken,
      board,
      // Three per connection, so eight instruments use all three connections Kite allows.
      maxInstrumentsPerConnection: 3,
      onTick: (t, _row, length) => {
        lastLength.set(t, length);
        sinceMark.set(t, (sinceMark.get(t) ?? 0) + 1);
      },
      log: () => undefined,
    });
    pool.onOrderUpdate((u) => orderUpdates.push(u));
    pool.onProblem((p) => problems.push(p));
    for (const [t, s] of subscriptions) pool.subscribe([t], s.mode);
  }, 60_000);

  afterAll(async () => {
    pool.dispose();
    await ex.close();
  });

  it('streams equities, futures and indices into the board, each in its mode, at the exchange’s prices', async () => {
    expect(pool.connectionCount).toBe(3);
    await until(`every subscription in its mode (${streamingReport()})`, allStreaming, 10_000);
    const snap = QuoteBoard.snapshot();
    const infy = [...subscriptions].find(([, s]) => s.name === 'INFY')?.[0] ?? 0;
    const usdinr = [...subscriptions].find(([, s]) => s.name === 'USDINR FUT')?.[0] ?? 0;
    const ltp = (await kc.getLTP([String(infy), String(usdinr)])) as Record<string, { last_price: number }>;
    // Within 0.5%, not equal: once the exchange's synthetic market trades, the price can move
    // between the tick and the REST answer. A wrong field or divisor is off by far more.
    const near = (ours: number, theirs: number | undefined): boolean =>
      theirs !== undefined && theirs > 0 && Math.abs(ours - theirs) / theirs < 0.005;
    board.read(pool.decoder.rowOf(infy), snap);
    expect(near((snap.i32[QuoteI32.lastPrice] ?? 0) / 100, ltp[String(infy)]?.last_price)).toBe(true);
    // Full mode carries depth, once the synthetic market's makers have quoted.
    await until('INFY depth on the board', () => {
      board.read(pool.decoder.rowOf(infy), snap);
      return (snap.i32[QuoteI32.bidPrice] ?? 0) > 0 && (snap.f64[QuoteF64.bidQuantity] ?? 0) > 0;
    });
    expect(snap.i32[QuoteI32.askPrice]).toBeGreaterThan(snap.i32[QuoteI32.bidPrice] ?? 0);
    board.read(pool.decoder.rowOf(usdinr), snap);
    expect(near((snap.i32[QuoteI32.lastPrice] ?? 0) / 1e7, ltp[String(usdinr)]?.last_price)).toBe(true); // CDS: 1e7
    expect(problems.filter((p) => p.problem.kind !== 'socketError')).toEqual([]);
  });

  /** Places a buy 1% under INFY's best bid and waits for its order update and the tick it causes. */
  async function orderMovesTheBook(): Promise<void> {
    const infy = [...subscriptions].find(([, s]) => s.name === 'INFY')?.[0] ?? 0;
    const row = pool.decoder.rowOf(infy);
    const ib = board.i32Base(row);
    // The best bid when the book has one (the synthetic market's makers may not have quoted yet).
    const reference = (board.i32[ib + QuoteI32.bidPrice] ?? 0) || (board.i32[ib + QuoteI32.lastPrice] ?? 0);
    expect(reference).toBeGreaterThan(0);
    const price = (Math.round((reference * 0.99) / infyTickUnits) * infyTickUnits) / 100;
    const version = board.version(row);
    const placed = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'CNC',
      order_type: 'LIMIT',
      price,
    });
    await until(`order update for ${placed.order_id}`, () =>
      orderUpdates.some((u) => (u.data as { order_id?: unknown }).order_id === placed.order_id),
    );
    await until('INFY ticks after the order', () => board.version(row) > version);
  }

  it('delivers the exchange’s order updates once each, across three connections', async () => {
    await orderMovesTheBook();
    const raws = orderUpdates.map((u) => u.raw);
    expect(new Set(raws).size).toBe(raws.length);
  });

  it(
    `after a drop every ${DROP_EVERY_MS / 1000} s for ${DROP_FOR_MS / 1000} s, every subscription streams again in its mode`,
    async () => {
      const recoveries: number[] = [];
      const start = Date.now();
      for (let k = 0; k < DROP_FOR_MS / DROP_EVERY_MS; k++) {
        const before = connects();
        sinceMark.clear();
        const droppedAt = Date.now();
        await admin('ws/drop');
        await until(
          `drop ${k + 1}: three reconnects and every subscription in its mode (${streamingReport()})`,
          () => connects() >= before + 3 && pool.state.status === 'open' && allStreaming(),
          RECOVER_WITHIN_MS,
        );
        recoveries.push(Date.now() - droppedAt);
        await orderMovesTheBook(); // live updates, not just the snapshot sent on subscribe
        await sleep(Math.max(0, start + (k + 1) * DROP_EVERY_MS - Date.now()));
      }
      expect(recoveries).toHaveLength(12);
      expect(Math.max(...recoveries)).toBeLessThan(RECOVER_WITHIN_MS);
      // The drops end connections; nothing else went wrong.
      expect(problems.filter((p) => p.problem.kind !== 'socketError')).toEqual([]);
    },
    DROP_FOR_MS + 60_000,
  );

  it('notices a 15 s silent stall and recovers within 10 s', async () => {
    await until('open', () => pool.state.status === 'open');
    const before = connects();
    const stalesBefore = problems.filter((p) => p.problem.kind === 'stale').length;
    sinceMark.clear();
    const stalledAt = Date.now();
    await admin('ws/stall', { ms: 15_000 });
    await until(
      `recovered (${streamingReport()})`,
      () => connects() >= before + 3 && pool.state.status === 'open' && allStreaming(),
      10_000,
    );
    const recovered = Date.now() - stalledAt;
    const stale = problems.filter((p) => p.problem.kind === 'stale').slice(stalesBefore);
    expect(stale.map((p) => p.connection).sort()).toEqual([0, 1, 2]);
    // Heartbeats flowed until the stall, so nothing was called stale before 5 s of silence.
    for (const p of stale)
      expect(p.problem.kind === 'stale' && p.problem.silentMs).toBeGreaterThanOrEqual(5_000);
    expect(recovered).toBeLessThan(10_000);
    await orderMovesTheBook();
  }, 30_000);
});
