/**
 * What every engine algorithm (a bracket, an iceberg, a TWAP or VWAP) shares: the context it acts through, and the
 * base that ends it safely.
 *
 * An algorithm is level-triggered: `step()` looks at its children as the OMS reports them and does
 * what brings them to what it wants (place the next leg, resize a stop to the open quantity, cancel
 * the other side of an OCO). It runs on every change of a child, on price updates it asked for, on a
 * timer, and at a restart, so a restart needs nothing but the children (from the order journal, after
 * reconciliation) and the few values the algorithm decided (its saved state). Nothing is counted
 * apart from the children, so what was sent and filled can never drift from what the OMS knows.
 *
 * No I/O here: the context places, modifies and cancels through the OMS (and so through risk and
 * the journal, never around them).
 */
import { RpcError } from '../../../shared/rpc/errors';
import type {
  AlgoRefusalCode,
  AlgoSpec,
  AlgoStatus,
  AlgoView,
  ModifyAlgo,
} from '../../../shared/services/algos';
import type { OrderType, OrderView, Side } from '../../../shared/services/orders';
import type { Gtt } from '../broker/types';
import type { GttRequest } from '../broker/kite/parse';
import { ABSENT_REASON } from '../oms/orderLifecycle';

/** The instrument an algorithm works, as it needs it. Prices in wire units. */
export interface AlgoInstrument {
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentType: string;
  readonly priceDivisor: number;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly freezeQuantity: number | null;
}

/** What an algorithm reads of its instrument's quote. Prices in wire units (0: no such side). */
export interface AlgoQuote {
  readonly lastPrice: number;
  readonly bidPrice: number;
  readonly askPrice: number;
  /** Units traded today. */
  readonly volume: number;
}

/** A child to place; product and instrument are the algorithm's. */
export interface ChildOrder {
  readonly side: Side;
  readonly quantity: number;
  readonly orderType: OrderType;
  readonly price?: number;
  readonly triggerPrice?: number;
}

export interface ChildChange {
  readonly quantity?: number;
  readonly price?: number;
  readonly triggerPrice?: number;
}

/** The broker's good-till-triggered orders (Kite's GTT API: live and the local exchange). */
export interface GttBroker {
  place(request: GttRequest): Promise<number>;
  get(triggerId: number): Promise<Gtt>;
  list(): Promise<readonly Gtt[]>;
  remove(triggerId: number): Promise<unknown>;
}

/** How an algorithm acts on the world; the engine's is the OMS, a test's may be a model. */
export interface AlgoContext {
  /** The broker's GTTs now; undefined in paper mode or without a session. */
  gtt?(): GttBroker | undefined;
  /** Checks an order as `place` would (validation, risk), placing and recording nothing. */
  check?(order: ChildOrder): void;
  /** Asks for a step soon: an answer to an asynchronous request (a GTT's) has arrived. */
  wake?(): void;
  readonly instrument: AlgoInstrument;
  now(): number;
  /** In [0, 1); seeded in tests. */
  random(): number;
  /** Last traded price in wire units, 0 when none is known. */
  lastPrice(): number;
  /** The instrument's touch and day volume now, undefined before its first tick. */
  quote(): AlgoQuote | undefined;
  /** Places a child through the OMS (risk, journal); throws the OMS's refusal (RpcError REJECTED). */
  place(order: ChildOrder): OrderView;
  /**
   * Asks the OMS to modify / cancel a child: the request is written before this returns; a refusal
   * is logged, and the next step asks again if it still wants to.
   */
  modify(clientOrderId: string, change: ChildChange): void;
  cancel(clientOrderId: string): void;
  /** The algorithm's children as the OMS knows them now, oldest first. */
  children(): readonly OrderView[];
  log(line: string): void;
}

/** A refusal of an algorithm request: `REJECTED` with `details.code`. */
export function algoRefusal(code: AlgoRefusalCode, message: string): RpcError {
  return new RpcError('REJECTED', message, { code });
}

const ENDED: ReadonlySet<string> = new Set(['COMPLETE', 'CANCELLED', 'REJECTED']);
/** States in which a child cannot be modified or cancelled yet (its last request is unanswered). */
const BUSY: ReadonlySet<string> = new Set([
  'PENDING_NEW',
  'SENT',
  'UNKNOWN',
  'ACCEPTED',
  'MODIFY_PENDING',
  'CANCEL_PENDING',
]);

/** States the OMS cancels from (a pending modify included: an OCO's cancel must not wait for it). */
const CANCELLABLE: ReadonlySet<string> = new Set(['OPEN', 'TRIGGER_PENDING', 'AMO_QUEUED', 'MODIFY_PENDING']);

