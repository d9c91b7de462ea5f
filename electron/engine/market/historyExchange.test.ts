// HistoryService end to end: the real local exchange (its own process, real sockets), a real
// KiteRest with its pacer, a real SQLite file. Requests are counted where they leave: KiteRest's
// onAttempt sees every send, retries included.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KiteRest } from '../broker/kite/http';
import { RequestPacer } from '../broker/kite/rateLimiter';
import type { Candle } from '../broker/types';
import { openEngineDatabase } from '../store';
import { startLocalExchange } from '../testing/localExchange';
import type { LocalExchange } from '../testing/localExchange';
import { istDayStart } from './bars';
import { HistoryService } from './history';

const INFY = 408065;
const DAY = 86_400_000;
const MINUTE = 60_000;

let exchange: LocalExchange;
let dir: string;

beforeAll(async () => {
  exchange = await startLocalExchange(['--seed', '1', '--always-open']);
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-history-exchange-'));
});
afterAll(async () => {
  await exchange.close();
  rmSync(dir, { recursive: true, force: true });
});

// The same service in a child process under another machine time zone, with its own database.
const script = `
  // tsx loads these files as CommonJS here: their exports may sit under \`default\`.
  const load = async (f) => { const m = await import(f); return m.default ?? m; };
  const { HistoryService } = await load(${JSON.stringify(path.join(__dirname, 'history.ts'))});
  const { openEngineDatabase } = await load(${JSON.stringify(path.join(__dirname, '..', 'store', 'index.ts'))});
  const { KiteRest } = await load(${JSON.stringify(path.join(__dirname, '..', 'broker', 'kite', 'http.ts'))});
  const e = process.env;
  const kite = new KiteRest({ apiKey: e.K_KEY, accessToken: e.K_TOKEN, root: e.K_ROOT });
  const db = openEngineDatabase({ file: e.K_DB });
  const history = new HistoryService({
    fetch: (...a) => kite.historical(...a),
    db,
    now: () => Number(e.K_NOW),
  });
  const candles = await history.candles(408065, '1m', Number(e.K_FROM), Number(e.K_TO));
  db.close();
  process.stdout.write(JSON.stringify({ offset: new Date(2026, 0, 15).getTimezoneOffset(), candles }));
`;

function inZone(tz: string, env: Record<string, string>): Promise<{ offset: number; candles: Candle[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { env: { ...process.env, ...env, TZ: tz }, timeout: 40_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as { offset: number; candles: Candle[] });
      },
    );
  });
}

it('1m history of INFY over several days: what the exchange answers, aligned, cached, the same in any zone', async () => {
  let sends = 0;
  const kite = new KiteRest({
    apiKey: exchange.apiKey,
    accessToken: exchange.accessToken,
    root: exchange.rest,
    pacer: new RequestPacer(),
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    onAttempt: (a) => {
      if (a.endpoint === 'historical') sends++;
    },
  });
  const now = Date.now();
  // Four whole IST days, all before the exchange started (so drawn from its seeded model, the same
  // for every client); ten minutes back first, in case the test runs just after IST midnight.
  const to = istDayStart(now - 10 * MINUTE) - 1_000;
  const from = istDayStart(to) - 3 * DAY;
  const file = path.join(dir, 'engine.db');
  let db = openEngineDatabase({ file });
  const service = (): HistoryService =>
    new HistoryService({ fetch: (...a) => kite.historical(...a), db, now: () => now });

  const candles = await service().candles(INFY, '1m', from, to);
  expect(sends).toBe(1);
  const direct = await kite.historical(INFY, 'minute', from, to, { oi: true });
  expect(candles).toEqual(direct);

  // Aligned as the exchange's session is: --always-open runs each IST day as one session from
  // 00:00 IST, so each day's first candle is at IST midnight and the rest on whole minutes after.
  const days = new Map<number, Candle[]>();
  for (const c of candles) days.set(istDayStart(c.time), [...(days.get(istDayStart(c.time)) ?? []), c]);
  expect([...days.keys()]).toEqual([from, from + DAY, from + 2 * DAY, from + 3 * DAY]);
  for (const [day, list] of days) {
    expect(list[0]?.time).toBe(day);
    for (const c of list) expect((c.time - day) % MINUTE).toBe(0);
  }
  for (let i = 1; i < candles.length; i++)
    expect(candles[i]?.time ?? 0).toBeGreaterThan(candles[i - 1]?.time ?? 0);
  expect(candles.every((c) => c.low <= c.open && c.open <= c.high && c.oi !== null)).toBe(true);

  // Asked again, and after a restart on the same file: from the cache, no request.
  const before = sends;
  expect(await service().candles(INFY, '1m', from, to)).toEqual(candles);
  db.close();
  db = openEngineDatabase({ file });
  expect(await service().candles(INFY, '1m', from + DAY, to)).toEqual(
    candles.filter((c) => c.time >= from + DAY),
  );
  expect(sends).toBe(before);
  db.close();

  const env = (name: string): Record<string, string> => ({
    K_KEY: exchange.apiKey,
    K_TOKEN: exchange.accessToken,
    K_ROOT: exchange.rest,
    K_DB: path.join(dir, `${name}.db`),
    K_NOW: String(now),
    K_FROM: String(from),
    K_TO: String(to),
  });
  const newYork = await inZone('America/New_York', env('newYork'));
  const kolkata = await inZone('Asia/Kolkata', env('kolkata'));
  expect(newYork.offset).toBe(300);
  expect(kolkata.offset).toBe(-330);
  expect(newYork.candles).toEqual(candles);
  expect(kolkata.candles).toEqual(candles);
}, 90_000);
