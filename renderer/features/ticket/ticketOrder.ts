import type { InstrumentInfo } from '../../../shared/services/market';
import { chargeSegment, orderCharges } from '../../../shared/domain/charges';
import type { OrderCharges } from '../../../shared/domain/charges';
import type { AlgoSpecInput, Condition, RouteRequest } from '../../../shared/services/algos';
import { IST_OFFSET_MS } from '../../../shared/time/ist';
import type { OrderType, PlaceOrder, Product, Side, Variety } from '../../../shared/services/orders';
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
/** Kite's validities: the day, immediate-or-cancel, or a number of minutes (TTL). */
export type TicketValidity = 'DAY' | 'IOC' | 'TTL';
export const TICKET_VALIDITIES: readonly TicketValidity[] = ['DAY', 'IOC', 'TTL'];
/** The varieties the contract takes: a regular order, or an after-market order (AMO). */
export const TICKET_VARIETIES: readonly Variety[] = ['regular', 'amo'];
/** TTL minutes the contract accepts (one trading day at most). */
export const TTL_MINUTES = { min: 1, max: 375 } as const;

/**
 * What the ticket sends: one order, a bracket (the order as its entry, a target and a stop that
 * cancel each other, in ticks from the entry's fill), an iceberg (the order shown a leg at a time),
 * a TWAP (the order cut into equal slices over a window) or a VWAP (spread along the day's volume
 * curve over a window).
 */
export type TicketKind = 'order' | 'bracket' | 'iceberg' | 'twap' | 'vwap' | 'conditional';
export const TICKET_KINDS: readonly TicketKind[] = [
  'order',
  'bracket',
  'iceberg',
  'twap',
  'vwap',
  'conditional',
];

/**
 * A conditional's trigger as the ticket's select names it: the last price at or above / below a
 * level, a bar's close at or beyond it, an indicator of the closes crossing a value, or a moment.
 */
export type TicketCondition =
  | 'priceAbove'
  | 'priceBelow'
  | 'closeAbove'
  | 'closeBelow'
  | 'smaAbove'
  | 'smaBelow'
  | 'emaAbove'
  | 'emaBelow'
  | 'rsiAbove'
  | 'rsiBelow'
  | 'time'
  | 'range';
export const TICKET_CONDITIONS: readonly TicketCondition[] = [
  'priceAbove',
  'priceBelow',
  'closeAbove',
  'closeBelow',
  'smaAbove',
  'smaBelow',
  'emaAbove',
  'emaBelow',
  'rsiAbove',
  'rsiBelow',
  'time',
  'range',
];
/** The bar intervals a condition reads (the contract's). */
export type TicketInterval = '1m' | '3m' | '5m' | '15m' | '30m' | '1h';
export const TICKET_INTERVALS: readonly TicketInterval[] = ['1m', '3m', '5m', '15m', '30m', '1h'];
/** Where a conditional waits: in the engine (while the app runs) or at the broker as a Kite GTT. */
export type TicketWhere = 'ENGINE' | 'GTT';
export const TICKET_WHERES: readonly TicketWhere[] = ['ENGINE', 'GTT'];
/** An indicator's period (the contract's). */
export const INDICATOR_PERIOD = { min: 2, max: 200 } as const;

/** Whether a condition reads bars (it takes an interval), and an indicator's period. */
export function conditionUsesBars(c: TicketCondition): boolean {
  return c !== 'priceAbove' && c !== 'priceBelow' && c !== 'time' && c !== 'range';
}
export function conditionIndicator(c: TicketCondition): 'sma' | 'ema' | 'rsi' | undefined {
  return c.startsWith('sma') ? 'sma' : c.startsWith('ema') ? 'ema' : c.startsWith('rsi') ? 'rsi' : undefined;
}
/** Legs an iceberg may have (the engine's limit). */
export const ICEBERG_LEGS = { min: 2, max: 50 } as const;
/** A TWAP's or VWAP's window, seconds (the contract's: 10 s to a session of 6 h 15 min). */
export const SCHEDULE_SECONDS = { min: 10, max: 22_500 } as const;
/** Slices a TWAP may have (the contract's). */
export const TWAP_SLICES = { min: 2, max: 500 } as const;
/** A TWAP's or VWAP's cap, percent of the market's volume since its start. */
export const CAP_PERCENT = { min: 1, max: 100 } as const;

/** The kinds that work an order over a window of time. */
export function isScheduled(kind: TicketKind): kind is 'twap' | 'vwap' {
  return kind === 'twap' || kind === 'vwap';
}

