import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GOVERNOR_DEFAULTS, GOVERNOR_DRIVERS, NO_ACTIONS, RiskGovernor, formatRupees } from './governor';
import type {
  GovernorAction,
  GovernorDriver,
  GovernorSettingsInput,
  GovernorStatus,
  ResetResult,
} from './governor';
import type { RiskState } from './preTrade';

const T0 = 1_700_000_000_000;
const NIFTY_FUT = 13_238_786;
const BANKNIFTY_CE = 10_511_106;

/** A governor on a clock the test moves by hand. */
function rig(settings: GovernorSettingsInput = {}) {
  const clock = { t: T0 };
  const errors: unknown[] = [];
  const governor = new RiskGovernor(
    () => clock.t,
    settings,
    (e) => errors.push(e),
  );
  const seen: GovernorStatus[] = [];
  governor.onChange((s) => seen.push(s));
  return { governor, clock, seen, errors };
}

const cancelAll = (driver: GovernorDriver, reason: string): GovernorAction => ({
  type: 'cancel-all',
  driver,
  reason,
});

describe('formatRupees', () => {
  it('formats integer paise exactly, with Indian digit grouping and a true minus sign', () => {
    expect(formatRupees(0)).toBe('₹0.00');
    expect(formatRupees(5)).toBe('₹0.05');
    expect(formatRupees(-5)).toBe('\u2212₹0.05');
    expect(formatRupees(99_999)).toBe('₹999.99');
    expect(formatRupees(100_000)).toBe('₹1,000.00');
    expect(formatRupees(2_500_000)).toBe('₹25,000.00');
    expect(formatRupees(-2_531_050)).toBe('−₹25,310.50');
    expect(formatRupees(100_000_000)).toBe('₹10,00,000.00');
    expect(formatRupees(1_000_000_000)).toBe('₹1,00,00,000.00');
    // 9,007,199,254,740,991 paise: ₹90,071,992,547,409.91 in Western grouping.
    expect(formatRupees(Number.MAX_SAFE_INTEGER)).toBe('₹9,00,71,99,25,47,409.91');
    expect(formatRupees(-Number.MAX_SAFE_INTEGER)).toBe('−₹9,00,71,99,25,47,409.91');
  });

  it('refuses what is not whole paise', () => {
    expect(() => formatRupees(1.5)).toThrow(RangeError);
    expect(() => formatRupees(Number.NaN)).toThrow(RangeError);
    expect(() => formatRupees(2 ** 53)).toThrow(RangeError);
  });

  it('round-trips: the digits read back are the paise given (any safe integer)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (p) => {
        const s = formatRupees(p);
        expect(s).toMatch(/^\u2212?₹(\d{1,2},)*\d{1,3}\.\d\d$/);
        const back = BigInt(s.replace(/[₹,.\u2212]/g, ''));
        expect(s.startsWith('\u2212') ? -back : back).toBe(BigInt(p));
      }),
    );
  });
});

describe('RiskGovernor, settings', () => {
  it('fills in the defaults', () => {
    const { governor } = rig();
    expect(governor.settings).toEqual(GOVERNOR_DEFAULTS);
    expect(governor.dailyLossLimitPaise).toBe(2_500_000);
    expect(rig({ rejectStorm: { count: 2 } }).governor.settings.rejectStorm).toEqual({
      count: 2,
      windowMs: 10_000,
    });
  });

  it('throws RangeError on a malformed setting, and on a clock that is not a time', () => {
    const bad: GovernorSettingsInput[] = [
      { dailyLossLimitPaise: -1 },
      { dailyLossLimitPaise: 1.5 },
      { dailyLossLimitPaise: Number.NaN },
      { rejectStorm: { count: -1 } },
      { rejectStorm: { count: 1_001 } },
      { rejectStorm: { count: 5, windowMs: 0 } },
      { unknownOrders: { windowMs: Number.POSITIVE_INFINITY } },
      { staleFeedMs: -5 },
      { clockSkew: { maxSkewMs: 0.5 } },
      { clockSkew: { persistMs: -1 } },
    ];
    for (const settings of bad) expect(() => rig(settings), JSON.stringify(settings)).toThrow(RangeError);
    expect(() => new RiskGovernor(() => Number.NaN)).toThrow(RangeError);
    // A breaker that is off needs no window.
    expect(() => rig({ rejectStorm: { count: 0, windowMs: 0 } })).not.toThrow();
    const { governor } = rig();
    expect(() => governor.setDailyLossLimit(-100)).toThrow(RangeError);
  });
});

