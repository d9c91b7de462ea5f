/**
 * Pre-trade risk checks (ARCHITECTURE.md, order path: OMS -> risk -> journal -> broker). Pure logic:
 * no I/O, no clock of its own; the caller passes the time and the state of the book in a context.
 *
 * Engine states: ACTIVE (every check applies), REDUCING (only orders that reduce a position, even if
 * every open order on that side fills), HALTED (nothing passes; the kill switch).
 *
 * Numbers are integers: prices in the instrument's wire unit (price x divisor), quantities in units,
 * values in paise. An order's value in paise is price x quantity / divisor x 100; it is compared as
 * `price x quantity > maxValuePaise x (divisor / 100)`, which is exact in integers for every Kite
 * divisor (100, 1e4, 1e7) and never divides.
 *
 * Comparisons are written to fail closed: a NaN in the context refuses the order, never passes it.
 *
 * The pass path allocates nothing: it returns the shared frozen `PRE_TRADE_OK`. A refusal allocates
 * its result and message, which is fine: a refused order is not the hot path. Single-threaded: the
 * engine's kernel thread only.
 */
import type { OrderRateLimiter } from './orderRate';

/** The risk engine's state. HALTED is the kill switch. */
export type RiskState = 'ACTIVE' | 'REDUCING' | 'HALTED';

/** Buy or sell, as Kite's `transaction_type`. */
export type OrderSide = 'BUY' | 'SELL';

/** The closed list of reasons an order is refused before it is sent. */
export const PRE_TRADE_CODES = [
  'HALTED',
  'REDUCING_ONLY',
  'INVALID_ORDER',
  'NO_LAST_PRICE',
  'FAT_FINGER',
  'MAX_QUANTITY',
  'MAX_VALUE',
  'MAX_POSITION',
  'MAX_OPEN_ORDERS',
  'STRATEGY_MAX_QUANTITY',
  'STRATEGY_MAX_VALUE',
  'STRATEGY_MAX_POSITION',
  'STRATEGY_MAX_OPEN_ORDERS',
  'DUPLICATE_ORDER',
  'ORDER_RATE',
  'MARGIN',
] as const;

/** Why an order was refused: one of `PRE_TRADE_CODES`. */
export type PreTradeCode = (typeof PRE_TRADE_CODES)[number];

/** The outcome of a pre-trade check. A refusal says why in the trader's words. */
export type PreTradeResult =
  { readonly ok: true } | { readonly ok: false; readonly code: PreTradeCode; readonly message: string };

/** The one pass result, shared and frozen, so that a passing check allocates nothing. */
export const PRE_TRADE_OK: { readonly ok: true } = Object.freeze({ ok: true });

/** The order as risk sees it. Quantities are units (not lots); prices are wire units. */
export interface PreTradeOrder {
  readonly instrumentToken: number;
  readonly side: OrderSide;
  readonly quantity: number;
  /** LIMIT orders carry `price`; a MARKET order is valued at the last price and `price` is ignored. */
  readonly kind: 'LIMIT' | 'MARKET';
  readonly price: number;
  /** The strategy (algo id) that placed it; absent for a manual order. */
  readonly strategyId?: string;
  /**
   * Nonzero when the engine sliced one request into several orders (an exit above the freeze
   * quantity): the slices of one group are not duplicates of each other, though the guard still
   * compares them with every other order (a second exit, asked for twice, is refused).
   */
  readonly sliceGroup?: number;
  /**
   * A change to a working order (a modify), checked as the order would stand after it: not a new
   * order, so the duplicate guard does not compare it with the orders sent (it would meet itself).
   */
  readonly modification?: boolean;
}

/**
 * The state of the book the order lands in, at the moment of the check. Owned by the caller, who may
 * reuse one mutable object for every check. Open quantities and counts exclude the order checked.
 */
export interface PreTradeContext {
  /** Milliseconds on the engine's injected clock. */
  readonly now: number;
  readonly state: RiskState;
  /** The instrument's wire-unit divisor: 100, 1e4 (BCD) or 1e7 (CDS). */
  readonly divisor: number;
  /** Last traded price in wire units; 0 when unknown. */
  readonly lastPrice: number;
  /** The instrument's tick size in wire units; 0 when unknown (the fat-finger band is then percent only). */
  readonly tickSize: number;
  /** Net position in this instrument across the account (signed: long > 0). */
  readonly position: number;
  /** Quantity still open on buy and on sell orders in this instrument, all strategies and manual. */
  readonly openBuyQuantity: number;
  readonly openSellQuantity: number;
  /** Open orders across the account. */
  readonly openOrders: number;
  /** The order's strategy: its own net position and open quantities in this instrument, and its open orders. Zero for a manual order. */
  readonly strategyPosition: number;
  readonly strategyOpenBuyQuantity: number;
  readonly strategyOpenSellQuantity: number;
  readonly strategyOpenOrders: number;
  /**
   * The margin this order blocks per rupee of its value, in basis points (10,000: its whole value),
   * as the broker's calculator last said for this instrument, product and side; -1 when that or the
   * available margin is not known, which skips the margin check (the broker still makes it).
   */
  readonly marginRateBp: number;
  /** The margin available in the order's segment, paise (negative when overdrawn). */
  readonly marginAvailablePaise: number;
}

