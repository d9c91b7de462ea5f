/**
 * The risk governor: the engine's trading-state machine (ARCHITECTURE.md, "Modes and the order path";
 * reliability.md 2.4). It decides the `RiskState` the OMS passes to `PreTradeRisk` in every
 * `PreTradeContext`, and tells the OMS when every working order must be cancelled.
 *
 * Several drivers each hold a state of their own. The effective state is the most restrictive of
 * them (HALTED > REDUCING > ACTIVE, NautilusTrader's "most restrictive wins"), and its reason is the
 * reason of the driver that took the engine to that level first (ties in driver order below).
 *
 * | driver           | fed by                               | trips to | cancel-all | clears          |
 * |------------------|--------------------------------------|----------|------------|-----------------|
 * | `kill-switch`    | `kill(reason)`                       | HALTED   | every call | `reset()`       |
 * | `daily-loss`     | `onPnl`, `setDailyLossLimit`         | HALTED   | per trip   | `reset()` *     |
 * | `reject-storm`   | `onReject(clientOrderId)`            | HALTED   | per trip   | `reset()`       |
 * | `unknown-orders` | `onUnknown(clientOrderId)`           | HALTED   | per trip   | `reset()`       |
 * | `reduce-only`    | `reduceOnly(reason)`                 | REDUCING | no         | `reset()`       |
 * | `stale-feed`     | `onFeed`, `onWorkingOrders`, `check` | REDUCING | no         | `reset()`       |
 * | `clock-skew`     | `onExchangeTime(exchangeMs)`         | REDUCING | no         | `reset()`       |
 *
 * (*) `reset()` is refused, and changes nothing, while the day's net P&L is still at or below minus
 * the daily loss limit.
 *
 * Why these severities:
 * - A storm of broker rejections is the Knight Capital pattern: something is sending orders the
 *   broker will not take, and may keep sending them. Stop everything and cancel what is working.
 * - Orders whose outcome is UNKNOWN (a request timed out) mean we no longer know what is live at the
 *   broker. Several in a short time is a broken link; stop sending and cancel what is working (the
 *   cancels resolve the unknowns too, by tag, as the OMS reconciles).
 * - A stale feed or a skewed clock makes our view of the market wrong (the fat-finger band is drawn
 *   around a last price that may be old), but nothing is sending orders by mistake. New risk is
 *   refused (REDUCING) while exits, and the trader's working orders, stay: cancelling a working
 *   order because the data went quiet would be a decision we should not take for the trader.
 *
 * Every driver latches: once tripped it stays until `reset()`, even when its condition clears (a
 * person looks before trading resumes). A latched driver that sees its condition again does not trip
 * again, so the OMS gets exactly one cancel-all per trip. `kill` is the trader's own command, so
 * each press returns a cancel-all (cancelling twice is harmless; an order that was UNKNOWN at the
 * first press may have surfaced since). `reset()` clears every driver at once, forgets the events the
 * breakers counted, and restarts the stale-feed and clock-skew timers, so a condition that persists
 * trips again afresh.
 *
 * Actions are returned, never called back: each method that can trip a HALT returns the actions the
 * caller must carry out (`NO_ACTIONS`, shared and frozen, when there are none). Status changes are
 * also published to `onChange` listeners, after the state is updated; a listener that throws is
 * reported to the error sink and cannot make a caller lose its actions.
 *
 * Time is the injected clock, in milliseconds. A clock that steps back, or reads NaN, reads as the
 * latest time seen, so `since` never goes backwards and no window is stretched. Money is paise.
 * Comparisons fail closed: a NaN day P&L counts as a breach of the loss limit.
 *
 * `state`, `onPnl`, `onFeed` and `onExchangeTime` may be called per tick: they allocate nothing
 * unless the status changes. Single-threaded: the engine's kernel thread only.
 */
import type { Disposable } from '../../../shared/disposable';
import type { RiskState } from './preTrade';

/** The drivers, in the order that breaks ties for the effective reason. */
export const GOVERNOR_DRIVERS = [
  'kill-switch',
  'daily-loss',
  'reject-storm',
  'unknown-orders',
  'reduce-only',
  'stale-feed',
  'clock-skew',
] as const;

