/**
 * TWAP and VWAP: a parent order worked over a time window along a schedule (schedule.ts) of how
 * much should be done by each moment: even slices at jittered times (TWAP), or the instrument's
 * intraday volume curve (VWAP).
 *
 * - One child at a time. When the schedule is ahead of what is filled and working, the quantity due
 *   (`sliceToSend`: whole lots, never past the participation cap or the total) goes in as a LIMIT
 *   at the near touch (a buy at the best bid), limit-or-better: never beyond `limitPrice`. More due
 *   while the child works is added to it (a modify of its quantity).
 * - A child not filled after `repriceMs` (half a slice's interval, 2 to 30 s) moves to the far touch
 *   (a buy at the best ask), and follows it at that pace; in the window's last `repriceMs` it goes to
 *   the far touch at once. At most MAX_CHILD_MODIFIES modifies per child (Kite allows 25): a child
 *   that needs another is cancelled, and a fresh one takes its place.
 * - A shortfall (the cap held it back, the limit was away from the market) is sent by later slices
 *   (`catchUp`, the default), or only each slice's own quantity.
 * - A VWAP has all of its quantity due a tenth of the window (at most `repriceMs`) before the end,
 *   so its last lots can still fill at the far touch.
 * - At the window's end anything working is cancelled: COMPLETED when all filled, else EXPIRED.
 * - Benchmarks: the arrival price (the last price when the window opened) and the interval VWAP, from
 *   the instrument's ticks as the engine gets them (volume deltas at the last price: trades between
 *   two flushes of the market data are priced at the later one). Slippage in basis points of each.
 *
 * Everything that matters for safety is read from the children each step (what is filled, what
 * works), so a restart resumes without resending: the saved state holds the schedule, the curve,
 * the arrival values, and per child when it was priced and how often it was modified.
 */
import type { AlgoBenchmark, AlgoView, ModifyAlgo, TwapSpec, VwapSpec } from '../../../shared/services/algos';
import type { OrderView } from '../../../shared/services/orders';
import { formatIstTime } from '../../../shared/time/ist';
import {
  Algo,
  algoRefusal,
  fillsOf,
  formatWire,
  isAbsent,
  isBusy,
  isRateRefused,
  isWorking,
  unfilled,
} from './algo';
import type { AlgoContext, AlgoProgress, AlgoInstrument, BaseState } from './algo';
import { istDayStart, NSE_SESSION } from '../market/bars';
import { sliceToSend, slippageBasisPoints, twapSchedule, vwapSchedule } from './schedule';
import type { TwapSlice, VwapSchedule } from './schedule';

export type ScheduledSpec = TwapSpec | VwapSpec;

/** Kite refuses a 26th modify of an order; the child is replaced before that. */
export const MAX_CHILD_MODIFIES = 20;
/** The interval VWAP's accumulators are saved at most this often (they change with every tick). */
const TAPE_SAVE_MS = 5_000;
/** The latest a window may open: a day ahead. */
const MAX_START_AHEAD_MS = 24 * 60 * 60 * 1000;

interface ChildMeta {
  /** When its price was last set (placed or modified), epoch ms. */
  readonly pricedAt: number;
  readonly modifies: number;
}

interface Tape {
  /** The instrument's day volume at the last tick counted; -1 before the first. */
  readonly lastVolume: number;
  /** Volume and value (wire units x units) traded since the window opened. */
  readonly volume: number;
  readonly notional: number;
}

export interface ScheduledState {
  readonly startMs: number;
  readonly endMs: number;
  readonly quantity: number;
  readonly limitPrice: number | null;
  /** TWAP: the slices (for the quantity at the start: targets are scaled to a modified total). */
  readonly slices: readonly TwapSlice[] | null;
  /** VWAP: weight per session minute from 09:15 IST, and where it came from. */
  readonly curve: readonly number[] | null;
  readonly curveNote: string;
  /** The last price (or mid) when the window opened, 0 before; the day volume then, -1 before. */
  readonly arrival: number;
  readonly volumeAtStart: number;
  readonly tape: Tape;
  readonly meta: Readonly<Record<string, ChildMeta>>;
  /**
   * What it sent since the latest slice fell due (catch-up off): a new child or quantity added to
   * one, and the child's quantity it asked for (a modify the broker refused did not send it).
   */
  readonly sent?: readonly {
    readonly at: number;
    readonly quantity: number;
    readonly id: string;
    readonly total: number;
  }[];
}

/** The curve a VWAP is given at its start (from history; flat, and why, without it). */
export interface VolumeCurveInput {
  readonly curve: ArrayLike<number>;
  readonly note: string;
}

