import type { InstrumentInfo } from '../../../shared/services/market';
import type { OrderType, PlaceOrder, Product, Side } from '../../../shared/services/orders';
import { formatQuantity, priceStyleOf } from '../market';
import { localRefusal, priceInputText, readPrice } from '../orders';
import type { Refusal } from '../orders';

// The order ticket's rules, pure: which products an instrument takes, what the quantity counts, and
// the order a filled-in ticket makes. Whether the order is acceptable is the engine's to say (tick,
// lot, freeze, risk); here only what cannot be sent at all is refused.

/** The order types of the ticket, in Kite's order. */
export const TICKET_ORDER_TYPES: readonly OrderType[] = ['MARKET', 'LIMIT', 'SL', 'SL-M'];
/** The products of the ticket: delivery (CNC), intraday (MIS), carry-forward F&O (NRML). */
export const TICKET_PRODUCTS: readonly Product[] = ['CNC', 'MIS', 'NRML'];
export type TicketValidity = 'DAY' | 'IOC';
export const TICKET_VALIDITIES: readonly TicketValidity[] = ['DAY', 'IOC'];

/** The fields of the ticket as typed. */
export interface TicketFields {
  readonly side: Side;
  /** Lots for a derivative, shares for an equity. */
  readonly quantityText: string;
  readonly orderType: OrderType;
  readonly priceText: string;
  readonly triggerText: string;
  readonly product: Product;
  readonly validity: TicketValidity;
}

/** True for futures and options (and any instrument traded in lots on a derivatives segment). */
export function tradesInLots(i: Pick<InstrumentInfo, 'instrumentType' | 'lotSize'>): boolean {
  return i.instrumentType === 'FUT' || i.instrumentType === 'CE' || i.instrumentType === 'PE';
}

/** Units per step of the quantity field: the lot size for derivatives, one share for equities. */
export function unitsPerStep(i: Pick<InstrumentInfo, 'instrumentType' | 'lotSize'>): number {
  return tradesInLots(i) && i.lotSize > 0 ? i.lotSize : 1;
}

/** The products an instrument takes: CNC is for equity delivery, NRML for derivatives; MIS for both. */
export function productsFor(i: Pick<InstrumentInfo, 'instrumentType' | 'lotSize'>): readonly Product[] {
  return tradesInLots(i) ? ['MIS', 'NRML'] : ['CNC', 'MIS'];
}

export function defaultProduct(i: Pick<InstrumentInfo, 'instrumentType' | 'lotSize'>): Product {
  return tradesInLots(i) ? 'NRML' : 'CNC';
}

export function needsPrice(t: OrderType): boolean {
  return t === 'LIMIT' || t === 'SL';
}

export function needsTrigger(t: OrderType): boolean {
  return t === 'SL' || t === 'SL-M';
}

/** The quantity field as a whole number, or undefined when it is not one (blank, `1.5`, `abc`). */
export function readCount(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,9}$/.test(t)) return undefined;
  return Number(t);
}

/** Units the ticket would send, or undefined while the quantity field is not a whole number. */
export function ticketUnits(
  fields: Pick<TicketFields, 'quantityText'>,
  i: InstrumentInfo,
): number | undefined {
  const count = readCount(fields.quantityText);
  return count === undefined ? undefined : count * unitsPerStep(i);
}

/** What the quantity field counts and what it comes to: `shares`, `lots of 75 · 150 units`. */
export function quantityHint(
  fields: Pick<TicketFields, 'quantityText'>,
  i: InstrumentInfo | undefined,
): string {
  if (i === undefined) return '';
  if (!tradesInLots(i)) return 'shares';
  const units = ticketUnits(fields, i);
  return `lot ${formatQuantity(i.lotSize)} · ${units === undefined ? '—' : formatQuantity(units)} units`;
}

/** The tick as text (`0.05`), for the price field's hint. */
export function tickText(i: InstrumentInfo | undefined): string {
  if (i === undefined || i.tickSize <= 0) return '';
  return `tick ${priceInputText(i.tickSize, priceStyleOf(i))}`;
}

/** Why this instrument cannot be traded from the ticket at all, or ''. */
export function untradable(i: InstrumentInfo | undefined): string {
  if (i === undefined) return 'Pick an instrument in the watchlist.';
  if (i.instrumentType === 'INDEX') return `${i.tradingsymbol} is an index: it cannot be traded.`;
  return '';
}

export type TicketOrder =
  { readonly ok: true; readonly order: PlaceOrder } | { readonly ok: false; readonly refusal: Refusal };

/**
 * The order a ticket makes. Refuses here only what cannot be sent: no instrument, a quantity or
 * price that is not a number, a missing price or trigger. Anything that parses goes to the engine,
 * whose checks (quantity > 0, tick, lot, freeze, risk) are the ones that count and whose refusal
 * the ticket shows.
 */
export function ticketOrder(fields: TicketFields, i: InstrumentInfo | undefined): TicketOrder {
  const why = untradable(i);
  if (why !== '' || i === undefined) return { ok: false, refusal: localRefusal(why) };
  const quantity = ticketUnits(fields, i);
  if (quantity === undefined) {
    return {
      ok: false,
      refusal: localRefusal(`Quantity must be a whole number of ${tradesInLots(i) ? 'lots' : 'shares'}.`),
    };
  }
  let price: number | undefined;
  if (needsPrice(fields.orderType)) {
    const read = readPrice(fields.priceText, i.priceDivisor);
    if (!read.ok) {
      const message = read.empty ? `A ${fields.orderType} order needs a price.` : `Price: ${read.message}.`;
      return { ok: false, refusal: localRefusal(message) };
    }
    price = read.units;
  }
  let triggerPrice: number | undefined;
  if (needsTrigger(fields.orderType)) {
    const read = readPrice(fields.triggerText, i.priceDivisor);
    if (!read.ok) {
      const message = read.empty
        ? `A ${fields.orderType} order needs a trigger price.`
        : `Trigger: ${read.message}.`;
      return { ok: false, refusal: localRefusal(message) };
    }
    triggerPrice = read.units;
  }
  return {
    ok: true,
    order: {
      instrumentToken: i.instrumentToken,
      side: fields.side,
      quantity,
      orderType: fields.orderType,
      product: fields.product,
      validity: fields.validity,
      ...(price === undefined ? {} : { price }),
      ...(triggerPrice === undefined ? {} : { triggerPrice }),
    },
  };
}

/** The submit button's words: side, quantity and symbol (`BUY 10 INFY`, `SELL 2 × 75 NIFTY26DECFUT`). */
export function submitLabel(fields: TicketFields, i: InstrumentInfo | undefined): string {
  if (i === undefined) return fields.side;
  const count = readCount(fields.quantityText);
  const quantity =
    count === undefined
      ? '—'
      : tradesInLots(i)
        ? `${formatQuantity(count)} × ${formatQuantity(i.lotSize)}`
        : formatQuantity(count);
  return `${fields.side} ${quantity} ${i.tradingsymbol}`;
}
