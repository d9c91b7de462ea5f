// HistoryService against a fake Kite: a fetch that answers as Kite's historical API does (an NSE
// session on weekdays, candles whose start lies in [from, to], the forming candle of "now" partial,
// spans over Kite's limit refused) and records every call, so the tests can count requests. The
// cache is a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { priceFromUnits } from '../../../shared/domain/money';
import { IST_OFFSET_MS } from '../../../shared/time/ist';
import { BrokerError } from '../broker/errors';
import type { Candle, CandleInterval } from '../broker/types';
import { openEngineDatabase } from '../store';
import type { EngineDatabase } from '../store';
import { BAR_INTERVALS, BarAggregator, istDayStart, NSE_SESSION } from './bars';
import type { BarInterval } from './bars';
import { HistoryService, joinLiveBars, KITE_INTERVAL, KITE_MAX_SPAN_DAYS } from './history';
import type { HistoryFetch } from './history';

const DAY = 86_400_000;
const MINUTE = 60_000;
const INFY = 408065;

/** Epoch ms of an IST wall-clock time. */
const ist = (y: number, m: number, d: number, hh = 0, mm = 0, ss = 0): number =>
  Date.UTC(y, m - 1, d, hh, mm, ss) - IST_OFFSET_MS;

const LENGTH: Readonly<Record<CandleInterval, number>> = {
  minute: MINUTE,
  '3minute': 3 * MINUTE,
  '5minute': 5 * MINUTE,
  '10minute': 10 * MINUTE,
  '15minute': 15 * MINUTE,
  '30minute': 30 * MINUTE,
  '60minute': 60 * MINUTE,
  day: DAY,
};

const HOLIDAYS = new Set([ist(2025, 12, 25)]);

function tradingDay(dayStart: number): boolean {
  const weekday = new Date(dayStart + IST_OFFSET_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(dayStart);
}

/** Kite's candles of `interval` whose start lies in [from, to], as known at `asOf`. */
function kiteCandles(interval: CandleInterval, from: number, to: number, asOf: number): Candle[] {
  const out: Candle[] = [];
  const len = LENGTH[interval];
  for (let day = istDayStart(from); day <= to; day += DAY) {
    if (!tradingDay(day)) continue;
    const starts: number[] = [];
    if (interval === 'day') starts.push(day);
    else for (let s = day + NSE_SESSION.openMs; s < day + NSE_SESSION.closeMs; s += len) starts.push(s);
    for (const s of starts) {
      if (s < from || s > to || s > asOf) continue;
      const k = Math.floor(s / MINUTE);
      const base = 150_000 + (k % 97) * 5;
      const full = 100 + (k % 13) * 10;
      // The forming candle holds what has traded so far.
      const volume = s + len <= asOf ? full : Math.floor((full * (asOf - s)) / len);
      out.push({
        time: s,
        open: priceFromUnits(base),
        high: priceFromUnits(base + 25),
        low: priceFromUnits(base - 20),
        close: priceFromUnits(base + 5),
        volume,
        oi: 0,
      });
    }
  }
  return out;
}

interface Call {
  readonly interval: CandleInterval;
  readonly from: number;
  readonly to: number;
  readonly oi: boolean;
}

/** The fake Kite: answers from `kiteCandles`, records calls, can fail or delay chosen calls. */
class FakeKite {
  readonly calls: Call[] = [];
  /** Most calls seen in flight at once. */
  maxActive = 0;
  delayMs = 0;
  /** Called with the 1-based call number; what it returns is thrown instead of answering. */
  failWith: (n: number, call: Call) => BrokerError | undefined = () => undefined;
  /** Rewrites an answer (to send malformed data). */
  corrupt: (candles: Candle[]) => Candle[] = (c) => c;
  private active = 0;

  constructor(private readonly clock: () => number) {}

  readonly fetch: HistoryFetch = async (token, interval, from, to, options) => {
    const call: Call = { interval, from, to, oi: options.oi };
    this.calls.push(call);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      const asOf = this.clock();
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      expect(token).toBe(INFY);
      const failure = this.failWith(this.calls.length, call);
      if (failure !== undefined) throw failure;
      if (to - from > KITE_MAX_SPAN_DAYS[interval] * DAY)
        throw new BrokerError('input', 'interval exceeds max limit', { endpoint: 'historical' });
      return this.corrupt(kiteCandles(interval, from, to, asOf));
    } finally {
      this.active--;
    }
  };
}

