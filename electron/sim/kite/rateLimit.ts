/**
 * Kite's request rate limits (kite-protocol.md section 6), as sliding windows over an injected
 * clock. Pure: no timers; a request is admitted or refused at the instant the clock says.
 */

/** Which limit a route counts against. */
export type RateClass = 'orders' | 'quote' | 'historical' | 'other';

/** At most `limit` admitted requests in any `windowMs`. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/** Kite's published limits: orders 10/s, 400/min, 5000/day; quote 1/s; historical 3/s; other 10/s. */
export const KITE_RATE_LIMITS: Readonly<Record<RateClass, readonly RateWindow[]>> = {
  orders: [
    { limit: 10, windowMs: 1_000 },
    { limit: 400, windowMs: 60_000 },
    { limit: 5_000, windowMs: 86_400_000 },
  ],
  quote: [{ limit: 1, windowMs: 1_000 }],
  historical: [{ limit: 3, windowMs: 1_000 }],
  other: [{ limit: 10, windowMs: 1_000 }],
};

/** Admitted-request times of one window, oldest first, trimmed as the window slides. */
class SlidingWindow {
  private readonly times: number[] = [];
  private head = 0;

  constructor(readonly window: RateWindow) {}

  private trim(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] ?? now) <= now - this.window.windowMs)
      this.head++;
    // Compact now and then so the array does not grow for ever.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }

  hasRoom(now: number): boolean {
    this.trim(now);
    return this.times.length - this.head < this.window.limit;
  }

  record(now: number): void {
    this.times.push(now);
  }
}

/**
 * Admits or refuses requests per class. Refused requests do not count (a client backing off
 * recovers after one window).
 */
export class RateLimiter {
  private readonly windows: ReadonlyMap<RateClass, readonly SlidingWindow[]>;

  constructor(
    private readonly now: () => number,
    limits: Readonly<Record<RateClass, readonly RateWindow[]>> = KITE_RATE_LIMITS,
  ) {
    this.windows = new Map(
      (Object.keys(limits) as RateClass[]).map((c) => [c, limits[c].map((w) => new SlidingWindow(w))]),
    );
  }

  /** True (and counted) when a request of `rateClass` may proceed now. */
  admit(rateClass: RateClass): boolean {
    const now = this.now();
    const windows = this.windows.get(rateClass) ?? [];
    if (!windows.every((w) => w.hasRoom(now))) return false;
    for (const w of windows) w.record(now);
    return true;
  }
}