/** One source of a trading-state restriction. */
export type GovernorDriver = (typeof GOVERNOR_DRIVERS)[number];

/** A driver that is not ACTIVE: what it holds the engine to, why, and since when. */
export interface GovernorCause {
  readonly driver: GovernorDriver;
  readonly state: Exclude<RiskState, 'ACTIVE'>;
  readonly reason: string;
  readonly since: number;
}

/** The governor's snapshot. Immutable; a new one is made on every change. */
export interface GovernorStatus {
  /** The effective state: the most restrictive of the drivers'. */
  readonly state: RiskState;
  /** The reason of the driver that set `state`; '' when ACTIVE. */
  readonly reason: string;
  /** When the effective state last changed (ms on the injected clock). */
  readonly since: number;
  /** Every driver that is not ACTIVE, in `GOVERNOR_DRIVERS` order. Empty when ACTIVE. */
  readonly causes: readonly GovernorCause[];
}

/** Cancel every working order now: the engine has just halted. */
export interface CancelAllAction {
  readonly type: 'cancel-all';
  readonly driver: GovernorDriver;
  readonly reason: string;
}

/** What the caller must do after an event. */
export type GovernorAction = CancelAllAction;

/** The answer to `reset()`. A refusal changed nothing. */
export type ResetResult =
  | { readonly ok: true; readonly status: GovernorStatus }
  | {
      readonly ok: false;
      readonly code: 'DAILY_LOSS_LIMIT';
      readonly message: string;
      readonly status: GovernorStatus;
    };

/** Trip when `count` distinct orders see the event within any `windowMs`. `count` 0 is off. */
export interface EventBreakerSettings {
  readonly count: number;
  readonly windowMs: number;
}

/** The clock-skew breaker. `maxSkewMs` 0 is off. */
export interface ClockSkewSettings {
  /** The largest difference between exchange time and the local clock that is accepted. */
  readonly maxSkewMs: number;
  /**
   * How long every exchange time must stay more than `maxSkewMs` behind the local clock before it
   * trips. Exchange times behind ours are also what a delayed tick or a snapshot carrying an old
   * timestamp looks like, so one such sample is not enough; an exchange time ahead of ours cannot be
   * produced by delay, and trips at once.
   */
  readonly persistMs: number;
}

/** The governor's thresholds. Every number is a whole number; 0 turns a driver off where noted. */
export interface GovernorSettings {
  /** The day's net P&L at or below minus this halts (paise). 0 is off. Default ₹25,000. */
  readonly dailyLossLimitPaise: number;
  /** Broker rejections. Default 5 within 10 s. */
  readonly rejectStorm: EventBreakerSettings;
  /** Orders whose outcome became UNKNOWN. Default 3 within 60 s. */
  readonly unknownOrders: EventBreakerSettings;
  /** No tick for this long on an instrument with working orders. 0 is off. Default 15 s. */
  readonly staleFeedMs: number;
  /** Default 5 s, persisting 10 s when behind. */
  readonly clockSkew: ClockSkewSettings;
}

/** Settings as given: any field may be left out, and takes its default. */
export interface GovernorSettingsInput {
  readonly dailyLossLimitPaise?: number;
  readonly rejectStorm?: Partial<EventBreakerSettings>;
  readonly unknownOrders?: Partial<EventBreakerSettings>;
  readonly staleFeedMs?: number;
  readonly clockSkew?: Partial<ClockSkewSettings>;
}

/** The defaults: the risk contract's ₹25,000 daily loss limit and the breakers' thresholds. */
export const GOVERNOR_DEFAULTS: GovernorSettings = Object.freeze({
  dailyLossLimitPaise: 2_500_000,
  rejectStorm: Object.freeze({ count: 5, windowMs: 10_000 }),
  unknownOrders: Object.freeze({ count: 3, windowMs: 60_000 }),
  staleFeedMs: 15_000,
  clockSkew: Object.freeze({ maxSkewMs: 5_000, persistMs: 10_000 }),
});

/** The one empty action list, shared and frozen, so a quiet event allocates nothing. */
export const NO_ACTIONS: readonly GovernorAction[] = Object.freeze([]);