export const isEnded = (o: OrderView): boolean => ENDED.has(o.state);
export const canCancel = (o: OrderView): boolean => CANCELLABLE.has(o.state);
export const isWorking = (o: OrderView): boolean => !ENDED.has(o.state);
export const isBusy = (o: OrderView): boolean => BUSY.has(o.state);
/** A child that never reached the broker (resolved absent after its answer was lost). */
export const isAbsent = (o: OrderView): boolean => o.state === 'REJECTED' && o.reason === ABSENT_REASON;
export const unfilled = (o: OrderView): number => (isEnded(o) ? 0 : o.quantity - o.filledQuantity);
/**
 * A child the broker refused for its request rate (HTTP 429, "Too many requests": refused before it
 * was processed, so it never existed there). Seen after a restart, when the broker still counts the
 * requests of the process that died and ours starts its pacing afresh. It counts nothing, and the
 * algorithm's next step sends what it still wants.
 */
export const isRateRefused = (o: OrderView): boolean =>
  o.state === 'REJECTED' && o.filledQuantity === 0 && /^too many requests/i.test(o.reason);

/** Refusals of a child that pass by themselves: the algorithm waits and asks again at a later step. */
// (NO_LAST_PRICE: after a restart an algorithm resumes before its instrument's first tick.)
const PASSING_REFUSALS: ReadonlySet<string> = new Set([
  'ORDER_RATE',
  'RECONCILING',
  'NO_SESSION',
  'NO_LAST_PRICE',
]);

