/**
 * The bracket: an entry (limit, market or stop) and, as it fills, a target (LIMIT) and a stop (SL-M;
 * SL with a limit a band beyond the trigger for options, which exchanges do not take SL-M for) on the
 * filled quantity, which cancel each other (OCO).
 *
 * Children are told apart by side and type: the entry is on the bracket's side; an exit is on the
 * other, a LIMIT the target, an SL or SL-M the stop, a MARKET the stop's exit when the price was
 * already through the stop. The open quantity is the entry's fills minus the exits' fills, and every
 * step sizes each working exit to it: a fill of the target resizes (or cancels) the stop in the same
 * turn as the fill is learnt of, and the other way round, before the next market event is handled.
 *
 * Saved: the exit levels once known (from ticks, at the first entry fill), the best price since the
 * entry (trailing) and whether the stop moved to break-even.
 */
import type { BracketLevel, BracketSpec, ModifyAlgo } from '../../../shared/services/algos';
import type { OrderView } from '../../../shared/services/orders';
import { Algo, algoRefusal, ceilToTick, fillsOf, floorToTick, formatWire, isBusy, isWorking } from './algo';
import type { AlgoContext, BaseState } from './algo';

export interface BracketState {
  /** The target's price and the stop's trigger, wire units; 0 until known. */
  readonly targetPrice: number;
  readonly stopPrice: number;
  /** The best last price since the entry's first fill (highest for a buy), 0 before. */
  readonly best: number;
  readonly breakEvenDone: boolean;
  /** Price-only modifications of the stop (trailing, break-even): capped, as brokers cap them. */
  readonly stopMoves: number;
  readonly lastMoveAt: number;
}

/** Trailing moves the stop at most this often, ms. */
export const TRAIL_INTERVAL_MS = 1_000;
/** Price-only moves of one bracket's stop (Kite refuses an order's modifications beyond about 25). */
export const MAX_STOP_MOVES = 20;
/** An option's stop is an SL whose limit is this far beyond the trigger, basis points. */
const OPTION_STOP_BAND_BP = 500;

/** Checks a bracket's spec against its instrument; throws INVALID_ALGO with what is wrong. */
export function checkBracket(spec: BracketSpec, tick: number, lot: number): void {
  const bad = (m: string): never => {
    throw algoRefusal('INVALID_ALGO', m);
  };
  if (spec.quantity % lot !== 0) bad(`Quantity ${spec.quantity} is not a multiple of the lot size ${lot}.`);
  const e = spec.entry;
  const needsPrice = e.orderType === 'LIMIT' || e.orderType === 'SL';
  const needsTrigger = e.orderType === 'SL' || e.orderType === 'SL-M';
  if (needsPrice !== (e.price !== undefined))
    bad(needsPrice ? `A ${e.orderType} entry needs a price.` : `A ${e.orderType} entry takes no price.`);
  if (needsTrigger !== (e.triggerPrice !== undefined))
    bad(
      needsTrigger
        ? `A ${e.orderType} entry needs a trigger price.`
        : `A ${e.orderType} entry takes no trigger price.`,
    );
  for (const [name, v] of [
    ['entry price', e.price],
    ['entry trigger', e.triggerPrice],
    ['target', 'price' in spec.target ? spec.target.price : undefined],
    ['stop', 'price' in spec.stop ? spec.stop.price : undefined],
  ] as const)
    if (v !== undefined && v % tick !== 0)
      bad(`The ${name} ${v} is not a multiple of the tick size ${tick}.`);
  const buy = spec.side === 'BUY';
  const reference = e.price ?? e.triggerPrice;
  const t = 'price' in spec.target ? spec.target.price : undefined;
  const s = 'price' in spec.stop ? spec.stop.price : undefined;
  if (t !== undefined && s !== undefined && (buy ? t <= s : t >= s))
    bad(`A ${buy ? 'buy' : 'sell'} bracket's target must be ${buy ? 'above' : 'below'} its stop.`);
  if (reference !== undefined) {
    if (t !== undefined && (buy ? t <= reference : t >= reference))
      bad(`The target must be ${buy ? 'above' : 'below'} the entry.`);
    if (s !== undefined && (buy ? s >= reference : s <= reference))
      bad(`The stop must be ${buy ? 'below' : 'above'} the entry.`);
  }
}