/** Half a slice's interval, between 2 and 30 s. */
function repriceMsOf(spec: ScheduledSpec, startMs: number, endMs: number): number {
  const slices = spec.kind === 'twap' ? spec.slices : Math.max(2, Math.round((endMs - startMs) / 60_000));
  return Math.min(30_000, Math.max(2_000, Math.floor((endMs - startMs) / slices / 2)));
}

/** Checks a new TWAP/VWAP against its instrument; throws INVALID_ALGO. Returns its window. */
export function checkScheduled(
  spec: ScheduledSpec,
  i: AlgoInstrument,
  now: number,
): { startMs: number; endMs: number } {
  const bad = (m: string): never => {
    throw algoRefusal('INVALID_ALGO', m);
  };
  if (spec.quantity % i.lotSize !== 0)
    bad(`Quantity ${spec.quantity} is not a multiple of the lot size ${i.lotSize}.`);
  if (spec.limitPrice !== undefined && spec.limitPrice % i.tickSize !== 0)
    bad(`Limit price ${spec.limitPrice} is not a multiple of the tick size ${i.tickSize}.`);
  const startMs = Math.max(now, spec.startAt ?? now);
  if (startMs > now + MAX_START_AHEAD_MS) bad('The window must open within a day.');
  if (spec.kind === 'twap' && spec.quantity / i.lotSize < 1) bad('Nothing to slice.');
  return { startMs, endMs: startMs + spec.durationSeconds * 1000 };
}

export class Scheduled extends Algo<ScheduledSpec, ScheduledState> {
  private vwap: VwapSchedule | undefined;
  private readonly repriceMs: number;
  /** The tape as it runs (the saved copy lags it by up to TAPE_SAVE_MS). */
  private tape: Tape;
  private tapeSavedAt = 0;

  constructor(
    id: string,
    spec: ScheduledSpec,
    ctx: AlgoContext,
    createdAt: number,
    saved?: { own: ScheduledState; base: BaseState },
    curve?: VolumeCurveInput,
  ) {
    super(id, spec, ctx, createdAt, saved?.own ?? Scheduled.initial(spec, ctx, curve), saved?.base);
    this.tape = this.state.tape;
    this.tapeSavedAt = ctx.now();
    this.repriceMs = repriceMsOf(spec, this.state.startMs, this.state.endMs);
  }

  private static initial(spec: ScheduledSpec, ctx: AlgoContext, curve?: VolumeCurveInput): ScheduledState {
    const i = ctx.instrument;
    const { startMs, endMs } = checkScheduled(spec, i, ctx.now());
    const base = {
      startMs,
      endMs,
      quantity: spec.quantity,
      limitPrice: spec.limitPrice ?? null,
      arrival: 0,
      volumeAtStart: -1,
      tape: { lastVolume: -1, volume: 0, notional: 0 },
      meta: {},
    };
    if (spec.kind === 'twap')
      return {
        ...base,
        slices: twapSchedule({
          quantity: spec.quantity,
          lotSize: i.lotSize,
          startMs,
          endMs,
          slices: spec.slices,
          jitter: spec.jitter,
          random: () => ctx.random(),
          remainder: 'random',
        }),
        curve: null,
        curveNote: '',
      };
    return {
      ...base,
      slices: null,
      curve: curve === undefined ? null : Array.from(curve.curve, (w) => Math.round(w * 1e9) / 1e9),
      curveNote: curve?.note ?? 'flat: no volume curve was given',
    };
  }

  /** The quantity the schedule wants done by `now`, whole lots, the (modified) total at the end. */
  scheduledAt(now: number): number {
    const { lotSize } = this.ctx.instrument;
    const total = this.state.quantity;
    if (now >= this.state.endMs) return total;
    if (this.state.slices !== null) {
      let due = 0;
      let all = 0;
      for (const s of this.state.slices) {
        all += s.quantity;
        if (s.at <= now) due += s.quantity;
      }
      if (due >= all) return total;
      // Scaled to a modified total, in whole lots, never past it.
      const lots = total / lotSize;
      return Math.min(lots, Math.floor((due / all) * lots + 1e-9)) * lotSize;
    }
    if (this.vwap === undefined || this.vwap.quantity !== total) {
      // All of it due a little before the end (a tenth of the window, at most a repricing
      // interval): the last lots have time to fill at the far touch before what is left is cancelled.
      const span = this.state.endMs - this.state.startMs;
      this.vwap = vwapSchedule({
        quantity: total,
        lotSize,
        startMs: this.state.startMs,
        endMs: this.state.endMs - Math.min(this.repriceMs, Math.floor(span / 10)),
        curve: this.state.curve ?? [],
        sessionStartMs: istDayStart(this.state.startMs) + NSE_SESSION.openMs,
      });
    }
    return this.vwap.targetAt(now);
  }

