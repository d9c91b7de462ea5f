// Fair values: the "true" price each instrument trades around, as a pure function of (seed,
// instrument, time). Agents quote and trade around it; historical candles are drawn from it.
//
// The model, per IST trading day d (see README.md for the figures):
// - a market factor and one idiosyncratic component per company; a stock's log price moves by
//   beta x market + its own component; USDINR and CRUDEOIL have a component of their own;
// - each component's day is planned first, cheaply: a volatility regime per
//   5-minute block (a two-state Markov switch, calm and hot), jumps (Poisson count, uniform times,
//   normal sizes) and the day's diffusive return, whose variance is what the regimes add up to;
// - the intraday path is then drawn on a grid of GRID_POINTS steps with the session's variance
//   shape (higher at the open and close) times the block's regime, and bent into a bridge that ends
//   at the planned return, so a day's close is known without drawing its path;
// - closes chain from the previous close in the instrument files (the close of the day before the
//   trading date) backwards and forwards by the days' planned returns: going back 2,000 days costs
//   2,000 plans, not 2,000 paths;
// - an index is the equal-weighted geometric mean of its constituents, relative to their previous
//   closes (see indexWeights.ts); futures carry the index at 6.5%; options are Black-76 on the future.
import type { Instrument } from '../exchange';
import { INDEX_CONSTITUENTS, DERIVATIVE_UNDERLYINGS } from './indexWeights';
import {
  INDEX_SMILE,
  MIN_YEARS,
  SESSIONS_A_YEAR,
  black76,
  futureFairValue,
  smileVolatility,
} from './pricing';
import { Random, hashString, mixSeed } from './random';
import {
  dayOfDate,
  isTradingDay,
  istDayOf,
  istMidnight,
  nextTradingDay,
  previousTradingDay,
  sessionLengthMs,
  sessionOpenMs,
  varianceShape,
} from './session';
import type { SessionWindow } from './session';

/** Steps of a day's fair-value path (5 s apart in NSE's 6h15m session). */
export const GRID_POINTS = 4500;
/** Volatility-regime blocks per day (5 minutes each in NSE's session). */
const BLOCKS = 75;
const POINTS_PER_BLOCK = GRID_POINTS / BLOCKS;
/** Regime switching per block: calm -> hot and hot -> calm. Hot is a sixth of the time on average. */
const P_CALM_TO_HOT = 0.02;
const P_HOT_TO_CALM = 0.1;
/** Volatility multipliers of the two regimes; their variance averages about 1 at the stationary mix. */
const CALM = 0.78;
const HOT = 1.75;
/** The regimes' mean multiplier at the stationary mix. */
const MEAN_MULTIPLIER = (P_HOT_TO_CALM * CALM + P_CALM_TO_HOT * HOT) / (P_CALM_TO_HOT + P_HOT_TO_CALM);
/** How fast options' implied volatility follows the regime: this share of the gap per block. */
const FEAR_SPEED = 0.35;

/** One stochastic component's parameters. */
interface Component {
  readonly key: number;
  /** Standard deviation of a day's log return (diffusion part). */
  readonly dailyVol: number;
  readonly jumpsPerDay: number;
  /** Jump size standard deviation, in log terms. */
  readonly jumpVol: number;
}

/** A component's day, planned without drawing its path. */
interface DayPlan {
  readonly gap: number;
  readonly diffusion: number;
  readonly multipliers: Float64Array;
  /**
   * The regime as option sellers feel it, per block boundary: a moving average of the multipliers,
   * pinned to the mean at the open and the close so premiums do not jump overnight.
   */
  readonly fear: Float64Array;
  readonly jumpAt: readonly number[];
  readonly jumpSize: readonly number[];
  /** Log return from the previous close to this day's close. */
  readonly total: number;
}

type Underlying =
  | {
      readonly kind: 'stock';
      readonly name: string;
      readonly beta: number;
      readonly idio: Component;
      readonly logReference: number;
    }
  | {
      readonly kind: 'standalone';
      readonly name: string;
      readonly own: Component;
      readonly logReference: number;
    }
  | {
      readonly kind: 'index';
      readonly name: string;
      readonly constituents: readonly Underlying[];
      readonly logReference: number;
    };

