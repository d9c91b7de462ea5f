import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient, toService } from '../../../shared/rpc/client';
import { RpcError } from '../../../shared/rpc/errors';
import { createMemoryPortPair } from '../../../shared/rpc/transports/memory';
import { marketService } from '../../../shared/services/market';
import type { BarUpdate, Depth, Quote } from '../../../shared/services/market';
import { sessionService } from '../../../shared/services/session';
import type { SessionState } from '../../../shared/services/session';
import { QuoteBoard, QuoteI32 } from '../../../native/quoteBoard';
import { TickDecoder } from '../broker/kite/decode';
import { Engine } from '../engine';
import { openEngineDatabase } from '../store';
import { recordedFrames } from './frameRecorder';
import { morningOf, startLocalExchange } from '../testing/localExchange';
import type { LocalExchange } from '../testing/localExchange';

// The engine in sim mode against the real local exchange (its own process, real sockets): told where
// the exchange is, it logs in through Kite's login flow, loads the day's instruments into SQLite,
// and streams quotes, depth and bars from the ticker into the contract's market service.

let exchange: LocalExchange;
let engine: Engine;
let dir: string;

function connect(name: string) {
  const [clientPort, enginePort] = createMemoryPortPair('structured');
  engine.connect(enginePort, name);
  const client = new RpcClient(clientPort);
  return { client, market: toService(client, marketService), session: toService(client, sessionService) };
}