  /** The quantity of the slice due latest and when it fell due (TWAP), for `catchUp: false`. */
  private latestSlice(now: number): { quantity: number; since: number } {
    if (this.state.slices === null) {
      // A VWAP without catch-up is not offered: the target's growth since a repricing interval ago.
      const since = now - this.repriceMs;
      return { quantity: this.scheduledAt(now) - this.scheduledAt(since), since };
    }
    let latest: TwapSlice | undefined;
    for (const s of this.state.slices) if (s.at <= now) latest = s;
    return latest === undefined
      ? { quantity: 0, since: now }
      : { quantity: latest.quantity, since: latest.at };
  }

  override get wantsPrices(): boolean {
    return this.status === 'WORKING';
  }

  override onPrice(): void {
    const q = this.ctx.quote();
    if (q !== undefined && this.state.arrival > 0 && q.volume > 0) {
      const t = this.tape;
      if (t.lastVolume < 0 || q.volume < t.lastVolume) this.tape = { ...t, lastVolume: q.volume };
      else if (q.volume > t.lastVolume && q.lastPrice > 0) {
        const delta = q.volume - t.lastVolume;
        this.tape = {
          lastVolume: q.volume,
          volume: t.volume + delta,
          notional: t.notional + delta * q.lastPrice,
        };
      }
    }
    this.step();
  }

  progress(): AlgoProgress {
    return this.childrenProgress();
  }

  /** The near or far touch for a child now, within the limit; 0 when the book has no such side. */
  private priceFor(aggressive: boolean): number {
    const q = this.ctx.quote();
    if (q === undefined) return 0;
    const buy = this.spec.side === 'BUY';
    let p = buy === aggressive ? q.askPrice : q.bidPrice;
    if (p <= 0) p = q.lastPrice;
    if (p <= 0) return 0;
    const limit = this.state.limitPrice;
    if (limit !== null) p = buy ? Math.min(p, limit) : Math.max(p, limit);
    return p;
  }

  private setMeta(id: string, meta: ChildMeta | undefined): void {
    const next: Record<string, ChildMeta> = {};
    for (const c of this.ctx.children())
      if (isWorking(c) && c.clientOrderId !== id && this.state.meta[c.clientOrderId] !== undefined)
        next[c.clientOrderId] = this.state.meta[c.clientOrderId] as ChildMeta;
    if (meta !== undefined) next[id] = meta;
    this.state = { ...this.state, meta: next };
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
      this.end(unexpected.status, unexpected.reason);
      return;
    }
    const now = this.ctx.now();
    const { lotSize, priceDivisor } = this.ctx.instrument;
    const total = this.state.quantity;
    const filled = fillsOf(children).quantity;
    const working = children.filter(isWorking);
    const workingQuantity = working.reduce((n, c) => n + unfilled(c), 0);
    if (now - this.tapeSavedAt >= TAPE_SAVE_MS && this.tape !== this.state.tape) {
      this.state = { ...this.state, tape: this.tape };
      this.tapeSavedAt = now;
    }

    if (filled >= total && working.length === 0) {
      this.status = 'COMPLETED';
      this.reason = this.summary(filled);
      this.phase = '';
      return;
    }
    if (now >= this.state.endMs) {
      if (working.length > 0) {
        for (const w of working) this.cancelChild(w);
        this.phase = 'window ended: cancelling what is left';
        return;
      }
      this.status = filled >= total ? 'COMPLETED' : 'EXPIRED';
      this.reason = filled >= total ? this.summary(filled) : `the window ended with ${this.summary(filled)}`;
      this.phase = '';
      return;
    }
    if (now < this.state.startMs) {
      this.phase = `opens at ${formatIstTime(this.state.startMs)}`;
      return;
    }
    const q = this.ctx.quote();
    if (this.state.arrival === 0) {
      const arrival =
        q === undefined
          ? 0
          : q.lastPrice > 0
            ? q.lastPrice
            : q.bidPrice > 0 && q.askPrice > 0
              ? Math.round((q.bidPrice + q.askPrice) / 2)
              : 0;
      if (arrival === 0) {
        this.phase = 'waiting for a price';
        return;
      }
      this.state = { ...this.state, arrival, volumeAtStart: q?.volume ?? 0 };
      this.tape = { lastVolume: q?.volume ?? -1, volume: 0, notional: 0 };
      this.state = { ...this.state, tape: this.tape };
    }

