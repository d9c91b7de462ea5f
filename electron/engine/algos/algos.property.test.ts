/**
 * Property tests of the engine's algorithms (bracket, iceberg, TWAP, VWAP) over a model market.
 *
 * What is modelled: one instrument whose last price follows a random path of whole ticks, a clock,
 * the day's volume, and the OMS and broker as the algorithms see them through `AlgoContext`: a child
 * is SENT when placed, then acknowledged (OPEN, or TRIGGER_PENDING for a stop until the last price
 * reaches its trigger), its answer lost (UNKNOWN, later found or resolved absent) or rejected by the
 * broker; a modify or cancel request makes it MODIFY_PENDING / CANCEL_PENDING until the broker
 * answers (applied or refused); it fills in whole lots when the price trades at or through it (a
 * LIMIT buy at or below its price, a sell at or above; MARKET and a triggered SL-M at the last
 * price). A kill switch cancels everything outside the algorithm and halts trading, the exchange
 * cancels a child by itself, the trader cancels the algorithm, and the OMS refuses requests
 * synchronously, as `placeNow` and the start of `modify`/`cancel` do: ORDER_RATE (passing) and
 * MAX_OPEN_ORDERS, HALTED, FREEZE_QUANTITY (not) for placements, a child no longer working for a
 * cancel. fast-check generates the path; after every call of the algorithm its invariants are
 * checked; at the end every request is answered and it is stepped until quiet, and a TWAP's or
 * VWAP's window is run out.
 *
 * The worlds (generated, or fixed per property):
 * - orderly or racy broker: on an orderly one a child does not fill while a request of its own is
 *   unanswered (the exchange sees the request before the next trade); on a racy one it fills at any
 *   time (the request is still on the wire). A bracket's OCO can overfill on a racy broker whatever
 *   the algorithm does (the stop triggers while its cancel travels), so there the bracket must only
 *   ask for nothing beyond the open position and end when its exits overfill; the strict position
 *   invariants are asserted on an orderly broker;
 * - whether ORDER_RATE also refuses modifies (the OMS's rate limiter counts them);
 * - stepped after every event, or as the engine steps it: on a change of a child (its own requests'
 *   included), on a tick when it wants prices, on the 500 ms timer.
 *
 * Why a model and not the local exchange: these interleavings (a fill between a modify and its
 * answer, a cancel refused after a fill, a rate refusal exactly when an exit is resized, an answer
 * lost) cannot be caused on demand against a real exchange process, nor replayed from a seed or
 * shrunk to the few events that matter. The real path (OMS, risk, journal, exchange) is covered by
 * bracket.test.ts, scheduled.test.ts and algos.exchange.test.ts.
 *
 * Seeds are fixed (ALGO_PROPERTY_SEED overrides them, ALGO_PROPERTY_RUNS the runs per property,
 * ALGO_PROPERTY_SHRINK_MS how long a failure shrinks; ALGO_PROPERTY_STATS=1 prints what the runs
 * reached). A failure prints its seed, path and the model's trace of what the algorithm asked and
 * what happened. Paths that once broke an invariant run first, as examples (see each).
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { RpcError } from '../../../shared/rpc/errors';
import type {
  AlgoStatus,
  BracketSpec,
  IcebergSpec,
  TwapSpec,
  VwapSpec,
} from '../../../shared/services/algos';
import type { OrderStateName, OrderType, OrderView, Side } from '../../../shared/services/orders';
import { ABSENT_REASON } from '../oms/orderLifecycle';
import { seededRandom } from '../testing/seededRandom';
import type { AlgoContext, AlgoInstrument, AlgoQuote, ChildChange, ChildOrder } from './algo';
import { Bracket, checkBracket } from './bracket';
import { Iceberg, legQuantityOf } from './iceberg';
import { SESSION_MINUTES, vwapSchedule } from './schedule';
import type { TwapSlice } from './schedule';
import { MAX_CHILD_MODIFIES, Scheduled, checkScheduled } from './scheduled';

// ---------------------------------------------------------------------------------------------------
// The market

const TICK = 5;
const DIVISOR = 100;
/** Monday 3 March 2025, 09:30 IST: inside the session, so a VWAP's curve applies. */
const T0 = Date.UTC(2025, 2, 3, 4, 0, 0);
/** The path starts at 1,000.00. */
const P0 = 100_000;
const FLOOR_PRICE = 20 * TICK;

/** What the passing runs did (ALGO_PROPERTY_STATS=1 prints it): that the paths reach what matters. */
const STATS = new Map<string, number>();
const stat = (key: string): void => {
  STATS.set(key, (STATS.get(key) ?? 0) + 1);
};

const RUNS = Number(process.env['ALGO_PROPERTY_RUNS'] ?? 150);
const SEED = process.env['ALGO_PROPERTY_SEED'];
/** A failing property shrinks for at most this long, then reports the smallest path it has. */
const SHRINK_MS = Number(process.env['ALGO_PROPERTY_SHRINK_MS'] ?? 3_000);

/**
 * fc.assert with the file's seed and runs, and `examples` (paths found before, run first); past
 * SHRINK_MS after a failure, candidates are skipped.
 */
function check<T>(seed: number, arb: fc.Arbitrary<T>, run: (value: T) => void, examples: T[] = []): void {
  let failedAt: number | undefined;
  fc.assert(
    fc.property(arb, (value) => {
      fc.pre(failedAt === undefined || Date.now() - failedAt < SHRINK_MS);
      try {
        run(value);
      } catch (e) {
        failedAt ??= Date.now();
        throw e;
      }
    }),
    {
      numRuns: RUNS,
      seed: SEED === undefined ? seed : Number(SEED),
      examples: examples.map((e): [T] => [e]),
    },
  );
}

interface World {
  /** Children fill while a request of theirs is unanswered (it is still on the wire). */
  readonly racy: boolean;
  /** The OMS's ORDER_RATE refusals apply to modifies too, not only to placements. */
  readonly modifyRefusals: boolean;
  /** Outside cancels, kill switches, broker rejections and refusals that end the algorithm. */
  readonly disrupt: boolean;
  /**
   * Stepped as the engine steps it (on a change of a child, on a tick when it wants prices, on the
   * 500 ms timer) rather than after every event.
   */
  readonly engineSteps: boolean;
}

type Ev =
  /** A tick: the price moves by `ticks` (0: a trade at the same price) and `lots` lots trade. */
  | { readonly t: 'move'; readonly ticks: number; readonly lots: number }
  /** The clock moves by `part` % of the step's maximum. */
  | { readonly t: 'time'; readonly part: number }
  /** A child the price trades at or through fills `part` % of what is left (at least a lot). */
  | { readonly t: 'fill'; readonly pick: number; readonly part: number }
  /** The broker answers the oldest request of a child (a place, a modify, a cancel), or refuses it. */
  | { readonly t: 'answer'; readonly pick: number; readonly ok: boolean }
  /** A place request's answer is lost: the child is UNKNOWN until found or resolved absent. */
  | { readonly t: 'lost'; readonly pick: number }
  /** The OMS refuses the next `n` requests with ORDER_RATE (passing). */
  | { readonly t: 'throttle'; readonly n: number }
  // Disruptions.
  /** The broker rejects a child just sent. */
  | { readonly t: 'reject'; readonly pick: number }
  /** The exchange cancels a child by itself. */
  | { readonly t: 'exchangeCancel'; readonly pick: number }
  /** The kill switch: every working child is cancelled outside the algorithm and trading halts. */
  | { readonly t: 'kill' }
  /** The OMS refuses the next placement for good (MAX_OPEN_ORDERS). */
  | { readonly t: 'refuse' }
  /** The trader cancels the algorithm. */
  | { readonly t: 'traderCancel' };

const DISRUPTIONS: ReadonlySet<Ev['t']> = new Set([
  'reject',
  'exchangeCancel',
  'kill',
  'refuse',
  'traderCancel',
]);

