/**
 * The OMS (issue 6): the order path of ARCHITECTURE.md, "Modes and the order path":
 *
 *   place -> validation (instrument, tick, lot, freeze, product) -> pre-trade risk -> journal commit
 *         -> venue. Reports (pushed order updates, polled order book, fills) -> lifecycle -> journal
 *         -> positions, P&L, streams.
 *
 * Rules it keeps:
 * - Nothing is sent before its intent is committed; bad input is refused before the journal, so a
 *   refusal writes nothing.
 * - A request whose outcome is unknown (timeout, reset) is never sent again: the order is UNKNOWN
 *   until the order book shows its tag, or it is provably absent after a grace period.
 * - On attach (a new session, a restart) the journal is reconciled with the broker (orders, then
 *   trades, then positions) before a new order is accepted; what cannot be explained blocks new
 *   orders until the user accepts it.
 * - Every event is checked by the lifecycle's transition table; a refused event is logged, never
 *   guessed at.
 */
import { formatIstDate } from '../../../shared/time/ist';
import { RpcError } from '../../../shared/rpc/errors';
import type { Disposable } from '../../../shared/disposable';
import type {
  ModifyOrder,
  OrderRefusalCode,
  OrderView,
  PlaceOrderSchema,
  Product,
  ReconciliationIssue,
  ReconciliationState,
  TradeView,
} from '../../../shared/services/orders';
import type { z } from 'zod';
import type { Instrument } from '../market/instruments';
import type { OrderRateLimiter } from '../risk/orderRate';
import { isReducing, marginRequired } from '../risk/preTrade';
import type { PreTradeContext, PreTradeOrder, PreTradeRisk, RiskState } from '../risk/preTrade';
import { chargeSegment, orderCharges } from '../../../shared/domain/charges';
import type { OrderMarginView } from '../../../shared/services/portfolio';
import type {
  OrderJournal,
  JournaledOrder,
  OrderIntent,
  FillRecord,
  IntentChange,
} from '../store/orderJournal';
import { isClientOrderId, parseClientOrderId, CLIENT_ORDER_ID_PREFIX_LENGTH } from './clientOrderId';
import type { ClientOrderIdSource } from './clientOrderId';
import { applyOrderEvent, isTerminal, parseKiteOrderStatus } from './orderLifecycle';
import type { OrderEvent, OrderState } from './orderLifecycle';
import { Portfolio } from './portfolio';
import { freezeSlices } from './slices';
import { defaultMarketProtection } from './protection';
import { marginSegmentOf } from './preTradeData';
import type { PreTradeData } from './preTradeData';
import { VenueError } from './venue';
import type { OrderVenue, VenueMarginRequest, VenueOrderReport, VenueTrade } from './venue';

/**
 * A place request after the contract's schema (defaults applied). `parentId`: the engine algorithm
 * placing it as a child (electron/engine/algos); never from the contract.
 */
export type PlaceRequest = z.output<typeof PlaceOrderSchema> & { readonly parentId?: string };

/** An order handed to the broker by `placeNow`: its view at once, and the broker's answer. */
export interface PlacedOrder {
  readonly order: OrderView;
  /** As `place`'s promise: ACCEPTED or later, REJECTED, or UNKNOWN when the answer was lost. */
  readonly answered: Promise<OrderView>;
}

export interface OrderManagerOptions {
  readonly journal: OrderJournal;
  readonly instrument: (instrumentToken: number) => Instrument | undefined;
  /** Last traded price in wire units, 0 when unknown. */
  readonly lastPrice: (instrumentToken: number) => number;
  /** The pre-trade checks (replaced when the limits change: see `setRisk`). */
  readonly risk: PreTradeRisk;
  /** The order rate limiter shared by every path (modifications count too). */
  readonly rate: OrderRateLimiter;
  /** The engine's trading state (the governor's). */
  readonly riskState: () => RiskState;
  readonly ids: ClientOrderIdSource;
  readonly now: () => number;
  readonly log: (line: string) => void;
  /** Order book poll while orders are working (default 1 s); the push updates are the fast path. */
  readonly pollMs?: number;
  /** An UNKNOWN order absent from the order book this long after it was sent is REJECTED (default 5 s). */
  readonly unknownGraceMs?: number;
  /** Keeps an instrument in the feed (for its last price) until the returned function is called. */
  readonly retain?: (instrumentToken: number) => () => void;
  /** The journal refused a write (disk full, read-only, a constraint): the engine must stop trading. */
  readonly onJournalError?: (error: unknown) => void;
  /** Told of broker rejections and unknown outcomes (the circuit breakers). */
  readonly onAnomaly?: (kind: 'reject' | 'unknown', clientOrderId: string) => void;
  /** The session's circuit bands and margins (none: those checks are skipped; the broker makes them). */
  readonly preTradeData?: () => PreTradeData | undefined;
}

/** Refuses a request: `REJECTED` with `details.code` from ORDER_REFUSAL_CODES. Nothing was changed. */
export function refusal(code: OrderRefusalCode, message: string, suggestion?: string): RpcError {
  return new RpcError('REJECTED', message, suggestion === undefined ? { code } : { code, suggestion });
}

/** The freeze quantity in Kite's (and the local exchange's) refusal of an order above it. */
const FREEZE_REFUSAL = /higher than the maximum quantity (\d+)/i;

/** How long an exit's slices may wait, in all, for the order rate (the contract's timeout is 15 s). */
const EXIT_PACING_MS = 10_000;
/**
 * How long an exit waits for the orders on its position to end (their cancels confirmed, orders in
 * flight answered) before it sizes itself from the position; counted in real time, as the pacing.
 */
const EXIT_SETTLE_MS = 3_000;
/** Cancels an exit sends one order while it waits (a cancel the broker refused is asked again). */
const EXIT_CANCEL_TRIES = 3;

const WORKING: ReadonlySet<OrderState> = new Set(['OPEN', 'TRIGGER_PENDING', 'AMO_QUEUED']);
const CANCELLABLE: ReadonlySet<OrderState> = new Set([
  'ACCEPTED',
  'OPEN',
  'TRIGGER_PENDING',
  'AMO_QUEUED',
  'MODIFY_PENDING',
]);

/** Quantity still open on an order (0 once finished). */
const openQuantity = (j: JournaledOrder): number =>
  isTerminal(j.order.state) ? 0 : j.order.quantity - j.order.filledQuantity;

const EQUITY_EXCHANGES = new Set(['NSE', 'BSE']);

interface Aggregate {
  openBuy: number;
  openSell: number;
}

/** The mutable risk context, reused for every check (risk/preTrade.ts allows it). */
type MutableOrder = { -readonly [K in keyof PreTradeOrder]: PreTradeOrder[K] };
type MutableContext = { -readonly [K in keyof PreTradeContext]: PreTradeContext[K] };

export class OrderManager implements Disposable {
  private readonly o: OrderManagerOptions;
  private readonly orders = new Map<string, JournaledOrder>();
  private readonly byBrokerId = new Map<string, JournaledOrder>();
  /** Fills whose order we do not know yet (a trade before its order's report), by broker order id. */
  private readonly orphanTrades = new Map<string, VenueTrade[]>();
  private readonly tradeViews: TradeView[] = [];
  private readonly seenTrades = new Set<string>();
  /**
   * The broker's average price of an order whose reported filled quantity is ahead of the fills we
   * hold (Kite reports the status first; its trades are fetched after): what the view shows until
   * the fills arrive. Kept in memory only: a restart re-reads the order book and its trades.
   */
  private readonly reportedAverage = new Map<string, number>();
  /** Open quantity per instrument, all strategies and manual. */
  private readonly open = new Map<number, Aggregate>();
  private readonly strategyOpen = new Map<string, Aggregate & { orders: number }>();
  private openOrders = 0;
  /** The last report time applied per order: an older report (a stale snapshot) is not applied. */
  private readonly reportTime = new Map<string, number>();
  /** When each in-flight or UNKNOWN order was sent. */
  private readonly sentAt = new Map<string, number>();
  private risk: PreTradeRisk;
  private venue: OrderVenue | undefined;
  private account = '';
  private venueSubscriptions: Disposable[] = [];
  private portfolioValue: Portfolio;
  private readonly ctx: MutableContext;
  // Two reused orders for risk, one per shape (with and without a strategy): one hidden class each.
  private readonly manualOrder: MutableOrder;
  private readonly strategyOrder: MutableOrder;
  /** A working order as a modify would leave it (risk checks it; never recorded as sent). */
  private readonly modifiedOrder: MutableOrder;
  private reconciliation: ReconciliationState = { state: 'offline', at: 0, summary: '', issues: [] };
  private readonly orderListeners = new Set<(o: OrderView) => void>();
  /** Woken on any order or fill change (an exit waiting for its position's orders to end). */
  private readonly changeWaiters = new Set<() => void>();
  private readonly tradeListeners = new Set<(t: TradeView) => void>();
  private readonly reconciliationListeners = new Set<(r: ReconciliationState) => void>();
  private readonly portfolioListeners = new Set<() => void>();
  private readonly retained = new Map<number, () => void>();
  /** When the order book was last fetched by the poll. */
  private lastBookAt = 0;
  /** When the journal was last written (the engine checkpoints the database when it is quiet). */
  lastWriteAt = 0;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private polling = false;
  private generation = 0;
  private disposed = false;
  /** The last slice group given out (an exit sliced at the freeze quantity). */
  private sliceGroups = 0;
  /** Positions (`token:product`) whose exit is being sent. */
  private readonly exiting = new Set<string>();
  /** Freeze quantities the exchange named when it refused an order, by instrument token. */
  private readonly learntFreeze = new Map<number, number>();