/** A kind as the trader names it, in a sentence: `a bracket`, `a TWAP`. */
export function kindName(kind: Exclude<TicketKind, 'order'>): string {
  if (kind === 'conditional') return 'a conditional (IF)';
  return kind === 'bracket' ? 'a bracket' : kind === 'iceberg' ? 'an iceberg' : `a ${kind.toUpperCase()}`;
}

/** The algorithms' fields, as typed; kept when the ticket is cleared (a trader's habit). */
export interface TicketAlgoFields {
  readonly kind: TicketKind;
  /** Ticks from the entry's average fill to the target, and to the stop. */
  readonly targetText: string;
  readonly stopText: string;
  /** Ticks the stop trails the best price by; blank: it does not trail. */
  readonly trailText: string;
  /** Ticks in profit after which the stop moves to the entry price; blank: never. */
  readonly breakEvenText: string;
  readonly legsText: string;
  readonly randomise: boolean;
  /** A TWAP's or VWAP's window in minutes; decimals allowed (0.5: 30 s). */
  readonly windowText: string;
  /** A TWAP's slices. */
  readonly slicesText: string;
  /** The most of the market's volume a TWAP or VWAP may be, percent; blank: no cap. */
  readonly capText: string;
  /**
   * Smart order routing chosen for a plain order: the engine sends it to NSE, BSE or both (see
   * `sorOn`: it applies only where `sorBlocked` finds nothing against it).
   */
  readonly sor: boolean;
  /** A conditional's trigger, its level (a price, an RSI value, or HH:MM IST), bars and period. */
  readonly condition: TicketCondition;
  readonly conditionText: string;
  /** A range's upper level (the target; `conditionText` is its lower one, the stop). */
  readonly rangeAboveText: string;
  readonly interval: TicketInterval;
  readonly periodText: string;
  /** Where the conditional waits (GTT: `gttBlocked` says when it cannot). */
  readonly where: TicketWhere;
  /**
   * The conditional starts a bracket when met: the ticket's order as its entry, with the target and
   * stop in ticks (`targetText`, `stopText`, the Bracket kind's own fields). No trail or break-even:
   * those are the Bracket kind's. Waits in the engine only (a GTT places one order).
   */
  readonly thenBracket: boolean;
}

export const DEFAULT_ALGO_FIELDS: TicketAlgoFields = {
  kind: 'order',
  targetText: '20',
  stopText: '10',
  trailText: '',
  breakEvenText: '',
  legsText: '5',
  randomise: false,
  windowText: '15',
  slicesText: '10',
  capText: '',
  sor: false,
  condition: 'priceAbove',
  conditionText: '',
  rangeAboveText: '',
  interval: '5m',
  periodText: '20',
  where: 'ENGINE',
  thenBracket: false,
};

/** The fields of the ticket as typed. */
export interface TicketFields extends TicketAlgoFields {
  readonly side: Side;
  /** Lots for a derivative, shares for an equity. */
  readonly quantityText: string;
  readonly orderType: OrderType;
  readonly priceText: string;
  readonly triggerText: string;
  readonly product: Product;
  readonly validity: TicketValidity;
  /** Minutes, with validity TTL. */
  readonly ttlText: string;
  /** Disclosed quantity in the same count as the quantity (lots for F&O); blank for none. */
  readonly disclosedText: string;
  readonly variety: Variety;
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
  let validityTtl: number | undefined;
  if (fields.validity === 'TTL') {
    const minutes = readCount(fields.ttlText);
    if (minutes === undefined || minutes < TTL_MINUTES.min || minutes > TTL_MINUTES.max) {
      return {
        ok: false,
        refusal: localRefusal(`TTL needs whole minutes, ${TTL_MINUTES.min} to ${TTL_MINUTES.max}.`),
      };
    }
    validityTtl = minutes;
  }
  let disclosedQuantity: number | undefined;
  if (fields.disclosedText.trim() !== '') {
    const count = readCount(fields.disclosedText);
    if (count === undefined) {
      return { ok: false, refusal: localRefusal('Disclosed quantity must be a whole number.') };
    }
    if (count > 0) disclosedQuantity = count * unitsPerStep(i);
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
      ...(fields.variety === 'regular' ? {} : { variety: fields.variety }),
      ...(validityTtl === undefined ? {} : { validityTtl }),
      ...(price === undefined ? {} : { price }),
      ...(triggerPrice === undefined ? {} : { triggerPrice }),
      ...(disclosedQuantity === undefined ? {} : { disclosedQuantity }),
    },
  };
}