/** The events of a path; `throttles` weighs the OMS's ORDER_RATE refusals (out of about 120). */
const eventArb = (throttles = 4): fc.Arbitrary<Ev> =>
  fc.oneof(
    {
      weight: 26,
      arbitrary: fc.record({
        t: fc.constant('move' as const),
        ticks: fc.integer({ min: -3, max: 3 }),
        lots: fc.integer({ min: 0, max: 12 }),
      }),
    },
    {
      weight: 16,
      arbitrary: fc.record({ t: fc.constant('time' as const), part: fc.integer({ min: 0, max: 100 }) }),
    },
    {
      weight: 22,
      arbitrary: fc.record({
        t: fc.constant('fill' as const),
        pick: fc.nat({ max: 7 }),
        part: fc.integer({ min: 0, max: 100 }),
      }),
    },
    {
      weight: 26,
      arbitrary: fc.record({
        t: fc.constant('answer' as const),
        pick: fc.nat({ max: 7 }),
        ok: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
      }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('lost' as const), pick: fc.nat({ max: 7 }) }) },
    {
      weight: throttles,
      arbitrary: fc.record({ t: fc.constant('throttle' as const), n: fc.integer({ min: 1, max: 3 }) }),
    },
    {
      // Disruptions: about one in a path, each of them ending the algorithm.
      weight: 1,
      arbitrary: fc.oneof(
        fc.record({ t: fc.constant('reject' as const), pick: fc.nat({ max: 7 }) }),
        fc.record({ t: fc.constant('exchangeCancel' as const), pick: fc.nat({ max: 7 }) }),
        fc.constant({ t: 'kill' as const }),
        fc.constant({ t: 'refuse' as const }),
        fc.constant({ t: 'traderCancel' as const }),
      ),
    },
  );

const worldArb = (w: Partial<World> = {}): fc.Arbitrary<World> =>
  fc.record({
    racy: w.racy === undefined ? fc.boolean() : fc.constant(w.racy),
    modifyRefusals: w.modifyRefusals === undefined ? fc.boolean() : fc.constant(w.modifyRefusals),
    disrupt: w.disrupt === undefined ? fc.boolean() : fc.constant(w.disrupt),
    engineSteps: w.engineSteps === undefined ? fc.boolean() : fc.constant(w.engineSteps),
  });
const pathArb = (throttles?: number) => fc.array(eventArb(throttles), { minLength: 50, maxLength: 150 });

type Final = 'COMPLETE' | 'CANCELLED' | 'REJECTED';

interface Child {
  readonly id: string;
  readonly side: Side;
  readonly orderType: OrderType;
  quantity: number;
  price: number;
  triggerPrice: number;
  filled: number;
  value: number;
  /** Where the place request is: on the wire, answer lost, or at the exchange. */
  stage: 'SENT' | 'UNKNOWN' | 'LIVE';
  final: Final | null;
  reason: string;
  /** A stop whose trigger the price has reached (MARKET and LIMIT: always). */
  triggered: boolean;
  modify: { readonly change: ChildChange; readonly at: number } | null;
  cancel: 'ours' | 'outside' | null;
  readonly createdAt: number;
  updatedAt: number;
  /** Modify requests the OMS accepted. */
  modifies: number;
}

const isStop = (t: OrderType): boolean => t === 'SL' || t === 'SL-M';
const hasLimit = (t: OrderType): boolean => t === 'LIMIT' || t === 'SL';

function stateOf(c: Child): OrderStateName {
  if (c.final !== null) return c.final;
  if (c.stage !== 'LIVE') return c.stage;
  if (c.cancel !== null) return 'CANCEL_PENDING';
  if (c.modify !== null) return 'MODIFY_PENDING';
  return c.triggered ? 'OPEN' : 'TRIGGER_PENDING';
}

const refusal = (code: string, message: string): RpcError => new RpcError('REJECTED', message, { code });

/** What the market needs of the algorithm it runs (to see that nothing is asked once it ends). */
interface Driven {
  readonly status: AlgoStatus;
  saved(): { base: { ending: unknown } };
}

/** A request of the algorithm, told to the kind's checks before the OMS decides on it. */
interface Hooks {
  place?(o: ChildOrder): void;
  modify?(c: Child, change: ChildChange): void;
}

/** One placement or addition (the increase of a quantity modify, counted once the broker applied it). */
interface Sent {
  readonly at: number;
  readonly quantity: number;
  /** The child it went to: a child resolved absent never reached the broker, and sent nothing. */
  readonly child: Child;
}

class Market {
  readonly children: Child[] = [];
  readonly sends: Sent[] = [];
  readonly violations: string[] = [];
  readonly trace: string[] = [];
  now = T0;
  price = P0;
  /** No tick yet: the quote is unknown and the last price 0 (the path has a price all the same). */
  quoted: boolean;
  volume = 50_000;
  algo: Driven | undefined;
  hooks: Hooks = {};
  /** Cancels the OMS refused because the child was no longer cancellable (asked twice in a step). */
  redundantCancels = 0;
  /** Changes of children so far (each is an order update the engine steps the algorithm on). */
  changes = 0;
  private throttled = 0;
  private refuseNext = false;
  /** The kill switch tripped: the OMS refuses placements and modifies (but those that only lower a quantity). */
  halted = false;
  private sequence = 0;
  readonly random: () => number;

  constructor(
    readonly instrument: AlgoInstrument,
    readonly world: World,
    seed: number,
    quoted: boolean,
  ) {
    this.random = seededRandom(seed);
    this.quoted = quoted;
  }

  log(line: string): void {
    this.trace.push(`+${this.now - T0}ms @${this.price}: ${line}`);
  }

  violation(what: string): void {
    this.violations.push(what);
    this.log(`VIOLATION ${what}`);
  }

  /** Throws what was violated, with the trace. */
  flush(): void {
    if (this.violations.length === 0) return;
    throw new Error(`${this.violations.join('\n')}\n--- trace ---\n${this.trace.join('\n')}`);
  }

  quote(): AlgoQuote | undefined {
    if (!this.quoted) return undefined;
    return {
      lastPrice: this.price,
      bidPrice: this.price - TICK,
      askPrice: this.price + TICK,
      volume: this.volume,
    };
  }

  stopped(): boolean {
    const a = this.algo;
    return a !== undefined && (a.status !== 'WORKING' || a.saved().base.ending !== null);
  }

  view(c: Child): OrderView {
    const i = this.instrument;
    return {
      clientOrderId: c.id,
      brokerOrderId: c.stage === 'LIVE' ? `B${c.id}` : null,
      source: 'strategy',
      strategyId: null,
      instrumentToken: i.instrumentToken,
      exchange: i.exchange,
      tradingsymbol: i.tradingsymbol,
      priceDivisor: i.priceDivisor,
      side: c.side,
      orderType: c.orderType,
      product: 'MIS',
      variety: 'regular',
      validity: 'DAY',
      quantity: c.quantity,
      price: c.price,
      triggerPrice: c.triggerPrice,
      filledQuantity: c.filled,
      averagePrice: c.filled === 0 ? 0 : Math.round(c.value / c.filled),
      state: stateOf(c),
      reason: c.reason,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      parentId: 'A1',
    };
  }

  context(): AlgoContext {
    return {
      instrument: this.instrument,
      now: () => this.now,
      random: () => this.random(),
      lastPrice: () => (this.quoted ? this.price : 0),
      quote: () => this.quote(),
      place: (o) => this.place(o),
      modify: (id, change) => {
        this.modify(id, change);
      },
      cancel: (id) => {
        this.cancel(id);
      },
      children: () => this.children.map((c) => this.view(c)),
      log: (line) => {
        this.log(`algo: ${line}`);
      },
    };
  }

  private find(id: string): Child | undefined {
    const c = this.children.find((x) => x.id === id);
    if (c === undefined) this.violation(`asked about ${id}, which it never placed`);
    return c;
  }

  private checkPrices(
    what: string,
    orderType: OrderType,
    price: number | undefined,
    trigger: number | undefined,
  ): void {
    if (hasLimit(orderType) !== (price !== undefined))
      this.violation(`${what}: a ${orderType} ${price === undefined ? 'without' : 'with'} a price`);
    if (isStop(orderType) !== (trigger !== undefined))
      this.violation(`${what}: a ${orderType} ${trigger === undefined ? 'without' : 'with'} a trigger`);
    for (const p of [price, trigger])
      if (p !== undefined && (!(p > 0) || p % TICK !== 0))
        this.violation(`${what}: price ${p} is not a tick multiple > 0`);
  }