  constructor(options: OrderManagerOptions) {
    this.o = options;
    this.risk = options.risk;
    this.portfolioValue = new Portfolio(options.lastPrice);
    this.ctx = {
      now: 0,
      state: 'ACTIVE',
      divisor: 100,
      lastPrice: 0,
      tickSize: 0,
      position: 0,
      openBuyQuantity: 0,
      openSellQuantity: 0,
      openOrders: 0,
      strategyPosition: 0,
      strategyOpenBuyQuantity: 0,
      strategyOpenSellQuantity: 0,
      strategyOpenOrders: 0,
      marginRateBp: -1,
      marginAvailablePaise: 0,
    };
    this.manualOrder = {
      instrumentToken: 0,
      side: 'BUY',
      quantity: 0,
      kind: 'LIMIT',
      price: 0,
      sliceGroup: 0,
    };
    this.modifiedOrder = {
      instrumentToken: 0,
      side: 'BUY',
      quantity: 0,
      kind: 'LIMIT',
      price: 0,
      sliceGroup: 0,
      modification: true,
    };
    this.strategyOrder = {
      instrumentToken: 0,
      side: 'BUY',
      quantity: 0,
      kind: 'LIMIT',
      price: 0,
      sliceGroup: 0,
      strategyId: '',
    };
  }

  /** New limits (the risk service compiled them). */
  setRisk(risk: PreTradeRisk): void {
    this.risk = risk;
  }

  get portfolio(): Portfolio {
    return this.portfolioValue;
  }

  get reconciliationState(): ReconciliationState {
    return this.reconciliation;
  }

  /** The venue orders go to now, if logged in. */
  get currentVenue(): OrderVenue | undefined {
    return this.venue;
  }

  get currentAccount(): string {
    return this.account;
  }

  // --- attach, reconcile ------------------------------------------------------------------------

  /**
   * Connects to a logged-in venue for `account`: loads the account's journal, listens to the venue,
   * and reconciles. New orders are refused until reconciliation is done (and nothing is unexplained).
   */
  async attach(venue: OrderVenue, account: string): Promise<void> {
    this.detach();
    const generation = ++this.generation;
    this.venue = venue;
    this.account = account;
    this.loadJournal(account);
    this.venueSubscriptions = [
      venue.onOrder((r) => {
        if (generation === this.generation) this.onReport(r, true);
      }),
      venue.onTrade((t) => {
        if (generation === this.generation) this.onTrade(t);
      }),
    ];
    this.setReconciliation({ state: 'reconciling', at: this.reconciliation.at, summary: '', issues: [] });
    for (let attempt = 0; generation === this.generation && !this.disposed; attempt++) {
      try {
        await this.reconcile(venue, generation);
        break;
      } catch (e) {
        if (generation !== this.generation) return;
        this.o.log(`reconciliation failed (attempt ${attempt + 1}): ${errorText(e)}`);
        this.setReconciliation({
          ...this.reconciliation,
          state: 'reconciling',
          summary: `Reconciling with the broker failed: ${errorText(e)}. Retrying…`,
        });
        await sleep(Math.min(10_000, 500 * 2 ** attempt));
      }
    }
    if (generation === this.generation) this.schedulePoll();
  }

  /** The session ended: no venue; orders are refused until the next attach. The journal keeps everything. */
  detach(): void {
    this.generation++;
    for (const d of this.venueSubscriptions) d.dispose();
    this.venueSubscriptions = [];
    this.venue = undefined;
    for (const release of this.retained.values()) release();
    this.retained.clear();
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (this.reconciliation.state !== 'offline')
      this.setReconciliation({ state: 'offline', at: this.reconciliation.at, summary: '', issues: [] });
  }

  private loadJournal(account: string): void {
    this.orders.clear();
    this.byBrokerId.clear();
    this.orphanTrades.clear();
    this.tradeViews.length = 0;
    this.seenTrades.clear();
    this.open.clear();
    this.strategyOpen.clear();
    this.openOrders = 0;
    this.reportTime.clear();
    this.sentAt.clear();
    this.portfolioValue = new Portfolio(this.o.lastPrice);
    const today = formatIstDate(this.o.now());
    const { orders, problems } = this.o.journal.load(account, today);
    for (const p of problems) this.o.log(`journal: ${p}`);
    for (const j of orders) this.keep(j);
    for (const f of this.o.journal.fills(account, today)) {
      const j = this.orders.get(f.clientOrderId);
      if (j === undefined) continue;
      this.recordTrade(j, f);
    }
  }

  /** Holds a journaled order in memory: by id, by broker id, in the open counts. */
  private keep(j: JournaledOrder): void {
    this.orders.set(j.intent.clientOrderId, j);
    if (j.order.orderId !== null) this.byBrokerId.set(j.order.orderId, j);
    this.count(j, 1);
    if (j.order.state === 'SENT' || j.order.state === 'UNKNOWN' || j.order.state === 'PENDING_NEW')
      this.sentAt.set(j.intent.clientOrderId, j.intent.createdAt);
  }

  private async reconcile(venue: OrderVenue, generation: number): Promise<void> {
    // Orders the engine stopped with in flight: their send may or may not have reached the broker.
    for (const j of this.orders.values()) {
      if (j.order.state === 'PENDING_NEW' || j.order.state === 'SENT') this.apply(j, { type: 'Interrupted' });
    }
    const book = await venue.orders();
    if (generation !== this.generation) return;
    const trades = await venue.trades();
    if (generation !== this.generation) return;
    const positions = await venue.positions();
    if (generation !== this.generation) return;

    let updated = 0;
    let imported = 0;
    const seen = new Set<string>();
    for (const r of [...book].sort((a, b) => a.updateTime - b.updateTime)) {
      seen.add(r.orderId);
      const known = this.byBrokerId.get(r.orderId) ?? (r.tag === null ? undefined : this.orders.get(r.tag));
      if (known === undefined) {
        if (this.importOrder(r)) imported++;
      } else if (this.onReport(r, false)) updated++;
    }
    const issues: ReconciliationIssue[] = [];
    const now = this.o.now();
    for (const j of this.orders.values()) {
      if (isTerminal(j.order.state)) continue;
      if (j.order.orderId === null) {
        // UNKNOWN and not in the book: absent once the grace period has passed.
        if (now - (this.sentAt.get(j.intent.clientOrderId) ?? j.intent.createdAt) >= this.graceMs()) {
          if (this.apply(j, { type: 'ResolvedAbsent' })) updated++;
        }
      } else if (!seen.has(j.order.orderId) && j.intent.tradingDate === formatIstDate(now)) {
        issues.push({
          id: `missing:${j.intent.clientOrderId}`,
          kind: 'missing-order',
          message: `${j.intent.side} ${j.intent.quantity} ${j.intent.tradingsymbol} (${j.intent.clientOrderId}, broker id ${j.order.orderId}) is ${j.order.state} in the journal but not in the broker's order book.`,
          clientOrderId: j.intent.clientOrderId,
          instrumentToken: j.intent.instrumentToken,
        });
      }
    }
    let filled = 0;
    for (const t of [...trades].sort((a, b) => a.time - b.time)) if (this.onTrade(t)) filled++;
    // Positions: the broker's net = its overnight carry + our fills today.
    for (const p of positions) {
      if (
        p.overnightQuantity !== 0 &&
        this.portfolioValue.get(p.instrumentToken, p.product)?.overnightQuantity !== p.overnightQuantity
      ) {
        const instrument = this.o.instrument(p.instrumentToken);
        try {
          this.portfolioValue.carry(
            {
              instrumentToken: p.instrumentToken,
              exchange: p.exchange,
              tradingsymbol: p.tradingsymbol,
              priceDivisor: instrument?.priceDivisor ?? 100,
              product: p.product,
            },
            p.overnightQuantity,
            p.averagePrice,
          );
        } catch (e) {
          this.o.log(`positions: ${errorText(e)}`);
        }
      }
      const ours = this.portfolioValue.quantity(p.instrumentToken, p.product);
      if (ours !== p.quantity) {
        issues.push({
          id: `position:${p.instrumentToken}:${p.product}`,
          kind: 'position-mismatch',
          message: `${p.tradingsymbol} ${p.product}: the broker holds ${p.quantity}, the journal's fills make ${ours}.`,
          clientOrderId: null,
          instrumentToken: p.instrumentToken,
        });
      }
    }
    for (const v of this.portfolioValue.list()) {
      if (
        v.quantity !== 0 &&
        !positions.some((p) => p.instrumentToken === v.instrumentToken && p.product === v.product)
      ) {
        issues.push({
          id: `position:${v.instrumentToken}:${v.product}`,
          kind: 'position-mismatch',
          message: `${v.tradingsymbol} ${v.product}: the journal's fills make ${v.quantity}, the broker shows no position.`,
          clientOrderId: null,
          instrumentToken: v.instrumentToken,
        });
      }
    }
    const summary = [
      `${book.length} broker orders`,
      `${updated} updated`,
      ...(imported > 0 ? [`${imported} imported`] : []),
      `${filled} fills added`,
    ].join(', ');
    this.o.log(
      `reconciled ${this.account}: ${summary}${issues.length > 0 ? `; ${issues.length} unexplained` : ''}`,
    );
    this.setReconciliation({
      state: issues.length > 0 ? 'blocked' : 'ok',
      at: this.o.now(),
      summary,
      issues,
    });
    this.emitPortfolio();
  }