/**
 * The price an order would execute at, wire units, for its charges: its limit price (LIMIT, SL),
 * else its trigger (SL-M), else the last price (MARKET); 0 when none is known.
 */
export function executionPrice(order: PlaceOrder, lastPrice: number): number {
  if (order.price !== undefined) return order.price;
  if (order.triggerPrice !== undefined) return order.triggerPrice;
  return lastPrice > 0 ? lastPrice : 0;
}

/**
 * Zerodha's charges if `order` executes in full at `executionPrice`, from shared/domain/charges.ts
 * (computed here, so they show while typing and without the engine), or undefined when no price is
 * known. Turnover is price x units in paise (the premium for options); `atMs` picks the schedule
 * (today's rates for an order sent now).
 */
export function ticketCharges(
  order: PlaceOrder,
  i: Pick<InstrumentInfo, 'exchange' | 'instrumentType' | 'priceDivisor'>,
  lastPrice: number,
  atMs: number,
): OrderCharges | undefined {
  const units = executionPrice(order, lastPrice);
  if (units <= 0) return undefined;
  const turnover = Math.round((units * order.quantity * 100) / i.priceDivisor);
  if (!Number.isSafeInteger(turnover)) return undefined;
  return orderCharges(
    chargeSegment(i.exchange, i.instrumentType, order.product),
    i.exchange,
    order.side,
    turnover,
    atMs,
  );
}

/** The order's value at its execution price, paise (what an equity delivery buy needs in cash). */
export function orderValuePaise(
  order: PlaceOrder,
  i: Pick<InstrumentInfo, 'priceDivisor'>,
  lastPrice: number,
): number | undefined {
  const units = executionPrice(order, lastPrice);
  if (units <= 0) return undefined;
  return Math.round((units * order.quantity * 100) / i.priceDivisor);
}

/** What an order hotkey knows when it is pressed. */
export interface HotkeyOrderInput {
  readonly side: Side;
  /** The ticket's fields (quantity, type, price...). */
  readonly fields: TicketFields;
  /** The ticket's instrument: the watchlist's selection. */
  readonly instrument: InstrumentInfo | undefined;
  /** The instrument the focused panel declares (a ladder or chart of its own), if any. */
  readonly focusedInstrument: number | undefined;
  readonly inTextField: boolean;
  /** Why the ticket cannot send at all now (engine without orders, reconciliation), or ''. */
  readonly blocked: string;
}

export type HotkeyOrder =
  { readonly ok: true; readonly order: PlaceOrder } | { readonly ok: false; readonly why: string };

/**
 * The order an order hotkey (B, S) would send, or why it must not send anything. The rule: a hotkey
 * trades the ticket's instrument (the watchlist's selection) with the ticket's fields, and only when
 * nothing about it is ambiguous:
 * - focus is not in a text field (a letter typed there is a letter);
 * - an instrument is selected, and it is tradable;
 * - no second candidate: if the focused panel shows an instrument of its own (a ladder or chart not
 *   linked to the selection) and it is not the ticket's, nothing is sent, since the trader may mean either;
 * - the quantity is a whole number above zero of lots (F&O: the field counts lots, so the units are
 *   always a lot multiple; a derivative whose lot size is unknown is refused) or shares;
 * - the order itself is complete (price, trigger, TTL);
 * - the ticket is not blocked (no orders service, reconciliation pending).
 */
