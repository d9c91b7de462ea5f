/**
 * The schedules of the TWAP and VWAP execution algorithms, and the rule that turns a schedule into
 * the quantity to send now. Pure logic: no I/O, no timers, no clock and no random source of its own
 * (the caller passes the time and a `() => number` in [0, 1)), so a seed reproduces a run.
 *
 * Numbers follow the engine's rules: quantities are integer units and every order quantity a whole
 * number of lots; prices are integers in the instrument's wire unit (price x divisor); times are epoch
 * ms, and the session's minutes are counted from 09:15 IST with IST's fixed offset, never the
 * machine's time zone. Fractions (participation, curve weights) are floats; quantities never are.
 *
 * Bad input throws a RangeError: an algo started with a nonsense parameter must fail at once, not
 * trade a guess. Single-threaded: the engine's kernel thread only.
 */
import type { Candle } from '../../../shared/services/market';
import type { Side } from '../../../shared/services/orders';
import { istDayStart, NSE_SESSION } from '../market/bars';

/** One minute, ms: the bar a volume curve is measured in. */
export const MINUTE_MS = 60_000;

/** Minutes in the NSE/BSE equity session, 09:15 to 15:30 IST: the length of a volume curve. */
export const SESSION_MINUTES = (NSE_SESSION.closeMs - NSE_SESSION.openMs) / MINUTE_MS;

/** The most a TWAP slice's time may move inside its interval, as a fraction of the interval. */
export const MAX_JITTER = 0.9;

// ---------------------------------------------------------------------------------------------------
// Checks

function requireWhole(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a whole number >= 0, got ${String(value)}`);
  }
}

function requirePositiveWhole(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${what} must be a whole number > 0, got ${String(value)}`);
  }
}

