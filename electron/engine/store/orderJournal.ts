/**
 * The order journal (ARCHITECTURE.md, Persistence; reliability.md 2.1): every order's intent is
 * committed before anything is sent, every event after it is appended, and the state is rebuilt from
 * the events at start. Tables: migration 6 ('order journal').
 *
 * - `submit` (a new order on its way to the broker) appends the intent to the intent log
 *   (intentLog.ts: one write, as durable as a NORMAL commit) and returns; the caller sends, then calls
 *   `settle`, which commits the order's rows to SQLite. Every other method settles first, so SQLite
 *   never sees an order's later event before the order. Without an intent log (an in-memory
 *   database) `submit` commits at once, like `create`.
 * - `create` writes the intent and its first events in ONE transaction; the caller sends only after
 *   it returns. A crash after the commit (or the log's write) and before (or during) the send leaves
 *   the order SENT or PENDING_NEW in the journal: reconciliation marks it UNKNOWN and resolves it by
 *   tag, never by sending it again. At start, records of the intent log that SQLite lacks (a crash
 *   between the write and the commit) are committed as SENT, then the log is emptied.
 * - `append` and `appendFill` write one event (and a fill row) with the order's new projection in one
 *   transaction. The caller applies the event with the lifecycle first; the journal stores only
 *   events the lifecycle accepted.
 * - `load` folds each order's events through the lifecycle again and compares the result with the
 *   stored projection: a difference is an integrity problem (reported by `check`).
 *
 * Synchronous (better-sqlite3) on the engine's thread; statements are prepared once.
 */
import type { Statement } from 'better-sqlite3';
import type { OrderType, Product, Side } from '../../../shared/services/orders';
import { applyOrderEvent, newOrder } from '../oms/orderLifecycle';
import type { LifecycleOrder, OrderEvent } from '../oms/orderLifecycle';
import type { EngineDatabase } from './database';
import { IntentLog } from './intentLog';

/** Who an order is for: the venue and the user (`sim:AB1234`, `live:AB1234`, `paper:AB1234`). */
export type Account = string;

/** An order's intent: what was asked, as sent. `quantity`, `price`, `triggerPrice` follow modifications. */
export interface OrderIntent {
  readonly clientOrderId: string;
  readonly account: Account;
  readonly source: 'manual' | 'strategy' | 'external';
  readonly strategyId: string | null;
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly priceDivisor: number;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly variety: string;
  readonly validity: string;
  readonly validityTtl: number | null;
  readonly disclosedQuantity: number;
  readonly marketProtection: number | null;
  readonly algoId: string | null;
  /**
   * The engine algorithm (electron/engine/algos: a bracket, an iceberg) this order is a child of;
   * null for an order of its own. Optional in the type only for intent-log lines written before it.
   */
  readonly parentId?: string | null;
  /** IST date the order was placed on, `YYYY-MM-DD`. */
  readonly tradingDate: string;
  readonly createdAt: number;
  readonly quantity: number;
  /** Wire units; 0 when none. */
  readonly price: number;
  readonly triggerPrice: number;
}

/** What an event may change in the intent besides the lifecycle: a modification's new terms. */
export interface IntentChange {
  readonly price?: number;
  readonly triggerPrice?: number;
  readonly orderType?: OrderType;
}

/** An order as the journal holds it. */
export interface JournaledOrder {
  intent: OrderIntent;
  order: LifecycleOrder;
  /** Sum of fill quantity x price, wire units. */
  fillValue: number;
  updatedAt: number;
  /** Events stored for it (the next event's number is this + 1). */
  eventCount: number;
}

/** A fill row (one per account and trade id). */
export interface FillRecord {
  readonly account: Account;
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly brokerOrderId: string;
  readonly instrumentToken: number;
  readonly side: Side;
  readonly product: Product;
  readonly quantity: number;
  readonly price: number;
  readonly time: number;
  readonly tradingDate: string;
}

/** A row of `order_events`: a lifecycle event, with the new terms for a report of a modification. */
interface StoredEvent {
  readonly event: OrderEvent;
  readonly change?: IntentChange;
}