/** Limits on one order and the position it can build. An absent field is no limit. */
export interface OrderLimits {
  /** Units per order. */
  readonly maxQuantity?: number;
  /** Paise per order (price x quantity). */
  readonly maxValuePaise?: number;
  /** Largest absolute net position, in units, if every open order on the order's side fills. */
  readonly maxPosition?: number;
}

/** A strategy's own limits, on its own orders and positions. */
export interface StrategyLimits extends OrderLimits {
  readonly maxOpenOrders?: number;
}

/** Every pre-trade limit. Settings: the risk service gets and sets them. */
export interface PreTradeLimits {
  /** Applies to every order. */
  readonly global: OrderLimits;
  /** Per instrument_token; the tighter of this and `global` applies. */
  readonly instruments?: ReadonlyMap<number, OrderLimits>;
  /** Open orders across the account. */
  readonly maxOpenOrders?: number;
  /** A limit price further than this from the last price is refused, in basis points (500 = 5%), 1..10000. */
  readonly fatFingerBasisPoints: number;
  /**
   * A limit price within this many ticks of the last price is never a fat finger, whatever the
   * percent says: on a ₹1.25 option 5% is a quarter of a tick's width short of two ticks, so a
   * percent-only band would refuse a limit two ticks through the offer. 0..1000; absent is 0.
   */
  readonly fatFingerMinTicks?: number;
  /** The same instrument, side, quantity and price again within this many ms is refused (0 = off). */
  readonly duplicateWindowMs: number;
  /** Per strategy id. */
  readonly strategies?: ReadonlyMap<string, StrategyLimits>;
  /** For a strategy with no entry in `strategies`. */
  readonly strategyDefaults?: StrategyLimits;
}

/** The largest price (wire units) risk accepts: deviations x 10,000 stay exact integers. */
export const MAX_PRICE_UNITS = Math.floor(Number.MAX_SAFE_INTEGER / 10_000);

/** How many recent admitted orders the duplicate guard remembers. */
const DUPLICATE_RING = 256;

interface ResolvedLimits {
  readonly maxQuantity: number;
  readonly maxValuePaise: number;
  readonly maxPosition: number;
}

interface ResolvedStrategyLimits extends ResolvedLimits {
  readonly maxOpenOrders: number;
}

const NO_LIMIT = Number.POSITIVE_INFINITY;