  /** The user accepts an issue (the broker's view stands); when none is left, orders are accepted again. */
  acceptIssue(id: string): ReconciliationState {
    const issue = this.reconciliation.issues.find((i) => i.id === id);
    if (issue === undefined) throw refusal('UNKNOWN_ORDER', `No issue ${id}.`);
    // The broker's view stands: an order it does not have is closed here, so it no longer counts
    // as working (risk, cancel all) nor is polled for.
    if (issue.kind === 'missing-order' && issue.clientOrderId !== null) {
      const j = this.orders.get(issue.clientOrderId);
      if (j !== undefined && !isTerminal(j.order.state)) this.apply(j, { type: 'Abandoned' });
    }
    const issues = this.reconciliation.issues.filter((i) => i.id !== id);
    this.setReconciliation({
      ...this.reconciliation,
      issues,
      state:
        issues.length === 0 && this.reconciliation.state === 'blocked' ? 'ok' : this.reconciliation.state,
    });
    return this.reconciliation;
  }

  /** An order in the broker's book we have no journal entry for: ours (lost from the journal) or external. */
  private importOrder(r: VenueOrderReport): boolean {
    const status = parseKiteOrderStatus(r.status);
    if (status === null) return false;
    const tag = r.tag;
    const ours = tag !== null && isClientOrderId(tag) && this.isOurPrefix(tag);
    const clientOrderId = ours ? tag : `x${r.orderId}`.slice(0, 20);
    if (this.orders.has(clientOrderId)) return false;
    // Journaled on an earlier IST day and finished, so not loaded at start, while the broker's book
    // still shows it (past midnight, before the book's reset): taken back as it was, never twice.
    const earlier = this.o.journal.find(clientOrderId);
    if (earlier !== undefined) {
      this.keep(earlier);
      this.byBrokerId.set(r.orderId, earlier);
      // Its fills are that day's, in that day's positions: known, not counted again today.
      for (const f of earlier.order.fills) this.seenTrades.add(f.tradeId);
      this.onReport(r, false);
      this.emitOrder(earlier);
      this.o.log(`took back order ${r.orderId} (${clientOrderId}) from ${earlier.intent.tradingDate}`);
      return false;
    }
    const instrument = this.o.instrument(r.instrumentToken);
    const intent: OrderIntent = {
      clientOrderId,
      account: this.account,
      source: ours ? 'manual' : 'external',
      strategyId: null,
      instrumentToken: r.instrumentToken,
      exchange: r.exchange,
      tradingsymbol: r.tradingsymbol,
      priceDivisor: instrument?.priceDivisor ?? 100,
      side: r.side,
      orderType: r.orderType,
      product: r.product,
      variety: r.variety,
      validity: r.validity,
      validityTtl: null,
      disclosedQuantity: 0,
      marketProtection: null,
      algoId: null,
      tradingDate: formatIstDate(r.orderTime),
      createdAt: r.orderTime,
      quantity: r.quantity,
      price: r.price,
      triggerPrice: r.triggerPrice,
    };
    // We learned of it from the broker: submitted and acknowledged, then the report says where it is.
    const j = this.o.journal.create(intent, [
      { type: 'Submitted' },
      { type: 'Acknowledged', orderId: r.orderId },
    ]);
    this.orders.set(clientOrderId, j);
    this.byBrokerId.set(r.orderId, j);
    this.count(j, 1);
    this.onReport(r, false);
    this.emitOrder(j);
    this.o.log(`imported ${intent.source} order ${r.orderId} (${clientOrderId})`);
    return true;
  }

  private isOurPrefix(tag: string): boolean {
    if (parseClientOrderId(tag) === null) return false;
    const prefix = tag.slice(0, CLIENT_ORDER_ID_PREFIX_LENGTH);
    return prefix === this.o.ids.runPrefix || this.o.journal.runPrefixes().has(prefix);
  }

  // --- reports and fills --------------------------------------------------------------------------

  /** Applies a broker report. Returns true when it changed the order. */
  private onReport(r: VenueOrderReport, live: boolean): boolean {
    let j = this.byBrokerId.get(r.orderId);
    if (j === undefined && r.tag !== null) j = this.orders.get(r.tag);
    if (j === undefined) {
      // An order placed elsewhere while we run: import it (only once the book is reconciled).
      if (live && this.reconciliation.state !== 'reconciling') this.importOrder(r);
      return false;
    }
    const status = parseKiteOrderStatus(r.status);
    if (status === null) return false; // Kite's `UPDATE`, or a status we do not know: re-read at the next poll.
    const last = this.reportTime.get(j.intent.clientOrderId) ?? 0;
    if (r.updateTime < last) return false;
    this.reportTime.set(j.intent.clientOrderId, r.updateTime);
    const change: IntentChange | undefined =
      r.price !== j.intent.price ||
      r.triggerPrice !== j.intent.triggerPrice ||
      r.orderType !== j.intent.orderType
        ? { price: r.price, triggerPrice: r.triggerPrice, orderType: r.orderType }
        : undefined;
    if (r.filledQuantity > j.order.filledQuantity && r.averagePrice > 0) {
      this.reportedAverage.set(j.intent.clientOrderId, r.averagePrice);
    }
    const changed = this.apply(
      j,
      {
        type: 'Reported',
        orderId: r.orderId,
        status,
        quantity: r.quantity,
        filledQuantity: r.filledQuantity,
        reason: r.reason,
      },
      change,
    );
    if (status === 'REJECTED' && changed) this.o.onAnomaly?.('reject', j.intent.clientOrderId);
    const orphans = this.orphanTrades.get(r.orderId);
    if (orphans !== undefined) {
      this.orphanTrades.delete(r.orderId);
      for (const t of orphans) this.onTrade(t);
    }
    // The broker counts more filled than we have: fetch the order's trades (Kite pushes no fills).
    if (r.filledQuantity > j.order.filledQuantity && this.venue !== undefined) {
      const venue = this.venue;
      const generation = this.generation;
      venue.orderTrades(r.orderId).then(
        (ts) => {
          if (generation === this.generation) for (const t of ts) this.onTrade(t);
        },
        (e: unknown) => {
          this.o.log(`trades of ${r.orderId}: ${errorText(e)}`);
        },
      );
    }
    return changed;
  }

  /** Applies a fill once (by trade id). Returns true when it was new. */
  private onTrade(t: VenueTrade): boolean {
    if (this.seenTrades.has(t.tradeId)) return false;
    const j = this.byBrokerId.get(t.orderId);
    if (j === undefined) {
      const list = this.orphanTrades.get(t.orderId) ?? [];
      if (!list.some((x) => x.tradeId === t.tradeId)) list.push(t);
      this.orphanTrades.set(t.orderId, list);
      return false;
    }
    // A fill that completes the quantity we know, more filled than the broker has reported, may be
    // against a quantity modified upwards whose report is still on its way: held until the order's
    // next report (which says its quantity now), so it cannot finish an order still working.
    const filled = j.order.filledQuantity + t.quantity;
    if (!isTerminal(j.order.state) && filled >= j.order.quantity && filled > j.order.brokerFilledQuantity) {
      const list = this.orphanTrades.get(t.orderId) ?? [];
      if (!list.some((x) => x.tradeId === t.tradeId)) list.push(t);
      this.orphanTrades.set(t.orderId, list);
      return false;
    }
    const fill: FillRecord = {
      account: this.account,
      tradeId: t.tradeId,
      clientOrderId: j.intent.clientOrderId,
      brokerOrderId: t.orderId,
      instrumentToken: t.instrumentToken,
      side: t.side,
      product: t.product,
      quantity: t.quantity,
      price: t.price,
      time: t.time,
      tradingDate: formatIstDate(t.time),
    };
    const ok = this.apply(
      j,
      { type: 'Filled', tradeId: t.tradeId, quantity: t.quantity, price: t.price as never },
      undefined,
      fill,
    );
    if (ok) {
      if (j.order.filledQuantity >= j.order.brokerFilledQuantity) {
        this.reportedAverage.delete(j.intent.clientOrderId);
      }
      this.recordTrade(j, fill);
      this.emitPortfolio();
    }
    return ok;
  }