let dir: string;
let db: EngineDatabase;
let now: number;
let kite: FakeKite;

const service = (): HistoryService => new HistoryService({ fetch: kite.fetch, db, now: () => now });

const rows = (sql: string, ...args: unknown[]): unknown[] => db.sql.prepare(sql).all(...args);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-history-'));
  db = openEngineDatabase({ file: path.join(dir, 'engine.db'), synchronous: 'NORMAL' });
  now = ist(2026, 1, 1, 12);
  kite = new FakeKite(() => now);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HistoryService: chunks', () => {
  // A Monday 09:15 IST, far enough back for 2.5 spans of day candles (5000 days) to be past.
  const t0 = ist(2012, 1, 2, 9, 15);

  it.each(BAR_INTERVALS.filter((i) => i !== '1s'))(
    '%s: Kite spans at most its limit, contiguous, oldest first, one at a time, nothing lost or doubled',
    async (interval: BarInterval) => {
      const kiteInterval = KITE_INTERVAL[interval];
      expect(kiteInterval).not.toBeNull();
      if (kiteInterval === null) return;
      const span = KITE_MAX_SPAN_DAYS[kiteInterval] * DAY;
      const end = t0 + 2.5 * span;
      kite.delayMs = 1;
      const got = await service().candles(INFY, interval, t0, end);
      expect(kite.calls.map((c) => [c.from, c.to])).toEqual([
        [t0, t0 + span - 1_000],
        [t0 + span, t0 + 2 * span - 1_000],
        [t0 + 2 * span, end],
      ]);
      expect(kite.calls.every((c) => c.interval === kiteInterval && c.oi)).toBe(true);
      expect(kite.maxActive).toBe(1);
      expect(got).toEqual(kiteCandles(kiteInterval, t0, end, now));
    },
  );

  it('a candle that starts on a chunk boundary comes once, from the later chunk', async () => {
    const boundary = t0 + 60 * DAY; // a Friday, 09:15 IST: a candle starts here
    const got = await service().candles(INFY, '1m', t0, t0 + 61 * DAY);
    expect(kite.calls).toHaveLength(2);
    expect(got.filter((c) => c.time === boundary)).toHaveLength(1);
    expect(kite.calls[1]?.from).toBe(boundary);
  });

  it('1s has no history at Kite: [] and no request', async () => {
    expect(await service().candles(INFY, '1s', t0, t0 + DAY)).toEqual([]);
    expect(kite.calls).toEqual([]);
  });

  it('refuses a bad range or token as input, without a request', async () => {
    const s = service();
    await expect(s.candles(INFY, '1m', t0 + DAY, t0)).rejects.toMatchObject({ kind: 'input' });
    await expect(s.candles(INFY, '1m', Number.NaN, t0)).rejects.toMatchObject({ kind: 'input' });
    await expect(s.candles(0, '1m', t0, t0 + DAY)).rejects.toMatchObject({ kind: 'input' });
    expect(kite.calls).toEqual([]);
  });

  it('does not ask for the future: the range is cut at now', async () => {
    now = ist(2025, 12, 10, 12);
    await service().candles(INFY, '1d', ist(2025, 12, 1), ist(2026, 6, 1));
    expect(kite.calls.map((c) => c.to)).toEqual([now]);
  });
});