function requireInstant(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${what} must be an instant in whole epoch ms, got ${String(value)}`);
  }
}

/** The checks every parent order shares: a whole, positive number of whole lots over a real window. */
function requireParent(quantity: number, lotSize: number, startMs: number, endMs: number): void {
  requirePositiveWhole(quantity, 'quantity');
  requirePositiveWhole(lotSize, 'lotSize');
  if (quantity % lotSize !== 0) {
    throw new RangeError(`quantity ${quantity} is not a multiple of the lot size ${lotSize}`);
  }
  requireInstant(startMs, 'startMs');
  requireInstant(endMs, 'endMs');
  if (endMs <= startMs) {
    throw new RangeError(`the window must end after it starts: endMs ${endMs} <= startMs ${startMs}`);
  }
}

/** Calls the injected random source and refuses a value outside [0, 1), which would break the window. */
function draw(random: () => number): number {
  const r = random();
  if (!(r >= 0 && r < 1)) throw new RangeError(`random() must return a number in [0, 1), got ${String(r)}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------
// TWAP

/** One child order of a TWAP: send `quantity` units at `at` (epoch ms). */
export interface TwapSlice {
  readonly at: number;
  readonly quantity: number;
}

/** What a TWAP schedule is made from. */
export interface TwapParams {
  /** The parent order's quantity, units: a whole number of lots. */
  readonly quantity: number;
  readonly lotSize: number;
  /** The window [startMs, endMs), epoch ms. */
  readonly startMs: number;
  readonly endMs: number;
  /** How many equal intervals the window is cut into (fewer when there are fewer lots). */
  readonly slices: number;
  /** 0..0.9: how far into its interval a slice may move, as a fraction of the interval. */
  readonly jitter: number;
  /** Uniform in [0, 1); injected so a seed reproduces the schedule. */
  readonly random: () => number;
  /**
   * Which slices get the lots that do not divide evenly: the earliest (`front`, the default: the
   * order is done sooner, so less is left if the window is cut short) or randomly chosen ones
   * (`random`, so the pattern does not give the algo away).
   */
  readonly remainder?: 'front' | 'random';
}

/**
 * A TWAP schedule: the window cut into `slices` equal intervals, one child order per interval.
 *
 * Each slice is sent at its interval's start plus up to `jitter` of the interval, so it never reaches
 * the next interval or `endMs` and the slices stay in time order (equal times only when the window is
 * shorter, in ms, than the slice count). Quantities are whole lots that sum exactly to `quantity`,
 * as equal as lots allow: every slice gets the same number of lots and the remainder goes one lot at a
 * time to the earliest or to random slices. With fewer lots than slices there is one slice per lot,
 * the window cut into that many intervals instead (a slice of nothing is no order).
 *
 * Deterministic for a given `random` sequence: it is called for the remainder's slices (when
 * `remainder` is `random`) and then once per slice when `jitter` > 0. Allocates the result.
 */
export function twapSchedule(params: TwapParams): readonly TwapSlice[] {
  const { quantity, lotSize, startMs, endMs, slices, jitter, random } = params;
  requireParent(quantity, lotSize, startMs, endMs);
  requirePositiveWhole(slices, 'slices');
  if (!(jitter >= 0 && jitter <= MAX_JITTER)) {
    throw new RangeError(`jitter must be between 0 and ${MAX_JITTER}, got ${String(jitter)}`);
  }

  const lots = quantity / lotSize;
  const count = Math.min(slices, lots);
  const base = Math.floor(lots / count);
  const extra = lots % count;

  const lotsPerSlice = new Array<number>(count).fill(base);
  if (params.remainder === 'random') {
    // A partial Fisher-Yates shuffle: the first `extra` entries of `order` are distinct random slices.
    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = 0; i < extra; i++) {
      const j = i + Math.floor(draw(random) * (count - i));
      const picked = order[j] ?? i;
      order[j] = order[i] ?? i;
      order[i] = picked;
      lotsPerSlice[picked] = base + 1;
    }
  } else {
    for (let i = 0; i < extra; i++) lotsPerSlice[i] = base + 1;
  }

  const span = endMs - startMs;
  // Integer boundaries: interval i is [startMs + floor(i x span / count), the next boundary).
  const boundary = (i: number): number => startMs + Math.floor((i * span) / count);
  const schedule: TwapSlice[] = [];
  for (let i = 0; i < count; i++) {
    const from = boundary(i);
    const length = boundary(i + 1) - from;
    // r < 1 and jitter <= 0.9, so the offset is at most length - 1: the slice stays in its interval.
    const offset = jitter > 0 ? Math.floor(draw(random) * jitter * length) : 0;
    schedule.push({ at: from + offset, quantity: (lotsPerSlice[i] ?? base) * lotSize });
  }
  return schedule;
}

/**
 * The TWAP's cumulative target at `now`: the quantity of every slice due by then (`at <= now`).
 * Expects the schedule in time order, as `twapSchedule` makes it.
 */
export function twapTarget(schedule: readonly TwapSlice[], now: number): number {
  if (Number.isNaN(now)) throw new RangeError('now must be an instant, got NaN');
  let target = 0;
  for (const slice of schedule) {
    if (slice.at > now) break;
    target += slice.quantity;
  }
  return target;
}

// ---------------------------------------------------------------------------------------------------
// Volume curve

/** The part of a candle a volume curve reads. */
export type VolumeCandle = Pick<Candle, 'time' | 'volume'>;

/** Options for `volumeCurve`. */
export interface VolumeCurveOptions {
  /**
   * Half-width, in minutes, of a centred moving average over the averaged curve (default 0: none).
   * A few minutes smooth out one day's block trade without moving the open and close peaks far.
   */
  readonly smoothingMinutes?: number;
}

/**
 * The intraday volume curve: for each minute of the session (index 0 is 09:15 IST, 374 is 15:29), the
 * average over past sessions of the fraction of that day's volume traded in that minute. The result
 * sums to 1 (up to float rounding) and is what `vwapSchedule` spreads an order along.
 *
 * `days` holds one array of 1-minute candles per past session, in any order. A candle's minute is
 * read from its own time in IST; candles outside 09:15-15:30 are ignored, two candles of one minute
 * add up, and a missing minute is a minute with no volume (Kite sends no candle for a minute with no
 * trade). Every day counts the same, whatever its volume, so one expiry day does not set the shape; a
 * day with no volume in the session is skipped. A half day counts as a session that traded all its
 * volume in the minutes it had: it leans the curve towards those minutes by 1/N, so leave it out
 * when that matters. With no usable day the curve is flat. Allocates the result.
 */
