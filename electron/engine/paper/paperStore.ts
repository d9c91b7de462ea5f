/**
 * The paper book in the engine's database (migration 7, 'paper broker'): prepared statements over
 * `paper_orders` and `paper_trades`. The broker groups its writes with `EngineDatabase.transaction`.
 */
import type { OrderType, Product, Side } from '../../../shared/services/orders';
import type { EngineDatabase } from '../store';

/** The statuses a paper order can have (Kite's strings). */
export type PaperStatus = 'OPEN' | 'TRIGGER PENDING' | 'COMPLETE' | 'CANCELLED' | 'REJECTED';

/** A paper order as stored. */
export interface PaperOrderRecord {
  readonly orderId: string;
  readonly seq: number;
  readonly tag: string | null;
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly product: Product;
  readonly variety: string;
  readonly validity: string;
  readonly validityTtl: number | null;
  readonly quantity: number;
  readonly filledQuantity: number;
  /** Sum of quantity x price of the fills, wire units. */
  readonly fillValue: number;
  readonly price: number;
  readonly triggerPrice: number;
  readonly disclosedQuantity: number;
  readonly marketProtection: number | null;
  readonly protectionPrice: number | null;
  readonly algoId: string | null;
  readonly status: PaperStatus;
  readonly reason: string | null;
  readonly queueAhead: number | null;
  readonly tradingDate: string;
  readonly orderTime: number;
  readonly updateTime: number;
}

/** A paper fill as stored. */
export interface PaperTradeRecord {
  readonly tradeId: string;
  readonly seq: number;
  readonly orderId: string;
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly product: Product;
  readonly quantity: number;
  readonly price: number;
  readonly time: number;
  readonly tradingDate: string;
}

interface OrderRow {
  order_id: string;
  seq: number;
  tag: string | null;
  instrument_token: number;
  exchange: string;
  tradingsymbol: string;
  side: Side;
  order_type: OrderType;
  product: Product;
  variety: string;
  validity: string;
  validity_ttl: number | null;
  quantity: number;
  filled_quantity: number;
  fill_value: number;
  price: number;
  trigger_price: number;
  disclosed_quantity: number;
  market_protection: number | null;
  protection_price: number | null;
  algo_id: string | null;
  status: PaperStatus;
  reason: string | null;
  queue_ahead: number | null;
  trading_date: string;
  order_time: number;
  update_time: number;
}

interface TradeRow {
  trade_id: string;
  seq: number;
  order_id: string;
  instrument_token: number;
  exchange: string;
  tradingsymbol: string;
  side: Side;
  product: Product;
  quantity: number;
  price: number;
  time: number;
  trading_date: string;
}

const ORDER_COLUMNS =
  'order_id, seq, tag, instrument_token, exchange, tradingsymbol, side, order_type, product, variety, ' +
  'validity, validity_ttl, quantity, filled_quantity, fill_value, price, trigger_price, ' +
  'disclosed_quantity, market_protection, protection_price, algo_id, status, reason, queue_ahead, ' +
  'trading_date, order_time, update_time';

const TRADE_COLUMNS =
  'trade_id, seq, order_id, instrument_token, exchange, tradingsymbol, side, product, quantity, price, ' +
  'time, trading_date';

function orderParams(o: PaperOrderRecord): OrderRow {
  return {
    order_id: o.orderId,
    seq: o.seq,
    tag: o.tag,
    instrument_token: o.instrumentToken,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    side: o.side,
    order_type: o.orderType,
    product: o.product,
    variety: o.variety,
    validity: o.validity,
    validity_ttl: o.validityTtl,
    quantity: o.quantity,
    filled_quantity: o.filledQuantity,
    fill_value: o.fillValue,
    price: o.price,
    trigger_price: o.triggerPrice,
    disclosed_quantity: o.disclosedQuantity,
    market_protection: o.marketProtection,
    protection_price: o.protectionPrice,
    algo_id: o.algoId,
    status: o.status,
    reason: o.reason,
    queue_ahead: o.queueAhead,
    trading_date: o.tradingDate,
    order_time: o.orderTime,
    update_time: o.updateTime,
  };
}