describe('RiskGovernor, kill switch and reduce-only', () => {
  it('starts ACTIVE with no reason, since construction', () => {
    const { governor } = rig();
    expect(governor.state).toBe('ACTIVE');
    expect(governor.status()).toEqual({ state: 'ACTIVE', reason: '', since: T0, causes: [] });
  });

  it('kill halts and returns a cancel-all on every press; reset returns to ACTIVE', () => {
    const { governor, clock } = rig();
    clock.t += 1_000;
    expect(governor.kill('Fat finger on BANKNIFTY')).toEqual([
      cancelAll('kill-switch', 'Fat finger on BANKNIFTY'),
    ]);
    expect(governor.status()).toMatchObject({
      state: 'HALTED',
      reason: 'Fat finger on BANKNIFTY',
      since: T0 + 1_000,
    });
    clock.t += 1_000;
    // A second press cancels again but keeps the first reason and time.
    expect(governor.kill('again')).toEqual([cancelAll('kill-switch', 'again')]);
    expect(governor.status()).toMatchObject({ reason: 'Fat finger on BANKNIFTY', since: T0 + 1_000 });
    expect(governor.kill('  ')[0]?.reason).toBe('Kill switch');
    clock.t += 1_000;
    const r = governor.reset();
    expect(r.ok).toBe(true);
    expect(r.status).toEqual({ state: 'ACTIVE', reason: '', since: T0 + 3_000, causes: [] });
  });

  it('reduce-only gives REDUCING, a kill on top gives HALTED, reset clears both', () => {
    const { governor, clock } = rig();
    expect(governor.reduceOnly('End of day').state).toBe('REDUCING');
    expect(governor.reduceOnly('').reason).toBe('End of day');
    clock.t += 500;
    governor.kill('Panic');
    const s = governor.status();
    expect(s).toMatchObject({ state: 'HALTED', reason: 'Panic', since: T0 + 500 });
    expect(s.causes.map((c) => [c.driver, c.state])).toEqual([
      ['kill-switch', 'HALTED'],
      ['reduce-only', 'REDUCING'],
    ]);
    expect(governor.reset().status.state).toBe('ACTIVE');
  });
});

