/**
 * A conditional order: waits in the engine for its condition (a price reached, a moment, a bar's
 * close beyond a level, an indicator crossing a value at a bar's close), then places an order or
 * starts a bracket, worked as its own children.
 *
 * - Price conditions are read on every price update (the last traded price); bar conditions on each
 *   closed bar of their interval as the engine's bar aggregator closes it; a time condition at the
 *   periodic step (500 ms) or any earlier update. Bars that closed while the engine was not running
 *   are not replayed: a restart reads on from the next close.
 * - An indicator is computed with the chart's own code (shared/domain/indicators) over the closes it
 *   was started with (from history) and every close since; a cross needs a value on either side, so
 *   a value already beyond the level when it starts waits for it to come back and cross.
 * - Fired with a bracket, the bracket runs inside it over the same children: the view is the
 *   bracket's. Fired with an order, it ends with that order: COMPLETED when it fills, CANCELLED or
 *   FAILED as the base rules say.
 * - Not met by `expiresAt` (default: the end of the IST day it started on), it ends EXPIRED.
 */
import { createEma, createRsi, createSma } from '../../../shared/domain/indicators';
import type { BracketSpec, Condition, ConditionalSpec, ModifyAlgo } from '../../../shared/services/algos';
import type { Price } from '../../../shared/domain/money';
import { formatIstTime } from '../../../shared/time/ist';
import type { GttRequest } from '../broker/kite/parse';
import { istDayStart } from '../market/bars';
import { Algo, algoRefusal, fillsOf, formatWire, isAbsent, isRateRefused, isWorking } from './algo';
import type { AlgoContext, AlgoProgress, BaseState } from './algo';
import { Bracket, checkBracket } from './bracket';
import type { BracketState } from './bracket';

const DAY_MS = 86_400_000;
/** How far ahead a time condition may be. */
const MAX_AHEAD_MS = 7 * DAY_MS;

export interface ConditionalState {
  readonly fired: boolean;
  readonly firedAt: number;
  /** What met the condition, in words ("last 1,500.05 at or above 1,500.00"). */
  readonly firedBy: string;
  /** A range's: the side it left by (its order is that side's); null before, and for the others. */
  readonly leg?: 'below' | 'above' | null;
  readonly expiresAt: number;
  /** The condition's level now (a modify can move a price level). */
  readonly condition: Condition;
  /** An indicator's closes (oldest first, the last few hundred) and its value at the last close. */
  readonly closes: readonly number[];
  readonly lastValue: number | null;
  /** The bracket it started, once fired with one. */
  readonly inner: { readonly own: BracketState; readonly base: BaseState } | null;
  /** A GTT's: when it was asked for (recorded before the request goes), its id and status. */
  readonly gtt: GttTrack | null;
}

interface GttTrack {
  readonly requestedAt: number;
  readonly triggerId: number | null;
  /** The broker's status: active, triggered, rejected, cancelled, deleted, disabled, expired. */
  readonly status: string;
  /** Why it could not be set ('' when it was). */
  readonly error: string;
}

/** A GTT's statuses at the broker once it is over (fired, refused, removed or run out). */
const GTT_ENDED: ReadonlySet<string> = new Set([
  'triggered',
  'rejected',
  'cancelled',
  'deleted',
  'disabled',
  'expired',
]);

/** How often a GTT's status is read from the broker, ms. */
export const GTT_POLL_MS = 5_000;

/** Closes kept for an indicator: enough for an EMA's or RSI's warm-up to fade. */
export const closesFor = (period: number): number => Math.min(1_000, period * 5 + 1);

function indicatorValue(
  c: Extract<Condition, { on: 'indicator' }>,
  closes: readonly number[],
): number | null {
  const ind =
    c.indicator === 'sma'
      ? createSma(c.period)
      : c.indicator === 'ema'
        ? createEma(c.period)
        : createRsi(c.period);
  let v: number | undefined;
  for (const x of closes) v = ind.next(x);
  return v ?? null;
}