/** How one instrument's fair value derives from its underlying. */
type Pricing =
  | { readonly kind: 'spot'; readonly underlying: Underlying }
  | {
      readonly kind: 'future';
      readonly underlying: Underlying;
      readonly expiryMs: number;
      readonly carry: boolean;
    }
  | {
      readonly kind: 'option';
      readonly underlying: Underlying;
      readonly expiryMs: number;
      readonly strike: number;
      readonly type: 'CE' | 'PE';
      readonly atmVol: number;
    };

/** What the model needs. */
export interface FairValueOptions {
  readonly seed: number;
  readonly window: SessionWindow;
  readonly instruments: readonly Instrument[];
  /** The trading date the instruments were built for (`YYYY-MM-DD`): their `last_price` closed the day before. */
  readonly tradingDate: string;
}

/** ATM implied volatility of index options, by derivative name (the instrument files' figures). */
const OPTION_VOLATILITY: Readonly<Record<string, number>> = { NIFTY: 0.13, BANKNIFTY: 0.15 };
/** Daily volatility of the futures that have no underlying instrument here. */
const STANDALONE_DAILY_VOL: Readonly<Record<string, number>> = { USDINR: 0.0025, CRUDEOIL: 0.02 };
const MARKET_DAILY_VOL = 0.0085;
const PATH_CACHE_SIZE = 512;
/** Contracts expire at the close, 15:30 IST, of their expiry date. */
const EXPIRY_MINUTE = 930;

/** Fair values of every instrument; see the file comment. Not thread-safe; caches as it goes. */
export class FairValueModel {
  readonly window: SessionWindow;
  /** The IST day number of the trading date. */
  readonly tradingDay: number;
  private readonly seed: number;
  private readonly market: Component;
  private readonly underlyings = new Map<string, Underlying>();
  private readonly pricing = new Map<number, Pricing>();
  private readonly plans = new Map<number, Map<number, DayPlan>>();
  private readonly closes = new Map<string, Map<number, number>>();
  private readonly paths = new Map<string, Float64Array>();
  private readonly anchorDay: number;
  // Scratch for path drawing: cumulative variance.
  private readonly cumulative = new Float64Array(GRID_POINTS + 1);
  private lastValues: { token: number; day: number; values: Float64Array } | null = null;
  private readonly sessionsBetween = new Map<number, number>();

  /** Builds the underlyings and the pricing of every instrument it can price. */
  constructor(options: FairValueOptions) {
    this.seed = options.seed >>> 0;
    this.window = options.window;
    this.tradingDay = dayOfDate(options.tradingDate);
    this.anchorDay = previousTradingDay(this.window, this.tradingDay);
    this.market = { key: hashString('market'), dailyVol: MARKET_DAILY_VOL, jumpsPerDay: 0.1, jumpVol: 0.008 };

    for (const i of options.instruments) {
      if (i.segment === 'NSE' && i.instrument_type === 'EQ') {
        const r = new Random(mixSeed(this.seed, hashString(`params:${i.tradingsymbol}`)));
        this.underlyings.set(i.tradingsymbol, {
          kind: 'stock',
          name: i.tradingsymbol,
          beta: 0.8 + 0.4 * r.next(),
          idio: {
            key: hashString(`eq:${i.tradingsymbol}`),
            dailyVol: 0.009 + 0.006 * r.next(),
            jumpsPerDay: 0.25,
            jumpVol: 0.012,
          },
          logReference: Math.log(i.last_price),
        });
      }
    }
    for (const i of options.instruments) {
      if (i.segment !== 'INDICES') continue;
      const names = INDEX_CONSTITUENTS[i.tradingsymbol];
      const constituents = [...this.underlyings.values()].filter(
        (u) => u.kind === 'stock' && (names === undefined || names.includes(u.name)),
      );
      if (constituents.length === 0) continue;
      this.underlyings.set(i.tradingsymbol, {
        kind: 'index',
        name: i.tradingsymbol,
        constituents,
        logReference: Math.log(i.last_price),
      });
    }
    for (const i of options.instruments) {
      const p = this.pricingOf(i);
      if (p !== undefined) this.pricing.set(i.instrument_token, p);
    }
  }

