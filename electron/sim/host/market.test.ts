import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { KiteConnect, KiteTicker } from 'kiteconnect';
import type { Connect, KiteTickerParams, Ticker } from 'kiteconnect';
import { afterAll, describe, expect, it } from 'vitest';

// The local exchange as `npm run sim` runs it, with its synthetic market, driven over real sockets
// by the official client: the market trades by itself, indices move, history runs into the live
// day, and a --state restart keeps the user's orders while the agents start afresh.

const entry = path.join(__dirname, 'main.ts');
const INFY = 408065;
const NIFTY_50 = 256265;

interface Ready {
  rest: string;
  ws: string;
  apiKey: string;
  apiSecret: string;
  accessToken: string;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function startSim(args: readonly string[]): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      resolve({ child, ready: JSON.parse(line) as Ready });
    });
    child.once('exit', (code) => {
      reject(new Error(`exited with ${String(code)} before ready`));
    });
  });
}

function client(ready: Ready): Connect {
  const kc = new KiteConnect({ api_key: ready.apiKey, root: ready.rest });
  kc.setAccessToken(ready.accessToken);
  return kc;
}

async function until<T>(
  what: string,
  find: () => T | undefined | Promise<T | undefined>,
  ms = 15_000,
  everyMs = 50,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    if (everyMs >= 1_000) await new Promise((r) => setTimeout(r, everyMs));
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else
      child.once('exit', () => {
        resolve();
      });
  });