interface OrderRow {
  client_order_id: string;
  account: string;
  source: OrderIntent['source'];
  strategy_id: string | null;
  instrument_token: number;
  exchange: string;
  tradingsymbol: string;
  price_divisor: number;
  side: Side;
  order_type: OrderType;
  product: Product;
  variety: string;
  validity: string;
  validity_ttl: number | null;
  disclosed_quantity: number;
  market_protection: number | null;
  algo_id: string | null;
  parent_id: string | null;
  trading_date: string;
  created_at: number;
  quantity: number;
  price: number;
  trigger_price: number;
  state: string;
  broker_order_id: string | null;
  filled_quantity: number;
  fill_value: number;
  reason: string | null;
  updated_at: number;
  placed_quantity: number;
  event_count: number;
}

/** The journal failed to apply or store something; nothing was written. */
export class JournalError extends Error {
  override readonly name = 'JournalError';
}

/** One order's events, as stored (for tests and the integrity check). */
export interface JournalEventRow {
  /** The event's number within its order, from 1. */
  readonly n: number;
  readonly clientOrderId: string;
  readonly at: number;
  readonly type: string;
  readonly event: OrderEvent;
  readonly change: IntentChange | undefined;
}

/** The journal's check: SQLite's own, foreign keys, and every projection against its events. */
export interface JournalCheck {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly orders: number;
  readonly events: number;
  readonly fills: number;
}

const fillValueOf = (order: LifecycleOrder): number => {
  let v = 0;
  for (const f of order.fills) v += f.quantity * f.price;
  return v;
};

/** What the start's recovery found in the intent log. */
export interface IntentRecovery {
  /** Orders the log held that SQLite did not: committed now, as SENT. */
  readonly recovered: readonly string[];
  /** Damaged lines (never replayed; reconciliation imports such an order by its tag). */
  readonly damaged: readonly string[];
  /** Bytes of a write cut short (its order was never sent), dropped. */
  readonly tornBytes: number;
}

/** The intent log is emptied once it is this long and every record in it is committed. */
const INTENT_LOG_CLEAR_BYTES = 64 * 1024;

/** A submitted order whose rows are not committed yet. */
interface Pending {
  readonly intent: OrderIntent;
  readonly order: LifecycleOrder;
  readonly at: number;
}

const SUBMITTED: readonly OrderEvent[] = [{ type: 'Submitted' }];

/** The order journal over the engine's database. */
export class OrderJournal {
  private readonly log: IntentLog | undefined;
  private pending: Pending[] = [];
  /** Run prefixes this journal started (startRun): no earlier run's order has one. */
  private readonly runs: string[] = [];
  /** Client order ids of this journal's runs it has journaled (submitted or created). */
  private readonly runIds = new Set<string>();
  /** What the start found in the intent log (nothing without one). */
  readonly recovery: IntentRecovery;
  private readonly insertOrder: Statement;
  private readonly knownOrder: Statement;
  private readonly insertEvent: Statement;
  private readonly updateOrder: Statement;
  private readonly insertFill: Statement;
  private readonly createTx: (
    intent: OrderIntent,
    events: readonly OrderEvent[],
    order: LifecycleOrder,
    at: number,
  ) => void;
  private readonly appendTx: (
    clientOrderId: string,
    n: number,
    stored: StoredEvent,
    order: LifecycleOrder,
    intent: OrderIntent,
    fillValue: number,
    fill: FillRecord | null,
    at: number,
  ) => void;