export function hotkeyOrder(input: HotkeyOrderInput): HotkeyOrder {
  const { instrument: i, fields } = input;
  const side = input.side === 'BUY' ? 'Buy' : 'Sell';
  if (input.inTextField)
    return { ok: false, why: `${side} not sent: focus is in a text field (Esc leaves it).` };
  if (i === undefined)
    return { ok: false, why: `${side} not sent: no instrument selected. Pick one in the watchlist.` };
  if (input.focusedInstrument !== undefined && input.focusedInstrument !== i.instrumentToken) {
    return {
      ok: false,
      why: `${side} not sent: the focused panel shows another instrument than the selected ${i.tradingsymbol}. Select the one to trade.`,
    };
  }
  const why = untradable(i);
  if (why !== '') return { ok: false, why: `${side} not sent: ${why}` };
  // A hotkey sends one order; the ticket set to an algorithm means more than that.
  if (fields.kind !== 'order')
    return {
      ok: false,
      why: `${side} not sent: the ticket is set to ${kindName(fields.kind)}; Enter on the ticket sends it.`,
    };
  // Routed, the order may become two (NSE and BSE), decided on the books at that moment: the
  // ticket shows the decision and sends it; a hotkey never sends something the trader has not seen.
  if (sorOn(fields, i))
    return {
      ok: false,
      why: `${side} not sent: the ticket routes with SOR (NSE/BSE); Enter on the ticket sends it, or turn SOR off.`,
    };
  if (tradesInLots(i) && i.lotSize <= 0) {
    return { ok: false, why: `${side} not sent: the lot size of ${i.tradingsymbol} is not known.` };
  }
  const count = readCount(fields.quantityText);
  const unit = tradesInLots(i) ? 'lots' : 'shares';
  if (fields.quantityText.trim() === '')
    return { ok: false, why: `${side} not sent: the quantity is empty.` };
  if (count === undefined)
    return { ok: false, why: `${side} not sent: the quantity must be a whole number of ${unit}.` };
  if (count === 0) return { ok: false, why: `${side} not sent: the quantity is 0.` };
  if (input.blocked !== '') return { ok: false, why: `${side} not sent: ${input.blocked}` };
  const made = ticketOrder({ ...fields, side: input.side }, i);
  if (!made.ok) return { ok: false, why: `${side} not sent: ${made.refusal.message}` };
  return { ok: true, order: made.order };
}

/** An order in a line, for the confirm step: `BUY 2 × 75 NIFTY26DECFUT LIMIT 24,010.50 NRML DAY`. */
export function orderText(order: PlaceOrder, i: InstrumentInfo): string {
  const style = priceStyleOf(i);
  const lots = tradesInLots(i) && i.lotSize > 0;
  const quantity = lots
    ? `${formatQuantity(order.quantity / i.lotSize)} × ${formatQuantity(i.lotSize)}`
    : formatQuantity(order.quantity);
  const price = order.price === undefined ? '' : ` @ ${priceInputText(order.price, style)}`;
  const trigger =
    order.triggerPrice === undefined ? '' : ` trigger ${priceInputText(order.triggerPrice, style)}`;
  const validity = order.validity === 'TTL' ? `TTL ${order.validityTtl ?? 0}m` : (order.validity ?? 'DAY');
  const amo = order.variety === 'amo' ? ' AMO' : '';
  return `${order.side} ${quantity} ${i.tradingsymbol} ${order.orderType}${price}${trigger} ${order.product} ${validity}${amo}`;
}

const KIND_LABEL: Readonly<Record<Exclude<TicketKind, 'order'>, string>> = {
  bracket: 'Bracket',
  iceberg: 'Iceberg',
  twap: 'TWAP',
  vwap: 'VWAP',
  conditional: 'IF',
};

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
  const kind =
    fields.kind === 'order'
      ? sorOn(fields, i)
        ? ' · SOR'
        : ''
      : ` · ${KIND_LABEL[fields.kind]}${fields.kind === 'conditional' && fields.thenBracket ? ' → Bracket' : ''}`;
  return `${fields.side} ${quantity} ${i.tradingsymbol}${kind}`;
}

export type TicketAlgo =
  { readonly ok: true; readonly spec: AlgoSpecInput } | { readonly ok: false; readonly refusal: Refusal };

/** A whole number of ticks above 0 from a field (a bracket's target or stop), or undefined. */
export function readTicks(text: string): number | undefined {
  const n = readCount(text);
  return n === undefined || n === 0 ? undefined : n;
}

/** `readTicks`, or why not; `optional` takes a blank as none. */
function ticksOf(text: string, name: string, optional: boolean): number | undefined | Refusal {
  if (optional && text.trim() === '') return undefined;
  return readTicks(text) ?? localRefusal(`${name}: a whole number of ticks above 0.`);
}
const isRefusal = (v: number | undefined | Refusal): v is Refusal => typeof v === 'object';

/**
 * A window typed in minutes, as whole seconds (rounded to the nearest): `15` -> 900, `0.5` -> 30;
 * undefined when it is not a plain number of minutes (blank, `1e3`, `-2`, `1:30`).
 */
export function readWindowSeconds(text: string): number | undefined {
  const t = text.trim();
  if (!/^(?:\d{1,4}(?:\.\d{0,3})?|\.\d{1,3})$/.test(t)) return undefined;
  return Math.round(Number(t) * 60);
}