  private recordTrade(j: JournaledOrder, f: FillRecord): void {
    this.seenTrades.add(f.tradeId);
    const instrument = this.o.instrument(f.instrumentToken);
    this.portfolioValue.fill({
      tradeId: f.tradeId,
      clientOrderId: f.clientOrderId,
      instrumentToken: f.instrumentToken,
      exchange: j.intent.exchange,
      tradingsymbol: j.intent.tradingsymbol,
      instrumentType: instrument?.instrumentType ?? 'EQ',
      priceDivisor: j.intent.priceDivisor,
      side: f.side,
      product: f.product,
      quantity: f.quantity,
      price: f.price,
      time: f.time,
    });
    const view: TradeView = {
      tradeId: f.tradeId,
      clientOrderId: f.clientOrderId,
      brokerOrderId: f.brokerOrderId,
      instrumentToken: f.instrumentToken,
      exchange: j.intent.exchange,
      tradingsymbol: j.intent.tradingsymbol,
      priceDivisor: j.intent.priceDivisor,
      side: f.side,
      product: f.product,
      quantity: f.quantity,
      price: f.price,
      time: f.time,
    };
    this.tradeViews.push(view);
    for (const l of this.tradeListeners) l(view);
  }

  /**
   * Applies one event through the lifecycle and journals it. Returns true when the order changed.
   * A refused event is logged and changes nothing.
   */
  private apply(sent: JournaledOrder, event: OrderEvent, change?: IntentChange, fill?: FillRecord): boolean {
    // The answer to a request can arrive after a detach and attach reloaded the journal: it applies to
    // the order as loaded now, never to the object it was sent with (no longer kept up to date).
    const j = this.orders.get(sent.intent.clientOrderId);
    if (j === undefined) {
      this.o.log(`order ${sent.intent.clientOrderId}: ${event.type} for an order not loaded now; ignored`);
      return false;
    }
    const r = applyOrderEvent(j.order, event);
    if (!r.ok) {
      this.o.log(`order ${j.intent.clientOrderId}: ${event.type} refused (${JSON.stringify(r.error)})`);
      return false;
    }
    if (!r.changed && change === undefined) return false;
    this.count(j, -1);
    try {
      this.o.journal.append(j, event, r.order, change, fill);
    } catch (e) {
      // Nothing changed in memory either: the order stays as the journal has it. Trading stops.
      this.count(j, 1);
      this.o.log(`order ${j.intent.clientOrderId}: the journal refused ${event.type}: ${errorText(e)}`);
      this.o.onJournalError?.(e);
      return false;
    }
    this.count(j, 1);
    this.lastWriteAt = this.o.now();
    if (r.order.orderId !== null) this.byBrokerId.set(r.order.orderId, j);
    if (isTerminal(r.order.state) || r.order.orderId !== null) this.sentAt.delete(j.intent.clientOrderId);
    this.emitOrder(j);
    return true;
  }

  /** Adds (`sign` 1) or removes (-1) an order's open quantity from the aggregates risk reads. */
  private count(j: JournaledOrder, sign: 1 | -1): void {
    if (sign === 1) this.hold(j.intent.instrumentToken);
    const q = openQuantity(j);
    if (q === 0 && isTerminal(j.order.state)) return;
    const token = j.intent.instrumentToken;
    const a = this.open.get(token) ?? { openBuy: 0, openSell: 0 };
    if (j.intent.side === 'BUY') a.openBuy += sign * q;
    else a.openSell += sign * q;
    this.open.set(token, a);
    this.openOrders += sign;
    const s = j.intent.strategyId;
    if (s !== null) {
      const key = `${s}:${token}`;
      const sa = this.strategyOpen.get(key) ?? { openBuy: 0, openSell: 0, orders: 0 };
      if (j.intent.side === 'BUY') sa.openBuy += sign * q;
      else sa.openSell += sign * q;
      sa.orders += sign;
      this.strategyOpen.set(key, sa);
    }
  }

  /** Keeps the instrument's last price coming while the session lasts. */
  private hold(token: number): void {
    if (this.retained.has(token) || this.o.retain === undefined) return;
    this.retained.set(token, this.o.retain(token));
  }

  // --- requests ---------------------------------------------------------------------------------

  private readyVenue(): OrderVenue {
    const venue = this.venue;
    if (venue === undefined)
      throw refusal('NO_SESSION', 'Not logged in to a broker: log in to place orders.');
    const r = this.reconciliation;
    if (r.state === 'reconciling')
      throw refusal(
        'RECONCILING',
        'Reconciling with the broker after a start or reconnect: try again in a moment.',
      );
    if (r.state === 'blocked')
      throw refusal(
        'UNEXPLAINED',
        `Reconciliation found ${r.issues.length} thing(s) it cannot explain: review and accept them first.`,
      );
    return venue;
  }

  /**
   * The most one order on `i` may carry: the day's table (market/freezeQuantities.ts), or what the
   * exchange said when it refused a larger order, whichever is smaller; null when neither is known.
   */
  freezeQuantityOf(i: Instrument): number | null {
    const learnt = this.learntFreeze.get(i.instrumentToken);
    if (learnt === undefined) return i.freezeQuantity;
    return i.freezeQuantity === null ? learnt : Math.min(learnt, i.freezeQuantity);
  }

  /**
   * Kite has no API for freeze quantities; its refusal names one ("The order quantity 1000 is higher
   * than the maximum quantity 900 allowed per order…"). Remembered for the instrument from then on.
   */
  private learnFreezeQuantity(instrumentToken: number, reason: string): void {
    const m = FREEZE_REFUSAL.exec(reason);
    const q = m === null ? Number.NaN : Number(m[1]);
    if (!Number.isSafeInteger(q) || q <= 0) return;
    const before = this.learntFreeze.get(instrumentToken);
    if (before !== undefined && before <= q) return;
    this.learntFreeze.set(instrumentToken, q);
    this.o.log(`instrument ${instrumentToken}: the exchange's freeze quantity is ${q}`);
  }

  /** Checks an order against its instrument's rules. Throws a refusal. */
  private validate(p: PlaceRequest): Instrument {
    const i = this.o.instrument(p.instrumentToken);
    if (i === undefined)
      throw refusal('UNKNOWN_INSTRUMENT', `No instrument ${p.instrumentToken} in today's list.`);
    if (i.segment === 'INDICES' || i.tickSize <= 0 || i.lotSize <= 0)
      throw refusal('NOT_TRADABLE', `${i.tradingSymbol} is an index or not tradable.`);
    if (p.quantity % i.lotSize !== 0) {
      const lower = Math.floor(p.quantity / i.lotSize) * i.lotSize;
      throw refusal(
        'LOT_SIZE',
        `Quantity ${p.quantity} is not a multiple of the lot size ${i.lotSize}.`,
        lower > 0 ? `${lower} or ${lower + i.lotSize}` : `${i.lotSize}`,
      );
    }
    const freeze = this.freezeQuantityOf(i);
    if (freeze !== null && p.quantity > freeze) {
      const slices = freezeSlices(p.quantity, freeze, i.lotSize).length;
      throw refusal(
        'FREEZE_QUANTITY',
        `Quantity ${p.quantity} is above the exchange's freeze quantity ${freeze} for ${i.tradingSymbol}.`,
        `Slice it into ${slices} orders of at most ${freeze} (an iceberg).`,
      );
    }
    const needsPrice = p.orderType === 'LIMIT' || p.orderType === 'SL';
    const needsTrigger = p.orderType === 'SL' || p.orderType === 'SL-M';
    if (needsPrice && p.price === undefined)
      throw refusal('BAD_COMBINATION', `A ${p.orderType} order needs a price.`);
    if (!needsPrice && p.price !== undefined)
      throw refusal('BAD_COMBINATION', `A ${p.orderType} order takes no price.`);
    if (needsTrigger && p.triggerPrice === undefined)
      throw refusal('BAD_COMBINATION', `A ${p.orderType} order needs a trigger price.`);
    if (!needsTrigger && p.triggerPrice !== undefined)
      throw refusal('BAD_COMBINATION', `A ${p.orderType} order takes no trigger price.`);
    for (const [what, value] of [
      ['Price', p.price],
      ['Trigger price', p.triggerPrice],
    ] as const) {
      if (value !== undefined && value % i.tickSize !== 0) {
        const down = value - (value % i.tickSize);
        throw refusal(
          'TICK_SIZE',
          `${what} ${format(value, i.priceDivisor)} is not a multiple of the tick size ${format(i.tickSize, i.priceDivisor)}.`,
          `${format(down, i.priceDivisor)} or ${format(down + i.tickSize, i.priceDivisor)}`,
        );
      }
    }
    const band = this.o.preTradeData?.()?.band(i);
    if (band !== undefined && band !== null) {
      for (const [what, value] of [
        ['Price', p.price],
        ['Trigger price', p.triggerPrice],
      ] as const) {
        if (value !== undefined && (value < band.lower || value > band.upper))
          throw refusal(
            'PRICE_BAND',
            `${what} ${format(value, i.priceDivisor)} is outside today's circuit band of ${i.tradingSymbol}, ${format(band.lower, i.priceDivisor)} to ${format(band.upper, i.priceDivisor)}.`,
            format(Math.min(Math.max(value, band.lower), band.upper), i.priceDivisor),
          );
      }
    }
    if (p.orderType === 'SL' && p.price !== undefined && p.triggerPrice !== undefined) {
      if (p.side === 'BUY' ? p.triggerPrice > p.price : p.triggerPrice < p.price)
        throw refusal(
          'BAD_COMBINATION',
          p.side === 'BUY'
            ? 'A stop-loss buy needs its trigger price at or below its limit price.'
            : 'A stop-loss sell needs its trigger price at or above its limit price.',
        );
    }
    const equity = EQUITY_EXCHANGES.has(i.exchange);
    if ((p.product === 'CNC' || p.product === 'MTF') && !equity)
      throw refusal(
        'BAD_COMBINATION',
        `${p.product} is for equity delivery; use NRML or MIS on ${i.exchange}.`,
      );
    if (p.product === 'NRML' && equity)
      throw refusal(
        'BAD_COMBINATION',
        'NRML is for derivatives; use CNC (delivery) or MIS (intraday) for equity.',
      );
    if (p.validity === 'TTL' && p.validityTtl === undefined)
      throw refusal('BAD_COMBINATION', 'A TTL order needs its validity in minutes.');
    if (p.validity !== 'TTL' && p.validityTtl !== undefined)
      throw refusal('BAD_COMBINATION', 'Validity minutes go with TTL only.');
    if (p.marketProtection !== undefined && p.marketProtection !== -1 && !(p.marketProtection > 0))
      throw refusal('BAD_COMBINATION', 'Market protection is -1 (automatic) or a percentage above 0.');
    if (p.disclosedQuantity !== undefined && p.disclosedQuantity > p.quantity)
      throw refusal('BAD_COMBINATION', 'The disclosed quantity cannot exceed the quantity.');
    return i;
  }

