/**
 * Runs the engine's algorithms (algo.ts) over the OMS: creates them, feeds them their children's
 * changes, price updates and a periodic step, saves them, and rebuilds them after a restart.
 *
 * - A child is an ordinary order placed through `OrderManager.placeNow` with the algorithm's id as
 *   its `parentId`: validation, pre-trade risk and the journal apply to it as to any order, and one
 *   algorithm's children are one slice group for the duplicate guard.
 * - An algorithm's row is written before its first child is placed, and after every step that
 *   changed it. At a start, once reconciliation is `ok` (so every child's state is the broker's),
 *   the account's working algorithms are rebuilt from their rows and their children and stepped:
 *   each resumes or ends by its own rules, without sending anything it had sent.
 * - Steps never nest: a child's change reported while a step runs (the OMS reports a new child in
 *   the same call that places it) queues another step of that algorithm, run when the first ends.
 */
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import { AlgoSpecSchema } from '../../../shared/services/algos';
import type { AlgoSpec, AlgoSpecInput, AlgoView, ModifyAlgo } from '../../../shared/services/algos';
import type { OrderView } from '../../../shared/services/orders';
import { formatIstDate } from '../../../shared/time/ist';
import { istDayStart } from '../market/bars';
import type { Instrument } from '../market/instruments';
import { refusal } from '../oms/orderManager';
import type { OrderManager, PlaceRequest } from '../oms/orderManager';
import type { AlgoRow, AlgoStore } from '../store/algoStore';
import { algoRefusal } from './algo';
import type { Algo, AlgoContext, AlgoInstrument, AlgoQuote, BaseState, ChildOrder, GttBroker } from './algo';
import { Bracket, checkBracket } from './bracket';
import type { BracketState } from './bracket';
import { Iceberg } from './iceberg';
import type { IcebergState } from './iceberg';
import { SESSION_MINUTES, volumeCurve } from './schedule';
import type { VolumeCandle } from './schedule';
import { Scheduled } from './scheduled';
import { closesFor, Conditional } from './conditional';
import type { ConditionalState } from './conditional';
import type { ScheduledState, VolumeCurveInput } from './scheduled';

export interface AlgoEngineOptions {
  readonly oms: OrderManager;
  readonly store: AlgoStore;
  readonly instrument: (instrumentToken: number) => Instrument | undefined;
  readonly lastPrice: (instrumentToken: number) => number;
  /** The instrument's touch and day volume (TWAP, VWAP); undefined before its first tick. */
  readonly quote?: (instrumentToken: number) => AlgoQuote | undefined;
  /** 1-minute candles of an instrument over [fromMs, toMs), for a VWAP's volume curve. */
  readonly minuteHistory?: (
    instrumentToken: number,
    fromMs: number,
    toMs: number,
  ) => Promise<readonly VolumeCandle[]>;
  /** Closed bars of an instrument and interval (close in wire units) until disposed. */
  readonly watchBars?: (
    instrumentToken: number,
    interval: string,
    listener: (close: number) => void,
  ) => Disposable;
  /** Candles of an instrument and interval over [fromMs, toMs), oldest first (a conditional's indicator seed). */
  readonly barHistory?: (
    instrumentToken: number,
    interval: string,
    fromMs: number,
    toMs: number,
  ) => Promise<readonly { time: number; close: number }[]>;
  /** The broker's GTTs on the current connection (none in paper mode). */
  readonly gtt?: () => GttBroker | undefined;
  /** Price updates of an instrument (and its feed kept subscribed) until disposed. */
  readonly watch?: (instrumentToken: number, listener: () => void) => Disposable;
  /** Unique per run (the OMS's client order id prefix): algorithm ids are it plus a sequence. */
  readonly runPrefix: string;
  readonly now: () => number;
  readonly random: () => number;
  readonly log: (line: string) => void;
  /** Every working algorithm is stepped this often (retries of requests a broker refused), ms. */
  readonly stepMs?: number;
}

type AnyAlgo = Algo<AlgoSpec, object>;

function first(set: ReadonlySet<string>): string | undefined {
  for (const v of set) return v;
  return undefined;
}

const DAY_MS = 86_400_000;
const BAR_MINUTES: Readonly<Record<string, number>> = {
  '1m': 1,
  '3m': 3,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '1h': 60,
};

/** Most steps one kick runs before it leaves the rest for the next (a guard against a step that never settles). */
const MAX_STEPS_PER_KICK = 1_000;