/** The cap in percent as a fraction (`25` -> 0.25); undefined for blank; a refusal when out of range. */
function capOf(text: string): number | undefined | Refusal {
  const t = text.trim();
  if (t === '') return undefined;
  const pct = /^(?:\d{1,3}(?:\.\d{0,2})?|\.\d{1,2})$/.test(t) ? Number(t) : Number.NaN;
  if (!(pct >= CAP_PERCENT.min && pct <= CAP_PERCENT.max))
    return localRefusal(
      `Cap: a percentage of the market's volume, ${CAP_PERCENT.min} to ${CAP_PERCENT.max} (blank: no cap).`,
    );
  return pct / 100;
}

/**
 * The ticket's order as an algorithm reads it: no validity, TTL or disclosed quantity (the engine
 * sets its orders' own; the ticket hides those fields while an algorithm is chosen).
 */
function asAlgoOrder(fields: TicketFields): TicketFields {
  return { ...fields, validity: 'DAY', ttlText: '', disclosedText: '' };
}

/** A TWAP or VWAP from the ticket's order (its limit, or none at the touch) and the window's fields. */
function scheduledAlgo(
  fields: TicketFields,
  i: InstrumentInfo | undefined,
  kind: 'twap' | 'vwap',
): TicketAlgo {
  const name = kind.toUpperCase();
  // Refused before the order is read: an SL's missing trigger is not the reason.
  if (fields.orderType === 'SL' || fields.orderType === 'SL-M')
    return {
      ok: false,
      refusal: localRefusal(
        `A ${name} takes no stop order: choose LIMIT (its limit price) or MKT (each slice at the touch).`,
      ),
    };
  const made = ticketOrder(asAlgoOrder(fields), i);
  if (!made.ok) return made;
  const o = made.order;
  if (o.variety === 'amo')
    return {
      ok: false,
      refusal: localRefusal(`A ${name} works in the session from now: choose REG, not AMO.`),
    };
  const seconds = readWindowSeconds(fields.windowText);
  if (seconds === undefined || seconds < SCHEDULE_SECONDS.min || seconds > SCHEDULE_SECONDS.max)
    return {
      ok: false,
      refusal: localRefusal(
        `Window: minutes, ${(SCHEDULE_SECONDS.min / 60).toFixed(2)} (10 s) to ${SCHEDULE_SECONDS.max / 60}; 0.5 is 30 s.`,
      ),
    };
  const participation = capOf(fields.capText);
  if (isRefusal(participation)) return { ok: false, refusal: participation };
  const window = {
    instrumentToken: o.instrumentToken,
    side: o.side,
    quantity: o.quantity,
    product: o.product,
    durationSeconds: seconds,
    ...(o.price === undefined ? {} : { limitPrice: o.price }),
    ...(participation === undefined ? {} : { participation }),
  };
  if (kind === 'vwap') return { ok: true, spec: { kind: 'vwap', ...window } };
  const slices = readCount(fields.slicesText);
  if (slices === undefined || slices < TWAP_SLICES.min || slices > TWAP_SLICES.max)
    return {
      ok: false,
      refusal: localRefusal(`Slices: a whole number, ${TWAP_SLICES.min} to ${TWAP_SLICES.max}.`),
    };
  return { ok: true, spec: { kind: 'twap', ...window, slices } };
}

/**
 * Why a conditional cannot wait at the broker as a Kite GTT, or '': a GTT takes a price condition
 * and a LIMIT order (Kite's GTT places a limit order when the last price reaches its trigger).
 */
export function gttBlocked(
  fields: Pick<TicketFields, 'condition' | 'orderType' | 'variety' | 'thenBracket'>,
): string {
  if (fields.thenBracket) return 'A bracket waits in the engine: a GTT places one order, not a bracket.';
  if (fields.condition !== 'priceAbove' && fields.condition !== 'priceBelow' && fields.condition !== 'range')
    return 'GTT takes a price condition (LTP ≥, ≤ or a range) only: this one waits in the engine.';
  if (fields.orderType !== 'LIMIT') return 'GTT places a LIMIT order only: choose LIMIT and a price.';
  return '';
}

/** `HH:MM` (IST, 24 h) as minutes since midnight, or undefined. */
export function readIstClock(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (m === null) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h > 23 || min > 59 ? undefined : h * 60 + min;
}