describe('HistoryService: cache', () => {
  const from = ist(2025, 11, 3, 9, 15);
  const to = ist(2025, 11, 28, 15, 30);

  it('a covered range makes no request, here, for a part of it, and after a restart', async () => {
    const first = await service().candles(INFY, '5m', from, to);
    expect(kite.calls).toHaveLength(1);
    expect(first.length).toBeGreaterThan(1000);
    expect(await service().candles(INFY, '5m', from, to)).toEqual(first);
    const part = await service().candles(INFY, '5m', from + 3 * DAY, from + 4 * DAY);
    expect(part).toEqual(first.filter((c) => c.time >= from + 3 * DAY && c.time <= from + 4 * DAY));
    const file = db.file;
    db.close();
    db = openEngineDatabase({ file });
    expect(await service().candles(INFY, '5m', from, to)).toEqual(first);
    expect(kite.calls).toHaveLength(1);
    // Another interval is another series.
    await service().candles(INFY, '15m', from, to);
    expect(kite.calls).toHaveLength(2);
  });

  it('fills only the gaps around what it holds, and the whole reads as one fetch would', async () => {
    const d = (n: number): number => ist(2025, 11, 1) + n * DAY;
    const s = service();
    await s.candles(INFY, '1m', d(10), d(20));
    await s.candles(INFY, '1m', d(25), d(27));
    kite.calls.length = 0;
    const got = await s.candles(INFY, '1m', d(0), d(30));
    expect(kite.calls.map((c) => [c.from, c.to])).toEqual([
      [d(0), d(10) - 1_000],
      [d(20) + 1_000, d(25) - 1_000],
      [d(27) + 1_000, d(30)],
    ]);
    expect(got).toEqual(kiteCandles('minute', d(0), d(30), now));
    // The recorded spans merged into one.
    expect(rows('SELECT from_ms, to_ms FROM candle_coverage')).toEqual([
      { from_ms: d(0), to_ms: d(30) + 1_000 },
    ]);
  });

  it('an empty answer for the past (a holiday, a weekend) is remembered as covered', async () => {
    const s = service();
    expect(await s.candles(INFY, '1m', ist(2025, 12, 25), ist(2025, 12, 25, 23, 59))).toEqual([]);
    expect(await s.candles(INFY, '1m', ist(2025, 12, 27), ist(2025, 12, 28, 23, 59))).toEqual([]);
    expect(kite.calls).toHaveLength(2);
    expect(await s.candles(INFY, '1m', ist(2025, 12, 25), ist(2025, 12, 25, 23, 59))).toEqual([]);
    expect(await s.candles(INFY, '1m', ist(2025, 12, 27, 10), ist(2025, 12, 28, 10))).toEqual([]);
    expect(kite.calls).toHaveLength(2);
  });
});

describe('HistoryService: today', () => {
  const day = ist(2025, 12, 10);
  const open = day + NSE_SESSION.openMs;

  it('records today only up to the last closed candle, and refetches the rest for new candles', async () => {
    const s = service();
    now = ist(2025, 12, 10, 11, 0, 30);
    const first = await s.candles(INFY, '1m', open, now);
    expect(first.at(-1)).toMatchObject({ time: ist(2025, 12, 10, 11, 0) });
    const forming = first.at(-1)?.volume ?? 0;

    // At once again: only the tail that may still change is asked for (closed plus the settle
    // margin), not the morning.
    await s.candles(INFY, '1m', open, now);
    expect(kite.calls).toHaveLength(2);
    expect(kite.calls[1]?.from).toBe(ist(2025, 12, 10, 10, 58, 30));

    now = ist(2025, 12, 10, 11, 7, 10);
    const later = await s.candles(INFY, '1m', open, now);
    expect(kite.calls).toHaveLength(3);
    expect(kite.calls[2]?.from).toBe(ist(2025, 12, 10, 10, 58, 30));
    expect(later).toEqual(kiteCandles('minute', open, now, now));
    const minute11 = later.find((c) => c.time === ist(2025, 12, 10, 11, 0));
    expect(minute11?.volume).toBeGreaterThan(forming);
    expect(new Set(later.map((c) => c.time)).size).toBe(later.length);

    // After the close (and the settle margin) the whole day is recorded: no more requests.
    now = ist(2025, 12, 10, 16);
    const closed = await s.candles(INFY, '1m', open, day + NSE_SESSION.closeMs);
    expect(kite.calls).toHaveLength(4);
    expect(await s.candles(INFY, '1m', open, day + NSE_SESSION.closeMs)).toEqual(closed);
    expect(kite.calls).toHaveLength(4);
    expect(closed).toEqual(kiteCandles('minute', open, day + NSE_SESSION.closeMs, now));
  });

  it('a day candle of today stays open; yesterday’s is recorded', async () => {
    now = ist(2025, 12, 10, 11);
    const s = service();
    const got = await s.candles(INFY, '1d', ist(2025, 12, 8), now);
    expect(got.map((c) => c.time)).toEqual([ist(2025, 12, 8), ist(2025, 12, 9), day]);
    await s.candles(INFY, '1d', ist(2025, 12, 8), ist(2025, 12, 9, 12));
    expect(kite.calls).toHaveLength(1);
    await s.candles(INFY, '1d', ist(2025, 12, 8), now);
    expect(kite.calls).toHaveLength(2);
    expect(kite.calls[1]?.from).toBe(day);
  });
});

