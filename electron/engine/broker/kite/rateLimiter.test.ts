import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BrokerError } from '../errors';
import { KITE_RATE_LIMITS, RequestPacer } from './rateLimiter';
import type { KiteRateClass, PacerClock, RateWindow } from './rateLimiter';

/** A clock that only moves when told; sleeps resolve as it passes their deadline. */
class FakeClock implements PacerClock {
  private t = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
    });
  }

  /** Moves to `time`, firing due sleeps in order and letting their continuations run. */
  async advanceTo(time: number): Promise<void> {
    await settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (next === undefined || next.at > time) break;
      this.timers.shift();
      this.t = next.at;
      next.resolve();
      await settle();
    }
    this.t = Math.max(this.t, time);
  }

  get pending(): number {
    return this.timers.length;
  }
}

const settle = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

describe('RequestPacer', () => {
  it('spaces quote requests one window (plus margin) apart and grants them in order', async () => {
    const clock = new FakeClock();
    const pacer = new RequestPacer(clock, { marginMs: 50 });
    const granted: [number, number][] = [];
    for (let i = 0; i < 4; i++) void pacer.acquire('quote').then(() => granted.push([i, clock.now()]));
    await clock.advanceTo(10_000);
    expect(granted).toEqual([
      [0, 0],
      [1, 1_050],
      [2, 2_100],
      [3, 3_150],
    ]);
  });

  it('lets 10 order requests through at once, then holds the 11th for the window', async () => {
    const clock = new FakeClock();
    const pacer = new RequestPacer(clock, { marginMs: 0 });
    const times: number[] = [];
    for (let i = 0; i < 11; i++) void pacer.acquire('orders').then(() => times.push(clock.now()));
    await clock.advanceTo(999);
    expect(times).toEqual(Array.from({ length: 10 }, () => 0));
    await clock.advanceTo(1_000);
    expect(times).toHaveLength(11);
    expect(times[10]).toBe(1_000);
  });

  it('keeps classes apart: a saturated quote limit does not slow other requests', async () => {
    const clock = new FakeClock();
    const pacer = new RequestPacer(clock);
    await pacer.acquire('quote');
    let quoteGranted = false;
    void pacer.acquire('quote').then(() => (quoteGranted = true));
    await pacer.acquire('other');
    await pacer.acquire('historical');
    expect(clock.now()).toBe(0);
    expect(quoteGranted).toBe(false);
    await clock.advanceTo(5_000);
    expect(quoteGranted).toBe(true);
  });

  it('refuses at once, unsent and uncounted, a request that would wait longer than maxWaitMs', async () => {
    const clock = new FakeClock();
    const pacer = new RequestPacer(clock, { marginMs: 0, maxWaitMs: 500 });
    await pacer.acquire('quote');
    const refused = await pacer.acquire('quote').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BrokerError);
    expect((refused as BrokerError).kind).toBe('rateLimited');
    expect((refused as BrokerError).outcomeUnknown).toBe(false);
    expect(clock.pending).toBe(0);
    // The refusal did not count: one window after the first grant the next one goes straight through.
    await clock.advanceTo(1_000);
    await pacer.acquire('quote');
    expect(clock.now()).toBe(1_000);
  });

  it('waits when the wait is within maxWaitMs', async () => {
    const clock = new FakeClock();
    const pacer = new RequestPacer(clock, { marginMs: 0, maxWaitMs: 500 });
    await pacer.acquire('quote');
    await clock.advanceTo(600);
    let done = false;
    void pacer.acquire('quote').then(() => (done = true));
    await clock.advanceTo(999);
    expect(done).toBe(false);
    await clock.advanceTo(1_000);
    expect(done).toBe(true);
  });

  it('publishes the limits the local exchange enforces', () => {
    expect(KITE_RATE_LIMITS.quote).toEqual([{ limit: 1, windowMs: 1_000 }]);
    expect(KITE_RATE_LIMITS.historical).toEqual([{ limit: 3, windowMs: 1_000 }]);
    expect(KITE_RATE_LIMITS.orders).toEqual([
      { limit: 10, windowMs: 1_000 },
      { limit: 400, windowMs: 60_000 },
    ]);
    expect(KITE_RATE_LIMITS.other).toEqual([{ limit: 10, windowMs: 1_000 }]);
  });

  it('never lets more than `limit` requests depart within any window, in ask order (property)', async () => {
    const classes: readonly KiteRateClass[] = ['orders', 'quote', 'historical', 'other'];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          windows: fc.array(
            fc.record({ limit: fc.integer({ min: 1, max: 5 }), windowMs: fc.integer({ min: 1, max: 400 }) }),
            { minLength: 1, maxLength: 2 },
          ),
          marginMs: fc.integer({ min: 0, max: 20 }),
          asks: fc.array(
            fc.record({ gap: fc.integer({ min: 0, max: 300 }), cls: fc.constantFrom(...classes) }),
            { maxLength: 30 },
          ),
        }),
        async ({ windows, marginMs, asks }) => {
          const limits: Record<KiteRateClass, readonly RateWindow[]> = {
            orders: windows,
            quote: windows,
            historical: windows,
            other: windows,
          };
          const clock = new FakeClock();
          const pacer = new RequestPacer(clock, { limits, marginMs, maxWaitMs: Number.MAX_SAFE_INTEGER });
          const grants = new Map<KiteRateClass, { ask: number; at: number; order: number }[]>();
          let t = 0;
          let order = 0;
          for (const a of asks) {
            t += a.gap;
            await clock.advanceTo(t);
            const ask = clock.now();
            const n = order++;
            void pacer.acquire(a.cls).then(() => {
              const list = grants.get(a.cls) ?? [];
              list.push({ ask, at: clock.now(), order: n });
              grants.set(a.cls, list);
            });
          }
          await clock.advanceTo(t + 1_000_000);
          let total = 0;
          for (const list of grants.values()) {
            total += list.length;
            for (let i = 0; i < list.length; i++) {
              const g = list[i]!;
              expect(g.at).toBeGreaterThanOrEqual(g.ask);
              if (i > 0) expect(g.order).toBeGreaterThan(list[i - 1]!.order);
              for (const w of windows) {
                const earlier = list[i - w.limit];
                if (earlier !== undefined)
                  expect(g.at - earlier.at).toBeGreaterThanOrEqual(w.windowMs + marginMs);
              }
            }
          }
          expect(total).toBe(asks.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