function bracketOf(spec: ConditionalSpec): BracketSpec | null {
  const t = spec.then;
  if (t.type !== 'bracket') return null;
  return {
    kind: 'bracket',
    instrumentToken: spec.instrumentToken,
    side: spec.side,
    quantity: spec.quantity,
    product: spec.product,
    entry: t.entry,
    target: t.target,
    stop: t.stop,
    ...(t.trail === undefined ? {} : { trail: t.trail }),
    ...(t.breakEvenTicks === undefined ? {} : { breakEvenTicks: t.breakEvenTicks }),
  };
}

/** The condition in a trader's words. */
export function conditionText(c: Condition, divisor: number): string {
  const dir = (d: 'above' | 'below') => (d === 'above' ? 'at or above' : 'at or below');
  switch (c.on) {
    case 'price':
      return `last ${dir(c.direction)} ${formatWire(c.price, divisor)}`;
    case 'range':
      return `last at or below ${formatWire(c.below, divisor)} or at or above ${formatWire(c.above, divisor)}`;
    case 'time':
      return `at ${formatIstTime(c.at)}`;
    case 'barClose':
      return `a ${c.interval} bar closes ${dir(c.direction)} ${formatWire(c.price, divisor)}`;
    case 'indicator': {
      const level = c.indicator === 'rsi' ? c.value.toFixed(1) : formatWire(c.value, divisor);
      return `${c.indicator.toUpperCase()}(${c.period}, ${c.interval}) crosses ${c.direction} ${level}`;
    }
  }
}

/** Checks a new conditional against its instrument and the market now; throws INVALID_ALGO. */
export function checkConditional(spec: ConditionalSpec, ctx: AlgoContext): void {
  const i = ctx.instrument;
  const bad = (m: string): never => {
    throw algoRefusal('INVALID_ALGO', m);
  };
  const now = ctx.now();
  if (spec.quantity % i.lotSize !== 0)
    bad(`Quantity ${spec.quantity} is not a multiple of the lot size ${i.lotSize}.`);
  const c = spec.condition;
  if ((c.on === 'price' || c.on === 'barClose') && c.price % i.tickSize !== 0)
    bad(`The condition's price ${c.price} is not a multiple of the tick size ${i.tickSize}.`);
  const t = spec.then;
  if ((c.on === 'range') !== (t.type === 'oco'))
    bad('A range condition takes one order for each way out (then: oco), and only it does.');
  if (c.on === 'range') {
    for (const p of [c.below, c.above])
      if (p % i.tickSize !== 0)
        bad(`The range's price ${p} is not a multiple of the tick size ${i.tickSize}.`);
    if (c.below >= c.above) bad('The range is empty: its stop (below) must be under its target (above).');
    const last = ctx.lastPrice();
    const f = i.priceDivisor;
    if (last > 0 && (last <= c.below || last >= c.above))
      bad(
        `The last price ${formatWire(last, f)} is already outside ${formatWire(c.below, f)} to ${formatWire(c.above, f)}: place the order now instead.`,
      );
  }
  if (t.type === 'oco') {
    const limit = t.orderType === 'LIMIT';
    if ((t.belowPrice !== undefined) !== limit || (t.abovePrice !== undefined) !== limit)
      bad(limit ? 'A LIMIT on each side needs both its prices.' : 'A MARKET order takes no price.');
    for (const p of [t.belowPrice, t.abovePrice])
      if (p !== undefined && p % i.tickSize !== 0)
        bad(`Price ${p} is not a multiple of the tick size ${i.tickSize}.`);
  }
  if (c.on === 'time' && (c.at <= now || c.at > now + MAX_AHEAD_MS))
    bad('The time must be in the future, within a week.');
  if (c.on === 'indicator' && c.indicator === 'rsi' && c.value >= 100) bad('An RSI level is below 100.');
  if (c.on === 'price') {
    const last = ctx.lastPrice();
    if (last > 0 && (c.direction === 'above' ? last >= c.price : last <= c.price))
      bad(
        `The last price ${formatWire(last, i.priceDivisor)} is already ${c.direction} ${formatWire(c.price, i.priceDivisor)}: place the order now instead.`,
      );
  }
  if (spec.expiresAt !== undefined && spec.expiresAt <= now) bad('It would expire before it starts.');
  if (t.type === 'order') {
    const needsPrice = t.orderType === 'LIMIT' || t.orderType === 'SL';
    const needsTrigger = t.orderType === 'SL' || t.orderType === 'SL-M';
    if (needsPrice !== (t.price !== undefined))
      bad(`A ${t.orderType} order ${needsPrice ? 'needs' : 'takes no'} price.`);
    if (needsTrigger !== (t.triggerPrice !== undefined))
      bad(`A ${t.orderType} order ${needsTrigger ? 'needs' : 'takes no'} trigger price.`);
    for (const p of [t.price, t.triggerPrice])
      if (p !== undefined && p % i.tickSize !== 0)
        bad(`Price ${p} is not a multiple of the tick size ${i.tickSize}.`);
  }
  const b = bracketOf(spec);
  if (b !== null) checkBracket(b, i.tickSize, i.lotSize);
  if (spec.gtt && gttOrders(spec) === null)
    bad('Only a price condition with a LIMIT order, or a range with LIMIT legs, can be a GTT.');
}