export class Bracket extends Algo<BracketSpec, BracketState> {
  constructor(
    id: string,
    spec: BracketSpec,
    ctx: AlgoContext,
    createdAt: number,
    saved?: { own: BracketState; base: BaseState },
  ) {
    super(
      id,
      spec,
      ctx,
      createdAt,
      saved?.own ?? {
        targetPrice: 'price' in spec.target ? spec.target.price : 0,
        stopPrice: 'price' in spec.stop ? spec.stop.price : 0,
        best: 0,
        breakEvenDone: false,
        stopMoves: 0,
        lastMoveAt: 0,
      },
      saved?.base,
    );
  }

  private get buy(): boolean {
    return this.spec.side === 'BUY';
  }

  private split(children: readonly OrderView[]): {
    entries: OrderView[];
    targets: OrderView[];
    stops: OrderView[];
  } {
    const entries: OrderView[] = [];
    const targets: OrderView[] = [];
    const stops: OrderView[] = [];
    for (const c of children) {
      if (c.side === this.spec.side) entries.push(c);
      else if (c.orderType === 'LIMIT') targets.push(c);
      else stops.push(c);
    }
    return { entries, targets, stops };
  }

  override get wantsPrices(): boolean {
    return (
      this.status === 'WORKING' &&
      this.ending === null &&
      (this.spec.trail !== undefined || this.spec.breakEvenTicks !== undefined)
    );
  }

  progress(): { filled: number; averagePrice: number; exited: number; target: number; stop: number } {
    const { entries, targets, stops } = this.split(this.ctx.children());
    const e = fillsOf(entries);
    return {
      filled: e.quantity,
      averagePrice: e.quantity === 0 ? 0 : Math.round(e.value / e.quantity),
      exited: fillsOf(targets).quantity + fillsOf(stops).quantity,
      target: this.state.targetPrice,
      stop: this.state.stopPrice,
    };
  }

  step(): void {
    if (this.status !== 'WORKING') return;
    if (this.ending !== null) {
      this.end(this.ending.status, this.ending.reason);
      return;
    }
    const children = this.ctx.children();
    const unexpected = this.unexpectedEnd(children);
    if (unexpected !== null) {
      const open = this.openQuantity(children);
      this.end(unexpected.status, open > 0 ? `${unexpected.reason}; ${open} left open` : unexpected.reason);
      return;
    }
    const { entries, targets, stops } = this.split(children);
    const entry = fillsOf(entries);
    const exited = fillsOf(targets).quantity + fillsOf(stops).quantity;
    const open = entry.quantity - exited;
    if (open < 0) {
      this.end(
        'FAILED',
        `its exits filled ${exited}, more than the entry's ${entry.quantity}: the position is off by ${-open}`,
      );
      return;
    }
    const entryWorking = entries.some(isWorking);
    if (!entryWorking && entry.quantity === 0) {
      if (entries.length > 0 && !entries.every((c) => c.state === 'REJECTED')) {
        // Ended with nothing filled and not cancelled outside it (that ended it above): only a
        // cancel of ours, which `end` handles. Nothing left to do.
        this.end('CANCELLED', 'the entry ended unfilled');
        return;
      }
      // Not placed yet, or placed and resolved absent (it never reached the broker).
      const e = this.spec.entry;
      const placed = this.placeChild({
        side: this.spec.side,
        quantity: this.spec.quantity,
        orderType: e.orderType,
        ...(e.price === undefined ? {} : { price: e.price }),
        ...(e.triggerPrice === undefined ? {} : { triggerPrice: e.triggerPrice }),
      });
      if (!this.isStopped()) this.phase = placed === undefined ? this.waiting : 'entry working';
      return;
    }
    if (entry.quantity > 0 && (this.state.targetPrice === 0 || this.state.stopPrice === 0))
      this.fixLevels(entry);
    this.size(targets, open, 'target');
    if (this.isStopped()) return;
    this.size(stops, open, 'stop');
    if (this.isStopped()) return;
    const f = this.ctx.instrument.priceDivisor;
    const levels = `target ${formatWire(this.state.targetPrice, f)}, stop ${formatWire(this.state.stopPrice, f)}`;
    if (!entryWorking && open === 0) {
      if (children.some(isWorking)) {
        this.phase = 'closed: cancelling the other exit';
        for (const c of children) if (isWorking(c)) this.cancelChild(c);
      } else {
        this.status = 'COMPLETED';
        this.reason = `closed: ${entry.quantity} in, ${exited} out`;
        this.phase = '';
      }
      return;
    }
    this.phase =
      this.waiting !== ''
        ? this.waiting
        : open === 0
          ? `entry working (${levels})`
          : `${open} open, exits working (${levels})${entryWorking ? `; entry ${entry.quantity} of ${this.spec.quantity} filled` : ''}`;
  }