  place(o: ChildOrder): OrderView {
    const { lotSize, freezeQuantity } = this.instrument;
    const what = `place ${o.side} ${o.orderType} ${o.quantity}${o.price === undefined ? '' : ` @${o.price}`}${o.triggerPrice === undefined ? '' : ` trigger ${o.triggerPrice}`}`;
    this.log(what);
    if (this.stopped()) this.violation(`${what} while ending or ended (${this.algo?.status ?? ''})`);
    if (!(o.quantity > 0) || o.quantity % lotSize !== 0)
      this.violation(`${what}: not a whole number of lots of ${lotSize}`);
    const aboveFreeze = freezeQuantity !== null && o.quantity > freezeQuantity;
    if (aboveFreeze) this.violation(`${what}: above the freeze quantity ${freezeQuantity}`);
    this.checkPrices(what, o.orderType, o.price, o.triggerPrice);
    this.hooks.place?.(o);
    // The OMS's refusals, as placeNow throws them.
    if (aboveFreeze) throw refusal('FREEZE_QUANTITY', `Quantity ${o.quantity} is above the freeze quantity.`);
    if (this.halted) {
      this.log('refused: HALTED');
      throw refusal('HALTED', 'Trading is halted (kill switch).');
    }
    if (this.throttled > 0) {
      this.throttled--;
      this.log('refused: ORDER_RATE');
      throw refusal('ORDER_RATE', 'Order rate limit (10/s, 400/min, 5000/day).');
    }
    if (this.refuseNext) {
      this.refuseNext = false;
      this.log('refused: MAX_OPEN_ORDERS');
      throw refusal('MAX_OPEN_ORDERS', 'Too many open orders.');
    }
    const c: Child = {
      id: `C${++this.sequence}`,
      side: o.side,
      orderType: o.orderType,
      quantity: o.quantity,
      price: o.price ?? 0,
      triggerPrice: o.triggerPrice ?? 0,
      filled: 0,
      value: 0,
      stage: 'SENT',
      final: null,
      reason: '',
      triggered: !isStop(o.orderType),
      modify: null,
      cancel: null,
      createdAt: this.now,
      updatedAt: this.now,
      modifies: 0,
    };
    this.children.push(c);
    this.changes++;
    this.sends.push({ at: this.now, quantity: o.quantity, child: c });
    this.log(`  -> ${c.id} SENT`);
    return this.view(c);
  }

  modify(id: string, change: ChildChange): void {
    const c = this.find(id);
    if (c === undefined) return;
    const what = `modify ${id} ${JSON.stringify(change)}`;
    this.log(what);
    if (this.stopped()) this.violation(`${what} while ending or ended`);
    const state = stateOf(c);
    if (state !== 'OPEN' && state !== 'TRIGGER_PENDING') {
      // The OMS refuses it; the algorithms look before they ask.
      this.violation(`${what}: the child is ${state}, not modifiable`);
      return;
    }
    const { lotSize, freezeQuantity } = this.instrument;
    const q = change.quantity ?? c.quantity;
    if (!(q > 0) || q % lotSize !== 0) this.violation(`${what}: not a whole number of lots`);
    if (freezeQuantity !== null && q > freezeQuantity) {
      this.violation(`${what}: above the freeze quantity ${freezeQuantity}`);
      return;
    }
    if (q < c.filled) {
      this.violation(`${what}: below the ${c.filled} it has filled`);
      return;
    }
    this.checkPrices(
      what,
      c.orderType,
      change.price ?? (hasLimit(c.orderType) ? c.price : undefined),
      change.triggerPrice ?? (isStop(c.orderType) ? c.triggerPrice : undefined),
    );
    this.hooks.modify?.(c, change);
    // As the OMS: a modify that only lowers the quantity passes while halted and is not held to the
    // order rate (it takes risk away, as a partial cancel).
    const reducing =
      change.quantity !== undefined &&
      change.quantity < c.quantity &&
      change.price === undefined &&
      change.triggerPrice === undefined;
    if (this.halted && !reducing) {
      this.log('  refused: HALTED');
      return;
    }
    if (this.world.modifyRefusals && this.throttled > 0 && !reducing) {
      this.throttled--;
      this.log('  refused: ORDER_RATE');
      return;
    }
    c.modify = { change, at: this.now };
    c.modifies++;
    this.touch(c);
  }

  cancel(id: string): void {
    const c = this.find(id);
    if (c === undefined) return;
    this.log(`cancel ${id}`);
    const state = stateOf(c);
    if (state !== 'OPEN' && state !== 'TRIGGER_PENDING' && state !== 'MODIFY_PENDING') {
      // The OMS refuses it (NOT_MODIFIABLE) and the engine logs the refusal: harmless, counted.
      this.redundantCancels++;
      this.log(`  refused: ${id} is ${state}`);
      return;
    }
    c.cancel = 'ours';
    this.touch(c);
  }

  /** A child changed: the OMS tells the engine, which steps the algorithm. */
  private touch(c: Child): void {
    c.updatedAt = this.now;
    this.changes++;
  }

  // --- the broker and the exchange ----------------------------------------------------------------

  private through(side: Side, trigger: number): boolean {
    return side === 'BUY' ? this.price >= trigger : this.price <= trigger;
  }

  private retrigger(c: Child): void {
    if (c.final === null && c.stage === 'LIVE' && !c.triggered && this.through(c.side, c.triggerPrice)) {
      c.triggered = true;
      // An SL rests as a limit (an order update); an SL-M is a market order now, and what the OMS
      // hears of it is its fill.
      if (c.orderType === 'SL') this.touch(c);
      this.log(`  ${c.id} triggered`);
    }
  }

  private fillable(c: Child): boolean {
    if (c.final !== null || c.stage !== 'LIVE' || !c.triggered) return false;
    if (!this.world.racy && (c.modify !== null || c.cancel !== null)) return false;
    if (!hasLimit(c.orderType)) return true;
    return c.side === 'BUY' ? this.price <= c.price : this.price >= c.price;
  }

  private finish(c: Child, final: Final, reason = ''): void {
    c.final = final;
    c.reason = reason || c.reason;
    c.modify = null;
    c.cancel = null;
    this.touch(c);
    this.log(`  ${c.id} ${final}${reason === '' ? '' : ` (${reason})`}`);
  }

  /** As the engine (oms/trading.ts): an order that opens while trading is halted is cancelled as it opens. */
  private cancelIfHalted(c: Child): void {
    if (!this.halted || c.final !== null || c.cancel !== null) return;
    this.log(`  ${c.id} opened while halted: cancelled`);
    c.cancel = 'outside';
    this.touch(c);
  }

  /** Answers the child's oldest request; `ok` false refuses it. */
  answer(c: Child, ok: boolean): void {
    if (c.stage === 'SENT') {
      c.stage = 'LIVE';
      this.log(`  ${c.id} acknowledged`);
      this.retrigger(c);
      this.cancelIfHalted(c);
    } else if (c.stage === 'UNKNOWN') {
      if (ok) {
        c.stage = 'LIVE';
        this.log(`  ${c.id} found at the broker`);
        this.retrigger(c);
        this.cancelIfHalted(c);
      } else this.finish(c, 'REJECTED', ABSENT_REASON);
    } else if (c.modify !== null) {
      const { change, at } = c.modify;
      c.modify = null;
      const q = change.quantity ?? c.quantity;
      if (!ok || q <= c.filled) {
        c.reason = 'modify refused by the broker';
        this.log(`  ${c.id} modify refused`);
      } else {
        if (q > c.quantity) this.sends.push({ at, quantity: q - c.quantity, child: c });
        c.quantity = q;
        if (change.price !== undefined) c.price = change.price;
        if (change.triggerPrice !== undefined) c.triggerPrice = change.triggerPrice;
        this.log(`  ${c.id} modified: ${c.quantity} @${c.price} trigger ${c.triggerPrice}`);
        this.retrigger(c);
      }
    } else if (c.cancel !== null) {
      if (ok || c.cancel === 'outside') this.finish(c, 'CANCELLED');
      else {
        c.cancel = null;
        c.reason = 'cancel refused by the broker';
        this.log(`  ${c.id} cancel refused`);
      }
    }
    this.touch(c);
  }

  /** Children with a request unanswered. */
  pending(): Child[] {
    return this.children.filter(
      (c) => c.final === null && (c.stage !== 'LIVE' || c.modify !== null || c.cancel !== null),
    );
  }