describe('RiskGovernor, daily loss limit', () => {
  it('trips at exactly minus the limit, with the reason in rupees and one cancel-all per trip', () => {
    const { governor, clock } = rig({ dailyLossLimitPaise: 2_500_000 });
    expect(governor.onPnl(-2_499_999)).toBe(NO_ACTIONS);
    expect(governor.state).toBe('ACTIVE');
    clock.t += 10;
    const reason = 'Daily loss limit ₹25,000.00 reached (net −₹25,000.00)';
    expect(governor.onPnl(-2_500_000)).toEqual([cancelAll('daily-loss', reason)]);
    expect(governor.status()).toMatchObject({ state: 'HALTED', reason, since: T0 + 10 });
    // Deeper losses while tripped: no second cancel-all, the first reason stays.
    expect(governor.onPnl(-2_531_050)).toBe(NO_ACTIONS);
    expect(governor.onPnl(-9_000_000)).toBe(NO_ACTIONS);
    expect(governor.status().reason).toBe(reason);
  });

  it('says the net in the message as the brief wrote it', () => {
    const { governor } = rig();
    expect(governor.onPnl(-2_531_050)[0]?.reason).toBe(
      'Daily loss limit ₹25,000.00 reached (net −₹25,310.50)',
    );
  });

  it('refuses reset while still breached (typed, changing nothing), allows it once the net recovers', () => {
    const { governor, clock, seen } = rig();
    governor.onPnl(-2_600_000);
    const before = governor.status();
    const n = seen.length;
    clock.t += 1_000;
    const refused: ResetResult = governor.reset();
    expect(refused).toEqual({
      ok: false,
      code: 'DAILY_LOSS_LIMIT',
      message:
        "The daily loss limit ₹25,000.00 is still breached (net −₹26,000.00). Trading stays halted until the day's net is above −₹25,000.00 or the limit is changed.",
      status: before,
    });
    expect(governor.status()).toBe(before);
    expect(seen.length).toBe(n);
    // A kill on top is not cleared by the refused reset either.
    governor.kill('manual');
    expect(governor.reset().ok).toBe(false);
    expect(governor.state).toBe('HALTED');
    // Recovered above the limit: the latch stays until reset, which is now accepted.
    expect(governor.onPnl(-2_400_000)).toBe(NO_ACTIONS);
    expect(governor.state).toBe('HALTED');
    expect(governor.reset().ok).toBe(true);
    expect(governor.state).toBe('ACTIVE');
    // A new breach is a new trip: a new cancel-all.
    expect(governor.onPnl(-2_500_001)).toHaveLength(1);
  });

  it('0 is off; lowering the limit below the day loss trips at once; raising it allows reset', () => {
    const { governor } = rig({ dailyLossLimitPaise: 0 });
    expect(governor.onPnl(-1_000_000_000)).toBe(NO_ACTIONS);
    expect(governor.dailyLossBreached).toBe(false);
    expect(governor.setDailyLossLimit(1_000_000)).toEqual([
      cancelAll('daily-loss', 'Daily loss limit ₹10,000.00 reached (net −₹1,00,00,000.00)'),
    ]);
    expect(governor.reset().ok).toBe(false);
    expect(governor.setDailyLossLimit(2_000_000_000)).toBe(NO_ACTIONS);
    expect(governor.state).toBe('HALTED');
    expect(governor.reset().ok).toBe(true);
    expect(governor.dailyLossLimitPaise).toBe(2_000_000_000);
  });

  it('fails closed: a NaN day P&L halts and keeps reset refused until a real number comes', () => {
    const { governor } = rig();
    const actions = governor.onPnl(Number.NaN);
    expect(actions).toHaveLength(1);
    expect(actions[0]?.reason).toContain('cannot be read (NaN)');
    expect(governor.reset().ok).toBe(false);
    governor.onPnl(12_345);
    expect(governor.reset().ok).toBe(true);
  });

  it('truncates a fraction of a paisa in the message only', () => {
    const { governor } = rig({ dailyLossLimitPaise: 100 });
    expect(governor.onPnl(-100.75)[0]?.reason).toBe('Daily loss limit ₹1.00 reached (net −₹1.00)');
  });
});