  /** Open quantity from the children (entry fills minus exit fills). */
  private openQuantity(children: readonly OrderView[]): number {
    const { entries, targets, stops } = this.split(children);
    return fillsOf(entries).quantity - fillsOf(targets).quantity - fillsOf(stops).quantity;
  }

  /** The exit levels given in ticks, from the entry's average at its first fill. */
  private fixLevels(entry: { quantity: number; value: number }): void {
    const tick = this.ctx.instrument.tickSize;
    const average = entry.value / entry.quantity;
    const away = (level: BracketLevel, up: boolean): number =>
      'price' in level
        ? level.price
        : up
          ? ceilToTick(average, tick) + level.ticks * tick
          : floorToTick(average, tick) - level.ticks * tick;
    const buy = this.buy;
    this.state = {
      ...this.state,
      targetPrice: this.state.targetPrice || away(this.spec.target, buy),
      stopPrice: this.state.stopPrice || Math.max(tick, away(this.spec.stop, !buy)),
      best: this.state.best || Math.round(average),
    };
  }

  /** Sizes one exit side to `open`: place, resize, reprice or cancel its working child. */
  private size(children: readonly OrderView[], open: number, kind: 'target' | 'stop'): void {
    const working = children.filter(isWorking);
    // Two working children of one side (a restart between a stop's market exit and its cancel):
    // keep the oldest, cancel the rest.
    for (const extra of working.slice(1)) this.cancelChild(extra);
    const w = working[0];
    const exitSide = this.buy ? 'SELL' : 'BUY';
    if (w === undefined) {
      if (open === 0) return;
      if (kind === 'target') {
        this.placeChild({
          side: exitSide,
          quantity: open,
          orderType: 'LIMIT',
          price: this.state.targetPrice,
        });
        return;
      }
      const last = this.ctx.lastPrice();
      const through = last > 0 && (this.buy ? last <= this.state.stopPrice : last >= this.state.stopPrice);
      if (through) {
        // The price is already through the stop: a stop order would be refused (or trigger at
        // once); its intent is an exit now.
        this.ctx.log(
          `${this.id}: last ${last} is through the stop ${this.state.stopPrice}: exiting ${open} at market`,
        );
        this.placeChild({ side: exitSide, quantity: open, orderType: 'MARKET' });
        return;
      }
      this.placeChild(this.stopOrder(exitSide, open));
      return;
    }
    if (open === 0) {
      // The other side filled: cancelled now, a pending modify of it or not.
      this.cancelChild(w);
      return;
    }
    if (isBusy(w)) return;
    const left = w.quantity - w.filledQuantity;
    if (left !== open) {
      this.ctx.modify(w.clientOrderId, { quantity: w.filledQuantity + open });
      return;
    }
    if (kind === 'target' && w.price !== this.state.targetPrice) {
      this.ctx.modify(w.clientOrderId, { price: this.state.targetPrice });
    } else if (kind === 'stop' && w.orderType !== 'MARKET' && w.triggerPrice !== this.state.stopPrice) {
      const s = this.stopOrder(exitSide, open);
      this.ctx.modify(w.clientOrderId, {
        triggerPrice: this.state.stopPrice,
        ...(s.price === undefined ? {} : { price: s.price }),
      });
    }
  }

  private stopOrder(side: 'BUY' | 'SELL', quantity: number) {
    const i = this.ctx.instrument;
    const option = i.instrumentType === 'CE' || i.instrumentType === 'PE';
    if (!option) return { side, quantity, orderType: 'SL-M' as const, triggerPrice: this.state.stopPrice };
    const band = Math.round((this.state.stopPrice * OPTION_STOP_BAND_BP) / 10_000);
    const price =
      side === 'SELL'
        ? Math.max(i.tickSize, floorToTick(this.state.stopPrice - band, i.tickSize))
        : ceilToTick(this.state.stopPrice + band, i.tickSize);
    return { side, quantity, orderType: 'SL' as const, triggerPrice: this.state.stopPrice, price };
  }