function orderOf(r: OrderRow): PaperOrderRecord {
  return {
    orderId: r.order_id,
    seq: r.seq,
    tag: r.tag,
    instrumentToken: r.instrument_token,
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    side: r.side,
    orderType: r.order_type,
    product: r.product,
    variety: r.variety,
    validity: r.validity,
    validityTtl: r.validity_ttl,
    quantity: r.quantity,
    filledQuantity: r.filled_quantity,
    fillValue: r.fill_value,
    price: r.price,
    triggerPrice: r.trigger_price,
    disclosedQuantity: r.disclosed_quantity,
    marketProtection: r.market_protection,
    protectionPrice: r.protection_price,
    algoId: r.algo_id,
    status: r.status,
    reason: r.reason,
    queueAhead: r.queue_ahead,
    tradingDate: r.trading_date,
    orderTime: r.order_time,
    updateTime: r.update_time,
  };
}

function tradeOf(r: TradeRow): PaperTradeRecord {
  return {
    tradeId: r.trade_id,
    seq: r.seq,
    orderId: r.order_id,
    instrumentToken: r.instrument_token,
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    side: r.side,
    product: r.product,
    quantity: r.quantity,
    price: r.price,
    time: r.time,
    tradingDate: r.trading_date,
  };
}

/** The paper book's statements on one open database. */
export class PaperStore {
  private readonly insertOrderStmt;
  private readonly updateOrderStmt;
  private readonly insertTradeStmt;

  /** Throws when the database has not run migration 7 ('paper broker'). */
  constructor(private readonly db: EngineDatabase) {
    const sql = db.sql;
    const table = sql
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'paper_orders'")
      .get();
    if (table === undefined) {
      throw new Error(`${db.file} has no paper book: it needs the engine migration 7 ('paper broker')`);
    }
    this.insertOrderStmt = sql.prepare<[OrderRow]>(
      `INSERT INTO paper_orders (${ORDER_COLUMNS}) VALUES (${ORDER_COLUMNS.split(', ')
        .map((c) => `@${c}`)
        .join(', ')})`,
    );
    this.updateOrderStmt = sql.prepare<[OrderRow]>(
      `UPDATE paper_orders SET order_type = @order_type, quantity = @quantity,
         filled_quantity = @filled_quantity, fill_value = @fill_value, price = @price,
         trigger_price = @trigger_price, protection_price = @protection_price, status = @status,
         reason = @reason, queue_ahead = @queue_ahead, update_time = @update_time
       WHERE order_id = @order_id`,
    );
    this.insertTradeStmt = sql.prepare<[TradeRow]>(
      `INSERT INTO paper_trades (${TRADE_COLUMNS}) VALUES (${TRADE_COLUMNS.split(', ')
        .map((c) => `@${c}`)
        .join(', ')})`,
    );
  }

  /** Every order, in placing order. */
  loadOrders(): PaperOrderRecord[] {
    const rows = this.db.sql.prepare(`SELECT ${ORDER_COLUMNS} FROM paper_orders ORDER BY seq`).all();
    return (rows as OrderRow[]).map(orderOf);
  }

  /** Every fill, in the order they happened. */
  loadTrades(): PaperTradeRecord[] {
    const rows = this.db.sql.prepare(`SELECT ${TRADE_COLUMNS} FROM paper_trades ORDER BY seq`).all();
    return (rows as TradeRow[]).map(tradeOf);
  }

  /** Runs `fn` in one write transaction (see `EngineDatabase.transaction`). */
  transaction(fn: () => void): void {
    this.db.transaction(fn);
  }

  insertOrder(o: PaperOrderRecord): void {
    this.insertOrderStmt.run(orderParams(o));
  }

  /** Writes an order's changeable fields. */
  updateOrder(o: PaperOrderRecord): void {
    const r = this.updateOrderStmt.run(orderParams(o));
    if (r.changes !== 1) throw new Error(`paper order ${o.orderId} is not in the database`);
  }

  insertTrade(t: PaperTradeRecord): void {
    this.insertTradeStmt.run({
      trade_id: t.tradeId,
      seq: t.seq,
      order_id: t.orderId,
      instrument_token: t.instrumentToken,
      exchange: t.exchange,
      tradingsymbol: t.tradingsymbol,
      side: t.side,
      product: t.product,
      quantity: t.quantity,
      price: t.price,
      time: t.time,
      trading_date: t.tradingDate,
    });
  }
}
