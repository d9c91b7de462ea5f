// STAND-IN history until the synthetic market (electron/sim/market) records its own: deterministic
// candles from a seeded random walk that ends at the instrument's previous close on the session's
// trading day. Each past trading day (Monday to Friday, no holidays) gets a close by walking back from
// that close, and a 375-minute path from the previous close to its own (a Brownian bridge), so
// minute, N-minute and day candles of the same day agree and a repeated request gives the same
// numbers. Days from the trading date on get no candles: today's trading is the exchange's.
import { IST_OFFSET_MS } from '../../../shared/time/ist';
import { formatCandleTime } from '../kite';
import type { KiteCandle, KiteInterval } from '../kite';

/** What the walk needs to know of an instrument. Prices in wire units. */
export interface CandleSource {
  readonly seed: number;
  readonly instrumentToken: number;
  readonly previousClose: number;
  readonly tick: number;
  readonly divisor: number;
  /** Derivatives carry open interest. */
  readonly hasOi: boolean;
  /** Lot size: volumes are whole lots. */
  readonly lot: number;
}

const DAY_MS = 86_400_000;
const OPEN_MINUTE = 9 * 60 + 15;
const SESSION_MINUTES = 375;
const DAILY_VOLATILITY = 0.015;

const INTERVAL_MINUTES: Readonly<Record<KiteInterval, number>> = {
  minute: 1,
  '3minute': 3,
  '5minute': 5,
  '10minute': 10,
  '15minute': 15,
  '30minute': 30,
  '60minute': 60,
  day: SESSION_MINUTES,
};

/** A 32-bit integer hash of the inputs (splitmix/murmur finaliser style). */
function hash(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15) ^ d, 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Roughly standard normal from a hash (sum of four uniforms, rescaled). */
function normal(a: number, b: number, c: number, d: number): number {
  let sum = 0;
  for (let k = 0; k < 4; k++) sum += hash(a, b, c, d * 4 + k) / 4_294_967_296;
  return (sum - 2) * Math.sqrt(3);
}

function isWeekday(day: number): boolean {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return weekday !== 0 && weekday !== 6;
}

function previousTradingDay(day: number): number {
  let d = day - 1;
  while (!isWeekday(d)) d--;
  return d;
}

/**
 * Candles of `source` for `[from, to]` (epoch ms) at `interval`, for days before `tradingDay` (IST
 * days since 1970-01-01). Allocates the candles.
 */
export function walkCandles(
  source: CandleSource,
  tradingDay: number,
  interval: KiteInterval,
  from: number,
  to: number,
  withOi: boolean,
): KiteCandle[] {
  const firstDay = Math.floor((from + IST_OFFSET_MS) / DAY_MS);
  const lastDay = Math.min(Math.floor((to + IST_OFFSET_MS) / DAY_MS), tradingDay - 1);
  if (lastDay < firstDay) return [];
  // Log closes, walked back from the previous close; closes.get(d) = close of trading day d.
  const closes = new Map<number, number>();
  let logClose = Math.log(source.previousClose);
  const stop = previousTradingDay(firstDay);
  for (let d = previousTradingDay(tradingDay); d >= stop; d = previousTradingDay(d)) {
    closes.set(d, logClose);
    logClose -= DAILY_VOLATILITY * normal(source.seed, source.instrumentToken, d, 0);
  }
  const step = INTERVAL_MINUTES[interval];
  const toTick = (x: number): number => Math.max(source.tick, Math.round(x / source.tick) * source.tick);
  const rupees = (wire: number): number => wire / source.divisor;
  const out: KiteCandle[] = [];
  const sigma = DAILY_VOLATILITY / Math.sqrt(SESSION_MINUTES);
  for (let d = firstDay; d <= lastDay; d++) {
    if (!isWeekday(d)) continue;
    const close = closes.get(d);
    const open = closes.get(previousTradingDay(d));
    if (close === undefined || open === undefined) continue;
    // A random path from the open to the close: free walk, then the bridge correction.
    const path = new Float64Array(SESSION_MINUTES + 1);
    for (let m = 1; m <= SESSION_MINUTES; m++) {
      path[m] = (path[m - 1] ?? 0) + sigma * normal(source.seed, source.instrumentToken, d, m);
    }
    const drift = (path[SESSION_MINUTES] ?? 0) - (close - open);
    for (let m = 0; m <= SESSION_MINUTES; m++) {
      path[m] = Math.exp(open + (path[m] ?? 0) - (drift * m) / SESSION_MINUTES);
    }
    const midnight = d * DAY_MS - IST_OFFSET_MS;
    for (let start = 0; start < SESSION_MINUTES; start += step) {
      const at = interval === 'day' ? midnight : midnight + (OPEN_MINUTE + start) * 60_000;
      // A day candle belongs to its day; intraday candles must start inside the range.
      if (interval !== 'day' && (at < from || at > to)) continue;
      const end = Math.min(SESSION_MINUTES, start + step);
      let high = 0;
      let low = Infinity;
      let volume = 0;
      for (let m = start; m <= end; m++) {
        const p = path[m] ?? 0;
        if (p > high) high = p;
        if (p < low) low = p;
        if (m < end)
          volume += (1 + (hash(source.seed, source.instrumentToken, d, m + 1000) % 40)) * source.lot;
      }
      const row = [
        formatCandleTime(at),
        rupees(toTick(path[start] ?? 0)),
        rupees(toTick(high)),
        rupees(toTick(low)),
        rupees(toTick(path[end] ?? 0)),
        volume * 25,
      ] as const;
      const oi = source.hasOi
        ? 1_000_000 + (hash(source.seed, source.instrumentToken, d, 9999) % 500_000)
        : 0;
      out.push(withOi ? [...row, oi] : row);
    }
  }
  return out;
}