function limitOf(value: number | undefined, what: string): number {
  if (value === undefined) return NO_LIMIT;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} ${value} must be a whole number >= 0`);
  return value;
}

function resolve(limits: OrderLimits, where: string): ResolvedLimits {
  return {
    maxQuantity: limitOf(limits.maxQuantity, `${where} maxQuantity`),
    maxValuePaise: limitOf(limits.maxValuePaise, `${where} maxValuePaise`),
    maxPosition: limitOf(limits.maxPosition, `${where} maxPosition`),
  };
}

function tighter(a: ResolvedLimits, b: ResolvedLimits): ResolvedLimits {
  return {
    maxQuantity: Math.min(a.maxQuantity, b.maxQuantity),
    maxValuePaise: Math.min(a.maxValuePaise, b.maxValuePaise),
    maxPosition: Math.min(a.maxPosition, b.maxPosition),
  };
}

function resolveStrategy(limits: StrategyLimits, where: string): ResolvedStrategyLimits {
  return {
    ...resolve(limits, where),
    maxOpenOrders: limitOf(limits.maxOpenOrders, `${where} maxOpenOrders`),
  };
}

const isWhole = (x: number): boolean => Number.isSafeInteger(x);

/**
 * True when the order cannot grow the position's size even if every open order on its side fills:
 * a sell of at most the long position left after the open sells, or the mirror for a buy.
 */
export function isReducing(
  side: OrderSide,
  quantity: number,
  position: number,
  openBuy: number,
  openSell: number,
): boolean {
  return side === 'SELL'
    ? position > 0 && quantity + openSell <= position
    : position < 0 && quantity + openBuy <= -position;
}

/**
 * The pre-trade checks, with the limits compiled once and the duplicate guard's memory. `check` has
 * no side effects; `admit` checks, and on a pass records the order for the duplicate guard and takes
 * a slot from the shared rate limiter, so the caller admits an order exactly once, just before the
 * journal.
 */
export class PreTradeRisk {
  private readonly global: ResolvedLimits;
  private readonly instruments = new Map<number, ResolvedLimits>();
  private readonly strategies = new Map<string, ResolvedStrategyLimits>();
  private readonly strategyDefaults: ResolvedStrategyLimits | undefined;
  private readonly maxOpenOrders: number;
  private readonly bandBp: number;
  private readonly bandTicks: number;
  private readonly duplicateWindowMs: number;
  // The duplicate guard's ring of recently admitted orders, as columns.
  private readonly dupTime = new Float64Array(DUPLICATE_RING).fill(Number.NEGATIVE_INFINITY);
  private readonly dupToken = new Float64Array(DUPLICATE_RING);
  private readonly dupQuantity = new Float64Array(DUPLICATE_RING);
  private readonly dupPrice = new Float64Array(DUPLICATE_RING);
  private readonly dupSide = new Uint8Array(DUPLICATE_RING);
  private readonly dupGroup = new Float64Array(DUPLICATE_RING);
  private dupHead = 0;

  /** Compiles `limits` (throws RangeError on a malformed one). `rate` is the limiter shared by every strategy on the key. */
  constructor(
    limits: PreTradeLimits,
    private readonly rate: OrderRateLimiter,
  ) {
    this.global = resolve(limits.global, 'global');
    for (const [token, l] of limits.instruments ?? [])
      this.instruments.set(token, tighter(this.global, resolve(l, `instrument ${token}`)));
    for (const [id, l] of limits.strategies ?? [])
      this.strategies.set(id, resolveStrategy(l, `strategy ${id}`));
    this.strategyDefaults =
      limits.strategyDefaults === undefined
        ? undefined
        : resolveStrategy(limits.strategyDefaults, 'strategy defaults');
    this.maxOpenOrders = limitOf(limits.maxOpenOrders, 'maxOpenOrders');
    const bp = limits.fatFingerBasisPoints;
    if (!Number.isSafeInteger(bp) || bp < 1 || bp > 10_000)
      throw new RangeError(`fatFingerBasisPoints ${bp} must be a whole number from 1 to 10000`);
    this.bandBp = bp;
    const ticks = limits.fatFingerMinTicks ?? 0;
    if (!Number.isSafeInteger(ticks) || ticks < 0 || ticks > 1_000)
      throw new RangeError(`fatFingerMinTicks ${ticks} must be a whole number from 0 to 1000`);
    this.bandTicks = ticks;
    if (!(limits.duplicateWindowMs >= 0) || !Number.isFinite(limits.duplicateWindowMs))
      throw new RangeError(`duplicateWindowMs ${limits.duplicateWindowMs} must be >= 0`);
    this.duplicateWindowMs = limits.duplicateWindowMs;
  }

  /** Checks `order` against every limit, changing nothing. Allocation-free when it passes. */
  check(order: PreTradeOrder, ctx: PreTradeContext): PreTradeResult {
    if (ctx.state === 'HALTED')
      return refuse('HALTED', 'Trading is halted (kill switch). No orders until risk is reset.');

    const q = order.quantity;
    if (!isWhole(q) || q <= 0)
      return refuse('INVALID_ORDER', `Quantity ${String(q)} is not a whole number above 0.`);
    const d = ctx.divisor;
    if (!isWhole(d) || d < 100 || d % 100 !== 0)
      return refuse('INVALID_ORDER', `This instrument's price divisor (${String(d)}) is not one risk knows.`);
    const isLimit = order.kind === 'LIMIT';
    if (isLimit && (!isWhole(order.price) || order.price <= 0 || order.price > MAX_PRICE_UNITS))
      return refuse('INVALID_ORDER', `Price ${String(order.price)} is not a valid limit price.`);
    const ltp = ctx.lastPrice;
    const hasLtp = isWhole(ltp) && ltp > 0 && ltp <= MAX_PRICE_UNITS;

    const reducing = isReducing(order.side, q, ctx.position, ctx.openBuyQuantity, ctx.openSellQuantity);
    if (ctx.state === 'REDUCING' && !reducing)
      return refuse(
        'REDUCING_ONLY',
        `Risk is reducing-only: this ${order.side.toLowerCase()} of ${q} would not reduce your position of ${ctx.position}${openNote(ctx)}.`,
      );

    if (!hasLtp)
      return refuse(
        'NO_LAST_PRICE',
        'There is no last price for this instrument yet, so the order cannot be checked. Try again when it trades.',
      );
    const price = isLimit ? order.price : ltp;
    // Exact: |price - ltp| x 10,000 and bp x ltp are integers below 2^53 (both prices <= MAX_PRICE_UNITS).
    // The band is the wider of the percent and the tick floor (a tick size that is not a whole
    // number of wire units above 0 is taken as unknown: percent only).
    if (isLimit && Math.abs(price - ltp) * 10_000 > this.bandBp * ltp) {
      const tick = ctx.tickSize;
      const floor = isWhole(tick) && tick > 0 ? this.bandTicks * tick : 0;
      if (Math.abs(price - ltp) > floor)
        return refuse(
          'FAT_FINGER',
          `Price ${rupees(price, d)} is more than ${percent(this.bandBp)}${floor > 0 ? ` and ${this.bandTicks} ticks` : ''} away from the last price ${rupees(ltp, d)}.`,
        );
    }

    const notional = price * q; // wire units x quantity: paise x (divisor / 100)
    if (!isWhole(notional))
      return refuse('INVALID_ORDER', `Quantity ${q} at ${rupees(price, d)} is out of range.`);
    const unitsPerPaise = d / 100;

    const lim = this.instruments.get(order.instrumentToken) ?? this.global;
    if (q > lim.maxQuantity)
      return refuse('MAX_QUANTITY', `Quantity ${q} is above the limit of ${lim.maxQuantity} per order.`);
    if (notional > lim.maxValuePaise * unitsPerPaise)
      return refuse(
        'MAX_VALUE',
        `Order value ${rupees(notional, d)} is above the limit of ${rupees(lim.maxValuePaise, 100)} per order.`,
      );
    if (!reducing) {
      const after =
        order.side === 'BUY'
          ? ctx.position + ctx.openBuyQuantity + q
          : ctx.position - ctx.openSellQuantity - q;
      if (!(Math.abs(after) <= lim.maxPosition))
        return refuse(
          'MAX_POSITION',
          `This order could take your position to ${after}${openNote(ctx)}, beyond the limit of ${lim.maxPosition}.`,
        );
    }
    if (!(ctx.openOrders < this.maxOpenOrders))
      return refuse(
        'MAX_OPEN_ORDERS',
        `You have ${ctx.openOrders} open orders, the most allowed is ${this.maxOpenOrders}.`,
      );

    if (order.strategyId !== undefined) {
      const s = this.strategies.get(order.strategyId) ?? this.strategyDefaults;
      if (s !== undefined) {
        // The name is built only when refusing: the pass path allocates nothing.
        const id = order.strategyId;
        if (q > s.maxQuantity)
          return refuse(
            'STRATEGY_MAX_QUANTITY',
            `Strategy ${id}: quantity ${q} is above its limit of ${s.maxQuantity} per order.`,
          );
        if (notional > s.maxValuePaise * unitsPerPaise)
          return refuse(
            'STRATEGY_MAX_VALUE',
            `Strategy ${id}: order value ${rupees(notional, d)} is above its limit of ${rupees(s.maxValuePaise, 100)} per order.`,
          );
        const sReducing = isReducing(
          order.side,
          q,
          ctx.strategyPosition,
          ctx.strategyOpenBuyQuantity,
          ctx.strategyOpenSellQuantity,
        );
        if (!sReducing) {
          const after =
            order.side === 'BUY'
              ? ctx.strategyPosition + ctx.strategyOpenBuyQuantity + q
              : ctx.strategyPosition - ctx.strategyOpenSellQuantity - q;
          if (!(Math.abs(after) <= s.maxPosition))
            return refuse(
              'STRATEGY_MAX_POSITION',
              `Strategy ${id}: this order could take its position to ${after}, beyond its limit of ${s.maxPosition}.`,
            );
        }
        if (!(ctx.strategyOpenOrders < s.maxOpenOrders))
          return refuse(
            'STRATEGY_MAX_OPEN_ORDERS',
            `Strategy ${id} has ${ctx.strategyOpenOrders} open orders, the most allowed is ${s.maxOpenOrders}.`,
          );
      }
    }

    // An order that cannot grow the position releases margin rather than blocking it.
    if (!reducing && ctx.marginRateBp !== -1) {
      const required = marginRequired(notional, ctx.marginRateBp, unitsPerPaise);
      if (!(ctx.marginRateBp >= 0 && required <= ctx.marginAvailablePaise))
        return refuse(
          'MARGIN',
          `This order needs about ${rupees(required, 100)} of margin; ${rupees(ctx.marginAvailablePaise, 100)} is available.`,
        );
    }

    if (order.modification !== true && this.isDuplicate(order, ctx.now))
      return refuse(
        'DUPLICATE_ORDER',
        `The same ${order.side.toLowerCase()} of ${q} at ${rupees(price, d)} was sent less than ${this.duplicateWindowMs} ms ago. Send it again after that if you mean it.`,
      );

    const blocking = this.rate.blockingWindow(ctx.now);
    if (blocking >= 0)
      return refuse(
        'ORDER_RATE',
        `The broker allows ${this.rate.windows[blocking]?.label ?? 'only so many orders'}; try again in ${Math.ceil(this.rate.waitMs(ctx.now))} ms.`,
      );
    return PRE_TRADE_OK;
  }

  /**
   * Checks `order` and, when it passes, records it: it takes a slot from the rate limiter and is
   * remembered by the duplicate guard. Call once per order, just before the journal commit.
   */
  admit(order: PreTradeOrder, ctx: PreTradeContext): PreTradeResult {
    const result = this.check(order, ctx);
    if (!result.ok) return result;
    // check() just found a slot at this same `now` on this one thread, so this takes it.
    if (!this.rate.tryAcquire(ctx.now)) return this.check(order, ctx);
    const k = this.dupHead;
    this.dupTime[k] = ctx.now;
    this.dupToken[k] = order.instrumentToken;
    this.dupQuantity[k] = order.quantity;
    this.dupPrice[k] = order.kind === 'LIMIT' ? order.price : 0;
    this.dupSide[k] = order.side === 'BUY' ? 1 : 2;
    this.dupGroup[k] = order.sliceGroup ?? 0;
    this.dupHead = k + 1 === DUPLICATE_RING ? 0 : k + 1;
    return result;
  }

  private isDuplicate(order: PreTradeOrder, now: number): boolean {
    if (this.duplicateWindowMs === 0) return false;
    const side = order.side === 'BUY' ? 1 : 2;
    const price = order.kind === 'LIMIT' ? order.price : 0;
    const group = order.sliceGroup ?? 0;
    // Newest first; stop at the first entry that has left the window (entries are in time order).
    let k = this.dupHead;
    for (let n = 0; n < DUPLICATE_RING; n++) {
      k = k === 0 ? DUPLICATE_RING - 1 : k - 1;
      const t = this.dupTime[k] ?? Number.NEGATIVE_INFINITY;
      if (now - t >= this.duplicateWindowMs) return false;
      if (
        (group === 0 || this.dupGroup[k] !== group) &&
        this.dupToken[k] === order.instrumentToken &&
        this.dupSide[k] === side &&
        this.dupQuantity[k] === order.quantity &&
        this.dupPrice[k] === price
      )
        return true;
    }
    return false;
  }
}