  /**
   * The journal over `db`. With `intentLogFile` (the engine's: `<database file>-intents`), new
   * orders are submitted through that log, and its records SQLite lacks are committed now.
   */
  constructor(
    private readonly db: EngineDatabase,
    private readonly now: () => number,
    intentLogFile?: string,
  ) {
    const sql = db.sql;
    this.insertOrder = sql.prepare(
      `INSERT INTO orders (client_order_id, account, source, strategy_id, instrument_token, exchange,
         tradingsymbol, price_divisor, side, order_type, product, variety, validity, validity_ttl,
         disclosed_quantity, market_protection, algo_id, parent_id, trading_date, created_at,
         placed_quantity, quantity, price, trigger_price, state, broker_order_id, filled_quantity,
         fill_value, reason, updated_at, event_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertEvent = sql.prepare(
      'INSERT INTO order_events (client_order_id, n, at, type, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.updateOrder = sql.prepare(
      `UPDATE orders SET state = ?, broker_order_id = ?, filled_quantity = ?, fill_value = ?, reason = ?,
         quantity = ?, price = ?, trigger_price = ?, order_type = ?, updated_at = ?, event_count = ?
       WHERE client_order_id = ?`,
    );
    this.insertFill = sql.prepare(
      `INSERT INTO fills (account, trade_id, client_order_id, broker_order_id, instrument_token, side,
         product, quantity, price, time, trading_date)
       VALUES (@account, @tradeId, @clientOrderId, @brokerOrderId, @instrumentToken, @side, @product,
         @quantity, @price, @time, @tradingDate)`,
    );
    this.createTx = sql.transaction(
      (intent: OrderIntent, events: readonly OrderEvent[], order: LifecycleOrder, at: number) => {
        // The order row with its projection after `events` (events reference it), then the events.
        const i = intent;
        this.insertOrder.run(
          i.clientOrderId,
          i.account,
          i.source,
          i.strategyId,
          i.instrumentToken,
          i.exchange,
          i.tradingsymbol,
          i.priceDivisor,
          i.side,
          i.orderType,
          i.product,
          i.variety,
          i.validity,
          i.validityTtl,
          i.disclosedQuantity,
          i.marketProtection,
          i.algoId,
          i.parentId ?? null,
          i.tradingDate,
          i.createdAt,
          i.quantity,
          order.quantity,
          i.price,
          i.triggerPrice,
          order.state,
          order.orderId,
          order.filledQuantity,
          fillValueOf(order),
          order.reason,
          at,
          events.length,
        );
        let n = 0;
        for (const event of events) {
          const e: StoredEvent = { event };
          this.insertEvent.run(i.clientOrderId, ++n, at, event.type, JSON.stringify(e));
        }
      },
    );
    this.appendTx = sql.transaction(
      (
        clientOrderId: string,
        n: number,
        stored: StoredEvent,
        order: LifecycleOrder,
        intent: OrderIntent,
        fillValue: number,
        fill: FillRecord | null,
        at: number,
      ) => {
        if (fill !== null) this.insertFill.run(fill);
        this.insertEvent.run(clientOrderId, n, at, stored.event.type, JSON.stringify(stored));
        const changed = this.updateOrder.run(
          order.state,
          order.orderId,
          order.filledQuantity,
          fillValue,
          order.reason,
          order.quantity,
          intent.price,
          intent.triggerPrice,
          intent.orderType,
          at,
          n,
          clientOrderId,
        ).changes;
        if (changed !== 1) throw new JournalError(`order ${clientOrderId} is not in the journal`);
      },
    );
    this.knownOrder = sql.prepare('SELECT 1 FROM orders WHERE client_order_id = ?').pluck();
    this.log = intentLogFile === undefined ? undefined : new IntentLog(intentLogFile);
    this.recovery = this.recoverIntents();
  }

  /** Commits the intent log's records SQLite lacks (as SENT), then empties the log. */
  private recoverIntents(): IntentRecovery {
    if (this.log === undefined) return { recovered: [], damaged: [], tornBytes: 0 };
    const { intents, damaged, tornBytes } = this.log.read();
    const recovered: string[] = [];
    this.db.sql.transaction(() => {
      for (const intent of intents) {
        if (this.knownOrder.get(intent.clientOrderId) !== undefined) continue;
        this.createTx(intent, SUBMITTED, submittedOrder(intent), intent.createdAt);
        recovered.push(intent.clientOrderId);
      }
    })();
    this.log.clear();
    return { recovered, damaged, tornBytes };
  }

  /**
   * Journals a new order about to be sent: with an intent log, one append to it (the order is
   * durable when this returns) and its SQLite rows at `settle` or before the journal's next write;
   * without one, committed at once. Throws (and writes nothing) when the write fails or the client
   * order id is journaled already (committed or pending): a repeat must never reach the broker.
   */
  submit(intent: OrderIntent): JournaledOrder {
    if (this.log === undefined) return this.create(intent, SUBMITTED);
    const ours = this.refuseRepeat(intent.clientOrderId);
    const order = submittedOrder(intent);
    const at = this.now();
    this.log.append(intent);
    if (ours) this.runIds.add(intent.clientOrderId);
    this.pending.push({ intent, order, at });
    return { intent, order, fillValue: 0, updatedAt: at, eventCount: 1 };
  }

  /**
   * Commits the rows of every submitted order not committed yet, oldest first (idempotent). Throws
   * JournalError (the records stay in the intent log and pending) when SQLite fails.
   */
  settle(): void {
    if (this.pending.length === 0) return;
    for (let p = this.pending[0]; p !== undefined; p = this.pending[0]) {
      try {
        this.createTx(p.intent, SUBMITTED, p.order, p.at);
      } catch (e) {
        throw new JournalError(
          `order ${p.intent.clientOrderId} is in the intent log but could not be committed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      this.pending.shift();
    }
    if (this.log !== undefined && this.log.size >= INTENT_LOG_CLEAR_BYTES) this.log.clear();
  }