    // The working child: at the far touch once it has waited `repriceMs`, or near the window's end.
    const last = now >= this.state.endMs - this.repriceMs;
    for (const w of working) {
      if (isBusy(w)) continue;
      const meta = this.state.meta[w.clientOrderId] ?? { pricedAt: w.createdAt, modifies: 0 };
      const stale = now - meta.pricedAt >= this.repriceMs;
      if (!stale && !last) continue;
      const price = this.priceFor(true);
      if (price > 0 && price !== w.price && meta.modifies >= MAX_CHILD_MODIFIES) {
        // Replaced: the next step places what is left as a fresh child at the price.
        this.cancelChild(w);
      } else if (price > 0 && price !== w.price) {
        this.ctx.modify(w.clientOrderId, { price });
        this.setMeta(w.clientOrderId, { pricedAt: now, modifies: meta.modifies + 1 });
      } else if (stale) this.setMeta(w.clientOrderId, { pricedAt: now, modifies: meta.modifies });
    }

    const scheduled = this.scheduledAt(now);
    // Read again: a modify just asked for makes its child busy, and nothing is added to a busy child.
    const busy = this.ctx.children().some((c) => isWorking(c) && isBusy(c));
    if (!busy && !this.isStopped()) {
      const cap = this.spec.participation;
      const marketVolume = q === undefined ? 0 : Math.max(0, q.volume - this.state.volumeAtStart);
      const catchUp = this.spec.kind === 'vwap' || this.spec.catchUp;
      const slice = catchUp ? undefined : this.latestSlice(now);
      const send = sliceToSend({
        target: scheduled,
        filled,
        working: workingQuantity,
        // Without a cap the tape never binds: as if the market had traded all it needs.
        marketVolumeSinceStart: cap === undefined ? total + filled + workingQuantity : marketVolume,
        participation: cap ?? 1,
        lotSize,
        remaining: Math.max(0, total - filled - workingQuantity),
        ...(slice === undefined
          ? { catchUp: true as const }
          : {
              catchUp: false as const,
              sliceQuantity: slice.quantity,
              sentThisSlice: this.sentSince(children, slice.since),
            }),
      });
      if (send > 0) this.send(send, working, last);
    }
    const done = this.ctx.children();
    const nowFilled = fillsOf(done).quantity;
    const nowWorking = done.filter(isWorking).reduce((n, c) => n + unfilled(c), 0);
    const behind = scheduled - nowFilled - nowWorking;
    const versus =
      behind > 0 ? `, ${behind} behind` : nowFilled > scheduled ? `, ${nowFilled - scheduled} ahead` : '';
    const price = working[0]?.price;
    const at = price === undefined || price === 0 ? '' : ` at ${formatWire(price, priceDivisor)}`;
    this.phase =
      this.waiting !== ''
        ? this.waiting
        : `${nowFilled} of ${total} filled, ${nowWorking} working${at}; ${scheduled} due by now${versus}; ends ${formatIstTime(this.state.endMs)}`;
  }

  /** Remembers `quantity` sent now to child `id` (now `total`), the entries before the latest slice dropped. */
  private noteSent(quantity: number, now: number, id: string, total: number): void {
    const since = this.latestSlice(now).since;
    const kept = (this.state.sent ?? []).filter((x) => x.at >= since);
    this.state = { ...this.state, sent: [...kept, { at: now, quantity, id, total }] };
  }

  /**
   * Units sent since `since` that went out: to a child still asking for them (its modify pending) or
   * holding them (its quantity reached what was asked); not one the broker refused or never got.
   */
  private sentSince(children: readonly OrderView[], since: number): number {
    let n = 0;
    for (const x of this.state.sent ?? []) {
      if (x.at < since) continue;
      const c = children.find((k) => k.clientOrderId === x.id);
      if (c === undefined || isRateRefused(c) || isAbsent(c)) continue;
      if (c.state === 'REJECTED' && c.filledQuantity === 0) continue;
      if (c.quantity >= x.total || c.state === 'MODIFY_PENDING') n += x.quantity;
    }
    return n;
  }

  /**
   * Sends `quantity` more: a new child, or added to the working one; a child is never above the
   * exchange's freeze quantity (what does not fit waits for the child to fill).
   */
  private send(quantity: number, working: readonly OrderView[], last: boolean): void {
    const now = this.ctx.now();
    const { lotSize, freezeQuantity } = this.ctx.instrument;
    const most =
      freezeQuantity === null ? Number.MAX_SAFE_INTEGER : Math.floor(freezeQuantity / lotSize) * lotSize;
    const w = working[0];
    if (w === undefined) {
      const price = this.priceFor(last);
      if (price === 0) {
        this.phase = 'waiting for a price';
        return;
      }
      const size = Math.min(quantity, most);
      const child = this.placeChild({ side: this.spec.side, quantity: size, orderType: 'LIMIT', price });
      if (child !== undefined) {
        this.setMeta(child.clientOrderId, { pricedAt: now, modifies: 0 });
        this.noteSent(size, now, child.clientOrderId, size);
      }
      return;
    }
    const meta = this.state.meta[w.clientOrderId] ?? { pricedAt: w.createdAt, modifies: 0 };
    if (meta.modifies >= MAX_CHILD_MODIFIES) {
      this.cancelChild(w);
      return;
    }
    // The freeze quantity bounds the order's quantity as modified (its fills included).
    const add = Math.min(quantity, most - w.quantity);
    if (add < lotSize) return;
    this.ctx.modify(w.clientOrderId, { quantity: w.quantity + add });
    this.setMeta(w.clientOrderId, { pricedAt: meta.pricedAt, modifies: meta.modifies + 1 });
    this.noteSent(add, now, w.clientOrderId, w.quantity + add);
  }

  private summary(filled: number): string {
    const p = this.progress();
    const f = this.ctx.instrument.priceDivisor;
    const b = this.benchmark();
    const bps = (v: number | null) => (v === null ? '' : `${v >= 0 ? '+' : ''}${v.toFixed(1)} bps`);
    const vs = [
      b.slippageArrivalBps === null ? '' : `${bps(b.slippageArrivalBps)} vs arrival`,
      b.slippageVwapBps === null ? '' : `${bps(b.slippageVwapBps)} vs interval VWAP`,
    ]
      .filter((s) => s !== '')
      .join(', ');
    return `${filled} of ${this.state.quantity} filled${filled > 0 ? ` at ${formatWire(p.averagePrice, f)}` : ''}${vs === '' ? '' : ` (${vs})`}`;
  }

  private benchmark(): AlgoBenchmark {
    const p = this.progress();
    const t = this.tape;
    const vwap = t.volume > 0 ? t.notional / t.volume : null;
    const side = this.spec.side;
    const arrival = this.state.arrival;
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      arrivalPrice: arrival,
      intervalVwap: vwap,
      marketVolume: t.volume,
      slippageArrivalBps:
        p.filled > 0 && arrival > 0 ? round(slippageBasisPoints(side, p.averagePrice, arrival)) : null,
      slippageVwapBps:
        p.filled > 0 && vwap !== null ? round(slippageBasisPoints(side, p.averagePrice, vwap)) : null,
      scheduledQuantity: this.scheduledAt(Math.min(this.ctx.now(), this.state.endMs)),
      startAt: this.state.startMs,
      endAt: this.state.endMs,
    };
  }

  modify(m: ModifyAlgo): void {
    this.requireWorking();
    if (m.targetPrice !== undefined || m.stopPrice !== undefined)
      throw algoRefusal('NOT_MODIFIABLE', `A ${this.spec.kind.toUpperCase()} has no target or stop.`);
    const { tickSize, lotSize } = this.ctx.instrument;
    if (m.price !== undefined && m.price % tickSize !== 0)
      throw algoRefusal('INVALID_ALGO', `Price ${m.price} is not a multiple of the tick size ${tickSize}.`);
    if (m.quantity !== undefined) {
      if (m.quantity % lotSize !== 0)
        throw algoRefusal(
          'INVALID_ALGO',
          `Quantity ${m.quantity} is not a multiple of the lot size ${lotSize}.`,
        );
      const children = this.ctx.children();
      const committed = children.reduce((n, c) => n + (isWorking(c) ? c.quantity : c.filledQuantity), 0);
      if (m.quantity < committed)
        throw algoRefusal(
          'INVALID_ALGO',
          `Quantity ${m.quantity} is below the ${committed} already filled or working.`,
        );
    }
    this.state = {
      ...this.state,
      ...(m.price === undefined ? {} : { limitPrice: m.price }),
      ...(m.quantity === undefined ? {} : { quantity: m.quantity }),
    };
    // A new limit applies to the working child at once.
    if (m.price !== undefined)
      for (const w of this.ctx.children().filter(isWorking)) {
        if (isBusy(w)) continue;
        const buy = this.spec.side === 'BUY';
        if (buy ? w.price > m.price : w.price < m.price) this.ctx.modify(w.clientOrderId, { price: m.price });
      }
    this.step();
  }

  override view(): AlgoView {
    return { ...super.view(), quantity: this.state.quantity, benchmark: this.benchmark() };
  }

  /** The curve's origin, for the phase's tooltip and the log. */
  get curveNote(): string {
    return this.state.curveNote;
  }
}