describe('RiskGovernor, circuit breakers', () => {
  it('a storm of broker rejects (5 within 10 s) halts with one cancel-all', () => {
    const { governor, clock } = rig();
    for (let k = 0; k < 4; k++) {
      expect(governor.onReject(`q${k}`)).toBe(NO_ACTIONS);
      clock.t += 2_000;
    }
    // Now T0 + 8,000; the first reject (T0) is still inside (now - 10 s, now].
    expect(governor.onReject('q4')).toEqual([
      cancelAll('reject-storm', 'Circuit breaker: 5 orders rejected by the broker within 10 s'),
    ]);
    expect(governor.state).toBe('HALTED');
    expect(governor.onReject('q5')).toBe(NO_ACTIONS);
  });

  it('the reject window is (now - 10 s, now]: five spread over exactly 10 s do not trip', () => {
    const { governor, clock } = rig();
    for (let k = 0; k < 5; k++) {
      expect(governor.onReject(`q${k}`)).toBe(NO_ACTIONS);
      clock.t += 2_500;
    }
    expect(governor.state).toBe('ACTIVE');
  });

  it('the same order rejected twice counts once', () => {
    const { governor } = rig();
    for (let k = 0; k < 10; k++) governor.onReject('q1');
    for (const id of ['q2', 'q3', 'q4']) governor.onReject(id);
    expect(governor.state).toBe('ACTIVE');
    expect(governor.onReject('q5')).toHaveLength(1);
  });

  it('reset forgets the rejects counted, so the next storm needs five again', () => {
    const { governor } = rig();
    for (let k = 0; k < 5; k++) governor.onReject(`a${k}`);
    expect(governor.reset().ok).toBe(true);
    for (let k = 0; k < 4; k++) expect(governor.onReject(`b${k}`)).toBe(NO_ACTIONS);
    expect(governor.onReject('b4')).toHaveLength(1);
  });

  it('three orders going UNKNOWN within 60 s halt with one cancel-all', () => {
    const { governor, clock } = rig();
    governor.onUnknown('q1');
    clock.t += 59_000;
    governor.onUnknown('q2');
    governor.onUnknown('q2');
    expect(governor.state).toBe('ACTIVE');
    clock.t += 999;
    const actions = governor.onUnknown('q3');
    expect(actions).toEqual([
      cancelAll(
        'unknown-orders',
        'Circuit breaker: 3 orders with an unknown outcome within 60 s; the link to the broker is unreliable',
      ),
    ]);
    expect(governor.state).toBe('HALTED');
  });

  it('a breaker with count 0 is off', () => {
    const { governor } = rig({ rejectStorm: { count: 0 }, unknownOrders: { count: 0 } });
    for (let k = 0; k < 100; k++) {
      governor.onReject(`r${k}`);
      governor.onUnknown(`u${k}`);
    }
    expect(governor.state).toBe('ACTIVE');
  });

  it('a stale feed on an instrument with working orders gives REDUCING (no cancel-all)', () => {
    const { governor, clock } = rig({ staleFeedMs: 5_000 });
    governor.onWorkingOrders(NIFTY_FUT, 2, 'NIFTY26DECFUT');
    governor.onFeed(NIFTY_FUT, clock.t);
    clock.t += 4_999;
    expect(governor.check()).toBe(NO_ACTIONS);
    expect(governor.state).toBe('ACTIVE');
    clock.t += 1;
    expect(governor.check()).toBe(NO_ACTIONS);
    expect(governor.status()).toMatchObject({
      state: 'REDUCING',
      reason: 'Stale feed: no tick on NIFTY26DECFUT for 5 s while it has working orders',
    });
    // Latched: a tick does not clear it, reset does.
    governor.onFeed(NIFTY_FUT, clock.t);
    governor.check();
    expect(governor.state).toBe('REDUCING');
    expect(governor.reset().ok).toBe(true);
    expect(governor.state).toBe('ACTIVE');
  });

  it('an instrument without working orders is not watched, and its quiet time starts when orders start working', () => {
    const { governor, clock } = rig({ staleFeedMs: 5_000 });
    governor.onFeed(BANKNIFTY_CE, clock.t);
    clock.t += 60_000;
    governor.check();
    expect(governor.state).toBe('ACTIVE');
    // It last ticked a minute ago; its first order started working now, which is when the count starts.
    governor.onWorkingOrders(BANKNIFTY_CE, 1);
    governor.check();
    expect(governor.state).toBe('ACTIVE');
    clock.t += 3_000;
    governor.onWorkingOrders(BANKNIFTY_CE, 2); // more orders do not restart it
    clock.t += 2_500;
    governor.check();
    expect(governor.status()).toMatchObject({
      state: 'REDUCING',
      reason: `Stale feed: no tick on instrument ${BANKNIFTY_CE} for 5.5 s while it has working orders`,
    });
  });

  it('after reset a persistent stale feed trips again only after a fresh quiet period', () => {
    const { governor, clock } = rig({ staleFeedMs: 5_000 });
    governor.onWorkingOrders(NIFTY_FUT, 1);
    clock.t += 5_000;
    governor.check();
    expect(governor.state).toBe('REDUCING');
    governor.reset();
    clock.t += 4_000;
    governor.check();
    expect(governor.state).toBe('ACTIVE');
    clock.t += 1_000;
    governor.check();
    expect(governor.state).toBe('REDUCING');
    // Orders done: nothing to watch.
    governor.reset();
    governor.onWorkingOrders(NIFTY_FUT, 0);
    clock.t += 100_000;
    governor.check();
    expect(governor.state).toBe('ACTIVE');
  });

  it('exchange time ahead of the local clock beyond the bound gives REDUCING at once', () => {
    const { governor, clock } = rig();
    expect(governor.onExchangeTime(clock.t + 5_000)).toBe(NO_ACTIONS);
    expect(governor.state).toBe('ACTIVE');
    governor.onExchangeTime(clock.t + 7_200);
    expect(governor.status()).toMatchObject({
      state: 'REDUCING',
      reason:
        "Clock skew: exchange time is 7.2 s ahead of this computer's clock (limit 5 s); check the system clock",
    });
  });

  it('exchange time behind the local clock must stay beyond the bound for persistMs', () => {
    const { governor, clock } = rig({ clockSkew: { maxSkewMs: 5_000, persistMs: 10_000 } });
    governor.onExchangeTime(clock.t - 30_000); // an old snapshot: starts the run
    clock.t += 6_000;
    governor.onExchangeTime(clock.t - 1_000); // a fresh tick: ends it
    clock.t += 6_000;
    governor.onExchangeTime(clock.t - 6_000);
    expect(governor.state).toBe('ACTIVE');
    clock.t += 9_999;
    governor.onExchangeTime(clock.t - 6_000);
    expect(governor.state).toBe('ACTIVE');
    clock.t += 1;
    governor.onExchangeTime(clock.t - 6_000);
    expect(governor.status()).toMatchObject({
      state: 'REDUCING',
      reason:
        "Clock skew: exchange time has been more than 5 s behind this computer's clock for 10 s (now 6 s); the clock is fast or the feed is delayed",
    });
    expect(governor.onExchangeTime(Number.NaN)).toBe(NO_ACTIONS);
  });

  it('clock skew 0 is off', () => {
    const { governor, clock } = rig({ clockSkew: { maxSkewMs: 0 } });
    governor.onExchangeTime(clock.t + 3_600_000);
    expect(governor.state).toBe('ACTIVE');
  });
});