function refusalCode(e: unknown): string | undefined {
  if (!(e instanceof RpcError) || typeof e.details !== 'object' || e.details === null) return undefined;
  const code = (e.details as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** What an algorithm has done: filled, its fills' average, and a bracket's exits and levels (0 otherwise). */
export interface AlgoProgress {
  readonly filled: number;
  readonly averagePrice: number;
  readonly exited: number;
  readonly target: number;
  readonly stop: number;
}

/** What the base saves beside each algorithm's own state. */
export interface BaseState {
  /** Children this algorithm asked to cancel: any other cancelled child was cancelled outside it. */
  readonly cancelled: readonly string[];
  /** Set when it is ending: the status it ends in once no child works, and why. */
  readonly ending: { readonly status: Exclude<AlgoStatus, 'WORKING'>; readonly reason: string } | null;
}

/** One algorithm. `S`: its spec; `T`: the state it saves (JSON). */
export abstract class Algo<S extends AlgoSpec, T extends object> {
  status: AlgoStatus = 'WORKING';
  reason = '';
  phase = '';
  updatedAt: number;
  protected readonly cancelled: Set<string>;
  protected ending: BaseState['ending'];

  protected constructor(
    readonly id: string,
    readonly spec: S,
    protected readonly ctx: AlgoContext,
    readonly createdAt: number,
    protected state: T,
    base: BaseState | undefined,
  ) {
    this.cancelled = new Set(base?.cancelled ?? []);
    this.ending = base?.ending ?? null;
    this.updatedAt = createdAt;
  }

  /** Brings the children to what the algorithm wants now (see the file's comment). */
  abstract step(): void;

  /** Applies a change the trader asked for; throws a refusal when it does not apply. */
  abstract modify(m: ModifyAlgo): void;

  /** Price updates of its instrument (only algorithms that ask for them: `wantsPrices`). */
  onPrice(): void {
    this.step();
  }

  /** Whether it follows its instrument's prices now (trailing, break-even). */
  get wantsPrices(): boolean {
    return false;
  }

  /** The interval whose closed bars it reads now (a conditional's bar condition), or null. */
  get barInterval(): string | null {
    return null;
  }

  /** A bar of `barInterval` closed at `close` (wire units). */
  onBar(_close: number): void {
    this.step();
  }

  /** The trader cancels it: working children are cancelled, then it is CANCELLED. */
  cancel(): void {
    this.requireWorking();
    this.end('CANCELLED', 'cancelled by the trader');
  }

  /** Filled toward the quantity, and the average of those fills (wire units, rounded). */
  abstract progress(): AlgoProgress;

  /** The progress of an algorithm whose children all work toward its quantity (no exits). */
  protected childrenProgress(): AlgoProgress {
    const f = fillsOf(this.ctx.children());
    return {
      filled: f.quantity,
      averagePrice: f.quantity === 0 ? 0 : Math.round(f.value / f.quantity),
      exited: 0,
      target: 0,
      stop: 0,
    };
  }

  /** The state to save (JSON), with the base's. */
  saved(): { own: T; base: BaseState } {
    return { own: this.state, base: { cancelled: [...this.cancelled], ending: this.ending } };
  }

  view(): AlgoView {
    const i = this.ctx.instrument;
    const p = this.progress();
    return {
      algoId: this.id,
      kind: this.spec.kind,
      status: this.status,
      phase: this.phase,
      reason: this.reason,
      instrumentToken: i.instrumentToken,
      exchange: i.exchange,
      tradingsymbol: i.tradingsymbol,
      priceDivisor: i.priceDivisor,
      side: this.spec.side,
      product: this.spec.product,
      quantity: this.spec.quantity,
      filledQuantity: p.filled,
      averagePrice: p.averagePrice,
      targetPrice: p.target,
      stopPrice: p.stop,
      exitedQuantity: p.exited,
      children: this.ctx.children().map((c) => c.clientOrderId),
      benchmark: null,
      spec: this.spec,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }

  /** Whether it has ended or is ending (a child refused, an unexpected end found mid-step). */
  protected isStopped(): boolean {
    return this.status !== 'WORKING' || this.ending !== null;
  }

  protected requireWorking(): void {
    if (this.status !== 'WORKING' || this.ending !== null)
      throw algoRefusal(
        'ALGO_ENDED',
        `${this.spec.kind} ${this.id} is ${this.ending === null ? this.status : 'ending'}.`,
      );
  }

  /**
   * Ends the algorithm: its working children are cancelled and, once none works, it takes `status`.
   * The first reason given is kept.
   */
  protected end(status: Exclude<AlgoStatus, 'WORKING'>, reason: string): void {
    if (this.status !== 'WORKING') return;
    if (this.ending === null) this.ending = { status, reason };
    this.phase = 'ending: cancelling its working orders';
    if (this.drain()) {
      this.status = this.ending.status;
      this.reason = this.ending.reason;
      this.phase = '';
    }
  }

  /** Asks to cancel every working child it can; true when none works any more. */
  protected drain(): boolean {
    let working = 0;
    for (const c of this.ctx.children()) {
      if (!isWorking(c)) continue;
      working++;
      this.cancelChild(c);
    }
    return working === 0;
  }

  /** Cancels one child, remembered as cancelled by this algorithm. */
  protected cancelChild(c: OrderView): void {
    if (!canCancel(c)) return;
    this.cancelled.add(c.clientOrderId);
    this.ctx.cancel(c.clientOrderId);
  }

  /**
   * The first child cancelled or rejected that it did not expect: a cancel it did not ask for (the
   * kill switch, cancel all, a cancel by hand or by the exchange), or a rejection (not an absent one).
   * An algorithm never fights these: it ends.
   */
  protected unexpectedEnd(
    children: readonly OrderView[],
  ): { status: 'CANCELLED' | 'FAILED'; reason: string } | null {
    for (const c of children) {
      if (c.state === 'CANCELLED' && !this.cancelled.has(c.clientOrderId))
        return {
          status: 'CANCELLED',
          reason: `order ${c.clientOrderId} was cancelled outside the ${this.spec.kind} (kill switch, cancel all, by hand or by the exchange)`,
        };
      if (c.state === 'REJECTED' && !isAbsent(c) && !isRateRefused(c))
        return { status: 'FAILED', reason: `order ${c.clientOrderId} was rejected: ${c.reason}` };
    }
    return null;
  }

  /**
   * Places a child. A refusal that passes (the order rate, a reconciliation under way) leaves the
   * algorithm waiting: a later step asks again. Any other ends it FAILED with the refusal's reason.
   */
  protected placeChild(order: ChildOrder): OrderView | undefined {
    try {
      const placed = this.ctx.place(order);
      this.waiting = '';
      return placed;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const code = refusalCode(e);
      if (code !== undefined && PASSING_REFUSALS.has(code)) {
        this.waiting = `waiting: ${message}`;
        return undefined;
      }
      this.end('FAILED', `a ${order.side} ${order.orderType} of ${order.quantity} was refused: ${message}`);
      return undefined;
    }
  }

  /** Why its last placement waits ('' when it does not): shown as its phase. */
  protected waiting = '';
}

/** Rounds a wire price down / up to the tick. */
export const floorToTick = (price: number, tick: number): number => Math.floor(price / tick) * tick;
export const ceilToTick = (price: number, tick: number): number => Math.ceil(price / tick) * tick;

/** `n` as rupees for phases and reasons ("1,500.05"), from wire units. */
export function formatWire(price: number, divisor: number): string {
  const decimals = divisor >= 10_000 ? 4 : 2;
  return (price / divisor).toLocaleString('en-IN', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** Sum of fills and their value over some children. */
export function fillsOf(children: readonly OrderView[]): { quantity: number; value: number } {
  let quantity = 0;
  let value = 0;
  for (const c of children) {
    quantity += c.filledQuantity;
    value += c.filledQuantity * c.averagePrice;
  }
  return { quantity, value };
}