describe('the local exchange with its market (speed 60, always open)', () => {
  it('trades by itself: 5-level books, ticking prices, volume, open interest and a moving index', async () => {
    // The exchange's clock starts at the wall clock: minutes before this one are drawn history.
    const startMinute = Math.floor(Date.now() / 60_000) * 60_000;
    const { ready } = await startSim(['--seed', '5', '--always-open', '--speed', '60']);
    const kc = client(ready);
    const nfo = await kc.getInstruments('NFO');
    const future = nfo.find((i) => i.name === 'NIFTY' && i.instrument_type === 'FUT');
    if (future === undefined) throw new Error('no NIFTY future');
    const futureToken = Number(future.instrument_token);

    const params = {
      api_key: ready.apiKey,
      access_token: ready.accessToken,
      root: ready.ws,
      reconnect: false,
    };
    const typed: KiteTickerParams = params;
    const ticker: Ticker = new KiteTicker(typed);
    const seen = new Map<number, { prices: Set<number>; volumes: number[]; oi: number; depth: number }>();
    ticker.on('ticks', (batch: Record<string, unknown>[]) => {
      for (const t of batch) {
        const token = Number(t['instrument_token']);
        const s = seen.get(token) ?? { prices: new Set<number>(), volumes: [], oi: 0, depth: 0 };
        s.prices.add(Number(t['last_price']));
        if (typeof t['volume_traded'] === 'number') s.volumes.push(t['volume_traded']);
        if (typeof t['oi'] === 'number') s.oi = t['oi'];
        const depth = t['depth'] as { buy: { quantity: number }[]; sell: { quantity: number }[] } | undefined;
        if (depth !== undefined) {
          s.depth = Math.min(
            depth.buy.filter((l) => l.quantity > 0).length,
            depth.sell.filter((l) => l.quantity > 0).length,
          );
        }
        seen.set(token, s);
      }
    });
    ticker.on('connect', () => {
      const tokens = [INFY, NIFTY_50, futureToken];
      ticker.subscribe(tokens);
      ticker.setMode(ticker.modeFull, tokens);
    });
    ticker.connect();
    try {
      await until('INFY to trade at three prices with rising volume', () => {
        const s = seen.get(INFY);
        const v = s?.volumes ?? [];
        return s !== undefined && s.prices.size >= 3 && (v.at(-1) ?? 0) > (v[0] ?? 0) ? s : undefined;
      });
      const infy = seen.get(INFY);
      expect(infy?.depth).toBe(5);
      await until('the NIFTY 50 index to move', () =>
        (seen.get(NIFTY_50)?.prices.size ?? 0) >= 2 ? true : undefined,
      );
      await until('the future to carry open interest', () =>
        (seen.get(futureToken)?.oi ?? 0) > 0 ? true : undefined,
      );
    } finally {
      ticker.disconnect();
    }

    const quote = (await kc.getQuote(['NSE:INFY']))['NSE:INFY'];
    expect(quote?.depth.buy.filter((l) => l.quantity > 0)).toHaveLength(5);
    expect(quote?.depth.sell.filter((l) => l.quantity > 0)).toHaveLength(5);
    const bid = quote?.depth.buy[0]?.price ?? 0;
    const ask = quote?.depth.sell[0]?.price ?? 0;
    expect(ask).toBeGreaterThan(bid);

    // History runs into the live minutes: every minute of the last hour before the exchange started
    // is there; from its start, minutes are the trades it recorded (at 60x a minute is a wall second,
    // and one without an INFY trade, as on a loaded machine, has no candle, as on Kite).
    // (The official client formats a Date in the machine's zone and Kite reads it as IST: pass IST.)
    // The client also parsed the quote's IST timestamp as local time: its local fields are IST's.
    const ts = new Date(quote?.timestamp ?? 0);
    const istNow = Date.UTC(ts.getFullYear(), ts.getMonth(), ts.getDate(), ts.getHours(), ts.getMinutes());
    const text = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
    const candles = await kc.getHistoricalData(
      INFY,
      'minute',
      text(istNow - 3_600_000),
      text(istNow + 60_000),
      false,
    );
    const times = candles.map((c) => new Date(c.date).getTime());
    const drawn = times.filter((t) => t < startMinute);
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.at(-1)).toBe(startMinute - 60_000);
    expect(drawn.slice(1).filter((t, k) => t - (drawn[k] ?? 0) !== 60_000)).toEqual([]);
    const live = times.filter((t) => t >= startMinute);
    expect(live.length).toBeGreaterThan(0);
    // No minute twice or out of order across the join, and the live minutes on the minute.
    expect(times.slice(1).filter((t, k) => t <= (times[k] ?? 0))).toEqual([]);
    expect(live.filter((t) => t % 60_000 !== 0)).toEqual([]);
    const lastClose = candles.at(-1)?.close ?? 0;
    expect(Math.abs(lastClose - (quote?.last_price ?? 0))).toBeLessThan(0.01 * lastClose);
  }, 60_000);

  it('keeps the user orders across a SIGKILL with --state, resumes the clock, and the agents start afresh', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-market-'));
    dirs.push(dir);
    const state = path.join(dir, 'state.sqlite');
    // At 60x a run near IST midnight would cross into the next trading day (and the DAY order would
    // rightly expire): the clock starts at a fixed morning instead of the wall clock's now.
    const args = [
      '--seed',
      '9',
      '--always-open',
      '--speed',
      '60',
      '--start',
      '2026-12-02T10:00:00+05:30',
      '--state',
      state,
    ];
    const first = await startSim(args);
    const kc = client(first.ready);
    const ltp = async (k: Connect): Promise<number> =>
      (await k.getLTP(['NSE:INFY']))['NSE:INFY']?.last_price ?? 0;
    await new Promise((r) => setTimeout(r, 1_000));
    const before = await ltp(kc);
    const price = Math.round(before * 0.95 * 20) / 20;
    const placed = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      quantity: 3,
      price,
      product: 'CNC',
      tag: 'keepme',
    });
    const mine = (await kc.getOrderHistory(placed.order_id)).at(-1);
    expect(mine?.status).toBe('OPEN');
    await new Promise((r) => setTimeout(r, 2_000));
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await startSim(args);
    const kc2 = client(second.ready);
    kc2.setAccessToken(second.ready.accessToken);
    const orders = await kc2.getOrders();
    const kept = orders.find((o) => o.order_id === placed.order_id);
    expect(kept).toMatchObject({ status: 'OPEN', tag: 'keepme', quantity: 3 });
    expect(orders.every((o) => o.tag !== 'simmaker')).toBe(true);
    // The market goes on: the book is two-sided and uncrossed, and INFY trades again (Kite allows
    // one quote request a second).
    const firstVolume = (await kc2.getQuote(['NSE:INFY']))['NSE:INFY']?.volume ?? 0;
    const q = await until(
      'INFY to trade after the restart',
      async () => {
        const quote = (await kc2.getQuote(['NSE:INFY']))['NSE:INFY'];
        return quote !== undefined && quote.volume > firstVolume ? quote : undefined;
      },
      15_000,
      1_100,
    );
    expect((q.depth.sell[0]?.price ?? 0) > (q.depth.buy[0]?.price ?? Infinity)).toBe(true);
    // The clock resumed after the journal: a new order is not stamped before the kept one.
    const again = await kc2.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      quantity: 1,
      price,
      product: 'CNC',
    });
    const newer = (await kc2.getOrderHistory(again.order_id)).at(-1);
    expect(new Date(newer?.order_timestamp ?? 0).getTime()).toBeGreaterThanOrEqual(
      new Date(kept?.order_timestamp ?? Infinity).getTime(),
    );
    second.child.kill('SIGTERM');
    await exited(second.child);
  }, 60_000);
});