export function volumeCurve(
  days: readonly (readonly VolumeCandle[])[],
  options: VolumeCurveOptions = {},
): Float64Array {
  const smoothing = options.smoothingMinutes ?? 0;
  requireWhole(smoothing, 'smoothingMinutes');

  const curve = new Float64Array(SESSION_MINUTES);
  const day = new Float64Array(SESSION_MINUTES);
  let usable = 0;
  for (const candles of days) {
    day.fill(0);
    let total = 0;
    for (const candle of candles) {
      requireInstant(candle.time, 'candle time');
      requireWhole(candle.volume, 'candle volume');
      const minute = Math.floor((candle.time - istDayStart(candle.time) - NSE_SESSION.openMs) / MINUTE_MS);
      if (minute < 0 || minute >= SESSION_MINUTES) continue;
      day[minute] = (day[minute] ?? 0) + candle.volume;
      total += candle.volume;
    }
    if (total === 0) continue;
    usable++;
    for (let i = 0; i < SESSION_MINUTES; i++) curve[i] = (curve[i] ?? 0) + (day[i] ?? 0) / total;
  }
  if (usable === 0) return curve.fill(1 / SESSION_MINUTES);

  const smoothed = smoothing > 0 ? movingAverage(curve, smoothing) : curve;
  // The sum of fractions of `usable` days is `usable`; dividing by the actual sum also absorbs the
  // rounding of the averages and the edges of the moving average.
  let sum = 0;
  for (const v of smoothed) sum += v;
  for (let i = 0; i < smoothed.length; i++) smoothed[i] = (smoothed[i] ?? 0) / sum;
  return smoothed;
}

