import { IST_OFFSET_MS } from '../time/ist';

// Streaming indicators, shared by the chart and the engine's conditional orders: pure, no I/O, O(1) a
// bar (Bollinger O(period)). A chart's last bar keeps changing while it forms, so each indicator
// takes a new bar (`next`) or a new value of the last bar (`update`), and answers the indicator's
// value at that bar, or undefined while it has too few bars. Inputs are floats in any one unit
// (the chart's rupees, the engine's wire units): the values are for display and for comparing with a
// level, never a price sent on an order.

/** A streaming indicator over inputs `I`, giving `O` at each bar. */
export interface StreamingIndicator<I, O> {
  /** Adds a bar; returns the value at it. */
  next(input: I): O | undefined;
  /** Replaces the last bar (the forming bar changed); returns the value at it. The first call acts as `next`. */
  update(input: I): O | undefined;
}

function checkPeriod(period: number): void {
  if (!Number.isSafeInteger(period) || period < 1)
    throw new RangeError(`period must be a whole number >= 1, not ${period}`);
}

/** Simple moving average of the last `period` values. */
export function createSma(period: number): StreamingIndicator<number, number> {
  checkPeriod(period);
  const buf = new Float64Array(period);
  let n = 0;
  let sum = 0;
  const value = () => (n >= period ? sum / period : undefined);
  return {
    next(x) {
      const i = n % period;
      if (n >= period) sum -= buf[i] ?? 0;
      buf[i] = x;
      sum += x;
      n++;
      return value();
    },
    update(x) {
      if (n === 0) return this.next(x);
      const i = (n - 1) % period;
      sum += x - (buf[i] ?? 0);
      buf[i] = x;
      return value();
    },
  };
}

/** Exponential moving average, k = 2 / (period + 1), seeded with the SMA of the first `period` values. */
export function createEma(period: number): StreamingIndicator<number, number> {
  checkPeriod(period);
  const k = 2 / (period + 1);
  let n = 0; // bars, the last one included
  let last = 0; // the last bar's input
  let seedBefore = 0; // sum of the first min(n - 1, period) inputs
  let emaBefore = 0; // the EMA at bar n - 1 (when n - 1 >= period)
  const valueOf = (x: number): number | undefined => {
    if (n < period) return undefined;
    if (n === period) return (seedBefore + x) / period;
    return emaBefore + k * (x - emaBefore);
  };
  return {
    next(x) {
      if (n > 0) {
        const v = valueOf(last);
        if (n <= period) seedBefore += last;
        if (v !== undefined) emaBefore = v;
      }
      n++;
      last = x;
      return valueOf(x);
    },
    update(x) {
      if (n === 0) return this.next(x);
      last = x;
      return valueOf(x);
    },
  };
}

/**
 * Wilder's RSI over `period` changes: the first average gain and loss are the means of the first
 * `period` changes, then each is smoothed as (previous x (period - 1) + this) / period. 100 when
 * there were only gains, 50 when the price never moved.
 */
export function createRsi(period = 14): StreamingIndicator<number, number> {
  checkPeriod(period);
  let n = 0;
  let last = 0;
  let closeBefore = 0; // the close of bar n - 1
  let gainsBefore = 0; // sum of gains over changes 1..n-2 while seeding, else the average at bar n - 1
  let lossesBefore = 0;
  const averagesOf = (x: number): [number, number] | undefined => {
    const changes = n - 1;
    if (changes < period) return undefined;
    const change = x - closeBefore;
    const gain = Math.max(change, 0);
    const loss = Math.max(-change, 0);
    if (changes === period) return [(gainsBefore + gain) / period, (lossesBefore + loss) / period];
    return [(gainsBefore * (period - 1) + gain) / period, (lossesBefore * (period - 1) + loss) / period];
  };
  const valueOf = (x: number): number | undefined => {
    const a = averagesOf(x);
    if (a === undefined) return undefined;
    const [gain, loss] = a;
    if (loss === 0) return gain === 0 ? 50 : 100;
    return 100 - 100 / (1 + gain / loss);
  };
  return {
    next(x) {
      if (n > 0) {
        const a = averagesOf(last);
        if (a !== undefined) [gainsBefore, lossesBefore] = a;
        else if (n >= 2) {
          const change = last - closeBefore;
          gainsBefore += Math.max(change, 0);
          lossesBefore += Math.max(-change, 0);
        }
        closeBefore = last;
      }
      n++;
      last = x;
      return valueOf(x);
    },
    update(x) {
      if (n === 0) return this.next(x);
      last = x;
      return valueOf(x);
    },
  };
}

/** Bollinger bands: the SMA of `period` values and `width` population standard deviations either side. */
export interface Bands {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
}

export function createBollinger(period = 20, width = 2): StreamingIndicator<number, Bands> {
  checkPeriod(period);
  const buf = new Float64Array(period);
  let n = 0;
  const value = (): Bands | undefined => {
    if (n < period) return undefined;
    let sum = 0;
    for (const v of buf) sum += v;
    const middle = sum / period;
    let squares = 0;
    for (const v of buf) squares += (v - middle) * (v - middle);
    const sd = Math.sqrt(squares / period);
    return { upper: middle + width * sd, middle, lower: middle - width * sd };
  };
  return {
    next(x) {
      buf[n % period] = x;
      n++;
      return value();
    },
    update(x) {
      if (n === 0) return this.next(x);
      buf[(n - 1) % period] = x;
      return value();
    },
  };
}

/** One bar as VWAP reads it: its start (epoch ms), high, low, close (display prices) and volume. */
export interface VwapBar {
  readonly time: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const DAY_MS = 86_400_000;

/** The IST trading day of an epoch ms (days since 1970-01-01 IST). */
export function istDay(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS);
}

/**
 * The session VWAP: sum(typical price x volume) / sum(volume) since the first bar of the bar's IST
 * day, typical price (high + low + close) / 3. Undefined while the day has no volume (an index).
 */
export function createVwap(): StreamingIndicator<VwapBar, number> {
  let hasLast = false;
  let last: VwapBar = { time: 0, high: 0, low: 0, close: 0, volume: 0 };
  let dayBefore = Number.NaN; // the day of the bars summed below
  let pvBefore = 0;
  let volumeBefore = 0;
  const valueOf = (b: VwapBar): number | undefined => {
    const sameDay = istDay(b.time) === dayBefore;
    const pv = (sameDay ? pvBefore : 0) + ((b.high + b.low + b.close) / 3) * b.volume;
    const v = (sameDay ? volumeBefore : 0) + b.volume;
    return v > 0 ? pv / v : undefined;
  };
  return {
    next(b) {
      if (hasLast) {
        const day = istDay(last.time);
        if (day !== dayBefore) {
          dayBefore = day;
          pvBefore = 0;
          volumeBefore = 0;
        }
        pvBefore += ((last.high + last.low + last.close) / 3) * last.volume;
        volumeBefore += last.volume;
      }
      hasLast = true;
      last = b;
      return valueOf(b);
    },
    update(b) {
      if (!hasLast) return this.next(b);
      last = b;
      return valueOf(b);
    },
  };
}