/** The most events a breaker may count before it trips. */
const MAX_BREAKER_COUNT = 1_000;

const LEVEL: Readonly<Record<RiskState, number>> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

function whole(value: number, what: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`${what} ${value} must be a whole number >= ${min}`);
  return value;
}

function breaker(input: Partial<EventBreakerSettings> | undefined, d: EventBreakerSettings, what: string) {
  const count = whole(input?.count ?? d.count, `${what}.count`, 0);
  if (count > MAX_BREAKER_COUNT)
    throw new RangeError(`${what}.count ${count} must be at most ${MAX_BREAKER_COUNT}`);
  const windowMs = whole(input?.windowMs ?? d.windowMs, `${what}.windowMs`, count > 0 ? 1 : 0);
  return Object.freeze({ count, windowMs });
}

/** Fills in the defaults and checks every field. Throws RangeError on a malformed one. */
export function resolveGovernorSettings(input: GovernorSettingsInput = {}): GovernorSettings {
  const d = GOVERNOR_DEFAULTS;
  return Object.freeze({
    dailyLossLimitPaise: whole(input.dailyLossLimitPaise ?? d.dailyLossLimitPaise, 'dailyLossLimitPaise', 0),
    rejectStorm: breaker(input.rejectStorm, d.rejectStorm, 'rejectStorm'),
    unknownOrders: breaker(input.unknownOrders, d.unknownOrders, 'unknownOrders'),
    staleFeedMs: whole(input.staleFeedMs ?? d.staleFeedMs, 'staleFeedMs', 0),
    clockSkew: Object.freeze({
      maxSkewMs: whole(input.clockSkew?.maxSkewMs ?? d.clockSkew.maxSkewMs, 'clockSkew.maxSkewMs', 0),
      persistMs: whole(input.clockSkew?.persistMs ?? d.clockSkew.persistMs, 'clockSkew.persistMs', 0),
    }),
  });
}

/**
 * Rupees from integer paise, exactly (string arithmetic, no division): the rupee sign, Indian digit
 * grouping and two decimals, with a true minus sign (U+2212) for a loss. 2_500_000 -> "₹25,000.00",
 * -2_531_050 -> "−₹25,310.50", 100_000_000 -> "₹10,00,000.00". Throws RangeError unless `paise` is a
 * safe integer.
 */