  /** Trailing and break-even, then a step (which moves the stop child). */
  override onPrice(): void {
    if (!this.wantsPrices) return;
    const last = this.ctx.lastPrice();
    const { entries } = this.split(this.ctx.children());
    const entry = fillsOf(entries);
    if (last <= 0 || entry.quantity === 0 || this.state.stopPrice === 0) {
      this.step();
      return;
    }
    const tick = this.ctx.instrument.tickSize;
    const buy = this.buy;
    const s = this.state;
    const best = s.best === 0 ? last : buy ? Math.max(s.best, last) : Math.min(s.best, last);
    let stop = s.stopPrice;
    const trail = this.spec.trail;
    if (trail !== undefined) {
      const distance =
        'ticks' in trail ? trail.ticks * tick : Math.max(tick, Math.round((best * trail.percent) / 100));
      const candidate = buy ? floorToTick(best - distance, tick) : ceilToTick(best + distance, tick);
      if (buy ? candidate > stop : candidate < stop) stop = candidate;
    }
    let breakEvenDone = s.breakEvenDone;
    const n = this.spec.breakEvenTicks;
    const average = entry.value / entry.quantity;
    if (
      n !== undefined &&
      !breakEvenDone &&
      (buy ? last >= average + n * tick : last <= average - n * tick)
    ) {
      breakEvenDone = true;
      const even = buy ? ceilToTick(average, tick) : floorToTick(average, tick);
      if (buy ? even > stop : even < stop) stop = even;
    }
    const now = this.ctx.now();
    const move =
      stop !== s.stopPrice && s.stopMoves < MAX_STOP_MOVES && now - s.lastMoveAt >= TRAIL_INTERVAL_MS;
    this.state = {
      ...s,
      best,
      breakEvenDone: breakEvenDone && (move || stop === s.stopPrice),
      ...(move ? { stopPrice: stop, stopMoves: s.stopMoves + 1, lastMoveAt: now } : {}),
    };
    if (move && this.state.stopMoves === MAX_STOP_MOVES)
      this.ctx.log(`${this.id}: the stop has moved ${MAX_STOP_MOVES} times; it trails no further`);
    this.step();
  }

  modify(m: ModifyAlgo): void {
    this.requireWorking();
    if (m.quantity !== undefined)
      throw algoRefusal(
        'NOT_MODIFIABLE',
        "A bracket's quantity cannot be changed; cancel it and place another.",
      );
    const tick = this.ctx.instrument.tickSize;
    for (const [name, v] of [
      ['target', m.targetPrice],
      ['stop', m.stopPrice],
      ['entry price', m.price],
    ] as const)
      if (v !== undefined && v % tick !== 0)
        throw algoRefusal('INVALID_ALGO', `The ${name} ${v} is not a multiple of the tick size ${tick}.`);
    const target = m.targetPrice ?? this.state.targetPrice;
    const stop = m.stopPrice ?? this.state.stopPrice;
    if (target > 0 && stop > 0 && (this.buy ? target <= stop : target >= stop))
      throw algoRefusal(
        'INVALID_ALGO',
        `A ${this.buy ? 'buy' : 'sell'} bracket's target must be ${this.buy ? 'above' : 'below'} its stop.`,
      );
    const { entries } = this.split(this.ctx.children());
    if (m.price !== undefined) {
      const working = entries.find(isWorking);
      if (working === undefined || (working.orderType !== 'LIMIT' && working.orderType !== 'SL'))
        throw algoRefusal('NOT_MODIFIABLE', 'The entry is not a working limit order.');
      if (isBusy(working))
        throw algoRefusal('NOT_MODIFIABLE', 'The entry has a request unanswered; try again.');
      this.ctx.modify(working.clientOrderId, { price: m.price });
    }
    this.state = {
      ...this.state,
      targetPrice: target,
      stopPrice: stop,
      // A stop moved by hand is the trader's: trailing goes on from it.
      ...(m.stopPrice === undefined ? {} : { lastMoveAt: this.ctx.now() }),
    };
    this.step();
  }
}