/**
 * The orders of a GTT: one LIMIT for a price condition (single), or one for each side of a range
 * (two-leg: the low trigger's first); null when the spec cannot be a GTT.
 */
export function gttOrders(
  spec: ConditionalSpec,
): { readonly triggers: readonly number[]; readonly prices: readonly number[] } | null {
  const c = spec.condition;
  const t = spec.then;
  if (c.on === 'price' && t.type === 'order' && t.orderType === 'LIMIT' && t.price !== undefined)
    return { triggers: [c.price], prices: [t.price] };
  if (
    c.on === 'range' &&
    t.type === 'oco' &&
    t.orderType === 'LIMIT' &&
    t.belowPrice !== undefined &&
    t.abovePrice !== undefined
  )
    return { triggers: [c.below, c.above], prices: [t.belowPrice, t.abovePrice] };
  return null;
}

export class Conditional extends Algo<ConditionalSpec, ConditionalState> {
  private inner: Bracket | null = null;

  constructor(
    id: string,
    spec: ConditionalSpec,
    ctx: AlgoContext,
    createdAt: number,
    saved?: { own: ConditionalState; base: BaseState },
    seedCloses?: readonly number[],
  ) {
    super(id, spec, ctx, createdAt, saved?.own ?? Conditional.initial(spec, ctx, seedCloses), saved?.base);
    const b = bracketOf(spec);
    if (b !== null && this.state.inner !== null)
      this.inner = new Bracket(id, b, ctx, this.state.firedAt, this.state.inner);
    this.phase = this.waitingPhase();
  }

  private static initial(
    spec: ConditionalSpec,
    ctx: AlgoContext,
    seed?: readonly number[],
  ): ConditionalState {
    checkConditional(spec, ctx);
    if (spec.gtt) {
      if (ctx.gtt?.() === undefined)
        throw algoRefusal(
          'INVALID_ALGO',
          'A GTT lives at the broker: there is none in paper mode or without a session.',
        );
      if (ctx.lastPrice() <= 0)
        throw algoRefusal('INVALID_ALGO', 'No last price yet: the broker checks a GTT against it.');
      // The checks its orders would meet now (one is placed by the broker when it fires).
      for (const price of gttOrders(spec)?.prices ?? [])
        ctx.check?.({ side: spec.side, quantity: spec.quantity, orderType: 'LIMIT', price });
    }
    const now = ctx.now();
    const c = spec.condition;
    const closes = c.on === 'indicator' ? (seed ?? []).slice(-closesFor(c.period)) : [];
    return {
      fired: false,
      firedAt: 0,
      firedBy: '',
      expiresAt: spec.expiresAt ?? istDayStart(now) + DAY_MS - 1,
      condition: c,
      closes,
      lastValue: c.on === 'indicator' ? indicatorValue(c, closes) : null,
      inner: null,
      gtt: null,
      leg: null,
    };
  }