/** The next moment at `minutes` past midnight IST after `nowMs`: today's, else tomorrow's. */
export function nextIstMoment(minutes: number, nowMs: number): number {
  const day = 86_400_000;
  const istMidnight = Math.floor((nowMs + IST_OFFSET_MS) / day) * day - IST_OFFSET_MS;
  const at = istMidnight + minutes * 60_000;
  return at > nowMs ? at : at + day;
}

type ConditionRead =
  { readonly ok: true; readonly condition: Condition } | { readonly ok: false; readonly refusal: Refusal };

/** The ticket's condition as the contract's; a price or SMA/EMA level in the instrument's wire units. */
export function ticketCondition(
  fields: Pick<TicketFields, 'condition' | 'conditionText' | 'rangeAboveText' | 'interval' | 'periodText'>,
  i: InstrumentInfo,
  nowMs: number,
): ConditionRead {
  const c = fields.condition;
  const refuse = (message: string): ConditionRead => ({ ok: false, refusal: localRefusal(message) });
  if (c === 'range') {
    const below = readPrice(fields.conditionText, i.priceDivisor);
    if (!below.ok)
      return refuse(
        below.empty ? 'IF range: the stop, a price below the market.' : `IF range stop: ${below.message}.`,
      );
    const above = readPrice(fields.rangeAboveText, i.priceDivisor);
    if (!above.ok)
      return refuse(
        above.empty
          ? 'IF range: the target, a price above the market.'
          : `IF range target: ${above.message}.`,
      );
    if (below.units >= above.units) return refuse('IF range: the stop must be below the target.');
    return { ok: true, condition: { on: 'range', below: below.units, above: above.units } };
  }
  if (c === 'time') {
    const minutes = readIstClock(fields.conditionText);
    if (minutes === undefined) return refuse('IF time: HH:MM, IST (24 h), say 14:30.');
    return { ok: true, condition: { on: 'time', at: nextIstMoment(minutes, nowMs) } };
  }
  const direction = c.endsWith('Above') ? 'above' : 'below';
  const indicator = conditionIndicator(c);
  if (indicator === 'rsi') {
    const t = fields.conditionText.trim();
    const v = /^\d{1,3}(?:\.\d{1,2})?$/.test(t) ? Number(t) : Number.NaN;
    if (!(v > 0 && v < 100)) return refuse('IF RSI: a value above 0 and below 100, say 70.');
    const period = readPeriod(fields.periodText);
    if (period === undefined) return refuse(PERIOD_MESSAGE);
    return {
      ok: true,
      condition: { on: 'indicator', indicator, period, interval: fields.interval, direction, value: v },
    };
  }
  const read = readPrice(fields.conditionText, i.priceDivisor);
  const name =
    indicator === undefined ? (c.startsWith('close') ? 'bar close' : 'price') : indicator.toUpperCase();
  if (!read.ok)
    return refuse(read.empty ? `IF ${name}: the level, a price.` : `IF ${name}: ${read.message}.`);
  if (indicator !== undefined) {
    const period = readPeriod(fields.periodText);
    if (period === undefined) return refuse(PERIOD_MESSAGE);
    return {
      ok: true,
      condition: {
        on: 'indicator',
        indicator,
        period,
        interval: fields.interval,
        direction,
        value: read.units,
      },
    };
  }
  if (c.startsWith('close'))
    return {
      ok: true,
      condition: { on: 'barClose', interval: fields.interval, direction, price: read.units },
    };
  return { ok: true, condition: { on: 'price', direction, price: read.units } };
}

const PERIOD_MESSAGE = `IF period: whole bars, ${INDICATOR_PERIOD.min} to ${INDICATOR_PERIOD.max}.`;
function readPeriod(text: string): number | undefined {
  const n = readCount(text);
  return n === undefined || n < INDICATOR_PERIOD.min || n > INDICATOR_PERIOD.max ? undefined : n;
}

/**
 * A conditional from the ticket: its condition, and the ticket's own order (side, quantity, type,
 * price, trigger, product) placed when it is met. `where` GTT sends it to the broker (a price
 * condition with a LIMIT order only; `gttBlocked` says why not, and nothing is sent).
 */