/** A centred moving average of half-width `k`, the window cut at the ends. Allocates the result. */
function movingAverage(values: Float64Array, k: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const from = Math.max(0, i - k);
    const to = Math.min(values.length - 1, i + k);
    let sum = 0;
    for (let j = from; j <= to; j++) sum += values[j] ?? 0;
    out[i] = sum / (to - from + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// VWAP

/** What a VWAP schedule is made from. */
export interface VwapParams {
  /** The parent order's quantity, units: a whole number of lots. */
  readonly quantity: number;
  readonly lotSize: number;
  /** The window [startMs, endMs), epoch ms. */
  readonly startMs: number;
  readonly endMs: number;
  /** Weight per bucket, e.g. `volumeCurve`'s output; any scale, each >= 0. */
  readonly curve: ArrayLike<number>;
  /** The length of one curve bucket, ms (default one minute). */
  readonly minuteMs?: number;
  /** Epoch ms at which `curve[0]` starts (default 09:15 IST on the IST day of `startMs`). */
  readonly sessionStartMs?: number;
}

/** A VWAP schedule: how much of the order should be done by a given time. */
export interface VwapSchedule {
  readonly quantity: number;
  readonly startMs: number;
  readonly endMs: number;
  /** The ideal fraction of the order done by `now`: 0 at `startMs`, 1 from `endMs` on. */
  fractionAt(now: number): number;
  /**
   * The cumulative target at `now`, units: the ideal quantity rounded to the nearest whole lot, so
   * it is within half a lot of the curve and the last lot falls due before the window ends (a
   * one-lot order goes at the window's volume midpoint, not at its close). Non-decreasing in `now`;
   * exactly `quantity` from `endMs` on.
   */
  targetAt(now: number): number;
}

/**
 * A VWAP schedule: the order spread along the volume curve restricted to [startMs, endMs). A bucket
 * the window covers in part weighs in proportion to the overlap, and inside a bucket the target grows
 * linearly. If the curve has no weight inside the window (the window lies outside the session, or the
 * curve is zero there) the order is spread evenly in time instead, so it still completes.
 * Allocates the schedule once; `targetAt` allocates nothing.
 */
export function vwapSchedule(params: VwapParams): VwapSchedule {
  const { quantity, lotSize, startMs, endMs, curve } = params;
  requireParent(quantity, lotSize, startMs, endMs);
  const minuteMs = params.minuteMs ?? MINUTE_MS;
  requirePositiveWhole(minuteMs, 'minuteMs');
  const sessionStart = params.sessionStartMs ?? istDayStart(startMs) + NSE_SESSION.openMs;
  requireInstant(sessionStart, 'sessionStartMs');

  // The window's pieces, one per curve bucket it overlaps: [from, to) with weight, and the weight
  // done before each piece starts. Prefix sums of weights >= 0 never decrease, even in floats.
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const before: number[] = [];
  let total = 0;
  for (let i = 0; i < curve.length; i++) {
    const w = curve[i] ?? Number.NaN;
    if (!(w >= 0 && Number.isFinite(w))) {
      throw new RangeError(`curve[${i}] must be a finite weight >= 0, got ${String(w)}`);
    }
    const bucketStart = sessionStart + i * minuteMs;
    const a = Math.max(bucketStart, startMs);
    const b = Math.min(bucketStart + minuteMs, endMs);
    if (b <= a || w === 0) continue;
    from.push(a);
    to.push(b);
    const pieceWeight = (w * (b - a)) / minuteMs;
    weight.push(pieceWeight);
    before.push(total);
    total += pieceWeight;
  }
  const lots = quantity / lotSize;
  const span = endMs - startMs;

  const fractionAt = (now: number): number => {
    if (Number.isNaN(now)) throw new RangeError('now must be an instant, got NaN');
    if (now <= startMs) return 0;
    if (now >= endMs) return 1;
    if (total === 0) return (now - startMs) / span;
    // The last piece starting before `now` (binary search over the piece starts).
    let lo = 0;
    let hi = from.length - 1;
    if ((from[0] ?? endMs) >= now) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((from[mid] ?? endMs) < now) lo = mid;
      else hi = mid - 1;
    }
    const a = from[lo] ?? startMs;
    const b = to[lo] ?? endMs;
    const done = (before[lo] ?? 0) + (weight[lo] ?? 0) * Math.min(1, (now - a) / (b - a));
    return Math.min(1, done / total);
  };

  return {
    quantity,
    startMs,
    endMs,
    fractionAt,
    targetAt(now: number): number {
      const f = fractionAt(now);
      if (f >= 1) return quantity;
      return Math.min(lots, Math.round(f * lots)) * lotSize;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The quantity to send now

/** How a shortfall from earlier slices is treated. */
export type CatchUpMode =
  | {
      /** Send whatever brings the order up to its target, however far behind it is. */
      readonly catchUp: true;
    }
  | {
      /** Send at most what is left of the latest slice; an earlier shortfall waits (see `sliceToSend`). */
      readonly catchUp: false;
      /** The latest due slice's quantity (TWAP: the slice; VWAP: the target's growth over the step). */
      readonly sliceQuantity: number;
      /** Units already sent for that slice since it fell due. */
      readonly sentThisSlice: number;
    };

/** The state an algo decides from, in units. */
export interface SliceState {
  /** The schedule's cumulative target now (`twapTarget`, `VwapSchedule.targetAt`). */
  readonly target: number;
  /** Units of the parent order filled so far. */
  readonly filled: number;
  /** Units sent and still open at the exchange. */
  readonly working: number;
  /** Units the whole market traded in the instrument since the algo started. */
  readonly marketVolumeSinceStart: number;
  /** The most of the market's volume the algo may be, in (0, 1]. */
  readonly participation: number;
  readonly lotSize: number;
  /** Units of the parent order neither filled nor working: what is left to send. */
  readonly remaining: number;
}

/**
 * The quantity the algo should send now: a whole number of lots, 0 when nothing should go.
 *
 * It is the largest lot multiple that is no more than each of
 * - the shortfall `target - (filled + working)`: what is done or in flight already counts;
 * - the participation room `floor(participation x marketVolumeSinceStart) - (filled + working)`, so the
 *   algo, counting its working orders as if they filled, is never more than that share of the tape
 *   (float rounding can only make the room one unit smaller, never larger; before the market has
 *   traded since the start, nothing goes);
 * - `remaining`, so the parent order is never overfilled;
 * - with `catchUp: false`, `sliceQuantity - sentThisSlice`: each slice sends at most its own quantity,
 *   once. What a slice could not send (the cap bound, an order was rejected) is not burst out by a
 *   later slice; it waits until the schedule's end, when the caller typically switches to catch-up
 *   to finish. With `catchUp: true` the whole shortfall may go now.
 *
 * Calling it again after sending (with `working` and `sentThisSlice` updated) returns 0 until the
 * target, the tape or the slice moves: the result does not depend on how often it is asked.
 */
export function sliceToSend(state: SliceState & CatchUpMode): number {
  const { target, filled, working, marketVolumeSinceStart, participation, lotSize, remaining } = state;
  requireWhole(target, 'target');
  requireWhole(filled, 'filled');
  requireWhole(working, 'working');
  requireWhole(marketVolumeSinceStart, 'marketVolumeSinceStart');
  requireWhole(remaining, 'remaining');
  requirePositiveWhole(lotSize, 'lotSize');
  if (!(participation > 0 && participation <= 1)) {
    throw new RangeError(`participation must be in (0, 1], got ${String(participation)}`);
  }

  const done = filled + working;
  let room = Math.min(target - done, Math.floor(participation * marketVolumeSinceStart) - done, remaining);
  if (!state.catchUp) {
    requireWhole(state.sliceQuantity, 'sliceQuantity');
    requireWhole(state.sentThisSlice, 'sentThisSlice');
    room = Math.min(room, state.sliceQuantity - state.sentThisSlice);
  }
  if (room < lotSize) return 0;
  return Math.floor(room / lotSize) * lotSize;
}

// ---------------------------------------------------------------------------------------------------
// Benchmarks

/** A trade as the benchmarks read it: a wire-unit price and units. */
export interface PricedQuantity {
  readonly price: number;
  readonly quantity: number;
}

/**
 * The volume-weighted average price of `trades`, in wire units, as a float for display (it is rarely
 * a whole wire unit); null when they hold no volume. The sums are floats: exact below 2^53 wire
 * unit x units, and a display value beyond that loses nothing a trader can see.
 */
export function intervalVwap(trades: readonly PricedQuantity[]): number | null {
  let notional = 0;
  let volume = 0;
  for (const t of trades) {
    if (!Number.isSafeInteger(t.price)) {
      throw new RangeError(`trade price must be a whole number of wire units, got ${String(t.price)}`);
    }
    requireWhole(t.quantity, 'trade quantity');
    notional += t.price * t.quantity;
    volume += t.quantity;
  }
  return volume === 0 ? null : notional / volume;
}

/**
 * Slippage against a benchmark, in basis points of the benchmark; positive is worse for the trader: a
 * buy that paid more than the benchmark, or a sell that got less. Both prices in the same unit (wire
 * units, or the float from `intervalVwap`); the benchmark must be > 0.
 */
export function slippageBasisPoints(side: Side, averageFillPrice: number, benchmarkPrice: number): number {
  if (!Number.isFinite(averageFillPrice)) {
    throw new RangeError(`averageFillPrice must be a finite price, got ${String(averageFillPrice)}`);
  }
  if (!(Number.isFinite(benchmarkPrice) && benchmarkPrice > 0)) {
    throw new RangeError(`benchmarkPrice must be a finite price > 0, got ${String(benchmarkPrice)}`);
  }
  const worse = side === 'BUY' ? averageFillPrice - benchmarkPrice : benchmarkPrice - averageFillPrice;
  return (worse * 10_000) / benchmarkPrice;
}