describe('RiskGovernor, precedence and the status stream', () => {
  it('HALTED beats REDUCING; the reason is the first driver to reach the top level', () => {
    const { governor, clock } = rig({ staleFeedMs: 1_000 });
    governor.onWorkingOrders(NIFTY_FUT, 1, 'NIFTY26DECFUT');
    clock.t += 1_000;
    governor.check();
    clock.t += 1_000;
    governor.reduceOnly('Expiry day');
    expect(governor.status()).toMatchObject({
      state: 'REDUCING',
      reason: 'Stale feed: no tick on NIFTY26DECFUT for 1 s while it has working orders',
      since: T0 + 1_000,
    });
    clock.t += 1_000;
    for (let k = 0; k < 5; k++) governor.onReject(`q${k}`);
    clock.t += 1_000;
    governor.onPnl(-3_000_000);
    const s = governor.status();
    expect(s.state).toBe('HALTED');
    expect(s.reason).toBe('Circuit breaker: 5 orders rejected by the broker within 10 s');
    expect(s.since).toBe(T0 + 3_000);
    expect(s.causes.map((c) => c.driver)).toEqual([
      'daily-loss',
      'reject-storm',
      'reduce-only',
      'stale-feed',
    ]);
  });

  it('calls listeners once per change with the new status, and stops after dispose', () => {
    const { governor, seen } = rig();
    const mine: RiskState[] = [];
    const sub = governor.onChange((s) => mine.push(s.state));
    governor.reduceOnly('x');
    governor.reduceOnly('y'); // no change
    governor.kill('z');
    governor.kill('z'); // no change, but a cancel-all
    sub.dispose();
    governor.reset();
    expect(mine).toEqual(['REDUCING', 'HALTED']);
    expect(seen.map((s) => s.state)).toEqual(['REDUCING', 'HALTED', 'ACTIVE']);
    expect(seen.at(-1)).toBe(governor.status());
    governor.reset(); // nothing to clear: no event
    expect(seen).toHaveLength(3);
  });

  it('a throwing listener is reported and the caller still gets its cancel-all', () => {
    const { governor, errors, seen } = rig();
    const boom = new Error('listener bug');
    governor.onChange(() => {
      throw boom;
    });
    expect(governor.onPnl(-5_000_000)).toHaveLength(1);
    expect(errors).toEqual([boom]);
    expect(seen).toHaveLength(1);
  });

  it('a listener that calls back in sees every status in order', () => {
    const { governor, seen } = rig();
    const reentrant = governor.onChange((s) => {
      if (s.state === 'REDUCING') governor.kill('escalated by a listener');
    });
    governor.reduceOnly('first');
    reentrant.dispose();
    expect(seen.map((s) => s.state)).toEqual(['REDUCING', 'HALTED']);
    expect(governor.status().reason).toBe('escalated by a listener');
  });

  it('a clock that steps back or reads NaN never moves since backwards', () => {
    const { governor, clock } = rig();
    clock.t = T0 + 10_000;
    governor.reduceOnly('a');
    clock.t = T0;
    governor.kill('b');
    expect(governor.status().since).toBe(T0 + 10_000);
    clock.t = Number.NaN;
    governor.reset();
    expect(governor.status().since).toBe(T0 + 10_000);
  });
});

