// Historical candles: drawn from the fair-value process for the past, and from the simulator's own
// trade tape from the moment it started, so the history runs into the live day without a hole.
import type { Instrument } from '../exchange';
import type { FairValueModel } from './fairValue';
import { Random, mixSeed } from './random';
import {
  activityShape,
  isTradingDay,
  istDayOf,
  istMidnight,
  sessionLengthMs,
  sessionOpenMs,
} from './session';

/** Kite's candle intervals. */
export type CandleInterval =
  'minute' | '3minute' | '5minute' | '10minute' | '15minute' | '30minute' | '60minute' | 'day';

/** Minutes per interval (a day candle spans the session). */
export const INTERVAL_MINUTES: Readonly<Record<Exclude<CandleInterval, 'day'>, number>> = {
  minute: 1,
  '3minute': 3,
  '5minute': 5,
  '10minute': 10,
  '15minute': 15,
  '30minute': 30,
  '60minute': 60,
};

/** One candle: epoch-ms start (IST midnight for a day candle), integer wire-unit prices, volume, OI. */
export interface Candle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** Open interest at the candle's close; 0 for anything but futures and options. */
  readonly oi: number;
}

/** A minute of recorded trades (mutable while the minute is forming). */
export interface LiveBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi: number;
}

/** What `buildCandles` needs. */
export interface CandleSource {
  readonly model: FairValueModel;
  readonly instrument: Instrument;
  readonly seed: number;
  readonly interval: CandleInterval;
  readonly fromMs: number;
  /** Inclusive; the caller caps it at "now". */
  readonly toMs: number;
  /** Minutes of a tradable instrument ending after this come from `liveBars` (the simulator's start). */
  readonly liveFromMs: number;
  readonly liveBars: ReadonlyMap<number, LiveBar> | undefined;
  readonly expectedVolumePerSecond: number;
  /** The day's activity factor (busy and quiet days), multiplying the expected volume. */
  readonly dayActivity: (day: number) => number;
  readonly openingOi: (day: number) => number;
}

const MINUTE = 60_000;

/**
 * The candles whose start lies in `[fromMs, toMs]` (a day candle: whose IST day does), oldest first.
 * Deterministic for (seed, instrument, time). Minutes with no price (a contract past its expiry, or a
 * live minute without trades) are left out, as Kite leaves out minutes without trades. Allocates.
 */
export function buildCandles(src: CandleSource): Candle[] {
  const w = src.model.window;
  const out: Candle[] = [];
  if (!(src.toMs >= src.fromMs)) return out;
  const length = sessionLengthMs(w);
  const minutesPerDay = length / MINUTE;
  for (let day = istDayOf(src.fromMs); day <= istDayOf(src.toMs); day++) {
    if (!isTradingDay(w, day)) continue;
    const open = sessionOpenMs(w, day);
    if (src.interval === 'day') {
      if (open > src.toMs) break;
      const c = aggregate(src, day, open, minutesPerDay, istMidnight(day));
      if (c !== null) out.push(c);
      continue;
    }
    const per = INTERVAL_MINUTES[src.interval];
    for (let k = 0; k * per < minutesPerDay; k++) {
      const start = open + k * per * MINUTE;
      if (start < src.fromMs) continue;
      if (start > src.toMs) break;
      const c = aggregate(src, day, start, Math.min(per, minutesPerDay - k * per), start);
      if (c !== null) out.push(c);
    }
  }
  return out;
}

/** One candle from `minutes` one-minute bars starting at `start`, or null when none has a price. */
function aggregate(
  src: CandleSource,
  day: number,
  start: number,
  minutes: number,
  time: number,
): Candle | null {
  let o = 0;
  let h = -Infinity;
  let l = Infinity;
  let c = 0;
  let v = 0;
  let oi = 0;
  let any = false;
  for (let m = 0; m < minutes; m++) {
    const at = start + m * MINUTE;
    if (at > src.toMs) break;
    // Indices never trade: their candles are their fair value (the constituents' mean), live or not.
    const recorded = src.instrument.tradable && at + MINUTE > src.liveFromMs;
    const bar = recorded ? src.liveBars?.get(at) : modelMinute(src, day, at);
    if (bar === undefined) continue;
    if (!any) o = bar.open;
    any = true;
    if (bar.high > h) h = bar.high;
    if (bar.low < l) l = bar.low;
    c = bar.close;
    v += bar.volume;
    oi = bar.oi;
  }
  return any ? { time, open: o, high: h, low: l, close: c, volume: v, oi } : null;
}

/** A minute drawn from the fair-value process: its path's open, extremes and close, and a volume. */
function modelMinute(src: CandleSource, day: number, at: number): LiveBar | undefined {
  const { model, instrument: i } = src;
  const w = model.window;
  const open = sessionOpenMs(w, day);
  const length = sessionLengthMs(w);
  const values = model.valuesOnDay(i.instrument_token, day);
  const g = model.gridPoints;
  const from = ((at - open) / length) * g;
  // A minute still forming (an index's, today) ends at toMs, which the caller caps at "now".
  const to = Math.min(g, ((Math.min(at + MINUTE, src.toMs) - open) / length) * g);
  const first = interpolate(values, from);
  const last = interpolate(values, to);
  if (!Number.isFinite(first) || !Number.isFinite(last)) return undefined;
  let hi = Math.max(first, last);
  let lo = Math.min(first, last);
  for (let k = Math.floor(from) + 1; k < to; k++) {
    const v = values[k] ?? first;
    if (v > hi) hi = v;
    if (v < lo) lo = v;
  }
  const tick = i.tick_size > 0 ? i.tick_size : 1;
  const round = (x: number): number => Math.max(tick, Math.round(x / tick) * tick);
  let volume = 0;
  if (i.tradable && src.expectedVolumePerSecond > 0) {
    const r = new Random(mixSeed(src.seed, i.instrument_token, Math.floor(at / MINUTE), 3));
    const u = (at + MINUTE / 2 - open) / length;
    const expected =
      src.expectedVolumePerSecond *
      src.dayActivity(day) *
      60 *
      activityShape(w, u) *
      Math.exp(0.35 * r.gaussian() - 0.06);
    const lot = Math.max(1, i.lot_size);
    volume = Math.round(expected / lot) * lot;
  }
  return {
    open: round(first),
    high: round(hi),
    low: round(lo),
    close: round(last),
    volume,
    oi: src.openingOi(day),
  };
}

function interpolate(values: Float64Array, position: number): number {
  const k = Math.floor(position);
  const a = values[k] ?? Number.NaN;
  if (k === position) return a;
  const b = values[k + 1] ?? a;
  return a + (b - a) * (position - k);
}