describe('HistoryService: concurrent requests', () => {
  const d = (n: number): number => ist(2025, 9, 1) + n * DAY;

  it('overlapping requests share the fetch of what they have in common', async () => {
    kite.delayMs = 20;
    const s = service();
    const [a, b, c] = await Promise.all([
      s.candles(INFY, '1m', d(0), d(20)),
      s.candles(INFY, '1m', d(10), d(30)),
      s.candles(INFY, '1m', d(0), d(20)),
    ]);
    expect(kite.calls.map((x) => [x.from, x.to])).toEqual([
      [d(0), d(20)],
      [d(20) + 1_000, d(30)],
    ]);
    expect(a).toEqual(kiteCandles('minute', d(0), d(20), now));
    expect(c).toEqual(a);
    expect(b).toEqual(kiteCandles('minute', d(10), d(30), now));
  });

  it('a request inside a later chunk of a long fetch waits for that chunk instead of asking', async () => {
    kite.delayMs = 10;
    const s = service();
    const long = s.candles(INFY, '1m', d(0), d(150));
    const inner = s.candles(INFY, '1m', d(70), d(80));
    const [all, part] = await Promise.all([long, inner]);
    expect(kite.calls).toHaveLength(3);
    expect(kite.maxActive).toBe(1);
    expect(part).toEqual(all.filter((x) => x.time >= d(70) && x.time <= d(80)));
  });
});