// ---------------------------------------------------------------------------------------------------
// Property: an independent model of every driver, checked against the governor after every event.

type Event =
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'kill' }
  | { readonly kind: 'reduceOnly' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'pnl'; readonly paise: number }
  | { readonly kind: 'limit'; readonly paise: number }
  | { readonly kind: 'reject'; readonly id: number }
  | { readonly kind: 'unknown'; readonly id: number }
  | { readonly kind: 'tick'; readonly token: number; readonly ago: number }
  | { readonly kind: 'working'; readonly token: number; readonly count: number }
  | { readonly kind: 'exchange'; readonly offset: number }
  | { readonly kind: 'check' };

const TOKENS = [1, 2, 3];
const LIMIT = 1_000_000;
const PROP_SETTINGS = {
  dailyLossLimitPaise: LIMIT,
  rejectStorm: { count: 3, windowMs: 1_000 },
  unknownOrders: { count: 2, windowMs: 5_000 },
  staleFeedMs: 2_000,
  clockSkew: { maxSkewMs: 500, persistMs: 1_500 },
} as const;

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.integer({ min: 0, max: 1_500 }).map((ms) => ({ kind: 'advance', ms }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'kill' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reduceOnly' } as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'reset' } as const) },
  {
    weight: 4,
    arbitrary: fc
      .oneof(fc.integer({ min: -1_500_000, max: 500_000 }), fc.constantFrom(-LIMIT, -LIMIT + 1, -LIMIT - 1))
      .map((paise) => ({ kind: 'pnl', paise }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(0, 500_000, LIMIT, 2_000_000)
      .map((paise) => ({ kind: 'limit', paise }) as const),
  },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }).map((id) => ({ kind: 'reject', id }) as const) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }).map((id) => ({ kind: 'unknown', id }) as const) },
  {
    weight: 3,
    arbitrary: fc
      .record({ token: fc.constantFrom(...TOKENS), ago: fc.integer({ min: 0, max: 3_000 }) })
      .map((r) => ({ kind: 'tick', ...r }) as const),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ token: fc.constantFrom(...TOKENS), count: fc.integer({ min: 0, max: 2 }) })
      .map((r) => ({ kind: 'working', ...r }) as const),
  },
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: -2_000, max: 1_000 })
      .map((offset) => ({ kind: 'exchange', offset }) as const),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'check' } as const) },
);

const HALTING: ReadonlySet<GovernorDriver> = new Set([
  'kill-switch',
  'daily-loss',
  'reject-storm',
  'unknown-orders',
]);