  /** Orders submitted and not committed to SQLite yet (0 after `settle`). */
  get unsettled(): number {
    return this.pending.length;
  }

  /** Settles and closes the intent log. */
  close(): void {
    try {
      this.settle();
    } finally {
      this.log?.close();
    }
  }

  /** Records a run's client-order-id prefix; throws JournalError if it was used before. */
  startRun(prefix: string): void {
    this.settle();
    const r = this.db.sql
      .prepare('INSERT OR IGNORE INTO journal_runs (run_prefix, started_at) VALUES (?, ?)')
      .run(prefix, this.now());
    if (r.changes !== 1)
      throw new JournalError(`client order id prefix ${prefix} was used by an earlier run`);
    this.runs.push(prefix);
  }

  /**
   * Throws JournalError if `id` is journaled already (committed or pending). An id of a run this
   * journal started can only be one it journaled itself (the prefix is new, this process is the
   * database's one writer): a set lookup, not a query, on the order path. Returns whether it is
   * one of those (the caller adds it to `runIds` once written).
   */
  private refuseRepeat(id: string): boolean {
    const ours = this.runs.some((prefix) => id.startsWith(prefix));
    const known = ours
      ? this.runIds.has(id)
      : this.knownOrder.get(id) !== undefined || this.pending.some((p) => p.intent.clientOrderId === id);
    if (known) throw new JournalError(`order ${id} is already in the journal`);
    return ours;
  }

  /** Every run prefix recorded: a tag with one of these was placed by ShrivenQ. */
  runPrefixes(): Set<string> {
    const rows = this.db.sql.prepare('SELECT run_prefix FROM journal_runs').all() as { run_prefix: string }[];
    return new Set(rows.map((r) => r.run_prefix));
  }

  /**
   * Journals a new order: its intent and `events` (already applied to a new order, giving `order`)
   * in one transaction. Returns the journaled order. Throws JournalError (or SQLite's error) and
   * writes nothing on failure: a duplicate client order id, a constraint.
   */
  create(intent: OrderIntent, events: readonly OrderEvent[]): JournaledOrder {
    this.settle();
    const ours = this.refuseRepeat(intent.clientOrderId);
    const order = fold(
      newOrder(intent.clientOrderId, intent.quantity),
      events.map((event) => ({ event })),
    );
    const at = this.now();
    this.createTx(intent, events, order, at);
    if (ours) this.runIds.add(intent.clientOrderId);
    return { intent, order, fillValue: fillValueOf(order), updatedAt: at, eventCount: events.length };
  }

  /**
   * Appends an event the lifecycle accepted for `journaled` (which becomes `next`), with the intent's
   * new terms if it is a modification's report, and a fill row for a `Filled` event. Updates
   * `journaled` in place once committed.
   */
  append(
    journaled: JournaledOrder,
    event: OrderEvent,
    next: LifecycleOrder,
    change?: IntentChange,
    fill?: FillRecord,
  ): void {
    const intent = { ...journaled.intent, ...change, quantity: next.quantity };
    const fillValue =
      event.type === 'Filled' ? journaled.fillValue + event.quantity * event.price : journaled.fillValue;
    this.settle();
    const stored: StoredEvent = change === undefined ? { event } : { event, change };
    const at = this.now();
    const n = journaled.eventCount + 1;
    this.appendTx(journaled.intent.clientOrderId, n, stored, next, intent, fillValue, fill ?? null, at);
    journaled.eventCount = n;
    journaled.intent = intent;
    journaled.order = next;
    journaled.fillValue = fillValue;
    journaled.updatedAt = at;
  }