  private waitingPhase(): string {
    const c = this.state.condition;
    const f = this.ctx.instrument.priceDivisor;
    const v =
      c.on === 'indicator' && this.state.lastValue !== null
        ? ` (now ${c.indicator === 'rsi' ? this.state.lastValue.toFixed(1) : formatWire(Math.round(this.state.lastValue), f)})`
        : '';
    return `waiting: ${conditionText(c, f)}${v}; expires ${formatIstTime(this.state.expiresAt)}`;
  }

  /** The bar interval it reads, while it waits for a bar condition. */
  override get barInterval(): string | null {
    const c = this.state.condition;
    if (this.state.fired || this.status !== 'WORKING') return null;
    return c.on === 'barClose' || c.on === 'indicator' ? c.interval : null;
  }

  override get wantsPrices(): boolean {
    // A GTT's condition is the broker's to watch; the periodic step reads its status.
    if (this.status !== 'WORKING' || this.spec.gtt) return false;
    if (this.inner !== null) return this.inner.wantsPrices;
    // A time condition is read on prices too: sooner than the periodic step when the market ticks.
    const on = this.state.condition.on;
    return !this.state.fired && (on === 'price' || on === 'range' || on === 'time');
  }

  override onPrice(): void {
    if (this.inner !== null) {
      this.inner.onPrice();
      this.mirror();
      return;
    }
    this.step();
  }

  /** A closed bar of `barInterval`. */
  override onBar(close: number): void {
    if (this.state.fired || this.status !== 'WORKING' || this.ending !== null) return;
    const c = this.state.condition;
    const f = this.ctx.instrument.priceDivisor;
    if (c.on === 'barClose') {
      if (c.direction === 'above' ? close >= c.price : close <= c.price)
        this.fire(`a ${c.interval} bar closed at ${formatWire(close, f)}`);
    } else if (c.on === 'indicator') {
      const closes = [...this.state.closes, close].slice(-closesFor(c.period));
      const before = this.state.lastValue;
      const v = indicatorValue(c, closes);
      this.state = { ...this.state, closes, lastValue: v };
      const crossed =
        before !== null &&
        v !== null &&
        (c.direction === 'above' ? before < c.value && v >= c.value : before > c.value && v <= c.value);
      if (crossed) {
        const shown = c.indicator === 'rsi' ? v.toFixed(1) : formatWire(Math.round(v), f);
        this.fire(`${c.indicator.toUpperCase()}(${c.period}) crossed ${c.direction} at ${shown}`);
      }
    }
    this.step();
  }

  private fire(by: string): void {
    this.state = { ...this.state, fired: true, firedAt: this.ctx.now(), firedBy: by };
    const b = bracketOf(this.spec);
    if (b !== null) this.inner = new Bracket(this.id, b, this.ctx, this.state.firedAt);
  }

  /** Takes the inner bracket's status and words, and saves its state. */
  private mirror(): void {
    const inner = this.inner;
    if (inner === null) return;
    this.state = { ...this.state, inner: inner.saved() };
    this.status = inner.status;
    this.reason = inner.reason === '' ? '' : `${inner.reason} (fired: ${this.state.firedBy})`;
    this.phase = inner.phase;
  }