  /** Grid points of a day's path (for candles). */
  readonly gridPoints = GRID_POINTS;

  /** Whether the model prices this instrument. */
  has(instrumentToken: number): boolean {
    return this.pricing.has(instrumentToken);
  }

  /** Tokens of every instrument the model prices. Allocates. */
  tokens(): number[] {
    return [...this.pricing.keys()];
  }

  /**
   * An instrument's fair value at an instant, in its wire unit (a float; round to the tick to quote).
   * Outside the session it is the last session's close. NaN for an instrument the model does not
   * price, or a derivative after its expiry.
   */
  fairValue(instrumentToken: number, epochMs: number): number {
    const p = this.pricing.get(instrumentToken);
    if (p === undefined) return Number.NaN;
    const spot = Math.exp(this.logValue(p.underlying, epochMs));
    if (p.kind === 'spot') return spot;
    if (epochMs > p.expiryMs) return Number.NaN;
    const years = this.yearsToExpiry(epochMs, p.expiryMs);
    if (p.kind === 'future') return p.carry ? futureFairValue(spot, years) : spot;
    const future = futureFairValue(spot, years);
    const atm = p.atmVol * this.ivFactorAt(p.underlying, epochMs);
    const vol = smileVolatility(atm, INDEX_SMILE, future, p.strike, years);
    return black76(p.type, future, p.strike, years, vol);
  }

  /** The implied-volatility factor at an instant (1 outside the session). */
  private ivFactorAt(u: Underlying, epochMs: number): number {
    const day = istDayOf(epochMs);
    if (!isTradingDay(this.window, day)) return 1;
    const x = ((epochMs - sessionOpenMs(this.window, day)) / sessionLengthMs(this.window)) * GRID_POINTS;
    return x < 0 || x >= GRID_POINTS ? 1 : this.ivFactor(u, day, x);
  }

  /**
   * How much richer options on `u` are than their base volatility at grid position `x` of `day`:
   * 0.75 + 0.25 x (fear / its mean), so about 0.95 in a calm spell and up to 1.2 in a hot one.
   */
  private ivFactor(u: Underlying, day: number, x: number): number {
    const c = u.kind === 'index' ? this.market : u.kind === 'stock' ? u.idio : u.own;
    const fear = this.plan(c, day).fear;
    const at = x / POINTS_PER_BLOCK;
    const b = Math.floor(at);
    const a = fear[b] ?? MEAN_MULTIPLIER;
    const n = fear[b + 1] ?? a;
    return 0.75 + (0.25 * (a + (n - a) * (at - b))) / MEAN_MULTIPLIER;
  }

  /**
   * The forward a derivative is priced on (the future's fair value, carried to its expiry), or the
   * spot for anything else; NaN when unpriced.
   */
  forward(instrumentToken: number, epochMs: number): number {
    const p = this.pricing.get(instrumentToken);
    if (p === undefined) return Number.NaN;
    const spot = Math.exp(this.logValue(p.underlying, epochMs));
    if (p.kind === 'spot' || (p.kind === 'future' && !p.carry)) return spot;
    return futureFairValue(spot, this.yearsToExpiry(epochMs, p.expiryMs));
  }

  /** Expiry instant of a derivative (15:30 IST on its expiry date), or Infinity. */
  expiryOf(instrumentToken: number): number {
    const p = this.pricing.get(instrumentToken);
    return p === undefined || p.kind === 'spot' ? Infinity : p.expiryMs;
  }

  /** The underlying's log value at an instant; outside the session, the last close. */
  private logValue(u: Underlying, epochMs: number): number {
    const w = this.window;
    let day = istDayOf(epochMs);
    if (!isTradingDay(w, day)) return this.logClose(u, previousTradingDay(w, day));
    const open = sessionOpenMs(w, day);
    if (epochMs < open) {
      day = previousTradingDay(w, day);
      return this.logClose(u, day);
    }
    const position = ((epochMs - open) / sessionLengthMs(w)) * GRID_POINTS;
    if (position >= GRID_POINTS) return this.logClose(u, day);
    return interpolate(this.pathOf(u, day), position);
  }