export class AlgoEngine implements Disposable {
  private readonly o: AlgoEngineOptions;
  private readonly algos = new Map<string, AnyAlgo>();
  private readonly childIds = new Map<string, string[]>();
  /** What was last written to each algorithm's row, and what its listeners were last shown. */
  private readonly saved = new Map<string, string>();
  private readonly shown = new Map<string, string>();
  private readonly watches = new Map<string, Disposable>();
  private readonly barWatches = new Map<string, { interval: string; watch: Disposable }>();
  private readonly listeners = new Set<(a: AlgoView) => void>();
  private readonly dirty = new Set<string>();
  private readonly prices = new Set<string>();
  private running = false;
  private sequence = 0;
  private loadedAccount: string | undefined;
  private readonly subscriptions: Disposable[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  /** The last refusal a child placement met (start reports its first child's). */
  private lastRefusal: unknown;

  constructor(options: AlgoEngineOptions) {
    this.o = options;
    this.subscriptions.push(
      options.oms.onOrder((o) => {
        this.onOrder(o);
      }),
      options.oms.onReconciliation((r) => {
        if (r.state === 'ok' && this.loadedAccount !== options.oms.currentAccount) this.load();
        else if (r.state === 'offline') this.unload();
      }),
    );
    this.timer = setInterval(() => {
      this.stepWorking();
    }, options.stepMs ?? 500);
    this.timer.unref();
    if (options.oms.reconciliationState.state === 'ok') this.load();
  }

  // --- the contract -------------------------------------------------------------------------------

  /**
   * `start`, after what a VWAP needs first: its volume curve from the instrument's 1-minute history
   * (flat, and its phase says why, when there is none).
   */
  async startWithHistory(input: AlgoSpecInput): Promise<AlgoView> {
    const spec = AlgoSpecSchema.parse(input);
    if (spec.kind === 'vwap')
      return this.start(spec, await this.curveOf(spec.instrumentToken, spec.historyDays));
    if (spec.kind === 'conditional' && spec.condition.on === 'indicator') {
      const c = spec.condition;
      return this.start(
        spec,
        undefined,
        await this.closesOf(spec.instrumentToken, c.interval, closesFor(c.period)),
      );
    }
    return this.start(spec);
  }

  /** The last `count` closes of an interval's bars before now, for an indicator (none without history). */
  private async closesOf(instrumentToken: number, interval: string, count: number): Promise<number[]> {
    const source = this.o.barHistory;
    if (source === undefined) return [];
    const minutes = BAR_MINUTES[interval] ?? 1;
    const now = this.o.now();
    // Sessions are 375 minutes a day: reach back enough calendar days for `count` bars.
    const days = Math.ceil((count * minutes) / 375) + 4;
    try {
      const candles = await source(instrumentToken, interval, now - days * DAY_MS, now);
      const start = now - (now % (minutes * 60_000));
      // The forming bar (started at or after the current interval's start) is not a close yet.
      return candles
        .filter((c) => c.time < start)
        .map((c) => c.close)
        .slice(-count);
    } catch (e) {
      this.o.log(`algo: indicator history unavailable: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  }

  /** The intraday volume curve of the last `days` sessions before today, IST. */
  private async curveOf(instrumentToken: number, days: number): Promise<VolumeCurveInput> {
    const flat = (why: string): VolumeCurveInput => ({
      curve: new Float64Array(SESSION_MINUTES).fill(1 / SESSION_MINUTES),
      note: `flat: ${why}`,
    });
    const source = this.o.minuteHistory;
    if (source === undefined) return flat('no history source');
    const today = istDayStart(this.o.now());
    // Enough calendar days for `days` sessions around weekends and a holiday or two.
    const from = today - (Math.ceil((days * 7) / 5) + 4) * DAY_MS;
    try {
      const candles = await source(instrumentToken, from, today);
      const byDay = new Map<number, VolumeCandle[]>();
      for (const c of candles) {
        const d = istDayStart(c.time);
        const list = byDay.get(d) ?? [];
        list.push(c);
        byDay.set(d, list);
      }
      const sessions = [...byDay.keys()].sort((a, b) => a - b).slice(-days);
      if (sessions.length === 0) return flat('no 1-minute history before today');
      return {
        curve: volumeCurve(
          sessions.map((d) => byDay.get(d) ?? []),
          { smoothingMinutes: 2 },
        ),
        note: `${sessions.length} session${sessions.length === 1 ? '' : 's'} of 1-minute volume`,
      };
    } catch (e) {
      return flat(`history unavailable (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  /** Records and starts an algorithm; rejects as the OMS would its first child, or INVALID_ALGO. */
  start(input: AlgoSpecInput, curve?: VolumeCurveInput, closes?: readonly number[]): AlgoView {
    const spec = AlgoSpecSchema.parse(input);
    const r = this.o.oms.reconciliationState;
    if (r.state !== 'ok')
      throw refusal(
        r.state === 'reconciling' ? 'RECONCILING' : r.state === 'blocked' ? 'UNEXPLAINED' : 'NO_SESSION',
        r.state === 'offline'
          ? 'Not logged in to a broker.'
          : `Orders are not accepted now (reconciliation ${r.state}).`,
      );
    const i = this.o.instrument(spec.instrumentToken);
    if (i === undefined)
      throw refusal('UNKNOWN_INSTRUMENT', `No instrument with token ${spec.instrumentToken}.`);
    const account = this.o.oms.currentAccount;
    const now = this.o.now();
    const id = `A${this.o.runPrefix}${(++this.sequence).toString(36).toUpperCase()}`;
    const algo = this.create(id, spec, this.instrumentOf(i), now, undefined, curve, closes);
    this.o.store.insert({
      algoId: id,
      account,
      kind: spec.kind,
      spec: JSON.stringify(spec),
      state: JSON.stringify(algo.saved()),
      status: 'WORKING',
      reason: '',
      tradingDate: formatIstDate(now),
      createdAt: now,
      updatedAt: now,
    });
    this.saved.set(id, JSON.stringify(algo.saved()));
    this.algos.set(id, algo);
    this.childIds.set(id, []);
    this.lastRefusal = undefined;
    this.run(algo, () => {
      algo.step();
    });
    const children = this.childIds.get(id) ?? [];
    if (algo.status === 'FAILED' && children.length === 0 && this.lastRefusal instanceof RpcError)
      throw this.lastRefusal;
    return algo.view();
  }

  modify(m: ModifyAlgo): AlgoView {
    const a = this.byId(m.algoId);
    this.run(a, () => {
      a.modify(m);
    });
    return a.view();
  }

  cancel(algoId: string): AlgoView {
    const a = this.byId(algoId);
    this.run(a, () => {
      a.cancel();
    });
    return a.view();
  }

  /** Today's algorithms and older working ones, newest first. */
  list(): AlgoView[] {
    return [...this.algos.values()].map((a) => a.view()).sort((x, y) => y.createdAt - x.createdAt);
  }

  get(algoId: string): AlgoView | undefined {
    return this.algos.get(algoId)?.view();
  }

  onAlgo(listener: (a: AlgoView) => void): Disposable {
    this.listeners.add(listener);
    return {
      dispose: () => {
        this.listeners.delete(listener);
      },
    };
  }

  // --- running ------------------------------------------------------------------------------------

  /** Steps every working algorithm (the periodic step: retries, time conditions, a GTT's status). */
  stepWorking(): void {
    for (const [id, a] of this.algos) if (a.status === 'WORKING') this.dirty.add(id);
    this.kick();
  }

  private byId(algoId: string): AnyAlgo {
    const a = this.algos.get(algoId);
    if (a === undefined) throw algoRefusal('UNKNOWN_ALGO', `No algorithm ${algoId} today.`);
    return a;
  }

  private onOrder(o: OrderView): void {
    const parent = o.parentId;
    if (parent === null || !this.algos.has(parent)) return;
    const ids = this.childIds.get(parent);
    if (ids !== undefined && !ids.includes(o.clientOrderId)) ids.push(o.clientOrderId);
    this.dirty.add(parent);
    this.kick();
  }

  /** Runs a request of the trader's on `a` (its refusal is thrown), then every step it caused. */
  private run(a: AnyAlgo, action: () => void): void {
    if (this.running) {
      action();
      this.dirty.add(a.id);
      return;
    }
    this.running = true;
    try {
      action();
      this.settle(a);
    } finally {
      this.running = false;
    }
    this.kick();
  }

  /** Steps every algorithm marked dirty (or with a price update) until none is. */
  private kick(): void {
    if (this.running) return;
    this.running = true;
    try {
      for (let n = 0; n < MAX_STEPS_PER_KICK && (this.dirty.size > 0 || this.prices.size > 0); n++) {
        // Price updates first: a trailing stop's move should not wait behind other steps.
        const priceId = first(this.prices);
        const id = priceId ?? first(this.dirty);
        if (id === undefined) break;
        if (priceId !== undefined) this.prices.delete(id);
        else this.dirty.delete(id);
        const a = this.algos.get(id);
        if (a === undefined) continue;
        try {
          if (priceId !== undefined) a.onPrice();
          else a.step();
        } catch (e) {
          this.o.log(`algo ${id}: step failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
        this.settle(a);
      }
    } finally {
      this.running = false;
    }
  }

  /** Saves `a` if it changed, tells the listeners, and keeps its price watch as it wants. */
  private settle(a: AnyAlgo): void {
    const state = JSON.stringify(a.saved());
    const key = `${a.status}\u0000${a.reason}\u0000${a.phase}\u0000${state}`;
    if (this.saved.get(a.id) !== key) {
      a.updatedAt = this.o.now();
      this.saved.set(a.id, key);
      try {
        this.o.store.update(a.id, state, a.status, a.reason, a.updatedAt);
      } catch (e) {
        this.o.log(`algo ${a.id}: could not be saved: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // Told only when something shown changed: most steps (a tick of a trailing bracket, the
    // periodic step) change nothing.
    const view = a.view();
    const shown = `${key}\u0000${view.filledQuantity} ${view.averagePrice} ${view.exitedQuantity} ${view.children.length}`;
    if (this.shown.get(a.id) !== shown) {
      const first = !this.shown.has(a.id);
      this.shown.set(a.id, shown);
      // A change of fills alone is a change too: newer by its time, as the renderer keeps the newest.
      if (!first) a.updatedAt = this.o.now();
      const told = first ? view : { ...view, updatedAt: a.updatedAt };
      for (const l of this.listeners) l(told);
    }
    const interval = a.barInterval;
    const bars = this.barWatches.get(a.id);
    if (bars !== undefined && bars.interval !== interval) {
      bars.watch.dispose();
      this.barWatches.delete(a.id);
    }
    if (interval !== null && !this.barWatches.has(a.id) && this.o.watchBars !== undefined) {
      this.barWatches.set(a.id, {
        interval,
        watch: this.o.watchBars(a.spec.instrumentToken, interval, (close) => {
          this.run(a, () => {
            a.onBar(close);
          });
        }),
      });
    }
    const watching = this.watches.get(a.id);
    if (a.wantsPrices && watching === undefined && this.o.watch !== undefined) {
      this.watches.set(
        a.id,
        this.o.watch(a.spec.instrumentToken, () => {
          this.prices.add(a.id);
          this.kick();
        }),
      );
    } else if (!a.wantsPrices && watching !== undefined) {
      watching.dispose();
      this.watches.delete(a.id);
    }
  }

  private instrumentOf(i: Instrument): AlgoInstrument {
    return {
      instrumentToken: i.instrumentToken,
      exchange: i.exchange,
      tradingsymbol: i.tradingSymbol,
      instrumentType: i.instrumentType,
      priceDivisor: i.priceDivisor,
      tickSize: i.tickSize,
      lotSize: i.lotSize,
      freezeQuantity: this.o.oms.freezeQuantityOf(i),
    };
  }

  private placeRequestOf(spec: AlgoSpec, id: string, c: ChildOrder): PlaceRequest {
    return {
      instrumentToken: spec.instrumentToken,
      side: c.side,
      quantity: c.quantity,
      orderType: c.orderType,
      product: spec.product,
      variety: 'regular',
      validity: 'DAY',
      ...(c.price === undefined ? {} : { price: c.price }),
      ...(c.triggerPrice === undefined ? {} : { triggerPrice: c.triggerPrice }),
      parentId: id,
    };
  }

  private contextFor(id: string, spec: AlgoSpec, instrument: AlgoInstrument): AlgoContext {
    const oms = this.o.oms;
    const group = oms.newSliceGroup();
    const log = this.o.log;
    const failed = (what: string) => (e: unknown) => {
      log(`algo ${id}: ${what} refused: ${e instanceof Error ? e.message : String(e)}`);
    };
    return {
      instrument,
      now: this.o.now,
      random: this.o.random,
      lastPrice: () => this.o.lastPrice(spec.instrumentToken),
      quote: () => this.o.quote?.(spec.instrumentToken),
      place: (c: ChildOrder) => {
        try {
          const placed = oms.placeNow(this.placeRequestOf(spec, id, c), group);
          placed.answered.catch(failed(`order ${placed.order.clientOrderId}`));
          const ids = this.childIds.get(id);
          if (ids !== undefined && !ids.includes(placed.order.clientOrderId))
            ids.push(placed.order.clientOrderId);
          return placed.order;
        } catch (e) {
          this.lastRefusal = e;
          throw e;
        }
      },
      gtt: () => this.o.gtt?.(),
      check: (c: ChildOrder) => {
        oms.check(this.placeRequestOf(spec, id, c));
      },
      wake: () => {
        this.dirty.add(id);
        this.kick();
      },
      modify: (clientOrderId, change) => {
        oms.modify({ clientOrderId, ...change }).catch(failed(`modify of ${clientOrderId}`));
      },
      cancel: (clientOrderId) => {
        oms.cancel(clientOrderId).catch(failed(`cancel of ${clientOrderId}`));
      },
      children: () => {
        const out: OrderView[] = [];
        for (const c of this.childIds.get(id) ?? []) {
          const v = oms.get(c);
          if (v !== undefined) out.push(v);
        }
        return out;
      },
      log: (line) => {
        log(`algo ${line}`);
      },
    };
  }

  private create(
    id: string,
    spec: AlgoSpec,
    instrument: AlgoInstrument,
    createdAt: number,
    saved: { own: object; base: BaseState } | undefined,
    curve?: VolumeCurveInput,
    closes?: readonly number[],
  ): AnyAlgo {
    const ctx = this.contextFor(id, spec, instrument);
    if (spec.kind === 'conditional')
      return new Conditional(
        id,
        spec,
        ctx,
        createdAt,
        saved as { own: ConditionalState; base: BaseState } | undefined,
        closes,
      );
    if (spec.kind === 'twap' || spec.kind === 'vwap')
      return new Scheduled(
        id,
        spec,
        ctx,
        createdAt,
        saved as { own: ScheduledState; base: BaseState } | undefined,
        curve,
      );
    if (spec.kind === 'bracket') {
      if (saved === undefined) checkBracket(spec, instrument.tickSize, instrument.lotSize);
      return new Bracket(
        id,
        spec,
        ctx,
        createdAt,
        saved as { own: BracketState; base: BaseState } | undefined,
      );
    }
    return new Iceberg(id, spec, ctx, createdAt, saved as { own: IcebergState; base: BaseState } | undefined);
  }

  /** Rebuilds the account's algorithms from their rows and children (after reconciliation). */
  private load(): void {
    this.unload();
    const oms = this.o.oms;
    const account = oms.currentAccount;
    this.loadedAccount = account;
    const children = new Map<string, OrderView[]>();
    for (const o of oms.list()) {
      if (o.parentId === null) continue;
      const list = children.get(o.parentId) ?? [];
      list.push(o);
      children.set(o.parentId, list);
    }
    let resumed = 0;
    for (const row of this.o.store.load(account, formatIstDate(this.o.now()))) {
      try {
        const a = this.rebuild(row, children.get(row.algoId) ?? []);
        if (a === undefined) continue;
        this.algos.set(a.id, a);
        if (a.status === 'WORKING') {
          resumed++;
          this.dirty.add(a.id);
        }
      } catch (e) {
        this.o.log(`algo ${row.algoId}: could not be rebuilt: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (resumed > 0) this.o.log(`algos: ${resumed} working algorithm(s) resumed`);
    this.kick();
  }

  private rebuild(row: AlgoRow, children: OrderView[]): AnyAlgo | undefined {
    const spec = AlgoSpecSchema.parse(JSON.parse(row.spec));
    const i = this.o.instrument(spec.instrumentToken);
    if (i === undefined) {
      this.o.log(`algo ${row.algoId}: instrument ${spec.instrumentToken} is not in today's list`);
      return undefined;
    }
    const saved = JSON.parse(row.state) as { own: object; base: BaseState };
    const a = this.create(row.algoId, spec, this.instrumentOf(i), row.createdAt, saved);
    a.status = row.status as AnyAlgo['status'];
    a.reason = row.reason;
    a.updatedAt = row.updatedAt;
    children.sort((x, y) => x.createdAt - y.createdAt || (x.clientOrderId < y.clientOrderId ? -1 : 1));
    this.childIds.set(
      row.algoId,
      children.map((c) => c.clientOrderId),
    );
    this.saved.set(row.algoId, `${row.status}\u0000${row.reason}\u0000\u0000${row.state}`);
    return a;
  }

  private unload(): void {
    for (const w of this.watches.values()) w.dispose();
    this.watches.clear();
    for (const w of this.barWatches.values()) w.watch.dispose();
    this.barWatches.clear();
    this.algos.clear();
    this.childIds.clear();
    this.saved.clear();
    this.shown.clear();
    this.dirty.clear();
    this.prices.clear();
    this.loadedAccount = undefined;
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.unload();
    this.listeners.clear();
  }
}