describe('HistoryService: failures', () => {
  const d = (n: number): number => ist(2025, 6, 2) + n * DAY;

  it('passes the BrokerError through and keeps what was recorded before it; a retry asks only the rest', async () => {
    const error = new BrokerError('network', 'historical: socket hang up', { endpoint: 'historical' });
    kite.failWith = (n) => (n === 2 ? error : undefined);
    const s = service();
    await expect(s.candles(INFY, '1m', d(0), d(150))).rejects.toBe(error);
    // The third chunk was never sent: the failed one stops the ones after it.
    expect(kite.calls).toHaveLength(2);
    expect(rows('SELECT from_ms, to_ms FROM candle_coverage')).toEqual([{ from_ms: d(0), to_ms: d(60) }]);
    expect(rows('SELECT COUNT(*) AS n FROM candles WHERE time >= ?', d(60))).toEqual([{ n: 0 }]);

    kite.failWith = () => undefined;
    const got = await s.candles(INFY, '1m', d(0), d(150));
    expect(kite.calls.slice(2).map((c) => c.from)).toEqual([d(60), d(120)]);
    expect(got).toEqual(kiteCandles('minute', d(0), d(150), now));
  });

  it('a token error reaches the caller typed, and a request sharing the failed fetch gets it too', async () => {
    const error = new BrokerError('token', 'Incorrect `api_key` or `access_token`.', {
      venueErrorType: 'TokenException',
      httpStatus: 403,
      endpoint: 'historical',
    });
    kite.failWith = () => error;
    kite.delayMs = 10;
    const s = service();
    const results = await Promise.allSettled([
      s.candles(INFY, '1m', d(0), d(10)),
      s.candles(INFY, '1m', d(5), d(8)),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as unknown) : 'resolved'))).toEqual([
      error,
      error,
    ]);
    expect(error.needsLogin).toBe(true);
    expect(kite.calls).toHaveLength(1);
    expect(rows('SELECT COUNT(*) AS n FROM candle_coverage')).toEqual([{ n: 0 }]);
  });

  it('an answer that does not check is a data error and records nothing', async () => {
    const s = service();
    kite.corrupt = (c) => c.map((x, i) => (i === 3 ? { ...x, high: (x.high + 0.5) as Candle['high'] } : x));
    await expect(s.candles(INFY, '1m', d(0), d(3))).rejects.toMatchObject({ kind: 'data' });
    kite.corrupt = (c) => [...c.slice(0, 5), ...c.slice(3)];
    await expect(s.candles(INFY, '1m', d(0), d(3))).rejects.toMatchObject({ kind: 'data' });
    expect(rows('SELECT COUNT(*) AS n FROM candles')).toEqual([{ n: 0 }]);
    expect(rows('SELECT COUNT(*) AS n FROM candle_coverage')).toEqual([{ n: 0 }]);
  });
});

describe('joinLiveBars', () => {
  const day = ist(2025, 12, 10);
  const open = day + NSE_SESSION.openMs;

  it('history then the live bar: no gap at the seam, and the day’s volume counted once', async () => {
    now = ist(2025, 12, 10, 10, 29, 40);
    const history = await service().candles(INFY, '1m', open, now);
    const kiteTotal = history.reduce((v, c) => v + c.volume, 0);
    // The feed started mid-minute, and has seen 40 more units than Kite's forming candle holds.
    const aggregator = new BarAggregator({ instrumentToken: INFY, intervals: ['1m', '5m'] });
    const feedTotal = kiteTotal + 40;
    aggregator.onTick(150_010, feedTotal - 30, ist(2025, 12, 10, 10, 29, 5));
    aggregator.onTick(150_020, feedTotal, ist(2025, 12, 10, 10, 29, 35));

    const joined = joinLiveBars(history, aggregator, '1m');
    const times = joined.map((c) => c.time);
    expect(times).toEqual(Array.from({ length: 75 }, (_, k) => open + k * MINUTE));
    expect(joined.reduce((v, c) => v + c.volume, 0)).toBe(feedTotal);
    const last = joined.at(-1);
    expect(last).toMatchObject({ open: history.at(-1)?.open, close: 150_020, oi: 0 });

    // The next ticks add only what trades after.
    aggregator.onTick(150_025, feedTotal + 7, ist(2025, 12, 10, 10, 29, 50));
    expect(aggregator.current('1m')?.volume).toBe((last?.volume ?? 0) + 7);
    aggregator.onTick(150_030, feedTotal + 10, ist(2025, 12, 10, 10, 30, 5));
    expect(aggregator.current('1m')).toMatchObject({ start: ist(2025, 12, 10, 10, 30), volume: 3 });
  });

  it('with no live bar yet the last candle becomes the live bar; a feed-only bar has no OI', () => {
    const aggregator = new BarAggregator({ instrumentToken: INFY, intervals: ['1m'] });
    const history = kiteCandles('minute', open, open + 2 * MINUTE, open + 2 * MINUTE + 20_000);
    const joined = joinLiveBars(history, aggregator, '1m');
    expect(joined).toEqual(history);
    expect(joinLiveBars([], aggregator, '1m')).toMatchObject([{ time: open + 2 * MINUTE, oi: null }]);
    expect(() => joinLiveBars(history, aggregator, '5m')).toThrow(RangeError);
  });
});