  /**
   * The orders of `account` placed on or after `fromDate` (IST `YYYY-MM-DD`) plus every older one
   * that is not finished, rebuilt from their events. Orders whose events do not fold to their stored
   * projection are returned as rebuilt and listed in `problems`.
   */
  load(account: Account, fromDate: string): { orders: JournaledOrder[]; problems: string[] } {
    this.settle();
    const rows = this.db.sql
      .prepare(
        `SELECT * FROM orders WHERE account = ? AND (trading_date >= ? OR state NOT IN ('COMPLETE', 'CANCELLED', 'REJECTED'))
         ORDER BY created_at, client_order_id`,
      )
      .all(account, fromDate) as OrderRow[];
    return this.rebuild(rows);
  }

  /**
   * One order by its client order id, whatever its trading date (an older finished one is not
   * loaded at start, but the broker's book can still show it: past midnight IST, before its reset).
   */
  find(clientOrderId: string): JournaledOrder | undefined {
    this.settle();
    const rows = this.db.sql
      .prepare('SELECT * FROM orders WHERE client_order_id = ?')
      .all(clientOrderId) as OrderRow[];
    return this.rebuild(rows).orders[0];
  }

  /** Every order of every account (the integrity check, tests). */
  loadAll(): { orders: JournaledOrder[]; problems: string[] } {
    this.settle();
    const rows = this.db.sql
      .prepare('SELECT * FROM orders ORDER BY created_at, client_order_id')
      .all() as OrderRow[];
    return this.rebuild(rows);
  }