  /** Applies one event; true when it was a tick (the algorithm may want the price). */
  apply(e: Ev, maxStepMs: number): boolean {
    const lot = this.instrument.lotSize;
    switch (e.t) {
      case 'move': {
        this.price = Math.max(FLOOR_PRICE, this.price + e.ticks * TICK);
        this.volume += e.lots * lot;
        this.quoted = true;
        this.log(`tick ${this.price}, volume ${this.volume}`);
        for (const c of this.children) this.retrigger(c);
        return true;
      }
      case 'time':
        this.now += 1 + Math.floor((e.part / 100) * maxStepMs);
        return false;
      case 'fill': {
        const candidates = this.children.filter((c) => this.fillable(c));
        const c = candidates[e.pick % Math.max(1, candidates.length)];
        if (c === undefined) return false;
        const left = (c.quantity - c.filled) / lot;
        const q = Math.min(left, 1 + Math.floor((e.part / 100) * left)) * lot;
        const at = hasLimit(c.orderType) ? c.price : this.price;
        c.filled += q;
        c.value += q * at;
        this.touch(c);
        this.volume += q;
        this.log(`fill ${c.id} ${q} @${at} (${c.filled}/${c.quantity}, ${stateOf(c)})`);
        if (c.filled === c.quantity) this.finish(c, 'COMPLETE');
        return false;
      }
      case 'answer': {
        const p = this.pending();
        const c = p[e.pick % Math.max(1, p.length)];
        if (c !== undefined) {
          this.log(`answer ${c.id}${c.stage === 'SENT' ? '' : e.ok ? ' ok' : ' refused'}`);
          this.answer(c, e.ok);
        }
        return false;
      }
      case 'lost': {
        const sent = this.children.filter((c) => c.final === null && c.stage === 'SENT');
        const c = sent[e.pick % Math.max(1, sent.length)];
        if (c !== undefined) {
          c.stage = 'UNKNOWN';
          this.touch(c);
          this.log(`${c.id}: answer lost, UNKNOWN`);
        }
        return false;
      }
      case 'throttle':
        this.throttled += e.n;
        this.log(`the OMS refuses the next ${e.n} requests (ORDER_RATE)`);
        return false;
      case 'reject': {
        const sent = this.children.filter((c) => c.final === null && c.stage === 'SENT');
        const c = sent[e.pick % Math.max(1, sent.length)];
        if (c !== undefined) this.finish(c, 'REJECTED', 'RMS: margin exceeds');
        return false;
      }
      case 'exchangeCancel': {
        const live = this.children.filter((c) => c.final === null && c.stage === 'LIVE');
        const c = live[e.pick % Math.max(1, live.length)];
        if (c !== undefined) this.finish(c, 'CANCELLED', 'cancelled by the exchange');
        return false;
      }
      case 'kill':
        this.halted = true;
        this.log('KILL SWITCH');
        for (const c of this.children)
          if (c.final === null && c.stage === 'LIVE' && c.cancel === null) {
            c.cancel = 'outside';
            this.touch(c);
          }
        return false;
      case 'refuse':
        this.refuseNext = true;
        return false;
      case 'traderCancel':
        // The drive cancels the algorithm itself.
        return false;
    }
  }

  // --- reading the children --------------------------------------------------------------------

  filledOf(cs: readonly Child[]): number {
    return cs.reduce((n, c) => n + c.filled, 0);
  }

  /** Unfilled quantity of working children, at the larger of a pending quantity modify and now. */
  committedOf(cs: readonly Child[]): number {
    return cs
      .filter((c) => c.final === null)
      .reduce((n, c) => n + Math.max(c.quantity, c.modify?.change.quantity ?? 0) - c.filled, 0);
  }

  working(): Child[] {
    return this.children.filter((c) => c.final === null);
  }
}

// ---------------------------------------------------------------------------------------------------
// The drive

type AnyAlgo = Bracket | Iceberg | Scheduled;

/** The engine steps every working algorithm this often (AlgoEngine's default stepMs). */
const TIMER_MS = 500;

const ALLOWED: Readonly<Record<AnyAlgo['spec']['kind'], ReadonlySet<AlgoStatus>>> = {
  bracket: new Set(['WORKING', 'COMPLETED', 'CANCELLED', 'FAILED']),
  iceberg: new Set(['WORKING', 'COMPLETED', 'CANCELLED', 'FAILED']),
  twap: new Set(['WORKING', 'COMPLETED', 'CANCELLED', 'FAILED', 'EXPIRED']),
  vwap: new Set(['WORKING', 'COMPLETED', 'CANCELLED', 'FAILED', 'EXPIRED']),
};

interface Checks {
  /** Before each call of the algorithm. */
  before?(): void;
  /** After each call: the kind's invariants. */
  after(): void;
  /** Once every request is answered and the algorithm is quiet. */
  settled?(): void;
}

/** The invariants every algorithm has, after each of its steps. */
function commonChecks(m: Market, a: AnyAlgo, last: { status: AlgoStatus }): void {
  if (!ALLOWED[a.spec.kind].has(a.status))
    m.violation(`status ${a.status} is not one a ${a.spec.kind} takes`);
  if (last.status !== 'WORKING' && a.status !== last.status)
    m.violation(`status went from ${last.status} to ${a.status} after it ended`);
  last.status = a.status;
  if (a.status !== 'WORKING') {
    const w = m.working();
    if (w.length > 0)
      m.violation(`${a.status} with children working: ${w.map((c) => `${c.id} ${stateOf(c)}`).join(', ')}`);
  }
  for (const c of m.children)
    if (c.filled > c.quantity) m.violation(`${c.id} filled ${c.filled} of ${c.quantity}`);
}

/** Answers every request and steps until nothing is pending (at most `rounds` rounds). */
function settle(m: Market, call: (f: () => void) => void, a: AnyAlgo, rounds = 50): void {
  for (let i = 0; i < rounds; i++) {
    const pending = m.pending();
    if (pending.length === 0) break;
    for (const c of pending) while (m.pending().includes(c)) m.answer(c, true);
    call(() => {
      a.step();
    });
  }
  if (m.pending().length > 0) m.violation('still asking the broker after 50 rounds of answers');
  m.flush();
}

function drive(m: Market, a: AnyAlgo, events: readonly Ev[], maxStepMs: number, checks: Checks): void {
  m.algo = a;
  const last = { status: a.status };
  const call = (f: () => void): void => {
    checks.before?.();
    f();
    commonChecks(m, a, last);
    checks.after();
    m.flush();
  };
  m.log(`start ${JSON.stringify(a.spec)}`);
  // Children changed by the algorithm's own requests are order updates too: it is stepped again.
  let seen = m.changes;
  let cancelledByTrader = false;
  const step = (): void => {
    seen = m.changes;
    call(() => {
      a.step();
    });
  };
  const quiet = (): void => {
    for (let n = 0; n < 20 && m.changes !== seen; n++) step();
    if (m.changes !== seen) m.violation('it changes its children at every step (20 in a row)');
  };
  step();
  quiet();
  for (const e of events) {
    if (!m.world.disrupt && DISRUPTIONS.has(e.t)) continue;
    const was = m.now;
    if (e.t === 'traderCancel') {
      if (a.status === 'WORKING' && a.saved().base.ending === null) {
        m.log('the trader cancels it');
        call(() => {
          a.cancel();
        });
        cancelledByTrader = true;
      }
      quiet();
      continue;
    }
    const tick = m.apply(e, maxStepMs);
    if (tick && a.wantsPrices) {
      seen = m.changes;
      call(() => {
        a.onPrice();
      });
    }
    if (!m.world.engineSteps || Math.floor(m.now / TIMER_MS) !== Math.floor(was / TIMER_MS)) step();
    quiet();
  }
  settle(m, call, a);
  if (a.status === 'WORKING' && a.saved().base.ending !== null)
    m.violation('still ending after every cancel was answered');
  if (cancelledByTrader && a.status === 'WORKING') m.violation('still WORKING after the trader cancelled it');
  checks.settled?.();
  m.flush();
}

// ---------------------------------------------------------------------------------------------------
// Instruments

const sides = fc.constantFrom<Side>('BUY', 'SELL');
const lots = fc.constantFrom(1, 25, 75);

function instrument(lotSize: number, freezeQuantity: number | null, option = false): AlgoInstrument {
  return {
    instrumentToken: 408_065,
    exchange: option ? 'NFO' : 'NSE',
    tradingsymbol: option ? 'NIFTY25MAR22500CE' : 'INFY',
    instrumentType: option ? 'CE' : 'EQ',
    priceDivisor: DIVISOR,
    tickSize: TICK,
    lotSize,
    freezeQuantity,
  };
}

