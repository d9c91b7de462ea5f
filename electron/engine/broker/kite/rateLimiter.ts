/**
 * Client-side request pacing to Kite's published limits (kite-protocol.md section 6), so that we do
 * not provoke 429s: quote 1 req/s, historical 3 req/s, orders (place, modify, cancel) 10 req/s and
 * 400/min, everything else 10 req/s. The clock is injected, so the pacing is tested without sleeping.
 *
 * Requests of one class are granted strictly in the order they asked (orders must reach the venue in
 * the order the OMS sent them). A request that would have to wait longer than `maxWaitMs` is refused
 * at once with a `rateLimited` BrokerError that was never sent, rather than queued behind a limit it
 * cannot beat (the 5000 orders/day cap is the OMS's and risk's to enforce, not a wait here).
 */
import { BrokerError } from '../errors';

/** Which limit a request counts against. */
export type KiteRateClass = 'orders' | 'quote' | 'historical' | 'other';

/** At most `limit` requests in any `windowMs`. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/** Kite's per-key limits: the simulator enforces exactly these (electron/sim/kite/rateLimit.ts). */
export const KITE_RATE_LIMITS: Readonly<Record<KiteRateClass, readonly RateWindow[]>> = {
  orders: [
    { limit: 10, windowMs: 1_000 },
    { limit: 400, windowMs: 60_000 },
  ],
  quote: [{ limit: 1, windowMs: 1_000 }],
  historical: [{ limit: 3, windowMs: 1_000 }],
  other: [{ limit: 10, windowMs: 1_000 }],
};

/** Time and waiting, injected. `sleep` resolves after `ms` on this clock. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The wall clock. */
export const systemClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, ms);
    }),
};

/** Options of a RequestPacer. */
export interface PacerOptions {
  readonly limits?: Readonly<Record<KiteRateClass, readonly RateWindow[]>>;
  /**
   * Extra spacing per window, ms. The venue counts arrivals and we count departures; a request that
   * travels faster than the one before it would otherwise land inside the previous window.
   */
  readonly marginMs?: number;
  /** Refuse instead of waiting longer than this, ms. */
  readonly maxWaitMs?: number;
}

/** Departure times of one window's requests, oldest first; trimmed as the window slides. */
class Departures {
  private readonly times: number[] = [];
  private head = 0;

  constructor(
    private readonly window: RateWindow,
    private readonly marginMs: number,
  ) {}

  /** How long from `now` until one more request fits (0: it fits now). */
  waitAt(now: number): number {
    const span = this.window.windowMs + this.marginMs;
    while (this.head < this.times.length && (this.times[this.head] ?? now) <= now - span) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    const inWindow = this.times.length - this.head;
    if (inWindow < this.window.limit) return 0;
    // The oldest of the last `limit` departures must leave the window first.
    const oldest = this.times[this.times.length - this.window.limit] ?? now;
    return Math.max(0, oldest + span - now);
  }

  record(now: number): void {
    this.times.push(now);
  }
}

/** Paces requests per class; one instance per API key (the limits are per key). */
export class RequestPacer {
  private readonly windows: ReadonlyMap<KiteRateClass, readonly Departures[]>;
  /** The last grant of each class: the next waiter starts after it, which keeps the order. */
  private readonly tails = new Map<KiteRateClass, Promise<void>>();
  /** Requests waiting in `acquire` per class (a `tryAcquire` never overtakes them). */
  private readonly queued = new Map<KiteRateClass, number>();
  private readonly maxWaitMs: number;

  constructor(
    private readonly clock: PacerClock = systemClock,
    options: PacerOptions = {},
  ) {
    const limits = options.limits ?? KITE_RATE_LIMITS;
    const marginMs = options.marginMs ?? 50;
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.windows = new Map(
      (Object.keys(limits) as KiteRateClass[]).map((c) => [
        c,
        limits[c].map((w) => new Departures(w, marginMs)),
      ]),
    );
  }

  /**
   * Resolves when a request of `rateClass` may be sent, and counts it as sent at that instant.
   * Rejects with a `rateLimited` BrokerError when the wait would exceed `maxWaitMs`; a refused
   * request is not counted.
   */
  acquire(rateClass: KiteRateClass): Promise<void> {
    const previous = this.tails.get(rateClass) ?? Promise.resolve();
    this.queued.set(rateClass, (this.queued.get(rateClass) ?? 0) + 1);
    const done = (): void => {
      this.queued.set(rateClass, (this.queued.get(rateClass) ?? 1) - 1);
    };
    const grant = previous.then(() => this.grant(rateClass));
    grant.then(done, done);
    // A refusal must not block the waiters behind it.
    this.tails.set(
      rateClass,
      grant.catch(() => undefined),
    );
    return grant;
  }

  /**
   * Counts a request of `rateClass` as sent now and returns true when one may go at once (nobody is
   * queued for the class and no window is full); otherwise changes nothing and returns false (use
   * `acquire`). Synchronous, for the order path's write in the same turn as the order's commit.
   */
  tryAcquire(rateClass: KiteRateClass): boolean {
    if ((this.queued.get(rateClass) ?? 0) > 0) return false;
    const windows = this.windows.get(rateClass) ?? [];
    const now = this.clock.now();
    for (const w of windows) if (w.waitAt(now) > 0) return false;
    for (const w of windows) w.record(now);
    return true;
  }

  /** How long a request of `rateClass` asked now would wait, ignoring queued waiters (for status). */
  waitMs(rateClass: KiteRateClass): number {
    const now = this.clock.now();
    return Math.max(0, ...(this.windows.get(rateClass) ?? []).map((w) => w.waitAt(now)));
  }

  private async grant(rateClass: KiteRateClass): Promise<void> {
    const windows = this.windows.get(rateClass) ?? [];
    for (;;) {
      const now = this.clock.now();
      const wait = Math.max(0, ...windows.map((w) => w.waitAt(now)));
      if (wait === 0) {
        for (const w of windows) w.record(now);
        return;
      }
      if (wait > this.maxWaitMs)
        throw new BrokerError(
          'rateLimited',
          `client-side pacing: a ${rateClass} request would wait ${wait} ms (limit ${this.maxWaitMs} ms); not sent`,
        );
      await this.clock.sleep(wait);
    }
  }
}