  step(): void {
    if (this.status !== 'WORKING') return;
    if (this.ending !== null) {
      this.end(this.ending.status, this.ending.reason);
      return;
    }
    if (this.spec.gtt) {
      this.stepGtt();
      return;
    }
    const now = this.ctx.now();
    if (!this.state.fired) {
      const c = this.state.condition;
      let by = '';
      if (c.on === 'price') {
        const last = this.ctx.lastPrice();
        if (last > 0 && (c.direction === 'above' ? last >= c.price : last <= c.price))
          by = `last ${formatWire(last, this.ctx.instrument.priceDivisor)} at ${formatIstTime(now)}`;
      } else if (c.on === 'range') {
        const last = this.ctx.lastPrice();
        const leg = last <= 0 ? null : last <= c.below ? 'below' : last >= c.above ? 'above' : null;
        if (leg !== null) {
          this.state = { ...this.state, leg };
          by = `last ${formatWire(last, this.ctx.instrument.priceDivisor)} at ${formatIstTime(now)}, ${leg === 'below' ? 'the stop' : 'the target'}`;
        }
      } else if (c.on === 'time' && now >= c.at) by = `the time ${formatIstTime(c.at)}`;
      if (by !== '') this.fire(by);
      else {
        if (now >= this.state.expiresAt) {
          this.status = 'EXPIRED';
          this.reason = `not met by ${formatIstTime(this.state.expiresAt)}: ${conditionText(c, this.ctx.instrument.priceDivisor)}`;
          this.phase = '';
        } else this.phase = this.waitingPhase();
        return;
      }
    }
    if (this.inner !== null) {
      this.inner.step();
      this.mirror();
      return;
    }
    // Fired with an order: place it once, then follow it to its end.
    const children = this.ctx.children();
    const unexpected = this.unexpectedEnd(children);
    if (unexpected !== null) {
      this.end(unexpected.status, unexpected.reason);
      return;
    }
    const order = this.firedOrder();
    if (order === null) return;
    // Its order: the one child that reached the broker (one refused for the request rate, or
    // never sent, counts nothing and is asked again).
    const child = children.find((c) => !isRateRefused(c) && !isAbsent(c));
    if (child === undefined) {
      const placed = this.placeChild({
        side: this.spec.side,
        quantity: this.spec.quantity,
        ...order,
      });
      if (placed === undefined && !this.isStopped()) this.phase = this.waiting;
      else if (placed !== undefined) this.phase = `fired (${this.state.firedBy}): order working`;
      return;
    }
    if (isWorking(child)) {
      this.phase = `fired (${this.state.firedBy}): ${child.filledQuantity} of ${child.quantity} filled`;
      return;
    }
    const f = fillsOf(children);
    this.status = 'COMPLETED';
    this.reason = `fired (${this.state.firedBy}); filled ${f.quantity} at ${formatWire(Math.round(f.value / Math.max(1, f.quantity)), this.ctx.instrument.priceDivisor)}`;
    this.phase = '';
  }

  /** The order to place once fired: the `then` order, or a range's leg on the side it left by. */
  private firedOrder(): {
    orderType: 'LIMIT' | 'MARKET' | 'SL' | 'SL-M';
    price?: number;
    triggerPrice?: number;
  } | null {
    const t = this.spec.then;
    if (t.type === 'order')
      return {
        orderType: t.orderType,
        ...(t.price === undefined ? {} : { price: t.price }),
        ...(t.triggerPrice === undefined ? {} : { triggerPrice: t.triggerPrice }),
      };
    if (t.type !== 'oco' || this.state.leg === null || this.state.leg === undefined) return null;
    const price = this.state.leg === 'below' ? t.belowPrice : t.abovePrice;
    return { orderType: t.orderType, ...(price === undefined ? {} : { price }) };
  }

  override cancel(): void {
    this.requireWorking();
    if (this.spec.gtt) {
      this.cancelGtt();
      return;
    }
    if (this.inner !== null) {
      this.inner.cancel();
      this.mirror();
      return;
    }
    this.end('CANCELLED', 'cancelled by the trader');
  }

  modify(m: ModifyAlgo): void {
    this.requireWorking();
    if (this.spec.gtt)
      throw algoRefusal('NOT_MODIFIABLE', 'A GTT is changed by cancelling it and setting a new one.');
    if (this.inner !== null) {
      this.inner.modify(m);
      this.mirror();
      return;
    }
    if (this.state.fired) {
      const child = this.ctx.children().find(isWorking);
      if (m.price === undefined || child === undefined || m.quantity !== undefined)
        throw algoRefusal(
          'NOT_MODIFIABLE',
          "Fired: only its order's price can change (or modify the order).",
        );
      if (m.price % this.ctx.instrument.tickSize !== 0)
        throw algoRefusal('INVALID_ALGO', `Price ${m.price} is not a multiple of the tick size.`);
      this.ctx.modify(child.clientOrderId, { price: m.price });
      return;
    }
    const c = this.state.condition;
    if (
      m.quantity !== undefined ||
      m.targetPrice !== undefined ||
      m.stopPrice !== undefined ||
      m.price === undefined
    )
      throw algoRefusal(
        'NOT_MODIFIABLE',
        'Before it fires, only the level of a price or bar condition can change.',
      );
    if (c.on !== 'price' && c.on !== 'barClose')
      throw algoRefusal(
        'NOT_MODIFIABLE',
        c.on === 'range'
          ? 'A range has two levels: cancel it and set a new one.'
          : `A ${c.on} condition has no price level.`,
      );
    if (m.price % this.ctx.instrument.tickSize !== 0)
      throw algoRefusal('INVALID_ALGO', `Price ${m.price} is not a multiple of the tick size.`);
    this.state = { ...this.state, condition: { ...c, price: m.price } };
    this.step();
  }