/** `ticks` ticks better for the side than `from` (below for a buy). */
const better = (side: Side, from: number, ticks: number): number =>
  side === 'BUY' ? from - ticks * TICK : from + ticks * TICK;

// ---------------------------------------------------------------------------------------------------
// Bracket

/**
 * A valid bracket and its instrument. `minLots` > 1 makes partial fills (and so resizes) possible;
 * `levels` is the most ticks its target and stop are from the entry.
 */
const bracketArb = ({ minLots = 1, maxLots = 8, levels = 12 } = {}) =>
  fc
    .record({
      side: sides,
      lot: lots,
      lots: fc.integer({ min: minLots, max: maxLots }),
      option: fc.boolean(),
      entry: fc.constantFrom<BracketSpec['entry']['orderType']>('LIMIT', 'MARKET', 'SL', 'SL-M'),
      entryTicks: fc.integer({ min: 0, max: 4 }),
      band: fc.integer({ min: 0, max: 3 }),
      target: fc.record({ ticks: fc.boolean(), n: fc.integer({ min: 1, max: levels }) }),
      stop: fc.record({ ticks: fc.boolean(), n: fc.integer({ min: 1, max: levels }) }),
      trail: fc.option(
        fc.oneof(
          fc.record({ ticks: fc.integer({ min: 1, max: 8 }) }),
          fc.record({ percent: fc.integer({ min: 5, max: 150 }).map((n) => n / 100) }),
        ),
        { nil: undefined },
      ),
      breakEvenTicks: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
      freeze: fc.boolean(),
    })
    .map((g) => {
      const buy = g.side === 'BUY';
      const quantity = g.lots * g.lot;
      const away = (n: number) => (buy ? n * TICK : -n * TICK);
      let entry: BracketSpec['entry'];
      if (g.entry === 'LIMIT') entry = { orderType: 'LIMIT', price: better(g.side, P0, g.entryTicks) };
      else if (g.entry === 'MARKET') entry = { orderType: 'MARKET' };
      else {
        // A stop entry: a buy above the market, a sell below it.
        const trigger = P0 + away(1 + g.entryTicks);
        entry =
          g.entry === 'SL-M'
            ? { orderType: 'SL-M', triggerPrice: trigger }
            : { orderType: 'SL', triggerPrice: trigger, price: trigger + away(g.band) };
      }
      const reference = entry.price ?? entry.triggerPrice ?? P0;
      const spec: BracketSpec = {
        kind: 'bracket',
        instrumentToken: 408_065,
        side: g.side,
        quantity,
        product: 'MIS',
        entry,
        target: g.target.ticks ? { ticks: g.target.n } : { price: reference + away(g.target.n) },
        stop: g.stop.ticks ? { ticks: g.stop.n } : { price: reference - away(g.stop.n) },
        ...(g.trail === undefined ? {} : { trail: g.trail }),
        ...(g.breakEvenTicks === undefined ? {} : { breakEvenTicks: g.breakEvenTicks }),
      };
      return { spec, instrument: instrument(g.lot, g.freeze ? quantity + g.lot : null, g.option) };
    });

function runBracket(
  spec: BracketSpec,
  i: AlgoInstrument,
  world: World,
  seed: number,
  quoted: boolean,
  events: readonly Ev[],
): void {
  checkBracket(spec, i.tickSize, i.lotSize);
  const m = new Market(i, world, seed, quoted);
  const a = new Bracket('A1', spec, m.context(), m.now);
  const buy = spec.side === 'BUY';
  const entriesOf = () => m.children.filter((c) => c.side === spec.side);
  const exitsOf = () => m.children.filter((c) => c.side !== spec.side);
  const open = () => m.filledOf(entriesOf()) - m.filledOf(exitsOf());
  const kindOf = (c: { side: Side; orderType: OrderType }) =>
    c.side === spec.side ? 'entry' : c.orderType === 'LIMIT' ? 'target' : 'stop';
  let stopSeen = 0;

  m.hooks = {
    place(o) {
      if (o.side === spec.side) {
        const e = spec.entry;
        if (
          o.orderType !== e.orderType ||
          o.quantity !== spec.quantity ||
          o.price !== e.price ||
          o.triggerPrice !== e.triggerPrice
        )
          m.violation(`the entry placed is not the spec's: ${JSON.stringify(o)}`);
        if (entriesOf().some((c) => c.final === null || c.filled > 0))
          m.violation('a second entry while one works or has filled');
        return;
      }
      const kind = kindOf(o);
      const working = exitsOf().filter((c) => c.final === null && kindOf(c) === kind);
      if (working.length > 0)
        m.violation(`a second ${kind} while ${working.map((c) => c.id).join(', ')} works`);
      if (o.quantity > open()) m.violation(`a ${kind} of ${o.quantity} with ${open()} open`);
      const s = a.view();
      if (kind === 'target' && o.price !== s.targetPrice)
        m.violation(`the target at ${o.price}, not ${s.targetPrice}`);
      if (kind === 'stop') {
        if (o.orderType === 'MARKET') {
          const last = m.quoted ? m.price : 0;
          if (!(last > 0 && (buy ? last <= s.stopPrice : last >= s.stopPrice)))
            m.violation(`a market exit with the last price ${last} not through the stop ${s.stopPrice}`);
        } else if (o.triggerPrice !== s.stopPrice)
          m.violation(`the stop at ${o.triggerPrice}, not ${s.stopPrice}`);
        if (o.orderType !== 'MARKET' && o.orderType !== (i.instrumentType === 'CE' ? 'SL' : 'SL-M'))
          m.violation(`a stop of type ${o.orderType} on ${i.instrumentType}`);
      }
    },
    modify(c, change) {
      if (c.side === spec.side) {
        m.violation(`the entry ${c.id} modified ${JSON.stringify(change)} (nobody asked)`);
        return;
      }
      if (change.quantity !== undefined && change.quantity - c.filled > open())
        m.violation(
          `${kindOf(c)} ${c.id} resized to ${change.quantity} (filled ${c.filled}) with ${open()} open`,
        );
    },
  };

  drive(m, a, events, 2_000, {
    after() {
      const entries = entriesOf();
      const exits = exitsOf();
      const entryFilled = m.filledOf(entries);
      const exitFilled = m.filledOf(exits);
      if (entryFilled > spec.quantity) m.violation(`entries filled ${entryFilled} of ${spec.quantity}`);
      for (const kind of ['entry', 'target', 'stop'] as const) {
        const w = m.children.filter((c) => c.final === null && kindOf(c) === kind);
        if (w.length > 1) m.violation(`${w.length} ${kind} orders working: ${w.map((c) => c.id).join(', ')}`);
      }
      if (exitFilled > entryFilled) {
        // On the racy broker an OCO can overfill whatever the algorithm does; it must notice.
        if (!m.world.racy)
          m.violation(`the exits filled ${exitFilled}, more than the entry's ${entryFilled}`);
        if (!m.stopped())
          m.violation(`the exits filled ${exitFilled} > the entry's ${entryFilled} and it works on`);
      } else if (!m.stopped() && !m.world.racy && !m.world.modifyRefusals && !m.halted) {
        // Each exit it could size is within the open position (a busy one waits for its answer;
        // a refused resize leaves it as it was, and only the fills are checked then).
        const o = entryFilled - exitFilled;
        for (const c of exits)
          if (
            c.final === null &&
            (stateOf(c) === 'OPEN' || stateOf(c) === 'TRIGGER_PENDING') &&
            c.quantity - c.filled > o
          )
            m.violation(`${kindOf(c)} ${c.id} shows ${c.quantity - c.filled} with ${o} open after a step`);
      }
      const s = a.view().stopPrice;
      if (stopSeen !== 0 && (buy ? s < stopSeen : s > stopSeen))
        m.violation(`the stop loosened from ${stopSeen} to ${s}`);
      if (s !== 0) stopSeen = s;
      if (a.status === 'COMPLETED' && !(entryFilled > 0 && exitFilled === entryFilled))
        m.violation(`COMPLETED with ${entryFilled} in and ${exitFilled} out`);
    },
  });
  const entryFilled = m.filledOf(entriesOf());
  const exitFilled = m.filledOf(exitsOf());
  const w = `bracket (${world.racy ? 'racy' : 'orderly'}${world.modifyRefusals ? ', modify refusals' : ''})`;
  stat(`${w} ${a.status}`);
  if (entryFilled > 0) stat(`${w} entry filled`);
  if (entryFilled > 0 && entryFilled < spec.quantity) stat(`${w} entry part-filled`);
  if (exitFilled > 0) stat(`${w} exits filled`);
  if (exitFilled > entryFilled) stat(`${w} exits overfilled`);
  if (m.children.some((c) => c.side !== spec.side && c.orderType === 'MARKET')) stat(`${w} market exit`);
  if (a.saved().own.stopMoves > 0) stat(`${w} stop moved`);
  if (m.redundantCancels > 0) stat(`${w} a cancel asked twice in a step`);
}