  /** Fills the reused risk context for an order on `token`. */
  private context(
    token: number,
    i: { readonly priceDivisor: number; readonly tickSize: number },
    strategyId: string | undefined,
  ): PreTradeContext {
    const c = this.ctx;
    c.now = this.o.now();
    c.state = this.o.riskState();
    c.divisor = i.priceDivisor;
    c.tickSize = i.tickSize;
    c.lastPrice = this.o.lastPrice(token);
    c.position = this.portfolioValue.netQuantity(token);
    const a = this.open.get(token);
    c.openBuyQuantity = a?.openBuy ?? 0;
    c.openSellQuantity = a?.openSell ?? 0;
    c.openOrders = this.openOrders;
    c.marginRateBp = -1;
    if (strategyId === undefined) {
      c.strategyPosition = 0;
      c.strategyOpenBuyQuantity = 0;
      c.strategyOpenSellQuantity = 0;
      c.strategyOpenOrders = 0;
    } else {
      const s = this.strategyOpen.get(`${strategyId}:${token}`);
      c.strategyPosition = 0;
      c.strategyOpenBuyQuantity = s?.openBuy ?? 0;
      c.strategyOpenSellQuantity = s?.openSell ?? 0;
      let n = 0;
      for (const [k, v] of this.strategyOpen) if (k.startsWith(`${strategyId}:`)) n += v.orders;
      c.strategyOpenOrders = n;
    }
    return c;
  }

  /**
   * The margin fields of the risk context for `p`: the broker's last rate for this instrument,
   * product and side, and the segment's available margin; -1 (skipped) while either is unknown,
   * and then the rate is asked for in the background for the next order.
   */
  private marginContext(
    data: PreTradeData,
    p: PlaceRequest,
    i: Instrument,
    segment: 'equity' | 'commodity',
  ): void {
    const c = this.ctx;
    const rate = data.marginRate(p.instrumentToken, p.product, p.side);
    const available = data.availableMargin(segment);
    c.marginAvailablePaise = available;
    c.marginRateBp = rate === -1 || Number.isNaN(available) ? -1 : rate;
    if (rate === -1) data.want(this.marginRequestOf(p, i));
  }

  /** The venue's margin request for an order, valued at its limit price or else the last price. */
  private marginRequestOf(p: PlaceRequest, i: Instrument): VenueMarginRequest {
    return {
      instrumentToken: p.instrumentToken,
      exchange: i.exchange,
      tradingsymbol: i.tradingSymbol,
      side: p.side,
      orderType: p.orderType,
      product: p.product,
      variety: p.variety,
      quantity: p.quantity,
      price: p.price ?? this.o.lastPrice(p.instrumentToken),
      triggerPrice: p.triggerPrice ?? 0,
    };
  }

  /**
   * What `p` would need: the margin it blocks (the broker's calculator), its charges if it executes
   * in full, the segment's available margin and the circuit band. Validates `p` as `place` does
   * (the same refusals) but changes nothing and takes no slot of the order rate.
   */
  async orderMargin(p: PlaceRequest): Promise<OrderMarginView> {
    this.readyVenue();
    const i = this.validate(p);
    const data = this.o.preTradeData?.();
    if (data === undefined) throw refusal('NO_SESSION', 'Not logged in to a broker.');
    const request = this.marginRequestOf(p, i);
    if (request.price <= 0)
      throw refusal(
        'NO_LAST_PRICE',
        `There is no last price for ${i.tradingSymbol} yet to value the order at.`,
      );
    const segment = marginSegmentOf(i.exchange);
    const [required, band] = await Promise.all([
      data.orderMargin(request),
      data.fetchBand(i),
      data.refreshMargins(),
    ]);
    const available = data.availableMargin(segment);
    const charges = orderCharges(
      chargeSegment(i.exchange, i.instrumentType, p.product),
      i.exchange,
      p.side,
      Math.round((request.price * request.quantity * 100) / i.priceDivisor),
      this.o.now(),
    );
    return {
      required,
      charges,
      available: Number.isNaN(available) ? null : available,
      segment,
      price: request.price,
      lowerCircuit: band?.lower ?? null,
      upperCircuit: band?.upper ?? null,
      at: this.o.now(),
    };
  }

  /**
   * Places an order. Synchronous up to the send: validation, risk, the journal's commit and the
   * venue call all happen before this returns its promise. Resolves with the order after the broker
   * answered (ACCEPTED or later, REJECTED, or UNKNOWN when the answer was lost). Refusals reject with
   * `REJECTED` and change nothing.
   */
  place(p: PlaceRequest): Promise<OrderView> {
    return this.send(p, 0);
  }