/** Every driver's state, written from the rules in the module comment, by brute force. */
class Model {
  readonly drivers = new Map<GovernorDriver, { state: RiskState; since: number }>(
    GOVERNOR_DRIVERS.map((d) => [d, { state: 'ACTIVE', since: T0 }]),
  );
  limit: number = LIMIT;
  net = 0;
  rejects: { id: number; at: number }[] = [];
  unknowns: { id: number; at: number }[] = [];
  lastTick = new Map<number, number>();
  workingSince = new Map<number, number>(); // present while working
  watchFrom = T0;
  behindSince: number | undefined;

  breached(): boolean {
    return this.limit > 0 && this.net <= -this.limit;
  }

  /** Trips a driver; the cancel-alls it owes (1 for a HALT trip, 0 otherwise). */
  trip(driver: GovernorDriver, now: number): number {
    const d = this.drivers.get(driver)!;
    if (d.state !== 'ACTIVE') return 0;
    d.state = HALTING.has(driver) ? 'HALTED' : 'REDUCING';
    d.since = now;
    return d.state === 'HALTED' ? 1 : 0;
  }

  effective(): RiskState {
    let top: RiskState = 'ACTIVE';
    for (const { state } of this.drivers.values())
      if (state === 'HALTED' || (state === 'REDUCING' && top === 'ACTIVE')) top = state;
    return top;
  }

  /** Distinct ids whose latest event lies in (now - windowMs, now]. */
  static distinctIn(events: { id: number; at: number }[], now: number, windowMs: number): number {
    const latest = new Map<number, number>();
    for (const e of events) latest.set(e.id, e.at);
    return [...latest.values()].filter((at) => now - at < windowMs).length;
  }

  /** Applies an event; returns the cancel-alls the governor must return for it. */
  apply(e: Event, now: number): number {
    const s = PROP_SETTINGS;
    switch (e.kind) {
      case 'advance':
        return 0;
      case 'kill':
        this.trip('kill-switch', now);
        return 1;
      case 'reduceOnly':
        this.trip('reduce-only', now);
        return 0;
      case 'reset':
        if (this.breached()) return 0;
        for (const d of this.drivers.values())
          if (d.state !== 'ACTIVE') Object.assign(d, { state: 'ACTIVE', since: now });
        this.rejects = [];
        this.unknowns = [];
        this.watchFrom = now;
        this.behindSince = undefined;
        return 0;
      case 'pnl':
        this.net = e.paise;
        return this.breached() ? this.trip('daily-loss', now) : 0;
      case 'limit':
        this.limit = e.paise;
        return this.breached() ? this.trip('daily-loss', now) : 0;
      case 'reject':
        this.rejects.push({ id: e.id, at: now });
        return Model.distinctIn(this.rejects, now, s.rejectStorm.windowMs) >= s.rejectStorm.count
          ? this.trip('reject-storm', now)
          : 0;
      case 'unknown':
        this.unknowns.push({ id: e.id, at: now });
        return Model.distinctIn(this.unknowns, now, s.unknownOrders.windowMs) >= s.unknownOrders.count
          ? this.trip('unknown-orders', now)
          : 0;
      case 'tick':
        this.lastTick.set(e.token, Math.max(this.lastTick.get(e.token) ?? -Infinity, now - e.ago));
        return 0;
      case 'working':
        if (e.count === 0) this.workingSince.delete(e.token);
        else if (!this.workingSince.has(e.token)) this.workingSince.set(e.token, now);
        return 0;
      case 'exchange': {
        if (this.drivers.get('clock-skew')!.state !== 'ACTIVE') return 0;
        const skew = e.offset; // exchange - local
        if (skew > s.clockSkew.maxSkewMs) return this.trip('clock-skew', now);
        if (-skew <= s.clockSkew.maxSkewMs) {
          this.behindSince = undefined;
          return 0;
        }
        this.behindSince ??= now;
        return now - this.behindSince >= s.clockSkew.persistMs ? this.trip('clock-skew', now) : 0;
      }
      case 'check':
        for (const [token, since] of this.workingSince) {
          const from = Math.max(this.lastTick.get(token) ?? -Infinity, since, this.watchFrom);
          if (now - from >= s.staleFeedMs) return this.trip('stale-feed', now);
        }
        return 0;
    }
  }
}