// ---------------------------------------------------------------------------------------------------
// Iceberg

const icebergArb = fc
  .record({
    side: sides,
    lot: lots,
    lots: fc.integer({ min: 2, max: 40 }),
    byLegs: fc.boolean(),
    legs: fc.integer({ min: 2, max: 10 }),
    legPart: fc.integer({ min: 0, max: 99 }),
    randomise: fc.boolean(),
    priceTicks: fc.integer({ min: 0, max: 4 }),
    freeze: fc.option(fc.record({ lots: fc.integer({ min: 0, max: 4 }), units: fc.nat({ max: 74 }) }), {
      nil: undefined,
    }),
  })
  .map((g) => {
    const quantity = g.lots * g.lot;
    const legLots = g.byLegs ? Math.ceil(g.lots / g.legs) : 1 + Math.floor((g.legPart / 100) * (g.lots - 1));
    const spec: IcebergSpec = {
      kind: 'iceberg',
      instrumentToken: 408_065,
      side: g.side,
      quantity,
      product: 'MIS',
      price: better(g.side, P0, g.priceTicks),
      ...(g.byLegs ? { legs: g.legs } : { legQuantity: legLots * g.lot }),
      randomise: g.randomise,
    };
    const freeze =
      g.freeze === undefined ? null : (legLots + g.freeze.lots) * g.lot + (g.freeze.units % g.lot);
    return { spec, instrument: instrument(g.lot, freeze) };
  });

function runIceberg(
  spec: IcebergSpec,
  i: AlgoInstrument,
  world: World,
  seed: number,
  quoted: boolean,
  events: readonly Ev[],
): void {
  const leg = legQuantityOf(spec, i);
  const legLots = leg / i.lotSize;
  const maxLeg = spec.randomise ? (legLots + Math.floor(legLots / 5)) * i.lotSize : leg;
  const m = new Market(i, world, seed, quoted);
  const a = new Iceberg('A1', spec, m.context(), m.now);
  m.hooks = {
    place(o) {
      const filled = m.filledOf(m.children);
      if (o.side !== spec.side || o.orderType !== 'LIMIT' || o.price !== spec.price)
        m.violation(`a leg that is not a ${spec.side} LIMIT at ${spec.price}: ${JSON.stringify(o)}`);
      if (m.working().length > 0)
        m.violation(
          `a leg while ${m
            .working()
            .map((c) => c.id)
            .join(', ')} works`,
        );
      if (o.quantity > spec.quantity - filled)
        m.violation(`a leg of ${o.quantity} with ${spec.quantity - filled} left`);
      if (o.quantity > maxLeg) m.violation(`a leg of ${o.quantity}, above the most a leg may be (${maxLeg})`);
    },
    modify(c, change) {
      m.violation(
        `leg ${c.id} modified ${JSON.stringify(change)} (the iceberg's price and total did not change)`,
      );
    },
  };
  drive(m, a, events, 2_000, {
    after() {
      const filled = m.filledOf(m.children);
      if (filled > spec.quantity) m.violation(`filled ${filled} of ${spec.quantity}`);
      if (m.working().length > 1) m.violation(`${m.working().length} legs working`);
      if (a.status === 'COMPLETED' && filled !== spec.quantity)
        m.violation(`COMPLETED with ${filled} of ${spec.quantity}`);
    },
  });
  stat(`iceberg ${a.status}`);
  if (m.children.length > 2) stat('iceberg 3+ legs');
  if (spec.randomise && new Set(m.children.map((c) => c.quantity)).size > 1)
    stat('iceberg legs of different sizes');
}

// ---------------------------------------------------------------------------------------------------
// TWAP and VWAP

interface ScheduledGen {
  readonly side: Side;
  readonly lot: number;
  readonly lots: number;
  readonly durationSeconds: number;
  readonly delayMs: number | undefined;
  readonly limitTicks: number | undefined;
  readonly participation: number | undefined;
  readonly freezeLots: number | undefined;
}

const scheduledGen = (freeze: boolean): fc.Arbitrary<ScheduledGen> =>
  fc.record({
    side: sides,
    lot: lots,
    lots: fc.integer({ min: 1, max: 60 }),
    durationSeconds: fc.integer({ min: 10, max: 600 }),
    delayMs: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
    limitTicks: fc.option(fc.integer({ min: -3, max: 6 }), { nil: undefined }),
    participation: fc.option(
      fc.integer({ min: 2, max: 100 }).map((n) => n / 100),
      { nil: undefined },
    ),
    freezeLots: freeze ? fc.integer({ min: 1, max: 20 }) : fc.constant(undefined),
  });

function scheduledBase(g: ScheduledGen) {
  // A limit `limitTicks` above the market for a buy (below for a sell): negative is away from it.
  const limit = g.limitTicks === undefined ? undefined : better(g.side, P0, -g.limitTicks);
  return {
    instrumentToken: 408_065,
    side: g.side,
    quantity: g.lots * g.lot,
    product: 'MIS' as const,
    ...(g.delayMs === undefined ? {} : { startAt: T0 + g.delayMs }),
    durationSeconds: g.durationSeconds,
    ...(limit === undefined ? {} : { limitPrice: limit }),
    ...(g.participation === undefined ? {} : { participation: g.participation }),
  };
}

const twapArb = (o: { catchUp?: boolean; freeze: boolean }) =>
  fc
    .record({
      g: scheduledGen(o.freeze),
      slices: fc.integer({ min: 2, max: 30 }),
      jitter: fc.integer({ min: 0, max: 90 }).map((n) => n / 100),
      catchUp: o.catchUp === undefined ? fc.boolean() : fc.constant(o.catchUp),
    })
    .map(({ g, slices, jitter, catchUp }) => {
      const spec: TwapSpec = { kind: 'twap', ...scheduledBase(g), slices, jitter, catchUp };
      return {
        spec,
        instrument: instrument(g.lot, g.freezeLots === undefined ? null : g.freezeLots * g.lot),
      };
    });

const vwapArb = (freeze: boolean) =>
  fc
    .record({ g: scheduledGen(freeze), curveSeed: fc.nat(), zeros: fc.integer({ min: 0, max: 90 }) })
    .map(({ g, curveSeed, zeros }) => {
      // A random curve over the session's minutes, some of them without volume.
      const r = seededRandom(curveSeed);
      const curve = Array.from({ length: SESSION_MINUTES }, () => (r() * 100 < zeros ? 0 : r()));
      const spec: VwapSpec = { kind: 'vwap', ...scheduledBase(g), historyDays: 10 };
      return {
        spec,
        instrument: instrument(g.lot, g.freezeLots === undefined ? null : g.freezeLots * g.lot),
        curve,
      };
    });