  /** `place`, for one slice of `sliceGroup` when nonzero (see PreTradeOrder.sliceGroup). */
  private send(p: PlaceRequest, sliceGroup: number): Promise<OrderView> {
    try {
      return this.placeNow(p, sliceGroup).answered;
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** A new group of orders the duplicate guard does not compare with each other (an exit's slices, an algorithm's children). */
  newSliceGroup(): number {
    return ++this.sliceGroups;
  }

  /**
   * `place`, synchronously: throws the refusal (RpcError `REJECTED`) instead of rejecting, and
   * returns the journaled order's view as soon as its request is written, beside the broker's answer.
   * For the engine's algorithms, which must know their child's id in the same turn.
   */
  /**
   * The checks `place` makes (validation, the engine's state, pre-trade risk), recording nothing
   * and counting nothing: for an order the broker will place later on our behalf (a GTT's).
   * Throws the refusal `place` would.
   */
  check(p: PlaceRequest): void {
    const i = this.validate(p);
    if (this.o.riskState() === 'HALTED')
      throw refusal('HALTED', 'Trading is halted (kill switch): no new orders until it is reset.');
    const po = this.modifiedOrder;
    po.instrumentToken = p.instrumentToken;
    po.side = p.side;
    po.quantity = p.quantity;
    po.kind = p.orderType === 'LIMIT' || p.orderType === 'SL' ? 'LIMIT' : 'MARKET';
    po.price = p.price ?? 0;
    po.sliceGroup = 0;
    // (The modification's slot: no duplicate guard. The order rate is not this order's: the broker
    // places it later, and the rate is the last check, so nothing else is skipped.)
    const verdict = this.risk.check(po, this.context(p.instrumentToken, i, undefined));
    if (!verdict.ok && verdict.code !== 'ORDER_RATE') throw refusal(verdict.code, verdict.message);
  }

  placeNow(p: PlaceRequest, sliceGroup = 0): PlacedOrder {
    const venue = this.readyVenue();
    const i = this.validate(p);
    const po = p.strategyId === undefined ? this.manualOrder : this.strategyOrder;
    po.instrumentToken = p.instrumentToken;
    po.side = p.side;
    po.quantity = p.quantity;
    po.kind = p.orderType === 'LIMIT' || p.orderType === 'SL' ? 'LIMIT' : 'MARKET';
    po.price = p.price ?? 0;
    po.sliceGroup = sliceGroup;
    if (p.strategyId !== undefined) po.strategyId = p.strategyId;
    const ctx = this.context(p.instrumentToken, i, p.strategyId);
    const data = this.o.preTradeData?.();
    const segment = marginSegmentOf(i.exchange);
    if (data !== undefined) this.marginContext(data, p, i, segment);
    const verdict = this.risk.admit(po, ctx);
    if (!verdict.ok) throw refusal(verdict.code, verdict.message);
    const market = p.orderType === 'MARKET' || p.orderType === 'SL-M';
    const now = this.o.now();
    const intent: OrderIntent = {
      clientOrderId: this.o.ids.next(),
      account: this.account,
      source: p.strategyId === undefined ? 'manual' : 'strategy',
      strategyId: p.strategyId ?? null,
      instrumentToken: p.instrumentToken,
      exchange: i.exchange,
      tradingsymbol: i.tradingSymbol,
      priceDivisor: i.priceDivisor,
      side: p.side,
      orderType: p.orderType,
      product: p.product,
      variety: p.variety,
      validity: p.validity,
      validityTtl: p.validityTtl ?? null,
      disclosedQuantity: p.disclosedQuantity ?? 0,
      // Market orders always carry market protection (Kite refuses 0): unless given, automatic, or
      // five ticks from the last price (an SL-M's trigger) where automatic is narrower.
      marketProtection: market
        ? (p.marketProtection ??
          defaultMarketProtection(
            p.orderType === 'SL-M' ? (p.triggerPrice ?? 0) : this.o.lastPrice(p.instrumentToken),
            i.tickSize,
          ))
        : null,
      algoId: null,
      parentId: p.parentId ?? null,
      tradingDate: formatIstDate(now),
      createdAt: now,
      quantity: p.quantity,
      price: p.price ?? 0,
      triggerPrice: p.triggerPrice ?? 0,
    };
    let j: JournaledOrder;
    try {
      // The intent and its hand-over to the transport, durable before the bytes leave (the
      // intent log's one write; its SQLite rows are committed right after the send, below).
      j = this.o.journal.submit(intent);
    } catch (e) {
      this.o.onJournalError?.(e);
      throw refusal('JOURNAL', `The order journal could not be written (${errorText(e)}); nothing was sent.`);
    }
    this.lastWriteAt = now;
    if (data !== undefined && this.ctx.marginRateBp >= 0) {
      const value = (po.kind === 'LIMIT' ? po.price : this.ctx.lastPrice) * po.quantity;
      if (
        !isReducing(
          po.side,
          po.quantity,
          this.ctx.position,
          this.ctx.openBuyQuantity,
          this.ctx.openSellQuantity,
        )
      )
        data.reserve(segment, marginRequired(value, this.ctx.marginRateBp, i.priceDivisor / 100));
    }
    this.orders.set(intent.clientOrderId, j);
    this.count(j, 1);
    this.sentAt.set(intent.clientOrderId, now);
    let sent: Promise<string>;
    try {
      sent = venue.place({
        clientOrderId: intent.clientOrderId,
        instrumentToken: intent.instrumentToken,
        exchange: intent.exchange,
        tradingsymbol: intent.tradingsymbol,
        side: intent.side,
        orderType: intent.orderType,
        product: intent.product,
        variety: p.variety,
        validity: p.validity,
        validityTtl: intent.validityTtl,
        quantity: intent.quantity,
        price: intent.price,
        triggerPrice: intent.triggerPrice,
        disclosedQuantity: intent.disclosedQuantity,
        marketProtection: intent.marketProtection,
        algoId: intent.algoId,
      });
    } finally {
      this.settleJournal();
    }
    this.emitOrder(j);
    this.schedulePoll();
    const answered = sent.then(
      (orderId) => {
        this.apply(j, { type: 'Acknowledged', orderId });
        return this.view(j);
      },
      (e: unknown) => {
        if (e instanceof VenueError && e.outcome === 'rejected') {
          this.learnFreezeQuantity(j.intent.instrumentToken, e.message);
          this.apply(j, { type: 'Rejected', reason: e.message });
          this.o.onAnomaly?.('reject', j.intent.clientOrderId);
        } else if (j.order.state === 'SENT') {
          // Never re-sent: the order book will tell (by tag), or the grace period will. (When the
          // order update came first, the order is already past SENT and nothing is unknown.)
          this.apply(j, { type: 'TimedOut' });
          this.o.onAnomaly?.('unknown', j.intent.clientOrderId);
          this.o.log(`order ${j.intent.clientOrderId}: outcome unknown (${errorText(e)}); resolving by tag`);
        }
        return this.view(j);
      },
    );
    return { order: this.view(j), answered };
  }

  /**
   * Commits the order just sent to SQLite. A failure here leaves it safe in the intent log (and the
   * start commits it from there); the journal cannot be trusted, so the engine halts.
   */
  private settleJournal(): void {
    try {
      this.o.journal.settle();
    } catch (e) {
      this.o.onJournalError?.(e);
    }
  }

  private byClientId(clientOrderId: string): JournaledOrder {
    const j = this.orders.get(clientOrderId);
    if (j === undefined) throw refusal('UNKNOWN_ORDER', `No order ${clientOrderId} today.`);
    return j;
  }

  /** Modifies a working order. Resolves when the broker answered; the new terms show when it reports them. */
  async modify(m: ModifyOrder): Promise<OrderView> {
    const venue = this.readyVenue();
    const j = this.byClientId(m.clientOrderId);
    const orderId = j.order.orderId;
    if (!WORKING.has(j.order.state) || orderId === null)
      throw refusal(
        'NOT_MODIFIABLE',
        `Order ${m.clientOrderId} is ${j.order.state}: only a working order can be modified.`,
      );
    const orderType = m.orderType ?? j.intent.orderType;
    const place: PlaceRequest = {
      instrumentToken: j.intent.instrumentToken,
      side: j.intent.side,
      quantity: m.quantity ?? j.order.quantity,
      orderType,
      product: j.intent.product,
      variety: j.intent.variety === 'amo' ? 'amo' : 'regular',
      validity: j.intent.validity === 'IOC' ? 'IOC' : 'DAY',
      ...(orderType === 'LIMIT' || orderType === 'SL'
        ? { price: m.price ?? (j.intent.price > 0 ? j.intent.price : undefined) }
        : {}),
      ...(orderType === 'SL' || orderType === 'SL-M'
        ? { triggerPrice: m.triggerPrice ?? (j.intent.triggerPrice > 0 ? j.intent.triggerPrice : undefined) }
        : {}),
    };
    const i = this.validate(place);
    if (place.quantity < j.order.filledQuantity)
      throw refusal(
        'NOT_MODIFIABLE',
        `Quantity ${place.quantity} is below the ${j.order.filledQuantity} already filled.`,
      );
    // A modify that only lowers the quantity takes risk away, as a partial cancel: it passes while
    // HALTED, skips the pre-trade checks (it cannot break a limit) and is not held to the local order rate (the client's pacing still spaces it on the
    // wire). A bracket's stop resized to a partly filled target must never wait: the position
    // would flip if the stop filled at its old size.
    const reducing =
      m.quantity !== undefined &&
      m.quantity < j.order.quantity &&
      m.price === undefined &&
      m.triggerPrice === undefined &&
      m.orderType === undefined;
    // Down to what has filled is a cancel, not a modify (nothing would be left to trade).
    if (place.quantity <= j.order.filledQuantity)
      throw refusal(
        'INVALID_ORDER',
        `Quantity ${place.quantity} leaves nothing to trade (${j.order.filledQuantity} filled): cancel the order instead.`,
      );
    const state = this.o.riskState();
    if (state === 'HALTED' && !reducing)
      throw refusal('HALTED', 'Trading is halted (kill switch): orders can only be cancelled.');
    // Risk sees the modified order in place of the old one.
    const po = this.modifiedOrder;
    po.instrumentToken = place.instrumentToken;
    po.side = place.side;
    po.quantity = place.quantity - j.order.filledQuantity;
    po.kind = orderType === 'LIMIT' || orderType === 'SL' ? 'LIMIT' : 'MARKET';
    po.price = place.price ?? 0;
    po.sliceGroup = 0;
    if (!reducing) {
      this.count(j, -1);
      const ctx = this.context(place.instrumentToken, i, undefined);
      const verdict = this.risk.check(po, { ...ctx, openOrders: Math.max(0, ctx.openOrders) });
      this.count(j, 1);
      if (!verdict.ok) throw refusal(verdict.code, verdict.message);
    }
    if (!reducing && !this.o.rate.tryAcquire(this.o.now()))
      throw refusal(
        'ORDER_RATE',
        'Order rate limit (10/s, 400/min, 5000/day): modification refused locally.',
      );
    if (!this.apply(j, { type: 'ModifyRequested' }))
      throw refusal('NOT_MODIFIABLE', `Order ${m.clientOrderId} cannot be modified now (${j.order.state}).`);
    try {
      await venue.modify({
        orderId,
        variety: place.variety,
        exchange: j.intent.exchange,
        ...(m.quantity === undefined ? {} : { quantity: m.quantity }),
        ...(m.price === undefined ? {} : { price: m.price }),
        ...(m.triggerPrice === undefined ? {} : { triggerPrice: m.triggerPrice }),
        ...(m.orderType === undefined ? {} : { orderType: m.orderType }),
      });
      this.apply(j, { type: 'ModifyAcknowledged' });
    } catch (e) {
      if (e instanceof VenueError && e.outcome === 'rejected')
        this.apply(j, { type: 'ModifyRejected', reason: e.message });
      else
        this.o.log(
          `modify ${j.intent.clientOrderId}: outcome unknown (${errorText(e)}); the order book will tell`,
        );
    }
    this.schedulePoll();
    return this.view(j);
  }

  /** Cancels a working order. Allowed in every risk state (cancelling only reduces risk). */
  async cancel(clientOrderId: string): Promise<OrderView> {
    const venue = this.venue;
    if (venue === undefined) throw refusal('NO_SESSION', 'Not logged in to a broker.');
    const j = this.byClientId(clientOrderId);
    const orderId = j.order.orderId;
    if (!CANCELLABLE.has(j.order.state) || orderId === null) {
      throw refusal(
        'NOT_MODIFIABLE',
        j.order.state === 'UNKNOWN' || j.order.state === 'SENT'
          ? `Order ${clientOrderId} is ${j.order.state}: its broker id is not known yet; it is being resolved.`
          : `Order ${clientOrderId} is ${j.order.state}: nothing to cancel.`,
      );
    }
    if (j.order.state === 'ACCEPTED') {
      // Kite's transient pre-open statuses: cancel once it is open. The poll brings that quickly.
      throw refusal(
        'NOT_MODIFIABLE',
        `Order ${clientOrderId} is still being accepted by the exchange; try again.`,
      );
    }
    if (!this.apply(j, { type: 'CancelRequested' }))
      throw refusal('NOT_MODIFIABLE', `Order ${clientOrderId} cannot be cancelled now (${j.order.state}).`);
    try {
      await venue.cancel(orderId, j.intent.variety === 'amo' ? 'amo' : 'regular');
      this.apply(j, { type: 'CancelAcknowledged' });
    } catch (e) {
      if (e instanceof VenueError && e.outcome === 'rejected')
        this.apply(j, { type: 'CancelRejected', reason: e.message });
      else this.o.log(`cancel ${clientOrderId}: outcome unknown (${errorText(e)}); the order book will tell`);
    }
    this.schedulePoll();
    return this.view(j);
  }

  /** Cancels every working order (of one instrument or strategy). Returns the ids asked to cancel. */
  async cancelAll(filter: { instrumentToken?: number; strategyId?: string } = {}): Promise<string[]> {
    const targets = [...this.orders.values()].filter(
      (j) =>
        CANCELLABLE.has(j.order.state) &&
        j.order.state !== 'ACCEPTED' &&
        (filter.instrumentToken === undefined || j.intent.instrumentToken === filter.instrumentToken) &&
        (filter.strategyId === undefined || j.intent.strategyId === filter.strategyId),
    );
    const results = await Promise.allSettled(targets.map((j) => this.cancel(j.intent.clientOrderId)));
    const ids: string[] = [];
    results.forEach((r, k) => {
      const j = targets[k];
      if (j === undefined) return;
      if (r.status === 'fulfilled') ids.push(j.intent.clientOrderId);
      else this.o.log(`cancel all: ${j.intent.clientOrderId}: ${errorText(r.reason)}`);
    });
    return ids;
  }

  /**
   * Closes one position with market orders, after cancelling working orders on it, and resolves with
   * the orders sent ([] when flat). Above the exchange's freeze quantity the exit is sliced (whole
   * lots, at most the freeze quantity each; slices.ts), sent one after another and paced by the
   * order rate; the duplicate guard does not count one slice against another. A slice the broker
   * rejects ends the exit (the rest would meet the same reason), unless the rejection named a freeze
   * quantity not known before: then the rest is sliced at it, once. The exit ended rejected when the
   * last order is. A refusal once some slices were sent rejects with the reason and how much was
   * sent; those orders are in the order stream. A second exit of the position while one is being
   * sent is refused (it would read the position before the first one's fills).
   *
   * The exit is sized only when no order on the position can still change it: it cancels the
   * working ones and waits (up to EXIT_SETTLE_MS) for every order on the position to end; an order
   * still working then (a cancel not confirmed, a place whose outcome is unknown) refuses the exit
   * with ORDERS_WORKING and nothing is sent. The size is the position from the fills recorded plus
   * what the broker reported filled and whose trades have not arrived yet (an order reads COMPLETE
   * before its trades come), so an exit right after another never sells the same quantity twice.
   */
  async exit(instrumentToken: number, product: Product): Promise<OrderView[]> {
    this.readyVenue();
    const key = `${instrumentToken}:${product}`;
    if (this.exiting.has(key))
      throw refusal('DUPLICATE_ORDER', 'An exit of this position is already being sent.');
    this.exiting.add(key);
    try {
      return await this.exitNow(instrumentToken, product);
    } finally {
      this.exiting.delete(key);
    }
  }

  private async exitNow(instrumentToken: number, product: Product): Promise<OrderView[]> {
    const i = this.o.instrument(instrumentToken);
    const onPosition = (): JournaledOrder[] =>
      [...this.orders.values()].filter(
        (j) => j.intent.instrumentToken === instrumentToken && j.intent.product === product,
      );
    const live = await this.endOrders(onPosition);
    if (live.length > 0) {
      const named = live.slice(0, 3).map((j) => `${j.intent.clientOrderId} ${j.order.state}`);
      if (live.length > 3) named.push('...');
      const one = live.length === 1;
      throw refusal(
        'ORDERS_WORKING',
        `Exit ${i?.tradingSymbol ?? instrumentToken} ${product}: nothing was sent; ${one ? 'an order' : `${live.length} orders`} on the position did not end in ${EXIT_SETTLE_MS / 1000} s (${named.join(', ')}). Exit again once ${one ? 'it ends' : 'they end'}.`,
      );
    }
    let quantity = this.portfolioValue.quantity(instrumentToken, product);
    for (const j of onPosition()) {
      const owed = j.order.brokerFilledQuantity - j.order.filledQuantity;
      if (owed > 0) quantity += j.intent.side === 'BUY' ? owed : -owed;
    }
    if (quantity === 0) return [];
    const total = Math.abs(quantity);
    const lot = i?.lotSize ?? 1;
    const freeze = (): number | null => (i === undefined ? null : this.freezeQuantityOf(i));
    let sizes = freezeSlices(total, freeze(), lot);
    const group = this.newSliceGroup();
    const pacing = { waitedMs: 0 };
    const sent: OrderView[] = [];
    let left = total;
    let replanned = false;
    for (let size = sizes.shift(); size !== undefined; size = sizes.shift()) {
      const slice: PlaceRequest = {
        instrumentToken,
        side: quantity > 0 ? 'SELL' : 'BUY',
        quantity: size,
        orderType: 'MARKET',
        product,
        variety: 'regular',
        validity: 'DAY',
      };
      let order: OrderView;
      try {
        order = await this.sendPaced(slice, group, pacing);
      } catch (e) {
        const code = refusalCodeOf(e);
        if (sent.length === 0 || code === undefined) throw e;
        throw refusal(
          code,
          `Exit ${i?.tradingSymbol ?? instrumentToken} ${product}: ${total - left} of ${total} sent; the rest was refused: ${errorText(e)}`,
        );
      }
      sent.push(order);
      if (order.state === 'REJECTED') {
        // Refused above a freeze quantity we did not know: the exchange named it, so slice again (once).
        const learnt = freeze();
        if (replanned || learnt === null || learnt >= size) break;
        replanned = true;
        sizes = freezeSlices(left, learnt, lot);
        continue;
      }
      left -= size;
    }
    return sent;
  }

  /**
   * Cancels the working orders of `orders()` (read again at each change) and waits (up to
   * EXIT_SETTLE_MS, real time) until every one has ended: a cancel the broker refused is asked again
   * (up to EXIT_CANCEL_TRIES), an order still being accepted is cancelled once it rests. Returns the
   * orders that have not ended.
   */
  private async endOrders(orders: () => JournaledOrder[]): Promise<JournaledOrder[]> {
    const tries = new Map<string, number>();
    const deadline = performance.now() + EXIT_SETTLE_MS;
    for (;;) {
      const live = orders().filter((j) => !isTerminal(j.order.state));
      const left = deadline - performance.now();
      if (live.length === 0 || left <= 0 || this.disposed) return live;
      const asks = live.filter(
        (j) =>
          CANCELLABLE.has(j.order.state) &&
          j.order.state !== 'ACCEPTED' &&
          j.order.orderId !== null &&
          (tries.get(j.intent.clientOrderId) ?? 0) < EXIT_CANCEL_TRIES,
      );
      for (const j of asks) tries.set(j.intent.clientOrderId, (tries.get(j.intent.clientOrderId) ?? 0) + 1);
      const changed = this.nextChange(Math.min(left, 250));
      await Promise.allSettled(asks.map((j) => this.cancel(j.intent.clientOrderId)));
      await changed;
    }
  }

  /**
   * Sends one slice, waiting out the order rate (a local refusal: nothing was sent) while the exit's
   * waits add up to at most EXIT_PACING_MS (counted here, not on the injected clock).
   */
  private async sendPaced(p: PlaceRequest, group: number, pacing: { waitedMs: number }): Promise<OrderView> {
    for (;;) {
      try {
        return await this.send(p, group);
      } catch (e) {
        const wait = Math.max(1, Math.ceil(this.o.rate.waitMs(this.o.now())));
        if (refusalCodeOf(e) !== 'ORDER_RATE' || pacing.waitedMs + wait > EXIT_PACING_MS || this.disposed)
          throw e;
        pacing.waitedMs += wait;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  // --- polling ------------------------------------------------------------------------------------

  private graceMs(): number {
    return this.o.unknownGraceMs ?? 5_000;
  }

  /** Orders still working, or finished with fills the broker counted that we have not recorded. */
  private hasLiveOrders(): boolean {
    return this.openOrders > 0 || this.owedFills().length > 0;
  }

  private owedFills(): JournaledOrder[] {
    const out: JournaledOrder[] = [];
    for (const j of this.orders.values())
      if (j.order.brokerFilledQuantity > j.order.filledQuantity) out.push(j);
    return out;
  }

  private schedulePoll(): void {
    if (this.disposed || this.venue === undefined || this.pollTimer !== undefined) return;
    const ms = this.hasLiveOrders() ? (this.o.pollMs ?? 1_000) : 10_000;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll();
    }, ms);
    this.pollTimer.unref();
  }

  /** The fallback for lost or late order updates: the order book, applied like updates. */
  async poll(): Promise<void> {
    const venue = this.venue;
    if (venue === undefined || this.polling || this.reconciliation.state === 'reconciling') {
      this.schedulePoll();
      return;
    }
    this.polling = true;
    const generation = this.generation;
    try {
      // While orders work, every poll; otherwise every 10 s (the schedule's slow beat), so an order
      // placed elsewhere whose update was lost still shows within seconds.
      if (this.hasLiveOrders() || this.o.now() - this.lastBookAt >= 9_000) {
        this.lastBookAt = this.o.now();
        const book = await venue.orders();
        if (generation !== this.generation) return;
        const seen = new Set<string>();
        let needTrades = false;
        for (const r of [...book].sort((a, b) => a.updateTime - b.updateTime)) {
          seen.add(r.orderId);
          if (r.tag !== null) seen.add(`tag:${r.tag}`);
          this.onReport(r, true);
          const j = this.byBrokerId.get(r.orderId);
          if (j !== undefined && r.filledQuantity > j.order.filledQuantity) needTrades = true;
        }
        const now = this.o.now();
        for (const j of this.orders.values()) {
          if (j.order.state !== 'UNKNOWN') continue;
          if (seen.has(`tag:${j.intent.clientOrderId}`)) continue;
          const sent = this.sentAt.get(j.intent.clientOrderId) ?? j.intent.createdAt;
          if (now - sent >= this.graceMs()) this.apply(j, { type: 'ResolvedAbsent' });
        }
        if (needTrades || this.owedFills().length > 0) {
          const trades = await venue.trades();
          if (generation !== this.generation) return;
          for (const t of trades) this.onTrade(t);
        }
      }
    } catch (e) {
      this.o.log(`order book poll: ${errorText(e)}`);
    } finally {
      this.polling = false;
      if (generation === this.generation) this.schedulePoll();
    }
  }

  // --- views and streams --------------------------------------------------------------------------

  view(j: JournaledOrder): OrderView {
    const o = j.order;
    // What the broker says is filled, at once: its trades (and so the fills, position and P&L)
    // follow a moment later, and an order must never read COMPLETE with nothing filled meanwhile.
    const filled = Math.max(o.filledQuantity, o.brokerFilledQuantity);
    const ownAverage = o.filledQuantity === 0 ? 0 : Math.round(j.fillValue / o.filledQuantity);
    const averagePrice =
      filled > o.filledQuantity
        ? (this.reportedAverage.get(j.intent.clientOrderId) ?? ownAverage)
        : ownAverage;
    return {
      clientOrderId: j.intent.clientOrderId,
      brokerOrderId: o.orderId,
      source: j.intent.source,
      strategyId: j.intent.strategyId,
      instrumentToken: j.intent.instrumentToken,
      exchange: j.intent.exchange,
      tradingsymbol: j.intent.tradingsymbol,
      priceDivisor: j.intent.priceDivisor,
      side: j.intent.side,
      orderType: j.intent.orderType,
      product: j.intent.product,
      variety: j.intent.variety,
      validity: j.intent.validity,
      quantity: o.quantity,
      price: j.intent.price,
      triggerPrice: j.intent.triggerPrice,
      filledQuantity: filled,
      averagePrice,
      state: o.state,
      reason: o.reason ?? '',
      createdAt: j.intent.createdAt,
      updatedAt: j.updatedAt,
      parentId: j.intent.parentId ?? null,
    };
  }

  /** Today's orders and older working ones, newest first. */
  list(): OrderView[] {
    return [...this.orders.values()].map((j) => this.view(j)).sort((a, b) => b.createdAt - a.createdAt);
  }

  get(clientOrderId: string): OrderView | undefined {
    const j = this.orders.get(clientOrderId);
    return j === undefined ? undefined : this.view(j);
  }

  trades(): TradeView[] {
    return [...this.tradeViews];
  }

  /** Working orders across the account. */
  get openOrderCount(): number {
    return this.openOrders;
  }

  /**
   * Orders that can fill now, per instrument (an after-market order waits for the open and sees no
   * ticks by design), with the instrument's tradingsymbol. For the stale-feed breaker.
   */
  workingByInstrument(): Map<number, { count: number; name: string }> {
    const out = new Map<number, { count: number; name: string }>();
    for (const j of this.orders.values()) {
      const s = j.order.state;
      if (s !== 'OPEN' && s !== 'TRIGGER_PENDING' && s !== 'MODIFY_PENDING') continue;
      const w = out.get(j.intent.instrumentToken);
      if (w === undefined) out.set(j.intent.instrumentToken, { count: 1, name: j.intent.tradingsymbol });
      else w.count++;
    }
    return out;
  }

  onOrder(listener: (o: OrderView) => void): Disposable {
    this.orderListeners.add(listener);
    return { dispose: () => this.orderListeners.delete(listener) };
  }

  onTradeView(listener: (t: TradeView) => void): Disposable {
    this.tradeListeners.add(listener);
    return { dispose: () => this.tradeListeners.delete(listener) };
  }

  onReconciliation(listener: (r: ReconciliationState) => void): Disposable {
    this.reconciliationListeners.add(listener);
    return { dispose: () => this.reconciliationListeners.delete(listener) };
  }

  /** Told when fills change positions (the portfolio service re-reads them). */
  onPortfolio(listener: () => void): Disposable {
    this.portfolioListeners.add(listener);
    return { dispose: () => this.portfolioListeners.delete(listener) };
  }

  private emitOrder(j: JournaledOrder): void {
    this.wakeWaiters();
    if (this.orderListeners.size === 0) return;
    const v = this.view(j);
    for (const l of this.orderListeners) l(v);
  }

  private emitPortfolio(): void {
    this.wakeWaiters();
    for (const l of this.portfolioListeners) l();
  }

  private wakeWaiters(): void {
    if (this.changeWaiters.size === 0) return;
    const waiters = [...this.changeWaiters];
    this.changeWaiters.clear();
    for (const w of waiters) w();
  }

  /** Resolves at the next order or fill change, or after `ms`. */
  private nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.changeWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.changeWaiters.add(wake);
    });
  }

  private setReconciliation(r: ReconciliationState): void {
    this.reconciliation = r;
    for (const l of this.reconciliationListeners) l(r);
  }

  dispose(): void {
    this.disposed = true;
    this.detach();
    this.orderListeners.clear();
    this.tradeListeners.clear();
    this.reconciliationListeners.clear();
  }
}

function format(units: number, divisor: number): string {
  const decimals = divisor === 100 ? 2 : divisor === 10_000 ? 4 : 7;
  return (units / divisor).toFixed(decimals);
}

/** The refusal code of an error `refusal` made, else undefined. */
function refusalCodeOf(e: unknown): OrderRefusalCode | undefined {
  if (!(e instanceof RpcError) || e.code !== 'REJECTED') return undefined;
  const code: unknown = (e.details as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? (code as OrderRefusalCode) : undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
  });
}