  /**
   * An instrument's fair value (wire unit, float) at every grid point of `day`, open to close; NaN
   * where a derivative has expired. For candles. The last answer is cached; otherwise allocates.
   */
  valuesOnDay(instrumentToken: number, day: number): Float64Array {
    if (
      this.lastValues !== null &&
      this.lastValues.token === instrumentToken &&
      this.lastValues.day === day
    ) {
      return this.lastValues.values;
    }
    const values = new Float64Array(GRID_POINTS + 1).fill(Number.NaN);
    const p = this.pricing.get(instrumentToken);
    if (p !== undefined) {
      const path = this.pathOf(p.underlying, day);
      const open = sessionOpenMs(this.window, day);
      const step = sessionLengthMs(this.window) / GRID_POINTS;
      for (let g = 0; g <= GRID_POINTS; g++) {
        const spot = Math.exp(path[g] ?? Number.NaN);
        const at = open + g * step;
        if (p.kind === 'spot') values[g] = spot;
        else if (at <= p.expiryMs) {
          const years = this.yearsToExpiry(at, p.expiryMs);
          if (p.kind === 'future') values[g] = p.carry ? futureFairValue(spot, years) : spot;
          else {
            const future = futureFairValue(spot, years);
            const atm = p.atmVol * this.ivFactor(p.underlying, day, g);
            const vol = smileVolatility(atm, INDEX_SMILE, future, p.strike, years);
            values[g] = black76(p.type, future, p.strike, years, vol);
          }
        }
      }
    }
    this.lastValues = { token: instrumentToken, day, values };
    return values;
  }

  /**
   * Years to expiry counted in trading time: what is left of today's session plus the sessions up to
   * the expiry's, over 252 a year. Nights and weekends take no time, so a future's basis and an
   * option's premium do not jump between one close and the next open (calendar time would make
   * Monday open a weekend of carry below Friday's close).
   */
  private yearsToExpiry(epochMs: number, expiryMs: number): number {
    const w = this.window;
    const day = istDayOf(epochMs);
    const expiryDay = istDayOf(expiryMs);
    let sessions = 0;
    if (isTradingDay(w, day)) {
      const open = sessionOpenMs(w, day);
      sessions = 1 - Math.min(1, Math.max(0, (epochMs - open) / sessionLengthMs(w)));
    }
    const key = day * 100_000 + (expiryDay - day);
    let after = this.sessionsBetween.get(key);
    if (after === undefined) {
      after = 0;
      for (let d = day + 1; d <= expiryDay; d++) if (isTradingDay(w, d)) after++;
      this.sessionsBetween.set(key, after);
    }
    return Math.max(MIN_YEARS, (sessions + after) / SESSIONS_A_YEAR);
  }

  /** The underlying's log close on a trading day. */
  private logClose(u: Underlying, day: number): number {
    let memo = this.closes.get(u.name);
    if (memo === undefined) {
      memo = new Map();
      this.closes.set(u.name, memo);
    }
    const known = memo.get(day);
    if (known !== undefined) return known;
    let value: number;
    if (u.kind === 'index') {
      let sum = 0;
      for (const c of u.constituents) sum += this.logClose(c, day) - c.logReference;
      value = u.logReference + sum / u.constituents.length;
    } else if (day === this.anchorDay) {
      value = u.logReference;
    } else if (day > this.anchorDay) {
      // Walk from the nearest memoised day rather than recursing once per day (deep stacks).
      let d = this.anchorDay;
      let v = u.logReference;
      while (d < day) {
        d = nextTradingDay(this.window, d);
        const m = memo.get(d);
        v = m ?? v + this.dayReturn(u, d);
        memo.set(d, v);
      }
      value = v;
    } else {
      let d = this.anchorDay;
      let v = u.logReference;
      while (d > day) {
        const m = memo.get(previousTradingDay(this.window, d));
        v = m ?? v - this.dayReturn(u, d);
        d = previousTradingDay(this.window, d);
        memo.set(d, v);
      }
      value = v;
    }
    memo.set(day, value);
    return value;
  }

