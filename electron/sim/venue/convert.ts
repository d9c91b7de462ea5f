// Conversions between the exchange core's integer wire units and Kite's JSON (rupees as numbers,
// IST wall-clock strings). Floats appear only here, on the way out, as division of an exact integer.
import type { OrderCharges } from '../../../shared/domain/charges';
import { formatIstDateTime } from '../../../shared/time/ist';
import type { ExchangeOrder, Trade } from '../exchange';
import type { Instrument } from '../instruments/instruments';
import type { KiteInstrumentRow, KiteOrder, KiteTrade } from '../kite';

/** A wire-unit price (or value) in rupees: `154080` paise -> `1540.8`. */
export function toRupees(wire: number, divisor: number): number {
  return wire / divisor;
}

/**
 * An average price in rupees: `value / quantity` in wire units, rounded to two places beyond the
 * divisor's (paise -> 4 decimals, as Kite's averages show at most).
 */
export function averageRupees(value: number, quantity: number, divisor: number): number {
  if (quantity === 0) return 0;
  return Math.round((value * 100) / quantity) / (divisor * 100);
}

/** A value in wire units x quantity as integer paise (exact for divisor 100; rounded for CDS). */
export function wireValueToPaise(value: number, divisor: number): number {
  if (divisor === 100) return value;
  const paise = (value * 100) / divisor;
  return paise < 0 ? -Math.round(-paise) : Math.round(paise);
}

/** Kite's timestamp text for an epoch-ms instant: `YYYY-MM-DD HH:MM:SS` IST. */
export function kiteTime(epochMs: number): string {
  return formatIstDateTime(epochMs);
}

/** One row of the instrument dump, prices in rupees. */
export function instrumentRow(i: Instrument): KiteInstrumentRow {
  return {
    instrument_token: i.instrument_token,
    exchange_token: i.exchange_token,
    tradingsymbol: i.tradingsymbol,
    name: i.name,
    last_price: toRupees(i.last_price, i.priceDivisor),
    expiry: i.expiry,
    strike: toRupees(i.strike, i.priceDivisor),
    tick_size: toRupees(i.tick_size, i.priceDivisor),
    lot_size: i.lot_size,
    instrument_type: i.instrument_type,
    segment: i.segment,
    exchange: i.exchange,
  };
}

/** Where an order is in Kite's life cycle: a status the exchange holds, or a transient one we add. */
export interface OrderRowState {
  readonly status: string;
  /** False for the rows before the order reached the exchange (no exchange ids or times). */
  readonly atExchange: boolean;
}

/**
 * The exchange's order id as an exchange order id: 16 digits, as NSE's look. Derived from the order
 * number, so it is stable and unique per day.
 */
export function exchangeOrderId(orderId: string): string {
  return `1${orderId.slice(-15).padStart(15, '0')}`;
}

/** An order as a Kite order row, in `state`. `o` is read now: the row is a copy. */
export function orderRow(
  o: ExchangeOrder,
  divisor: number,
  state: OrderRowState,
  modified: boolean,
): KiteOrder {
  const at = state.atExchange;
  return {
    account_id: o.account,
    placed_by: o.account,
    order_id: o.order_id,
    exchange_order_id: at ? exchangeOrderId(o.order_id) : null,
    parent_order_id: o.parent_order_id,
    status: state.status,
    status_message: o.status_message,
    status_message_raw: o.status_message,
    order_timestamp: kiteTime(o.order_timestamp),
    exchange_update_timestamp: at ? kiteTime(o.exchange_update_timestamp) : null,
    exchange_timestamp: at ? kiteTime(o.order_timestamp) : null,
    variety: o.variety,
    modified,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    instrument_token: o.instrument_token,
    order_type: o.order_type,
    transaction_type: o.transaction_type,
    validity: o.validity,
    validity_ttl: o.validity_ttl ?? 0,
    product: o.product,
    quantity: o.quantity,
    disclosed_quantity: o.disclosed_quantity,
    price: toRupees(o.price, divisor),
    trigger_price: toRupees(o.trigger_price, divisor),
    average_price: averageRupees(o.filled_value, o.filled_quantity, divisor),
    filled_quantity: o.filled_quantity,
    pending_quantity: o.pending_quantity,
    cancelled_quantity: o.cancelled_quantity,
    auction_number: null,
    market_protection: o.market_protection,
    meta: o.meta.iceberg === undefined ? {} : { iceberg: { ...o.meta.iceberg } },
    tag: o.tag,
    ...(o.tags.length === 0 ? {} : { tags: [...o.tags] }),
    guid: `sim${o.order_id}`,
  };
}

/** A fill as a Kite trade row. `order_timestamp` is the time only, as in Kite's trades. */
export function tradeRow(t: Trade, o: ExchangeOrder, divisor: number): KiteTrade {
  const fill = kiteTime(t.fill_timestamp);
  return {
    trade_id: t.trade_id,
    order_id: t.order_id,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    instrument_token: t.instrument_token,
    product: t.product,
    average_price: toRupees(t.price, divisor),
    quantity: t.quantity,
    exchange_order_id: exchangeOrderId(t.order_id),
    transaction_type: t.transaction_type,
    fill_timestamp: fill,
    order_timestamp: kiteTime(o.order_timestamp).slice(11),
    exchange_timestamp: fill,
  };
}

/** Kite's `charges` object (order_margins.json, virtual_contract_note.json), in rupees. */
export function kiteCharges(c: OrderCharges): Record<string, unknown> {
  const r = (paise: number): number => paise / 100;
  return {
    transaction_tax: r(c.transactionTax),
    transaction_tax_type: c.transactionTaxType,
    exchange_turnover_charge: r(c.exchangeTurnoverCharge),
    sebi_turnover_charge: r(c.sebiTurnoverCharge),
    brokerage: r(c.brokerage),
    stamp_duty: r(c.stampDuty),
    // One all-India rate: the simulator books everything as IGST.
    gst: { igst: r(c.gst), cgst: 0, sgst: 0, total: r(c.gst) },
    total: r(c.total),
  };
}