function conditionalAlgo(fields: TicketFields, i: InstrumentInfo | undefined, nowMs: number): TicketAlgo {
  const range = fields.condition === 'range';
  if (range && fields.thenBracket)
    return {
      ok: false,
      refusal: localRefusal('IF range (OCO) places one of its two orders, not a bracket: untick BKT.'),
    };
  if (range && fields.orderType !== 'LIMIT' && fields.orderType !== 'MARKET')
    return {
      ok: false,
      refusal: localRefusal('IF range (OCO): its legs are LIMIT (each at its level) or MARKET.'),
    };
  // A range's legs are priced at its levels: the ticket's own price is not read.
  const made = ticketOrder(asAlgoOrder(range ? { ...fields, orderType: 'MARKET' } : fields), i);
  if (!made.ok) return made;
  if (i === undefined) return { ok: false, refusal: localRefusal(untradable(i)) }; // refused above
  const o = made.order;
  if (o.variety === 'amo')
    return {
      ok: false,
      refusal: localRefusal('A conditional order waits in the session: choose REG, not AMO.'),
    };
  const gtt = fields.where === 'GTT';
  const blocked = gtt ? gttBlocked(fields) : '';
  if (blocked !== '') return { ok: false, refusal: localRefusal(blocked) };
  const condition = ticketCondition(fields, i, nowMs);
  if (!condition.ok) return condition;
  const entry = entryOf(o);
  let then: ConditionalThen;
  if (fields.thenBracket) {
    const target = ticksOf(fields.targetText, 'Target', false);
    if (isRefusal(target)) return { ok: false, refusal: target };
    const stop = ticksOf(fields.stopText, 'Stop', false);
    if (isRefusal(stop)) return { ok: false, refusal: stop };
    then = { type: 'bracket', entry, target: { ticks: target ?? 0 }, stop: { ticks: stop ?? 0 } };
  } else if (condition.condition.on === 'range') {
    const c = condition.condition;
    then = {
      type: 'oco',
      ...(fields.orderType === 'LIMIT'
        ? { orderType: 'LIMIT', belowPrice: c.below, abovePrice: c.above }
        : { orderType: 'MARKET' }),
    };
  } else then = { type: 'order', ...entry };
  return {
    ok: true,
    spec: {
      kind: 'conditional',
      instrumentToken: o.instrumentToken,
      side: o.side,
      quantity: o.quantity,
      product: o.product,
      condition: condition.condition,
      then,
      ...(gtt ? { gtt: true } : {}),
    },
  };
}

type ConditionalThen = Extract<AlgoSpecInput, { kind: 'conditional' }>['then'];

/** The ticket's order as an entry (a bracket's, or what a conditional places): its type and prices. */
function entryOf(o: Pick<PlaceOrder, 'orderType' | 'price' | 'triggerPrice'>) {
  return {
    orderType: o.orderType,
    ...(o.price === undefined ? {} : { price: o.price }),
    ...(o.triggerPrice === undefined ? {} : { triggerPrice: o.triggerPrice }),
  };
}

/**
 * The algorithm a ticket makes (its `kind` is not `order`), from the same fields as its order: the
 * order is the bracket's entry, the iceberg's total at its limit, or a TWAP's or VWAP's total (its
 * limit a LIMIT's price; a MARKET means none: at the touch). As `ticketOrder`, only what cannot be
 * sent is refused here; the engine checks the rest (ticks, lots, slices, risk).
 */
export function ticketAlgo(
  fields: TicketFields,
  i: InstrumentInfo | undefined,
  nowMs: number = Date.now(),
): TicketAlgo {
  if (isScheduled(fields.kind)) return scheduledAlgo(fields, i, fields.kind);
  if (fields.kind === 'conditional') return conditionalAlgo(fields, i, nowMs);
  const made = ticketOrder(asAlgoOrder(fields), i);
  if (!made.ok) return made;
  const o = made.order;
  const base = {
    instrumentToken: o.instrumentToken,
    side: o.side,
    quantity: o.quantity,
    product: o.product,
  };
  if (fields.kind === 'iceberg') {
    if (o.orderType !== 'LIMIT' || o.price === undefined)
      return { ok: false, refusal: localRefusal('An iceberg is a limit order: choose LIMIT and a price.') };
    const legs = readCount(fields.legsText);
    if (legs === undefined || legs < ICEBERG_LEGS.min || legs > ICEBERG_LEGS.max)
      return {
        ok: false,
        refusal: localRefusal(`Legs: a whole number, ${ICEBERG_LEGS.min} to ${ICEBERG_LEGS.max}.`),
      };
    return {
      ok: true,
      spec: { kind: 'iceberg', ...base, price: o.price, legs, randomise: fields.randomise },
    };
  }
  const target = ticksOf(fields.targetText, 'Target', false);
  if (isRefusal(target)) return { ok: false, refusal: target };
  const stop = ticksOf(fields.stopText, 'Stop', false);
  if (isRefusal(stop)) return { ok: false, refusal: stop };
  const trail = ticksOf(fields.trailText, 'Trail', true);
  if (isRefusal(trail)) return { ok: false, refusal: trail };
  const breakEven = ticksOf(fields.breakEvenText, 'Break-even', true);
  if (isRefusal(breakEven)) return { ok: false, refusal: breakEven };
  return {
    ok: true,
    spec: {
      kind: 'bracket',
      ...base,
      entry: entryOf(o),
      target: { ticks: target ?? 0 },
      stop: { ticks: stop ?? 0 },
      ...(trail === undefined ? {} : { trail: { ticks: trail } }),
      ...(breakEven === undefined ? {} : { breakEvenTicks: breakEven }),
    },
  };
}