function run(g: RiskGovernor, e: Event, now: number): readonly GovernorAction[] | ResetResult | undefined {
  switch (e.kind) {
    case 'advance':
      return undefined;
    case 'kill':
      return g.kill('kill');
    case 'reduceOnly':
      g.reduceOnly('reduce');
      return undefined;
    case 'reset':
      return g.reset();
    case 'pnl':
      return g.onPnl(e.paise);
    case 'limit':
      return g.setDailyLossLimit(e.paise);
    case 'reject':
      return g.onReject(`r${e.id}`);
    case 'unknown':
      return g.onUnknown(`u${e.id}`);
    case 'tick':
      g.onFeed(e.token, now - e.ago);
      return undefined;
    case 'working':
      g.onWorkingOrders(e.token, e.count);
      return undefined;
    case 'exchange':
      return g.onExchangeTime(now + e.offset);
    case 'check':
      return g.check();
  }
}

const maxOf = (states: readonly RiskState[]): RiskState =>
  states.includes('HALTED') ? 'HALTED' : states.includes('REDUCING') ? 'REDUCING' : 'ACTIVE';

describe('RiskGovernor, properties over random event sequences', () => {
  it('the effective state is the most restrictive driver; one cancel-all per HALT trip; reset never leaves a breached loss limit', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 200 }), (events) => {
        const clock = { t: T0 };
        const g = new RiskGovernor(
          () => clock.t,
          PROP_SETTINGS,
          (err) => {
            throw err;
          },
        );
        const model = new Model();
        let changes = 0;
        let snapshots = 0;
        g.onChange(() => changes++);
        let lastState: RiskState = 'ACTIVE';
        let lastSince = T0;
        for (const e of events) {
          if (e.kind === 'advance') clock.t += e.ms;
          const breachedBefore = model.breached();
          const before = g.status();
          const expectedCancels = model.apply(e, clock.t);
          const out = run(g, e, clock.t);
          const status = g.status();
          if (status !== before) snapshots++;

          // Each driver as the model has it; the effective state is their maximum.
          const driverStates = GOVERNOR_DRIVERS.map(
            (d) => status.causes.find((c) => c.driver === d)?.state ?? 'ACTIVE',
          );
          expect(driverStates).toEqual(GOVERNOR_DRIVERS.map((d) => model.drivers.get(d)!.state));
          expect(status.state).toBe(maxOf(driverStates));
          expect(status.state).toBe(model.effective());
          expect(g.state).toBe(status.state);
          for (const c of status.causes) expect(c.since).toBe(model.drivers.get(c.driver)!.since);

          // The reason is the earliest driver at the top level (ties in driver order).
          const top = status.causes
            .filter((c) => c.state === status.state)
            .reduce<(typeof status.causes)[number] | undefined>(
              (best, c) => (best === undefined || c.since < best.since ? c : best),
              undefined,
            );
          expect(status.reason).toBe(top?.reason ?? '');

          // Cancel-alls: exactly one per transition of a loss or breaker driver into HALTED (and per kill press).
          const actions = out === undefined || 'ok' in out ? NO_ACTIONS : out;
          expect(actions.length).toBe(expectedCancels);
          for (const a of actions) expect(a.type).toBe('cancel-all');

          // Reset while the loss limit is breached is refused and leaves HALTED, unchanged.
          if (e.kind === 'reset' && out !== undefined && 'ok' in out) {
            expect(out.ok).toBe(!breachedBefore);
            if (!out.ok) {
              expect(out.code).toBe('DAILY_LOSS_LIMIT');
              expect(status.state).toBe('HALTED');
              expect(status).toBe(before);
            }
          }
          if (model.breached()) expect(status.state).toBe('HALTED');

          // since moves only when the state does, and never backwards.
          if (status.state !== lastState) expect(status.since).toBe(clock.t);
          else expect(status.since).toBe(lastSince);
          lastState = status.state;
          lastSince = status.since;
        }
        // A listener heard each new snapshot once (a reset clearing several drivers is one change).
        expect(changes).toBe(snapshots);
      }),
      { numRuns: 400 },
    );
  });
});