  // --- GTT: the condition and its LIMIT order live at the broker ----------------------------------

  /** A request to the broker is in flight (never two at once). */
  private asking = false;
  /** The trader cancelled while a request was in flight: the delete goes when it is answered. */
  private cancelAsked = false;
  private polledAt = 0;

  private setGtt(change: Partial<GttTrack>): void {
    const g = this.state.gtt;
    if (g !== null) this.state = { ...this.state, gtt: { ...g, ...change } };
  }

  /** Asks the broker, then steps again with its answer. */
  private ask<T>(request: Promise<T>, answer: (v: T) => void, failed: (message: string) => void): void {
    this.asking = true;
    request
      .then(answer, (e: unknown) => {
        failed(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        this.asking = false;
        this.ctx.wake?.();
      });
  }

  private gttText(): string {
    const f = this.ctx.instrument.priceDivisor;
    const prices = gttOrders(this.spec)?.prices ?? [];
    const order = `${this.spec.side} LIMIT ${prices.map((p) => formatWire(p, f)).join(' or ')}`;
    return `${conditionText(this.state.condition, f)} then ${order}`;
  }

  private stepGtt(): void {
    const g = this.state.gtt;
    if (g !== null && g.error !== '') {
      this.status = 'FAILED';
      this.reason = `the GTT was not set: ${g.error}`;
      this.phase = '';
      return;
    }
    if (this.asking) return;
    if (this.cancelAsked && (g === null || !GTT_ENDED.has(g.status))) {
      try {
        this.cancelGtt();
      } catch (e) {
        this.phase = `GTT: not deleted yet: ${e instanceof Error ? e.message : String(e)}`;
      }
      return;
    }
    const broker = this.ctx.gtt?.();
    if (broker === undefined) {
      this.phase = 'GTT: waiting for a broker session';
      return;
    }
    const i = this.ctx.instrument;
    const legs = gttOrders(this.spec);
    if (legs === null) return;
    const same = (a: readonly number[], b: readonly number[]) =>
      a.length === b.length && a.every((x, k) => x === b[k]);
    if (g === null) {
      // Recorded (this step's state is saved) before the request leaves: a restart that finds a
      // request without its answer looks the GTT up at the broker, and never sets a second.
      this.state = {
        ...this.state,
        gtt: { requestedAt: this.ctx.now(), triggerId: null, status: 'requested', error: '' },
      };
      this.phase = `GTT: setting it at the broker (${this.gttText()})`;
      this.ask(
        broker.place({
          type: legs.triggers.length === 1 ? 'single' : 'two-leg',
          exchange: i.exchange as GttRequest['exchange'],
          tradingsymbol: i.tradingsymbol,
          triggerValues: legs.triggers as Price[],
          lastPrice: this.ctx.lastPrice() as Price,
          orders: legs.prices.map((price) => ({
            side: this.spec.side,
            orderType: 'LIMIT' as const,
            product: this.spec.product,
            quantity: this.spec.quantity,
            price: price as Price,
          })),
        }),
        (id) => {
          this.setGtt({ triggerId: id, status: 'active' });
        },
        (message) => {
          this.setGtt({ error: message });
        },
      );
      return;
    }
    if (g.triggerId === null) {
      this.phase = 'GTT: looking it up at the broker (its answer was lost)';
      this.ask(
        broker.list(),
        (list) => {
          const match = list.find(
            (x) =>
              x.tradingsymbol === i.tradingsymbol &&
              same(x.triggerValues, legs.triggers) &&
              x.orders[0]?.quantity === this.spec.quantity &&
              x.createdAt >= g.requestedAt - 60_000,
          );
          if (match === undefined)
            this.setGtt({ error: 'its request was cut off, and the broker has no such GTT: nothing is set' });
          else this.setGtt({ triggerId: match.id, status: match.status });
        },
        (message) => {
          this.ctx.log(`${this.id}: GTTs could not be listed: ${message}`);
        },
      );
      return;
    }
    const id = g.triggerId;
    if (this.ended(g)) return;
    this.phase = `GTT #${id} ${g.status} at the broker: ${this.gttText()}; lives on with the app closed`;
    const now = this.ctx.now();
    if (now - this.polledAt < GTT_POLL_MS) return;
    this.polledAt = now;
    this.ask(
      broker.get(id),
      (x) => {
        // The leg the broker placed (a two-leg's fired one) carries the result.
        const k = x.orders.findIndex((o) => o.result !== null);
        const r = x.orders[k]?.result;
        const leg = x.type === 'two-leg' && k >= 0 ? (k === 0 ? ' (the stop)' : ' (the target)') : '';
        this.setGtt({ status: x.status });
        if (x.status === 'triggered' || x.status === 'rejected')
          this.state = {
            ...this.state,
            fired: true,
            firedAt: x.updatedAt,
            firedBy:
              r === null || r === undefined
                ? `GTT #${id} ${x.status}`
                : `GTT #${id} ${x.status}${leg}: order ${r.orderId ?? '(none)'} ${r.status}${r.rejectionReason === null ? '' : ` (${r.rejectionReason})`}`,
          };
      },
      (message) => {
        this.ctx.log(`${this.id}: GTT #${id} could not be read: ${message}`);
      },
    );
  }

  /** Ends it by the broker's word on its GTT; true when it has ended. */
  private ended(g: GttTrack): boolean {
    const by = this.state.firedBy;
    switch (g.status) {
      case 'triggered':
        this.status = 'COMPLETED';
        this.reason = `${by}; placed by the broker (in the orders as an order from outside)`;
        break;
      case 'rejected':
        this.status = 'FAILED';
        this.reason = by;
        break;
      case 'cancelled':
      case 'deleted':
      case 'disabled':
        this.status = 'CANCELLED';
        this.reason = this.reason || `GTT #${g.triggerId ?? 0} was ${g.status} at the broker`;
        break;
      case 'expired':
        this.status = 'EXPIRED';
        this.reason = `GTT #${g.triggerId ?? 0} expired at the broker`;
        break;
      default:
        return false;
    }
    this.phase = '';
    return true;
  }

  private cancelGtt(): void {
    const g = this.state.gtt;
    if (this.asking) {
      // A read of its status is in flight: deleted as soon as the broker has answered it.
      this.cancelAsked = true;
      this.phase = 'GTT: deleting it once the broker has answered';
      return;
    }
    this.cancelAsked = false;
    if (g === null || g.triggerId === null) {
      this.end('CANCELLED', 'cancelled by the trader');
      return;
    }
    const broker = this.ctx.gtt?.();
    if (broker === undefined)
      throw algoRefusal('NOT_MODIFIABLE', 'No broker session: the GTT cannot be deleted now.');
    const id = g.triggerId;
    this.phase = `GTT #${id}: deleting it at the broker`;
    this.ask(
      broker.remove(id),
      () => {
        this.reason = `cancelled by the trader: GTT #${id} deleted at the broker`;
        this.setGtt({ status: 'deleted' });
      },
      (message) => {
        this.phase = `GTT #${id} could not be deleted: ${message}`;
      },
    );
  }

  progress(): AlgoProgress {
    if (this.inner !== null) return this.inner.progress();
    return this.childrenProgress();
  }
}