export function formatRupees(paise: number): string {
  if (!Number.isSafeInteger(paise)) throw new RangeError(`${paise} is not a whole number of paise`);
  const digits = String(Math.abs(paise)).padStart(3, '0');
  const rupees = digits.slice(0, -2);
  const last3 = rupees.slice(-3);
  const rest = rupees.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${paise < 0 ? '\u2212' : ''}₹${rest === '' ? last3 : `${rest},${last3}`}.${digits.slice(-2)}`;
}

/** A day P&L for a message: whole paise are exact; a fraction is truncated; NaN says so. */
function describePaise(paise: number): string {
  const t = Math.trunc(paise);
  return Number.isSafeInteger(t) ? formatRupees(t) : String(paise);
}

/** Milliseconds as seconds for a message: "10 s", "1.5 s" (tenths, truncated). */
function seconds(ms: number): string {
  const tenths = Math.floor(ms / 100);
  const frac = tenths % 10;
  return frac === 0 ? `${Math.floor(tenths / 10)} s` : `${Math.floor(tenths / 10)}.${frac} s`;
}

interface DriverSlot {
  state: RiskState;
  reason: string;
  since: number;
}

/**
 * The `count` most recently seen distinct keys and when each was last seen, oldest first. `count`
 * distinct keys lie within `(now - windowMs, now]` exactly when the oldest of them does.
 */
class DistinctEventWindow {
  private readonly keys: string[] = [];
  private readonly times: number[] = [];

  constructor(private readonly settings: EventBreakerSettings) {}

  /** Records `key` at `now` (times never decrease); true when the breaker's threshold is reached. */
  record(key: string, now: number): boolean {
    const { count, windowMs } = this.settings;
    if (count === 0) return false;
    const k = this.keys.indexOf(key);
    if (k >= 0) {
      this.keys.splice(k, 1);
      this.times.splice(k, 1);
    }
    this.keys.push(key);
    this.times.push(now);
    if (this.keys.length > count) {
      this.keys.shift();
      this.times.shift();
    }
    return this.keys.length >= count && now - (this.times[0] ?? Number.NEGATIVE_INFINITY) < windowMs;
  }

  clear(): void {
    this.keys.length = 0;
    this.times.length = 0;
  }
}

interface FeedSlot {
  /** When the latest tick arrived, on the engine's clock. */
  lastTickAt: number;
  working: boolean;
  /** When the instrument last went from no working orders to some. */
  workingSince: number;
  name: string;
}

/** The error sink's default: rethrow on a microtask, so the host's handler sees it and the caller does not. */
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** The engine's trading-state machine. See the module comment for the drivers and their rules. */
export class RiskGovernor {
  /** The thresholds as constructed (defaults filled in, frozen); `dailyLossLimitPaise` is the limit in force. */
  readonly settings: GovernorSettings;
  private dailyLossLimit: number;
  private dayNet = 0;
  private latest: number;
  private snapshot: GovernorStatus;
  private readonly slots: Record<GovernorDriver, DriverSlot>;
  private readonly rejects: DistinctEventWindow;
  private readonly unknowns: DistinctEventWindow;
  private readonly feeds = new Map<number, FeedSlot>();
  /** The stale-feed timer counts from here at the earliest (construction, then each reset). */
  private watchFrom: number;
  /** Since when every exchange time has been too far behind ours; NaN when the latest one was not. */
  private behindSince = Number.NaN;
  private readonly listeners = new Set<(status: GovernorStatus) => void>();
  private readonly pending: GovernorStatus[] = [];
  private notifying = false;

  /**
   * `clock` reads milliseconds (any clock the engine injects; its readings are the `since` times and
   * the breakers' windows). `settings` are checked here: a malformed one throws RangeError, as does a
   * clock that does not read a finite number. `onListenerError` receives what an `onChange` listener
   * throws (default: rethrown on a microtask).
   */
  constructor(
    private readonly clock: () => number,
    settings: GovernorSettingsInput = {},
    private readonly onListenerError: (error: unknown) => void = rethrowLater,
  ) {
    this.settings = resolveGovernorSettings(settings);
    this.dailyLossLimit = this.settings.dailyLossLimitPaise;
    this.rejects = new DistinctEventWindow(this.settings.rejectStorm);
    this.unknowns = new DistinctEventWindow(this.settings.unknownOrders);
    const t0 = clock();
    if (!Number.isFinite(t0)) throw new RangeError(`the clock reads ${t0}, not a time`);
    this.latest = t0;
    this.watchFrom = t0;
    const slot = (): DriverSlot => ({ state: 'ACTIVE', reason: '', since: t0 });
    this.slots = {
      'kill-switch': slot(),
      'daily-loss': slot(),
      'reject-storm': slot(),
      'unknown-orders': slot(),
      'reduce-only': slot(),
      'stale-feed': slot(),
      'clock-skew': slot(),
    };
    this.snapshot = Object.freeze({ state: 'ACTIVE', reason: '', since: t0, causes: Object.freeze([]) });
  }

  /** The effective state, for the OMS's `PreTradeContext.state`. Allocation-free. */
  get state(): RiskState {
    return this.snapshot.state;
  }

  /** The latest snapshot (the same object until the next change). */
  status(): GovernorStatus {
    return this.snapshot;
  }

  /** The daily loss limit in force (paise; 0 is off). */
  get dailyLossLimitPaise(): number {
    return this.dailyLossLimit;
  }

  /** The latest day net P&L given to `onPnl` (paise; 0 before the first). */
  get dayNetPaise(): number {
    return this.dayNet;
  }

  /** True while the day's net is at or below minus the limit (or unreadable); never when the limit is off. */
  get dailyLossBreached(): boolean {
    return this.dailyLossLimit > 0 && !(this.dayNet > -this.dailyLossLimit);
  }

  /**
   * Calls `listener` with each new status, after the change is complete. A listener may call back
   * into the governor; the statuses it causes are delivered after the current one, in order.
   */
  onChange(listener: (status: GovernorStatus) => void): Disposable {
    // A wrapper per subscription, so subscribing one function twice gives two independent subscriptions.
    const entry = (status: GovernorStatus): void => {
      listener(status);
    };
    this.listeners.add(entry);
    return {
      dispose: () => {
        this.listeners.delete(entry);
      },
    };
  }

  /**
   * The kill switch: HALTED until `reset()`. Returns a cancel-all on every call. `reason` is what the
   * trader gave ('' reads as "Kill switch"); a second press keeps the first press's reason and time.
   */
  kill(reason: string): readonly GovernorAction[] {
    const why = reason.trim() === '' ? 'Kill switch' : reason.trim();
    const now = this.now();
    this.trip('kill-switch', 'HALTED', why, now);
    this.flush();
    return Object.freeze([cancelAll('kill-switch', why)]);
  }

  /** Manual reduce-only: REDUCING until `reset()`. Returns the status. */
  reduceOnly(reason: string): GovernorStatus {
    const why = reason.trim() === '' ? 'Reduce-only' : reason.trim();
    this.trip('reduce-only', 'REDUCING', why, this.now());
    this.flush();
    return this.snapshot;
  }

  /**
   * Clears every driver and returns to ACTIVE, unless the daily loss limit is still breached: then it
   * is refused and nothing changes. Forgets the breakers' counted events and restarts the stale-feed
   * and clock-skew timers from now.
   */
  reset(): ResetResult {
    const now = this.now();
    if (this.dailyLossBreached) {
      const limit = formatRupees(this.dailyLossLimit);
      return {
        ok: false,
        code: 'DAILY_LOSS_LIMIT',
        message: `The daily loss limit ${limit} is still breached (net ${describePaise(this.dayNet)}). Trading stays halted until the day's net is above ${formatRupees(-this.dailyLossLimit)} or the limit is changed.`,
        status: this.snapshot,
      };
    }
    let changed = false;
    for (const driver of GOVERNOR_DRIVERS) {
      const s = this.slots[driver];
      if (s.state === 'ACTIVE') continue;
      s.state = 'ACTIVE';
      s.reason = '';
      s.since = now;
      changed = true;
    }
    this.rejects.clear();
    this.unknowns.clear();
    this.watchFrom = now;
    this.behindSince = Number.NaN;
    if (changed) this.publish(now);
    this.flush();
    return { ok: true, status: this.snapshot };
  }

  /**
   * The day's net P&L in paise (realised + unrealised - charges; a fraction of a paisa is fine). At or
   * below minus the limit, HALTED with a cancel-all, once per trip. NaN counts as a breach.
   */
  onPnl(dayNetPaise: number): readonly GovernorAction[] {
    this.dayNet = dayNetPaise;
    return this.checkLoss();
  }

  /**
   * Changes the daily loss limit (paise, 0 is off; throws RangeError unless a whole number >= 0). A
   * lower limit the day's net already breaches trips at once. A halt already tripped stays until
   * `reset()`, which a higher limit (or 0) may now allow.
   */
  setDailyLossLimit(limitPaise: number): readonly GovernorAction[] {
    this.dailyLossLimit = whole(limitPaise, 'dailyLossLimitPaise', 0);
    return this.checkLoss();
  }

  /**
   * An order the broker rejected (not one our pre-trade checks refused). The same `clientOrderId`
   * twice counts once. `rejectStorm.count` distinct orders within `rejectStorm.windowMs`: HALTED with
   * a cancel-all.
   */
  onReject(clientOrderId: string): readonly GovernorAction[] {
    const now = this.now();
    if (!this.rejects.record(clientOrderId, now)) return NO_ACTIONS;
    const { count, windowMs } = this.settings.rejectStorm;
    return this.halt(
      'reject-storm',
      `Circuit breaker: ${count} orders rejected by the broker within ${seconds(windowMs)}`,
      now,
    );
  }

  /**
   * An order whose outcome became UNKNOWN (its request timed out or was cut off). The same
   * `clientOrderId` twice counts once. `unknownOrders.count` distinct orders within
   * `unknownOrders.windowMs`: HALTED with a cancel-all.
   */
  onUnknown(clientOrderId: string): readonly GovernorAction[] {
    const now = this.now();
    if (!this.unknowns.record(clientOrderId, now)) return NO_ACTIONS;
    const { count, windowMs } = this.settings.unknownOrders;
    return this.halt(
      'unknown-orders',
      `Circuit breaker: ${count} orders with an unknown outcome within ${seconds(windowMs)}; the link to the broker is unreliable`,
      now,
    );
  }

  /**
   * A tick arrived for `instrumentToken` at `lastTickAt` (the engine's clock, not the exchange's). Only
   * instruments with working orders are watched, so the OMS may call this for those only. Ignores a
   * time that is not finite or is older than the one held. Allocation-free after an instrument's first call.
   */
  onFeed(instrumentToken: number, lastTickAt: number): void {
    if (!Number.isFinite(lastTickAt)) return;
    const slot = this.feed(instrumentToken);
    if (lastTickAt > slot.lastTickAt) slot.lastTickAt = lastTickAt;
  }

  /**
   * How many orders are working at the exchange on `instrumentToken` (0 when none). `name` (the
   * tradingsymbol) is how the stale-feed reason names it. The OMS should count only orders that can
   * fill now: an after-market order outside market hours sees no ticks by design. A count that is not
   * a number reads as working.
   */
  onWorkingOrders(instrumentToken: number, workingOrders: number, name?: string): void {
    const working = !(workingOrders <= 0);
    const slot = this.feed(instrumentToken);
    if (name !== undefined) slot.name = name;
    if (working && !slot.working) slot.workingSince = this.now();
    slot.working = working;
    // An instrument that never ticked and has nothing working holds nothing worth keeping.
    if (!working && slot.lastTickAt === Number.NEGATIVE_INFINITY) this.feeds.delete(instrumentToken);
  }

  /**
   * The exchange time of a tick just received (ms since the epoch, as the tick parser gives it).
   * Further than `clockSkew.maxSkewMs` ahead of the local clock trips REDUCING at once; further
   * behind trips it only when every exchange time received for `clockSkew.persistMs` was. Ignores NaN.
   */
  onExchangeTime(exchangeMs: number): readonly GovernorAction[] {
    const { maxSkewMs, persistMs } = this.settings.clockSkew;
    const latched = this.slots['clock-skew'].state !== 'ACTIVE';
    if (maxSkewMs === 0 || latched || !Number.isFinite(exchangeMs)) return NO_ACTIONS;
    const now = this.now();
    const ahead = exchangeMs - now;
    if (ahead > maxSkewMs) {
      this.trip(
        'clock-skew',
        'REDUCING',
        `Clock skew: exchange time is ${seconds(ahead)} ahead of this computer's clock (limit ${seconds(maxSkewMs)}); check the system clock`,
        now,
      );
      this.flush();
      return NO_ACTIONS;
    }
    if (-ahead <= maxSkewMs) {
      this.behindSince = Number.NaN;
      return NO_ACTIONS;
    }
    // Too far behind: start the run (reset() ends it), or trip once it has lasted persistMs.
    if (Number.isNaN(this.behindSince)) this.behindSince = now;
    if (now - this.behindSince >= persistMs) {
      this.trip(
        'clock-skew',
        'REDUCING',
        `Clock skew: exchange time has been more than ${seconds(maxSkewMs)} behind this computer's clock for ${seconds(now - this.behindSince)} (now ${seconds(-ahead)}); the clock is fast or the feed is delayed`,
        now,
      );
      this.flush();
    }
    return NO_ACTIONS;
  }

  /**
   * The timer's check: an instrument with working orders that has had no tick for `staleFeedMs`
   * (counted from its last tick, from when its orders started working, or from the last reset,
   * whichever is latest) trips REDUCING. The OMS calls this on a timer, at least a few times per
   * `staleFeedMs`. Returns actions for symmetry with the other events (none today).
   */
  check(): readonly GovernorAction[] {
    const after = this.settings.staleFeedMs;
    if (after === 0 || this.slots['stale-feed'].state !== 'ACTIVE') return NO_ACTIONS;
    const now = this.now();
    for (const [token, slot] of this.feeds) {
      if (!slot.working) continue;
      const quiet = now - Math.max(slot.lastTickAt, slot.workingSince, this.watchFrom);
      if (quiet >= after) {
        const name = slot.name === '' ? `instrument ${token}` : slot.name;
        this.trip(
          'stale-feed',
          'REDUCING',
          `Stale feed: no tick on ${name} for ${seconds(quiet)} while it has working orders`,
          now,
        );
        this.flush();
        break;
      }
    }
    return NO_ACTIONS;
  }

  private checkLoss(): readonly GovernorAction[] {
    if (!this.dailyLossBreached) return NO_ACTIONS;
    if (this.slots['daily-loss'].state !== 'ACTIVE') return NO_ACTIONS;
    const limit = formatRupees(this.dailyLossLimit);
    const reason = Number.isNaN(this.dayNet)
      ? `Daily loss limit ${limit}: the day's net P&L cannot be read (NaN), so trading is halted`
      : `Daily loss limit ${limit} reached (net ${describePaise(this.dayNet)})`;
    return this.halt('daily-loss', reason, this.now());
  }

  /** Trips `driver` to HALTED and returns its cancel-all, or nothing when it was already tripped. */
  private halt(driver: GovernorDriver, reason: string, now: number): readonly GovernorAction[] {
    const tripped = this.trip(driver, 'HALTED', reason, now);
    this.flush();
    return tripped ? Object.freeze([cancelAll(driver, reason)]) : NO_ACTIONS;
  }

  /** Sets a driver that is ACTIVE; a tripped driver latches and keeps its first reason. True when it changed. */
  private trip(driver: GovernorDriver, state: Exclude<RiskState, 'ACTIVE'>, reason: string, now: number) {
    const s = this.slots[driver];
    if (s.state !== 'ACTIVE') return false;
    s.state = state;
    s.reason = reason;
    s.since = now;
    this.publish(now);
    return true;
  }

  /** Rebuilds the snapshot from the drivers and queues it for the listeners. */
  private publish(now: number): void {
    const causes: GovernorCause[] = [];
    let top: GovernorCause | undefined;
    for (const driver of GOVERNOR_DRIVERS) {
      const s = this.slots[driver];
      if (s.state === 'ACTIVE') continue;
      const cause: GovernorCause = Object.freeze({
        driver,
        state: s.state,
        reason: s.reason,
        since: s.since,
      });
      causes.push(cause);
      if (
        top === undefined ||
        LEVEL[cause.state] > LEVEL[top.state] ||
        (cause.state === top.state && cause.since < top.since)
      )
        top = cause;
    }
    const state: RiskState = top?.state ?? 'ACTIVE';
    const previous = this.snapshot;
    this.snapshot = Object.freeze({
      state,
      reason: top?.reason ?? '',
      since: state === previous.state ? previous.since : now,
      causes: Object.freeze(causes),
    });
    this.pending.push(this.snapshot);
  }

  /** Delivers queued statuses in order; a nested call (from a listener) leaves them to the outer one. */
  private flush(): void {
    if (this.notifying) return;
    this.notifying = true;
    try {
      for (let s = this.pending.shift(); s !== undefined; s = this.pending.shift())
        for (const listener of [...this.listeners])
          try {
            listener(s);
          } catch (error) {
            try {
              this.onListenerError(error);
            } catch {
              // The sink failed too. Delivering the rest, and the caller's actions, matters more.
            }
          }
    } finally {
      this.notifying = false;
    }
  }

  private feed(instrumentToken: number): FeedSlot {
    let slot = this.feeds.get(instrumentToken);
    if (slot === undefined) {
      slot = {
        lastTickAt: Number.NEGATIVE_INFINITY,
        working: false,
        workingSince: Number.NEGATIVE_INFINITY,
        name: '',
      };
      this.feeds.set(instrumentToken, slot);
    }
    return slot;
  }

  /** The clock, clamped: never earlier than the latest reading, and NaN reads as that. */
  private now(): number {
    const t = this.clock();
    if (t > this.latest) this.latest = t;
    return this.latest;
  }
}

function cancelAll(driver: GovernorDriver, reason: string): CancelAllAction {
  return Object.freeze({ type: 'cancel-all', driver, reason });
}