function runScheduled(
  spec: TwapSpec | VwapSpec,
  i: AlgoInstrument,
  world: World,
  seed: number,
  quoted: boolean,
  events: readonly Ev[],
  curve: readonly number[] | undefined,
): void {
  const m = new Market(i, world, seed, quoted);
  const { startMs, endMs } = checkScheduled(spec, i, m.now);
  const a = new Scheduled(
    'A1',
    spec,
    m.context(),
    m.now,
    undefined,
    curve === undefined ? undefined : { curve, note: 'model' },
  );
  const lot = i.lotSize;
  const buy = spec.side === 'BUY';
  const own = a.saved().own;
  const slices: readonly TwapSlice[] = own.slices ?? [];
  const sliceCount = spec.kind === 'twap' ? spec.slices : Math.max(2, Math.round((endMs - startMs) / 60_000));
  const repriceMs = Math.min(30_000, Math.max(2_000, Math.floor((endMs - startMs) / sliceCount / 2)));
  // A VWAP has all of it due a tenth of the window (at most a repricing interval) before the end.
  const vwap =
    spec.kind === 'vwap'
      ? vwapSchedule({
          quantity: spec.quantity,
          lotSize: lot,
          startMs,
          endMs: endMs - Math.min(repriceMs, Math.floor((endMs - startMs) / 10)),
          curve: own.curve ?? [],
        })
      : undefined;
  /** The schedule's target now (schedule.ts's functions; the total from the window's end). */
  const targetAt = (now: number): number => {
    if (now >= endMs) return spec.quantity;
    if (vwap !== undefined) return vwap.targetAt(now);
    return slices.filter((s) => s.at <= now).reduce((n, s) => n + s.quantity, 0);
  };
  const catchUp = spec.kind === 'vwap' || spec.catchUp;
  const limit = spec.limitPrice;
  /** The day volume when the window opened, as the algorithm should read it (its first step with a price). */
  let arrivalVolume: number | undefined;

  /** A buy's near touch is the bid, its far touch the ask; within the limit. */
  const touch = (aggressive: boolean): number => {
    const p = buy === aggressive ? m.price + TICK : m.price - TICK;
    return limit === undefined ? p : buy ? Math.min(p, limit) : Math.max(p, limit);
  };

  /** sliceToSend's rule, from the model: the largest lot multiple within every bound. */
  const due = (freezeRoom: number): { send: number; why: string } => {
    const filled = m.filledOf(m.children);
    const working = m.committedOf(m.children);
    const done = filled + working;
    const target = targetAt(m.now);
    const bounds: [string, number][] = [
      [`target ${target} - done ${done}`, target - done],
      [`remaining`, Math.max(0, spec.quantity - done)],
    ];
    if (spec.participation !== undefined) {
      const mv = Math.max(0, m.volume - (arrivalVolume ?? m.volume));
      bounds.push([
        `floor(${spec.participation} x ${mv}) - done ${done}`,
        Math.floor(spec.participation * mv) - done,
      ]);
    }
    // A child is never above the freeze quantity: what does not fit waits (scheduled.ts `send`).
    if (Number.isFinite(freezeRoom)) bounds.push(['freeze room', freezeRoom]);
    if (!catchUp) {
      let latest: TwapSlice | undefined;
      for (const s of slices) if (s.at <= m.now) latest = s;
      const since = latest?.at ?? m.now;
      const sent = m.sends
        .filter((s) => s.at >= since && !(s.child.final === 'REJECTED' && s.child.filled === 0))
        .reduce((n, s) => n + s.quantity, 0);
      bounds.push([
        `slice ${latest?.quantity ?? 0} (due +${since - T0}ms) - sent in it ${sent}`,
        (latest?.quantity ?? 0) - sent,
      ]);
    }
    const room = Math.min(...bounds.map((b) => b[1]));
    return {
      send: room < lot ? 0 : Math.floor(room / lot) * lot,
      why: bounds.map(([w, v]) => `${w} = ${v}`).join('; '),
    };
  };

  const freezeLots = (): number => {
    const f = m.instrument.freezeQuantity;
    return f === null ? Number.POSITIVE_INFINITY : Math.floor(f / lot) * lot;
  };
  const checkSend = (what: string, quantity: number, childQuantity = 0): void => {
    if (m.now < startMs) m.violation(`${what} before the window opens (+${startMs - T0}ms)`);
    if (m.now >= endMs) m.violation(`${what} after the window closed (+${endMs - T0}ms)`);
    if (m.working().some((c) => stateOf(c) !== 'OPEN' && stateOf(c) !== 'TRIGGER_PENDING'))
      m.violation(`${what} while a child has a request unanswered`);
    const d = due(freezeLots() - childQuantity);
    if (quantity !== d.send) m.violation(`${what}: sends ${quantity}, the rule gives ${d.send} (${d.why})`);
  };

  m.hooks = {
    place(o) {
      const what = `place ${o.quantity} @${o.price ?? 0}`;
      if (o.side !== spec.side || o.orderType !== 'LIMIT') m.violation(`${what}: not a ${spec.side} LIMIT`);
      if (m.working().length > 0)
        m.violation(
          `${what} while ${m
            .working()
            .map((c) => c.id)
            .join(', ')} works`,
        );
      const expected = touch(m.now >= endMs - repriceMs);
      if (o.price !== expected) m.violation(`${what}: the touch (within the limit) is ${expected}`);
      if (limit !== undefined && o.price !== undefined && (buy ? o.price > limit : o.price < limit))
        m.violation(`${what}: beyond the limit ${limit}`);
      checkSend(what, o.quantity);
    },
    modify(c, change) {
      const what = `modify ${c.id} ${JSON.stringify(change)}`;
      if (change.price !== undefined) {
        if (change.price !== touch(true))
          m.violation(`${what}: the far touch (within the limit) is ${touch(true)}`);
        if (limit !== undefined && (buy ? change.price > limit : change.price < limit))
          m.violation(`${what}: beyond the limit ${limit}`);
      }
      if (change.quantity !== undefined) {
        if (change.quantity <= c.quantity) m.violation(`${what}: a quantity modify that does not add`);
        checkSend(what, change.quantity - c.quantity, c.quantity);
      }
      if (c.modifies + 1 > MAX_CHILD_MODIFIES) m.violation(`${what}: modify ${c.modifies + 1} of one child`);
    },
  };

  const maxStepMs = Math.max(500, Math.floor((endMs - T0) / 5));
  drive(m, a, events, maxStepMs, {
    before() {
      if (arrivalVolume === undefined && m.quoted && m.now >= startMs && m.now < endMs && !m.stopped())
        arrivalVolume = m.volume;
    },
    after() {
      const filled = m.filledOf(m.children);
      if (filled > spec.quantity) m.violation(`filled ${filled} of ${spec.quantity}`);
      if (m.working().length > 1) m.violation(`${m.working().length} children working`);
      const s = a.saved().own;
      if (arrivalVolume !== undefined && s.arrival > 0 && s.volumeAtStart !== arrivalVolume)
        m.violation(`the window opened with volume ${s.volumeAtStart}, the model says ${arrivalVolume}`);
      if (a.status === 'COMPLETED' && filled !== spec.quantity)
        m.violation(`COMPLETED with ${filled} of ${spec.quantity}`);
      if (a.status === 'EXPIRED' && filled >= spec.quantity)
        m.violation(`EXPIRED with ${filled} of ${spec.quantity}`);
      if (spec.participation !== undefined && arrivalVolume !== undefined) {
        const cap = Math.floor(spec.participation * Math.max(0, m.volume - arrivalVolume));
        const done = filled + m.committedOf(m.children);
        if (done > cap) m.violation(`filled + working ${done} > the cap's ${cap}`);
      }
    },
    settled() {
      // Run the window out: it must end, with nothing working.
      m.now = Math.max(m.now, endMs);
      m.log('the window is over');
      const last = { status: a.status };
      const call = (f: () => void): void => {
        f();
        commonChecks(m, a, last);
        m.flush();
      };
      call(() => {
        a.step();
      });
      settle(m, call, a);
      if (a.status === 'WORKING')
        m.violation(`still WORKING after its window closed and every request was answered`);
    },
  });
  const k = `${spec.kind}${spec.kind === 'twap' && !spec.catchUp ? ' (no catch-up)' : ''}`;
  stat(`${k} ${a.status}`);
  const filled = m.filledOf(m.children);
  if (filled > 0 && filled < spec.quantity) stat(`${k} part-filled`);
  if (m.children.length > 2) stat(`${k} 3+ children`);
  if (m.children.some((c) => c.modifies > 0)) stat(`${k} a child modified`);
}

// ---------------------------------------------------------------------------------------------------
// The properties

const common = (w: Partial<World> = {}, throttles?: number) => ({
  world: worldArb(w),
  seed: fc.nat(),
  quoted: fc.boolean(),
  events: pathArb(throttles),
});