/**
 * ceil(notional x rateBp / (unitsPerPaise x 10,000)) in paise, exact in doubles: the notional is
 * split at the divisor so that no product passes 2^53 (for rates up to 10^6 bp).
 */
export function marginRequired(notional: number, rateBp: number, unitsPerPaise: number): number {
  const d = unitsPerPaise * 10_000;
  const whole = Math.floor(notional / d);
  const rest = notional - whole * d;
  return whole * rateBp + Math.ceil((rest * rateBp) / d);
}

function refuse(code: PreTradeCode, message: string): PreTradeResult {
  return { ok: false, code, message };
}

function openNote(ctx: PreTradeContext): string {
  if (ctx.openBuyQuantity === 0 && ctx.openSellQuantity === 0) return '';
  return ` (open: buy ${ctx.openBuyQuantity}, sell ${ctx.openSellQuantity})`;
}

/** Rs with Indian digit grouping and 2 decimals, from wire units (truncated, for messages only). */
function rupees(units: number, divisor: number): string {
  const negative = units < 0;
  const abs = Math.abs(units);
  const whole = Math.floor(abs / divisor);
  const paisePart = Math.floor(((abs % divisor) * 100) / divisor);
  const digits = String(whole);
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}Rs ${rest === '' ? last3 : `${rest},${last3}`}.${String(paisePart).padStart(2, '0')}`;
}

function percent(bp: number): string {
  return `${bp / 100}%`;
}