/**
 * When a plain order's quantity is above the exchange's freeze quantity (the exchange would refuse
 * it): the legs of an iceberg that would carry it, each at most the freeze quantity.
 */
export function freezeProposal(
  fields: TicketFields,
  i: InstrumentInfo | undefined,
): { readonly freeze: number; readonly legs: number } | undefined {
  if (fields.kind !== 'order' || i === undefined || i.freezeQuantity === null) return undefined;
  const units = ticketUnits(fields, i);
  if (units === undefined || units <= i.freezeQuantity) return undefined;
  const legs = Math.max(ICEBERG_LEGS.min, Math.ceil(units / i.freezeQuantity));
  return legs > ICEBERG_LEGS.max ? undefined : { freeze: i.freezeQuantity, legs };
}

/**
 * Why smart order routing cannot take the ticket's order as it is, or '' when it can: routing is
 * for a plain LIMIT or MARKET order, in the session (not AMO), on a share of NSE or BSE (the engine
 * routes only cash equity; a share listed on one exchange goes there, and the decision says so).
 */
export function sorBlocked(
  fields: Pick<TicketFields, 'kind' | 'orderType' | 'variety'>,
  i: InstrumentInfo | undefined,
): string {
  if (i === undefined) return 'Pick an instrument in the watchlist.';
  if (i.instrumentType !== 'EQ' || (i.exchange !== 'NSE' && i.exchange !== 'BSE'))
    return 'SOR routes shares (NSE and BSE cash equity) only.';
  if (fields.kind !== 'order') return 'SOR routes a plain order (ORD), not an algorithm.';
  if (fields.orderType !== 'LIMIT' && fields.orderType !== 'MARKET')
    return 'SOR routes LIMIT and MKT orders only.';
  if (fields.variety === 'amo') return 'SOR routes on the books now: choose REG, not AMO.';
  return '';
}

/** True when the ticket sends its order through smart order routing. */
export function sorOn(
  fields: Pick<TicketFields, 'sor' | 'kind' | 'orderType' | 'variety'>,
  i: InstrumentInfo | undefined,
): boolean {
  return fields.sor && sorBlocked(fields, i) === '';
}

/**
 * The fields as the ticket sends them: a routed order's legs are DAY orders with nothing disclosed
 * (the engine places them so; the ticket hides validity, TTL and disclosed quantity while SOR is on).
 */
export function asSent(fields: TicketFields, i: InstrumentInfo | undefined): TicketFields {
  return sorOn(fields, i) ? { ...fields, validity: 'DAY', ttlText: '', disclosedText: '' } : fields;
}

export type TicketRoute =
  { readonly ok: true; readonly request: RouteRequest } | { readonly ok: false; readonly refusal: Refusal };

/**
 * The route request of the ticket's order (SOR on): side, units, product, LIMIT with its price or
 * MARKET (validity, TTL and disclosed quantity do not apply: `asSent`). As `ticketOrder`, only what
 * cannot be sent is refused here.
 */
export function ticketRoute(fields: TicketFields, i: InstrumentInfo | undefined): TicketRoute {
  const blocked = sorBlocked(fields, i);
  if (blocked !== '') return { ok: false, refusal: localRefusal(blocked) };
  const made = ticketOrder({ ...fields, validity: 'DAY', ttlText: '', disclosedText: '' }, i);
  if (!made.ok) return made;
  const o = made.order;
  return {
    ok: true,
    request: {
      instrumentToken: o.instrumentToken,
      side: o.side,
      quantity: o.quantity,
      product: o.product,
      orderType: o.orderType === 'LIMIT' ? 'LIMIT' : 'MARKET',
      ...(o.orderType === 'LIMIT' && o.price !== undefined ? { price: o.price } : {}),
    },
  };
}