  /** Log return of a stock or standalone from the previous close to `day`'s close. */
  private dayReturn(u: Underlying, day: number): number {
    if (u.kind === 'stock') return u.beta * this.plan(this.market, day).total + this.plan(u.idio, day).total;
    if (u.kind === 'standalone') return this.plan(u.own, day).total;
    throw new Error('an index has no return of its own');
  }

  /** The underlying's log-price path on `day`: GRID_POINTS + 1 values, open to close. Cached. */
  private pathOf(u: Underlying, day: number): Float64Array {
    const key = `${u.name}|${day}`;
    const cached = this.paths.get(key);
    if (cached !== undefined) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.paths.delete(key);
      this.paths.set(key, cached);
      return cached;
    }
    const out = new Float64Array(GRID_POINTS + 1);
    const base = this.logClose(u, previousTradingDay(this.window, day));
    if (u.kind === 'stock') {
      const m = this.componentPath(this.market, day);
      const e = this.componentPath(u.idio, day);
      for (let g = 0; g <= GRID_POINTS; g++) out[g] = base + u.beta * (m[g] ?? 0) + (e[g] ?? 0);
    } else if (u.kind === 'standalone') {
      const e = this.componentPath(u.own, day);
      for (let g = 0; g <= GRID_POINTS; g++) out[g] = base + (e[g] ?? 0);
    } else {
      const n = u.constituents.length;
      for (const c of u.constituents) {
        const p = this.pathOf(c, day);
        for (let g = 0; g <= GRID_POINTS; g++) out[g] = (out[g] ?? 0) + ((p[g] ?? 0) - c.logReference) / n;
      }
      for (let g = 0; g <= GRID_POINTS; g++) out[g] = (out[g] ?? 0) + u.logReference;
    }
    this.remember(key, out);
    return out;
  }

  /** A component's log move from the previous close, per grid point of `day`. Cached. */
  private componentPath(c: Component, day: number): Float64Array {
    const key = `#${c.key}|${day}`;
    const cached = this.paths.get(key);
    if (cached !== undefined) return cached;
    const plan = this.plan(c, day);
    const r = new Random(mixSeed(this.seed, c.key, day, 2));
    const out = new Float64Array(GRID_POINTS + 1);
    const cum = this.cumulative;
    let x = 0;
    let v = 0;
    out[0] = 0;
    cum[0] = 0;
    for (let g = 1; g <= GRID_POINTS; g++) {
      const mult = plan.multipliers[Math.floor((g - 1) / POINTS_PER_BLOCK)] ?? 1;
      const variance = (varianceShape(this.window, (g - 0.5) / GRID_POINTS) * mult * mult) / GRID_POINTS;
      x += c.dailyVol * Math.sqrt(variance) * r.gaussian();
      v += variance;
      out[g] = x;
      cum[g] = v;
    }
    // The bridge: spread the gap between where the walk ended and the planned return in proportion
    // to variance, so the quiet middle of the day is not bent as much as the busy open.
    const miss = plan.diffusion - x;
    for (let g = 0; g <= GRID_POINTS; g++) {
      out[g] = plan.gap + (out[g] ?? 0) + ((cum[g] ?? 0) / v) * miss;
    }
    for (let j = 0; j < plan.jumpAt.length; j++) {
      const size = plan.jumpSize[j] ?? 0;
      for (let g = plan.jumpAt[j] ?? GRID_POINTS; g <= GRID_POINTS; g++) out[g] = (out[g] ?? 0) + size;
    }
    this.remember(key, out);
    return out;
  }

  private remember(key: string, path: Float64Array): void {
    this.paths.set(key, path);
    if (this.paths.size > PATH_CACHE_SIZE) {
      const oldest = this.paths.keys().next();
      if (oldest.done !== true) this.paths.delete(oldest.value);
    }
  }

  /** A component's plan for `day` (memoised: a few dozen bytes a day). */
  private plan(c: Component, day: number): DayPlan {
    let memo = this.plans.get(c.key);
    if (memo === undefined) {
      memo = new Map();
      this.plans.set(c.key, memo);
    }
    const known = memo.get(day);
    if (known !== undefined) return known;
    const r = new Random(mixSeed(this.seed, c.key, day, 1));
    const multipliers = new Float64Array(BLOCKS);
    let hot = r.next() < P_CALM_TO_HOT / (P_CALM_TO_HOT + P_HOT_TO_CALM);
    let variance = 0;
    let weight = 0;
    for (let b = 0; b < BLOCKS; b++) {
      if (b > 0) hot = hot ? r.next() >= P_HOT_TO_CALM : r.next() < P_CALM_TO_HOT;
      const m = hot ? HOT : CALM;
      multipliers[b] = m;
      const w = varianceShape(this.window, (b + 0.5) / BLOCKS);
      variance += w * m * m;
      weight += w;
    }
    const diffusion = c.dailyVol * Math.sqrt(variance / weight) * r.gaussian();
    // No overnight gap: the brief wants each day to open where the last closed (see README).
    const gap = 0;
    const jumps = r.poisson(c.jumpsPerDay);
    const jumpAt: number[] = [];
    const jumpSize: number[] = [];
    let total = gap + diffusion;
    for (let j = 0; j < jumps; j++) {
      jumpAt.push(1 + r.int(GRID_POINTS));
      const size = c.jumpVol * r.gaussian();
      jumpSize.push(size);
      total += size;
    }
    const fear = new Float64Array(BLOCKS + 1);
    fear[0] = MEAN_MULTIPLIER;
    for (let b = 0; b < BLOCKS; b++) {
      const f = fear[b] ?? MEAN_MULTIPLIER;
      fear[b + 1] = f + ((multipliers[b] ?? 1) - f) * FEAR_SPEED;
    }
    const drift = (fear[BLOCKS] ?? MEAN_MULTIPLIER) - MEAN_MULTIPLIER;
    for (let b = 0; b <= BLOCKS; b++) fear[b] = (fear[b] ?? MEAN_MULTIPLIER) - (b / BLOCKS) * drift;
    const plan: DayPlan = { gap, diffusion, multipliers, fear, jumpAt, jumpSize, total };
    memo.set(day, plan);
    return plan;
  }

  private pricingOf(i: Instrument): Pricing | undefined {
    if (i.instrument_type === 'EQ') {
      const u = this.underlyings.get(i.tradingsymbol);
      return u === undefined ? undefined : { kind: 'spot', underlying: u };
    }
    const expiryMs = i.expiry === '' ? Infinity : istMidnight(dayOfDate(i.expiry)) + EXPIRY_MINUTE * 60_000;
    const underlyingName = DERIVATIVE_UNDERLYINGS[i.name] ?? i.name;
    let u = this.underlyings.get(underlyingName);
    let carry = true;
    if (u === undefined && i.instrument_type === 'FUT') {
      // A future with no listed underlying (currency, commodity): it is its own underlying.
      carry = false;
      u = {
        kind: 'standalone',
        name: i.tradingsymbol,
        own: {
          key: hashString(`fut:${i.name}`),
          dailyVol: STANDALONE_DAILY_VOL[i.name] ?? 0.01,
          jumpsPerDay: 0.1,
          jumpVol: 0.5 * (STANDALONE_DAILY_VOL[i.name] ?? 0.01),
        },
        logReference: Math.log(i.last_price),
      };
      this.underlyings.set(i.tradingsymbol, u);
    }
    if (u === undefined) return undefined;
    if (i.instrument_type === 'FUT') return { kind: 'future', underlying: u, expiryMs, carry };
    return {
      kind: 'option',
      underlying: u,
      expiryMs,
      strike: i.strike,
      type: i.instrument_type,
      atmVol: OPTION_VOLATILITY[i.name] ?? 0.25,
    };
  }
}

/** Linear interpolation of a path at a fractional grid position. */
function interpolate(path: Float64Array, position: number): number {
  const g = Math.floor(position);
  const a = path[g] ?? 0;
  const b = path[g + 1] ?? a;
  return a + (b - a) * (position - g);
}