async function until<T>(
  what: string,
  find: () => T | undefined,
  ms = 15_000,
  context: () => string = () => '',
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}${context()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** When the exchange's day starts (10:00 IST today): its history before that is synthetic and whole. */
const morning = morningOf();
const morningMs = Date.parse(morning[1] ?? '');

beforeAll(async () => {
  exchange = await startLocalExchange(['--seed', '4', '--always-open', '--speed', '30', ...morning]);
  dir = mkdtempSync(path.join(tmpdir(), 'engine-market-'));
  engine = new Engine({
    mode: 'sim',
    version: 'test',
    host: 'in-process',
    databaseFile: path.join(dir, 'engine.sqlite'),
    recordTicks: true,
  });
});

afterAll(async () => {
  engine.dispose();
  await exchange.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('market data in sim mode, against the local exchange', () => {
  it('waits for the venue, then logs in, streams quotes, depth and bars, and serves history', async () => {
    const { market, session } = connect('test');
    const states: SessionState[] = [];
    session.onState((s) => states.push(s));
    await expect(market.search({ query: 'infy' })).rejects.toBeInstanceOf(RpcError);
    expect((await session.state()).state).toBe('waiting-for-venue');

    engine.setVenue({
      rest: exchange.rest,
      ws: exchange.ws,
      apiKey: exchange.apiKey,
      apiSecret: exchange.apiSecret,
      marketHours: false,
    });
    await until('the login', () => states.find((s) => s.state === 'logged-in'));
    expect(states.map((s) => s.state)).toContain('logging-in');
    const state = await session.state();
    expect(state).toMatchObject({ userId: 'SIM001', venue: 'local-exchange', message: '' });
    expect(state.instruments).toBeGreaterThan(300);

    const found = await market.search({ query: 'infy' });
    const infy = found.instruments[0];
    expect(infy).toMatchObject({ exchange: 'NSE', tradingsymbol: 'INFY', tickSize: 5, priceDivisor: 100 });
    if (infy === undefined) throw new Error('no INFY');
    const [nifty] = (await market.lookup({ keys: ['NSE:NIFTY 50'] })).instruments;
    expect(nifty?.instrumentType).toBe('INDEX');

    const quotes: Quote[] = [];
    const depths: Depth[] = [];
    const bars: BarUpdate[] = [];
    const subs = [
      market.onQuotes((q) => quotes.push(q), { instrumentTokens: [infy.instrumentToken] }),
      market.onDepth((d) => depths.push(d), { instrumentToken: infy.instrumentToken }),
      market.onBars((b) => bars.push(b), { instrumentToken: infy.instrumentToken, interval: '1m' }),
    ];
    // The synthetic market trades by itself: the price moves and the volume grows.
    await until('INFY to trade at two prices', () =>
      new Set(quotes.map((q) => q.lastPrice)).size >= 2 && (quotes.at(-1)?.volume ?? 0) > 0
        ? true
        : undefined,
    );
    const last = quotes.at(-1);
    expect(last?.bidPrice).toBeGreaterThan(0);
    expect(last?.askPrice).toBeGreaterThan(last?.bidPrice ?? Infinity);
    expect((last?.lastPrice ?? 1) % 5).toBe(0);
    await until('a 5-level book', () => (depths.at(-1)?.bids.length === 5 ? true : undefined));
    await until('a live 1-minute bar', () => bars.at(-1));
    const bar = bars.at(-1);
    expect((bar?.time ?? 1) % 60_000).toBe(0);
    expect(bar?.high).toBeGreaterThanOrEqual(bar?.low ?? Infinity);

    // The engine's volume at price, from every tick since it put INFY in the feed: on the tick
    // grid, in price order, no more than the day's volume, and counted up to at least the last
    // quote the stream gave.
    const profile = await market.volumeProfile({ instrumentToken: infy.instrumentToken });
    const seen = quotes.at(-1);
    expect(profile.since).toBeGreaterThan(0);
    expect(profile.updatedAt).toBeGreaterThanOrEqual(seen?.receivedAt ?? Infinity);
    expect(profile.dayVolume).toBeGreaterThanOrEqual(seen?.volume ?? Infinity);
    const prices = profile.levels.map(([p]) => p);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(prices.every((p) => p % 5 === 0)).toBe(true);
    const counted = profile.levels.reduce((a, [, v]) => a + v, 0);
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThanOrEqual(profile.dayVolume);
    expect(await market.volumeProfile({ instrumentToken: 1 })).toEqual({
      instrumentToken: 1,
      since: 0,
      dayVolume: -1,
      updatedAt: 0,
      levels: [],
    });
    // Three hours before the exchange's start (always open: 180 whole minutes) up to past its
    // live bar. Not three hours back from the wall's now: later in the day that reaches past the
    // start, where the only minutes are the few the exchange has traded since.
    const { candles } = await market.history({
      instrumentToken: infy.instrumentToken,
      interval: '1m',
      // Before 10:00 IST the exchange's start is still ahead of the wall: three hours before now.
      from: Math.min(morningMs, Date.now()) - 3 * 3_600_000,
      to: Math.max(Date.now(), bar?.time ?? 0) + 3_600_000,
    });
    expect(candles.length).toBeGreaterThan(180);
    const times = candles.map((c) => c.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The live bar the feed is building ends the series, at the price the feed last gave.
    expect(Math.abs((candles.at(-1)?.close ?? 0) - (quotes.at(-1)?.lastPrice ?? 0))).toBeLessThan(
      0.01 * (quotes.at(-1)?.lastPrice ?? 0),
    );
    // The exchange restarts (the host says the venue is gone, then where it is): a new login and
    // a new feed, and the same stream keeps ticking from the new feed without being opened again.
    const endpoint = {
      rest: exchange.rest,
      ws: exchange.ws,
      apiKey: exchange.apiKey,
      apiSecret: exchange.apiSecret,
      marketHours: false,
    };
    engine.setVenue(null);
    await until('the venue gone', () => (states.at(-1)?.state === 'waiting-for-venue' ? true : undefined));
    const relogin = Date.now();
    engine.setVenue(endpoint);
    await until('the second login', () =>
      states.at(-1)?.state === 'logged-in' && states.at(-1)?.feed.state === 'open' ? true : undefined,
    );
    await until('a quote from the new feed', () =>
      quotes.some((q) => q.receivedAt > relogin) ? true : undefined,
    );
    for (const s of subs) s.dispose();

    // The raw frames were recorded: replayed through a fresh decoder they rebuild the same quote.
    await new Promise((r) => setTimeout(r, 400));
    const db = openEngineDatabase({ file: path.join(dir, 'engine.sqlite') });
    try {
      const board = QuoteBoard.create(16);
      const decoder = new TickDecoder(board);
      const row = decoder.ensureRow(infy.instrumentToken);
      let frames = 0;
      // Up to the last quote the stream delivered (the feed went on after it).
      const upTo = quotes.at(-1)?.receivedAt ?? 0;
      for (const f of recordedFrames(db, 0, upTo)) {
        decoder.decode(f.frame);
        frames++;
      }
      expect(frames).toBeGreaterThan(1);
      expect(decoder.stats.malformed).toBe(0);
      const recordedPrice = board.i32[board.i32Base(row) + QuoteI32.lastPrice];
      expect(recordedPrice).toBe(quotes.at(-1)?.lastPrice);
    } finally {
      db.close();
    }
  }, 60_000);

  it('refuses bad input with a typed error and changes nothing', async () => {
    const { market } = connect('bad');
    await expect(market.subscribe({ instrumentTokens: [-1], mode: 'full' })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(
      market.history({ instrumentToken: 408065, interval: '1m', from: 10, to: 5 }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(market.search({ query: 'x'.repeat(100) })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    // Unknown tokens are left out, not guessed at.
    await expect(market.subscribe({ instrumentTokens: [999_999_999], mode: 'full' })).resolves.toEqual({
      subscribed: [],
    });
  });
});

describe('live mode, pointed at the local exchange', () => {
  it("shows Kite's login URL, takes the redirect's request_token, resumes with today's token, and asks again when Kite ends the session", async () => {
    const liveDir = mkdtempSync(path.join(tmpdir(), 'engine-live-'));
    const live = new Engine({
      mode: 'live',
      version: 'test',
      host: 'in-process',
      databaseFile: path.join(liveDir, 'engine.sqlite'),
      kiteRoots: { rest: exchange.rest, ws: exchange.ws, login: `${exchange.rest}/connect/login` },
    });
    try {
      const [clientPort, enginePort] = createMemoryPortPair('structured');
      live.connect(enginePort, 'live');
      const client = new RpcClient(clientPort);
      const session = toService(client, sessionService);
      const market = toService(client, marketService);
      const states: SessionState[] = [];
      session.onState((s) => states.push(s));
      await until('the first state', () => states.at(-1));
      expect(states.at(-1)).toMatchObject({ venue: 'kite', state: 'logged-out' });
      expect(states.at(-1)?.message).toMatch(/API key and secret/);

      live.setCredentials({ apiKey: exchange.apiKey, apiSecret: exchange.apiSecret });
      const loginUrl = (await session.state()).loginUrl;
      expect(loginUrl).toBe(`${exchange.rest}/connect/login?api_key=${exchange.apiKey}&v=3`);
      // A login without a token cannot guess one.
      await expect(session.login({})).resolves.toMatchObject({ state: 'logged-out' });

      // What the login window does: the page's form, then the redirect's request_token.
      const page = await fetch(loginUrl);
      expect(page.status).toBe(200);
      const form = await fetch(`${exchange.rest}/connect/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: exchange.apiKey, redirect_params: '' }).toString(),
        redirect: 'manual',
      });
      const requestToken = /id="request_token">([A-Za-z0-9]+)</.exec(await form.text())?.[1];
      if (requestToken === undefined) throw new Error('no request_token');
      live.loginWithRequestToken(requestToken);
      await until('the Kite login', () => states.find((s) => s.state === 'logged-in'));
      const [infy] = (await market.lookup({ keys: ['NSE:INFY'] })).instruments;
      expect(infy?.instrumentToken).toBe(408065);

      // A junk token (anyone can point a browser at web mode's callback) changes nothing.
      const before = states.length;
      live.loginWithRequestToken('junktoken123');
      await new Promise((r) => setTimeout(r, 500));
      expect(states.slice(before).map((s) => s.state)).not.toContain('logging-in');
      expect((await session.state()).state).toBe('logged-in');
      await expect(market.lookup({ keys: ['NSE:INFY'] })).resolves.toMatchObject({ instruments: [infy] });

      // A restart on the same day resumes with the cached token: no new login.
      const againLog: string[] = [];
      const again = new Engine({
        mode: 'live',
        version: 'test',
        host: 'in-process',
        log: (line) => againLog.push(line),
        databaseFile: path.join(liveDir, 'engine.sqlite'),
        kiteRoots: { rest: exchange.rest, ws: exchange.ws, login: `${exchange.rest}/connect/login` },
      });
      try {
        const [p1, p2] = createMemoryPortPair('structured');
        again.connect(p2, 'again');
        const s2 = toService(new RpcClient(p1), sessionService);
        const seen: SessionState[] = [];
        s2.onState((s) => seen.push(s));
        again.setCredentials({ apiKey: exchange.apiKey, apiSecret: exchange.apiSecret });
        // 0.4 s here; 30 s for CI's loaded machine, where 15 s once ran out. The states seen say
        // where it stood if it runs out again.
        await until(
          'the resumed session',
          () => seen.find((s) => s.state === 'logged-in'),
          30_000,
          () =>
            `; states: ${JSON.stringify(seen.map((s) => [s.state, s.message]))}; engine log:\n${againLog.slice(-30).join('\n')}`,
        );
        expect(seen.map((s) => s.state)).not.toContain('failed');
      } finally {
        again.dispose();
      }

      // Kite ends the session (logged in elsewhere): the next request's TokenException asks for a
      // new login and drops the cached token; nothing is retried with it.
      const db = new Database(path.join(liveDir, 'engine.sqlite'));
      const row = db.prepare('SELECT access_token FROM session_tokens').get() as { access_token: string };
      db.close();
      // The engine's own requests (its OMS reconciles and polls) share the key's 10/s with this
      // one, which does not go through the engine's pacer: a 429 is waited out, as Kite asks.
      let logout = new Response(null, { status: 429 });
      for (let attempt = 0; attempt < 5 && logout.status === 429; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 300));
        logout = await fetch(
          `${exchange.rest}/session/token?api_key=${exchange.apiKey}&access_token=${row.access_token}`,
          { method: 'DELETE', headers: { 'X-Kite-Version': '3' } },
        );
      }
      expect(logout.status).toBe(200);
      await expect(
        market.history({
          instrumentToken: 408065,
          interval: '1d',
          from: Date.now() - 86_400_000 * 10,
          to: Date.now(),
        }),
      ).rejects.toThrow();
      await until('the ended session', () => (states.at(-1)?.state === 'logged-out' ? true : undefined));
      expect(states.at(-1)?.message).toMatch(/log in again/);
      const after = new Database(path.join(liveDir, 'engine.sqlite'));
      expect(after.prepare('SELECT COUNT(*) AS n FROM session_tokens').get()).toEqual({ n: 0 });
      after.close();

      // A used request_token is refused by Kite: the state says so, nothing is guessed.
      live.loginWithRequestToken(requestToken);
      await until('the refusal', () => states.find((s) => s.state === 'failed'));
      expect(states.at(-1)?.message).toMatch(/Kite login failed/);
    } finally {
      live.dispose();
      rmSync(liveDir, { recursive: true, force: true });
    }
  }, 60_000);
});