  private rebuild(rows: readonly OrderRow[]): { orders: JournaledOrder[]; problems: string[] } {
    const events = this.db.sql.prepare(
      'SELECT n, data FROM order_events WHERE client_order_id = ? ORDER BY n',
    );
    const problems: string[] = [];
    const orders: JournaledOrder[] = [];
    for (const row of rows) {
      const stored = (events.all(row.client_order_id) as { n: number; data: string }[]).map(
        (e) => JSON.parse(e.data) as StoredEvent,
      );
      let intent = intentOf(row);
      let order: LifecycleOrder;
      try {
        order = fold(newOrder(row.client_order_id, row.placed_quantity), stored);
      } catch (e) {
        problems.push(`${row.client_order_id}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      for (const s of stored) if (s.change !== undefined) intent = { ...intent, ...s.change };
      intent = { ...intent, quantity: order.quantity };
      const fillValue = fillValueOf(order);
      const mismatch: string[] = [];
      if (order.state !== row.state) mismatch.push(`state ${row.state} vs ${order.state}`);
      if (order.orderId !== row.broker_order_id)
        mismatch.push(`broker id ${row.broker_order_id} vs ${order.orderId}`);
      if (order.filledQuantity !== row.filled_quantity)
        mismatch.push(`filled ${row.filled_quantity} vs ${order.filledQuantity}`);
      if (fillValue !== row.fill_value) mismatch.push(`fill value ${row.fill_value} vs ${fillValue}`);
      if (order.quantity !== row.quantity) mismatch.push(`quantity ${row.quantity} vs ${order.quantity}`);
      if (intent.price !== row.price) mismatch.push(`price ${row.price} vs ${intent.price}`);
      if (mismatch.length > 0)
        problems.push(`${row.client_order_id}: projection differs from events (${mismatch.join(', ')})`);
      if (row.event_count !== stored.length)
        problems.push(
          `${row.client_order_id}: ${stored.length} events stored, the projection counts ${row.event_count}`,
        );
      orders.push({ intent, order, fillValue, updatedAt: row.updated_at, eventCount: row.event_count });
    }
    return { orders, problems };
  }

  /** One order's stored events, oldest first. */
  events(clientOrderId: string): JournalEventRow[] {
    this.settle();
    const rows = this.db.sql
      .prepare(
        'SELECT n, client_order_id, at, type, data FROM order_events WHERE client_order_id = ? ORDER BY n',
      )
      .all(clientOrderId) as {
      n: number;
      client_order_id: string;
      at: number;
      type: string;
      data: string;
    }[];
    const out: JournalEventRow[] = [];
    for (const r of rows) {
      const s = JSON.parse(r.data) as StoredEvent;
      out.push({
        n: r.n,
        clientOrderId: r.client_order_id,
        at: r.at,
        type: r.type,
        event: s.event,
        change: s.change,
      });
    }
    return out;
  }

  /** The fills of `account` on or after `fromDate`, in time order. */
  fills(account: Account, fromDate: string): FillRecord[] {
    this.settle();
    const rows = this.db.sql
      .prepare(
        `SELECT account, trade_id, client_order_id, broker_order_id, instrument_token, side, product, quantity,
           price, time, trading_date FROM fills WHERE account = ? AND trading_date >= ? ORDER BY time, trade_id`,
      )
      .all(account, fromDate) as {
      account: string;
      trade_id: string;
      client_order_id: string;
      broker_order_id: string;
      instrument_token: number;
      side: Side;
      product: Product;
      quantity: number;
      price: number;
      time: number;
      trading_date: string;
    }[];
    return rows.map((r) => ({
      account: r.account,
      tradeId: r.trade_id,
      clientOrderId: r.client_order_id,
      brokerOrderId: r.broker_order_id,
      instrumentToken: r.instrument_token,
      side: r.side,
      product: r.product,
      quantity: r.quantity,
      price: r.price,
      time: r.time,
      tradingDate: r.trading_date,
    }));
  }

  /**
   * The journal's integrity: SQLite's `integrity_check` and `foreign_key_check`, every order's
   * projection equal to the fold of its events, each order's fills (rows) equal to its Filled events,
   * and no two orders of an account with one broker order id (a unique index).
   */
  check(): JournalCheck {
    this.settle();
    const problems: string[] = [];
    const sql = this.db.sql;
    const integrity = sql.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const fk = sql.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${fk.length} rows`);
    const { orders, problems: rebuilt } = this.loadAll();
    problems.push(...rebuilt);
    const fillRows = sql
      .prepare(
        'SELECT client_order_id, COUNT(*) AS n, SUM(quantity) AS q FROM fills GROUP BY client_order_id',
      )
      .all() as { client_order_id: string; n: number; q: number }[];
    const byOrder = new Map(fillRows.map((r) => [r.client_order_id, r]));
    for (const j of orders) {
      const rows = byOrder.get(j.order.clientOrderId);
      const n = rows?.n ?? 0;
      const q = rows?.q ?? 0;
      if (n !== j.order.fills.length || q !== j.order.filledQuantity)
        problems.push(
          `${j.order.clientOrderId}: ${n} fill rows (${q}) vs ${j.order.fills.length} Filled events (${j.order.filledQuantity})`,
        );
    }
    const count = (table: string): number =>
      (sql.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      ok: problems.length === 0,
      problems,
      orders: count('orders'),
      events: count('order_events'),
      fills: count('fills'),
    };
  }
}

function intentOf(row: OrderRow): OrderIntent {
  return {
    clientOrderId: row.client_order_id,
    account: row.account,
    source: row.source,
    strategyId: row.strategy_id,
    instrumentToken: row.instrument_token,
    exchange: row.exchange,
    tradingsymbol: row.tradingsymbol,
    priceDivisor: row.price_divisor,
    side: row.side,
    orderType: row.order_type,
    product: row.product,
    variety: row.variety,
    validity: row.validity,
    validityTtl: row.validity_ttl,
    disclosedQuantity: row.disclosed_quantity,
    marketProtection: row.market_protection,
    algoId: row.algo_id,
    parentId: row.parent_id,
    tradingDate: row.trading_date,
    createdAt: row.created_at,
    quantity: row.quantity,
    price: row.price,
    triggerPrice: row.trigger_price,
  };
}

/** A new order after its `Submitted` event. */
function submittedOrder(intent: OrderIntent): LifecycleOrder {
  return fold(
    newOrder(intent.clientOrderId, intent.quantity),
    SUBMITTED.map((event) => ({ event })),
  );
}

function fold(order: LifecycleOrder, stored: readonly StoredEvent[]): LifecycleOrder {
  let current = order;
  for (const s of stored) {
    const r = applyOrderEvent(current, s.event);
    if (!r.ok) throw new JournalError(`event ${s.event.type} refused on replay: ${r.error.kind}`);
    current = r.order;
  }
  return current;
}