afterAll(() => {
  if (process.env['ALGO_PROPERTY_STATS'] === undefined) return;
  const lines = [...STATS.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`);
  console.log(`algos.property: what the passing runs did\n${lines.join('\n')}`);
});

// Paths that broke an invariant, run before the random ones (what each broke is said above it).

const at = (e: Ev, n = 1): Ev[] => Array.from({ length: n }, () => e);
/** An orderly broker, no disruptions, stepped as the engine steps. */
const CALM: World = { racy: false, modifyRefusals: false, disrupt: false, engineSteps: true };

/**
 * A buy bracket of 2 fills; its target fills 1; the stop's resize to 1 is refused (ORDER_RATE) and
 * nothing steps the bracket before the price falls through the stop, which fills 2: 3 out, 2 in.
 */
const RESIZE_REFUSED = {
  b: {
    spec: {
      kind: 'bracket',
      instrumentToken: 408_065,
      side: 'BUY',
      quantity: 2,
      product: 'MIS',
      entry: { orderType: 'LIMIT', price: P0 },
      target: { price: P0 + TICK },
      stop: { price: P0 - TICK },
    } satisfies BracketSpec as BracketSpec,
    instrument: instrument(1, null),
  },
  world: { ...CALM, modifyRefusals: true },
  seed: 1,
  quoted: true,
  events: [
    { t: 'answer', pick: 0, ok: true },
    { t: 'fill', pick: 0, part: 100 },
    ...at({ t: 'answer', pick: 0, ok: true }, 2),
    { t: 'move', ticks: 1, lots: 1 },
    { t: 'throttle', n: 1 },
    { t: 'fill', pick: 0, part: 0 },
    { t: 'move', ticks: -2, lots: 1 },
    { t: 'fill', pick: 0, part: 100 },
  ] satisfies Ev[],
};

/**
 * The kill switch trips while a buy bracket's exits (2 each) are in flight: its cancel-all skips
 * them (SENT is not cancellable), they go live, and the bracket works on. Its target fills 1; the
 * stop's resize to 1 is refused (HALTED: the OMS refuses every modify, reducing ones too); the price
 * falls through the stop, which fills 2: 3 out, 2 in.
 */
const KILL_IN_FLIGHT = {
  ...RESIZE_REFUSED,
  world: { ...CALM, disrupt: true },
  events: [
    { t: 'answer', pick: 0, ok: true },
    { t: 'fill', pick: 0, part: 100 },
    { t: 'kill' },
    ...at({ t: 'answer', pick: 0, ok: true }, 2),
    { t: 'move', ticks: 1, lots: 1 },
    { t: 'fill', pick: 0, part: 0 },
    { t: 'move', ticks: -2, lots: 1 },
    { t: 'fill', pick: 0, part: 100 },
  ] satisfies Ev[],
};

/**
 * A TWAP of 4 in 2 slices of 2, without catch-up, capped at 50% of the tape: slice 1 can send only 1
 * (C1). In slice 2 it adds slice 2's 2 to C1, and then, as C1 was created in slice 1 and
 * `sentSince` counts only children created since the slice fell due, 1 more: slice 1's shortfall,
 * burst out by slice 2 (3 sent in a slice of 2).
 */
const SHORTFALL_BURST = {
  t: {
    spec: {
      kind: 'twap',
      instrumentToken: 408_065,
      side: 'BUY',
      quantity: 4,
      product: 'MIS',
      durationSeconds: 10,
      participation: 0.5,
      slices: 2,
      jitter: 0,
      catchUp: false,
    } satisfies TwapSpec as TwapSpec,
    instrument: instrument(1, null),
  },
  world: CALM,
  seed: 1,
  quoted: true,
  events: [
    { t: 'move', ticks: 0, lots: 2 },
    { t: 'answer', pick: 0, ok: true },
    ...at({ t: 'time', part: 100 }, 3),
    { t: 'move', ticks: 0, lots: 6 },
    ...at({ t: 'answer', pick: 0, ok: true }, 4),
  ] satisfies Ev[],
};

/**
 * A TWAP of 4 in 2 slices of 2 on an instrument whose freeze quantity is 1: a child of 2 (the OMS
 * refuses it, FREEZE_QUANTITY, and the TWAP ends FAILED). Random paths also find the other way past
 * it: slices within the freeze quantity added to a working child by a quantity modify.
 */
const ABOVE_FREEZE = {
  s: {
    spec: {
      kind: 'twap',
      instrumentToken: 408_065,
      side: 'BUY',
      quantity: 4,
      product: 'MIS',
      durationSeconds: 10,
      slices: 2,
      jitter: 0,
      catchUp: true,
    } satisfies TwapSpec as TwapSpec,
    instrument: instrument(1, 1),
    curve: undefined,
  },
  world: CALM,
  seed: 1,
  quoted: true,
  events: [{ t: 'move', ticks: 0, lots: 1 }] satisfies Ev[],
};

describe('algorithms over a model market (properties)', () => {
  const orderly = { racy: false, modifyRefusals: false };

  it('bracket, orderly broker: exits never exceed the entry, each exit within the open position, the stop never loosens', () => {
    check(
      101,
      fc.record({ b: bracketArb(), ...common(orderly) }),
      (r) => {
        runBracket(r.b.spec, r.b.instrument, r.world, r.seed, r.quoted, r.events);
      },
      [KILL_IN_FLIGHT],
    );
  });

  it('bracket with a trailing stop or break-even, orderly broker: the same', () => {
    const trailing = bracketArb().filter(
      (b) => b.spec.trail !== undefined || b.spec.breakEvenTicks !== undefined,
    );
    check(102, fc.record({ b: trailing, ...common(orderly) }), (r) => {
      runBracket(r.b.spec, r.b.instrument, r.world, r.seed, r.quoted, r.events);
    });
  });

  it('bracket, racy broker: every exit asked for is within the open position, and an overfill ends it', () => {
    check(103, fc.record({ b: bracketArb(), ...common({ racy: true }) }), (r) => {
      runBracket(r.b.spec, r.b.instrument, r.world, r.seed, r.quoted, r.events);
    });
  });

  it('bracket, orderly broker, the OMS refusing a resize of an exit (ORDER_RATE): exits never exceed the entry', () => {
    // Narrow brackets of two lots or more and many refusals: a partial exit fill, its resize refused,
    // the other exit filling before the next step.
    const arb = fc.record({
      b: bracketArb({ minLots: 2, maxLots: 3, levels: 2 }),
      ...common({ racy: false, modifyRefusals: true, engineSteps: true, disrupt: false }, 20),
    });
    check(
      104,
      arb,
      (r) => {
        runBracket(r.b.spec, r.b.instrument, r.world, r.seed, r.quoted, r.events);
      },
      [RESIZE_REFUSED],
    );
  });

  it('iceberg, with and without randomised legs: one leg at a time, within the freeze quantity, never past the total', () => {
    check(105, fc.record({ ice: icebergArb, ...common() }), (r) => {
      runIceberg(r.ice.spec, r.ice.instrument, r.world, r.seed, r.quoted, r.events);
    });
  });

  it('twap with catch-up: one child, sliceToSend exactly, within the limit and the window, ends with it', () => {
    check(106, fc.record({ t: twapArb({ catchUp: true, freeze: false }), ...common() }), (r) => {
      runScheduled(r.t.spec, r.t.instrument, r.world, r.seed, r.quoted, r.events, undefined);
    });
  });

  it('twap without catch-up: the same, and each slice sends at most its own quantity', () => {
    check(
      107,
      fc.record({ t: twapArb({ catchUp: false, freeze: false }), ...common() }),
      (r) => {
        runScheduled(r.t.spec, r.t.instrument, r.world, r.seed, r.quoted, r.events, undefined);
      },
      [SHORTFALL_BURST],
    );
  });

  it('vwap with a random volume curve: the same as a twap with catch-up', () => {
    check(108, fc.record({ v: vwapArb(false), ...common() }), (r) => {
      runScheduled(r.v.spec, r.v.instrument, r.world, r.seed, r.quoted, r.events, r.v.curve);
    });
  });

  it('twap and vwap on an instrument with a freeze quantity: every child within it', () => {
    const withFreeze = fc.oneof(
      twapArb({ freeze: true }).map((t) => ({ ...t, curve: undefined })),
      vwapArb(true),
    );
    check(
      109,
      fc.record({ s: withFreeze, ...common() }),
      (r) => {
        runScheduled(r.s.spec, r.s.instrument, r.world, r.seed, r.quoted, r.events, r.s.curve);
      },
      [ABOVE_FREEZE],
    );
  });
});
