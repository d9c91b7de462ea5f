/**
 * The order rate limiter shared by every strategy and every manual order of one API key
 * (ARCHITECTURE.md, "Rules that bind us": 10 orders/s, 400/min, 5000/day). Each limit is a sliding
 * window over an injected clock: at time `now` an order counts against a window of `windowMs` when it
 * was admitted within `(now - windowMs, now]`. The day is a sliding 24 hours, which is stricter than
 * a calendar day (any calendar day lies inside some 24-hour window), so it can never let more than
 * 5000 through in one trading day.
 *
 * The admitted timestamps sit in one preallocated ring as long as the largest limit; a check is
 * O(windows) and allocates nothing. Single-threaded: the engine's kernel thread only.
 */

/** One sliding window: at most `limit` orders in any `windowMs`. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
  /** How a trader reads the limit: "10 orders a second". */
  readonly label: string;
}

/** Kite Connect's order limits per API key. */
export const KITE_ORDER_RATE: readonly RateWindow[] = Object.freeze([
  Object.freeze({ limit: 10, windowMs: 1_000, label: '10 orders a second' }),
  Object.freeze({ limit: 400, windowMs: 60_000, label: '400 orders a minute' }),
  Object.freeze({ limit: 5_000, windowMs: 86_400_000, label: '5000 orders a day' }),
]);

/** Sliding-window order rate limiter. Time is milliseconds from any monotonic clock the caller injects. */
export class OrderRateLimiter {
  private readonly limits: Int32Array;
  private readonly spans: Float64Array;
  private readonly ring: Float64Array;
  /** Index the next admitted timestamp is written to. */
  private head = 0;
  /** Timestamps held (saturates at the ring's length). */
  private count = 0;
  /** The latest admission time. */
  private latest = Number.NEGATIVE_INFINITY;

  /** Allocates the ring once (as long as the largest limit). Throws on a limit that is not a positive integer. */
  constructor(readonly windows: readonly RateWindow[] = KITE_ORDER_RATE) {
    if (windows.length === 0) throw new RangeError('an order rate limiter needs at least one window');
    this.limits = new Int32Array(windows.length);
    this.spans = new Float64Array(windows.length);
    let largest = 0;
    windows.forEach((w, k) => {
      if (!Number.isSafeInteger(w.limit) || w.limit <= 0 || w.limit > 0x7fff_ffff)
        throw new RangeError(`rate limit ${w.limit} must be a positive integer`);
      if (!(w.windowMs > 0) || !Number.isFinite(w.windowMs))
        throw new RangeError(`rate window ${w.windowMs} ms must be positive`);
      this.limits[k] = w.limit;
      this.spans[k] = w.windowMs;
      largest = Math.max(largest, w.limit);
    });
    this.ring = new Float64Array(largest);
  }

  /** True when an order at `now` would be admitted. Consumes nothing. */
  check(now: number): boolean {
    return this.blockingWindow(now) < 0;
  }

  /** Admits an order at `now` and records it, or refuses it and records nothing. */
  tryAcquire(now: number): boolean {
    const t = this.clamp(now);
    if (this.blockingWindow(t) >= 0) return false;
    this.ring[this.head] = t;
    this.head = this.head + 1 === this.ring.length ? 0 : this.head + 1;
    if (this.count < this.ring.length) this.count++;
    this.latest = t;
    return true;
  }

  /** The index in `windows` of the first window that would refuse an order at `now`, or -1. */
  blockingWindow(now: number): number {
    const t = this.clamp(now);
    for (let k = 0; k < this.limits.length; k++) {
      const limit = this.limits[k] ?? 0;
      if (this.count < limit) continue;
      // The limit-th most recent admission must have left the window for one more to fit.
      if (t - this.nthLatest(limit) < (this.spans[k] ?? 0)) return k;
    }
    return -1;
  }

  /** Milliseconds from `now` until an order would be admitted (0 when it would be now). */
  waitMs(now: number): number {
    const t = this.clamp(now);
    let wait = 0;
    for (let k = 0; k < this.limits.length; k++) {
      const limit = this.limits[k] ?? 0;
      if (this.count < limit) continue;
      wait = Math.max(wait, this.nthLatest(limit) + (this.spans[k] ?? 0) - t);
    }
    return wait;
  }

  /** Orders admitted within `(now - windowMs, now]`, for the risk stream (counts at most the ring's length). */
  inWindow(now: number, windowMs: number): number {
    const t = this.clamp(now);
    let n = 0;
    while (n < this.count && t - this.nthLatest(n + 1) < windowMs) n++;
    return n;
  }

  /** The n-th most recent admitted timestamp, 1-based (1 <= n <= count). */
  private nthLatest(n: number): number {
    let k = this.head - n;
    if (k < 0) k += this.ring.length;
    return this.ring[k] ?? Number.NEGATIVE_INFINITY;
  }

  /** A clock that steps back, or NaN, reads as the latest time seen: it never frees a slot. */
  private clamp(now: number): number {
    return now >= this.latest ? now : this.latest;
  }
}
