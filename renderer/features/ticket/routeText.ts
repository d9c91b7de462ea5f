import type { InstrumentInfo } from '../../../shared/services/market';
import type { RouteDecision } from '../../../shared/services/algos';
import type { OrderView, PlaceOrder } from '../../../shared/services/orders';
import type { OrderCharges } from '../../../shared/domain/charges';
import { EM_DASH, formatPriceUnits, formatQuantity, formatRupees } from '../market';
import type { PriceStyle } from '../market';
import type { RefusedLeg } from '../algos';
import { ticketCharges } from './ticketOrder';

// How a routing decision reads in the ticket, pure: its legs in a few characters, the expected
// average, what each exchange showed and why one was not used, and what a routed send came to.

/** The legs as the route row shows them: `BSE 40 · NSE 60`; EM_DASH when there is nowhere to go. */
export function legsText(d: RouteDecision): string {
  if (d.legs.length === 0) return EM_DASH;
  return d.legs.map((l) => `${l.exchange} ${formatQuantity(l.quantity)}`).join(' · ');
}

/** The expected average over all legs, wire units (fractional), or undefined when none is known. */
export function expectedAverage(d: RouteDecision): number | undefined {
  let units = 0;
  let notional = 0;
  for (const l of d.legs) {
    if (!(l.expectedAveragePrice > 0)) return undefined;
    units += l.quantity;
    notional += l.expectedAveragePrice * l.quantity;
  }
  return units === 0 ? undefined : notional / units;
}

/** The expected average as the ticket writes a price (to the nearest wire unit): `1559.95`. */
export function averageText(d: RouteDecision, style: PriceStyle): string {
  const avg = expectedAverage(d);
  return avg === undefined ? EM_DASH : formatPriceUnits(Math.round(avg), style);
}

/**
 * What each exchange showed, and why one was not used: `NSE 1,250 visible · BSE not used: book is
 * 5.2 s old`. A share on one exchange: `Listed on NSE only`.
 */
export function venuesText(d: RouteDecision): string {
  if (d.venues.length === 0) {
    const [only] = d.listedOn;
    return d.listedOn.length === 1 && only !== undefined
      ? `Listed on ${only} only`
      : 'Not routed: only shares are routed between NSE and BSE';
  }
  return d.venues
    .map((v) =>
      v.whyNot === undefined
        ? `${v.exchange} ${formatQuantity(v.visibleQuantity)} visible`
        : `${v.exchange} not used: ${v.whyNot}`,
    )
    .join(' · ');
}

/** Everything about a decision, for its tooltip: the reason, each leg with its expected cost, the venues. */
export function decisionTitle(d: RouteDecision, style: PriceStyle): string {
  const legs = d.legs.map((l) => {
    const avg =
      l.expectedAveragePrice > 0 ? formatPriceUnits(Math.round(l.expectedAveragePrice), style) : EM_DASH;
    const cost =
      l.expectedCostPaise === 0
        ? ''
        : ` · ${l.expectedCostPaise > 0 ? 'pays' : 'receives'} ₹${formatRupees(Math.abs(l.expectedCostPaise))} with charges`;
    const depth =
      l.fromVisibleDepth >= l.quantity
        ? ''
        : ` · ${formatQuantity(l.quantity - l.fromVisibleDepth)} beyond the visible depth`;
    return `${l.exchange} ${formatQuantity(l.quantity)} ≈ ${avg}${cost}${depth}`;
  });
  return [d.reason, ...legs, venuesText(d)].join('\n');
}

/** How old a decision is, for a stale one: `4 s old`. */
export function ageText(ms: number): string {
  return `${Math.max(0, Math.floor(ms / 1000))} s old`;
}

/**
 * Zerodha's charges of the route if every leg executes at its expected average (each on its own
 * exchange's schedule: BSE's turnover charge is not NSE's), or undefined when a leg has no price.
 */
export function routedCharges(
  d: RouteDecision,
  order: PlaceOrder,
  i: Pick<InstrumentInfo, 'instrumentType' | 'priceDivisor'>,
  atMs: number,
): OrderCharges | undefined {
  let sum: OrderCharges | undefined;
  for (const l of d.legs) {
    const price = Math.round(l.expectedAveragePrice);
    if (price <= 0) return undefined;
    const c = ticketCharges(
      { ...order, quantity: l.quantity, orderType: 'LIMIT', price },
      { exchange: l.exchange, instrumentType: i.instrumentType, priceDivisor: i.priceDivisor },
      0,
      atMs,
    );
    if (c === undefined) return undefined;
    sum =
      sum === undefined
        ? c
        : {
            transactionTaxType: c.transactionTaxType,
            transactionTax: sum.transactionTax + c.transactionTax,
            exchangeTurnoverCharge: sum.exchangeTurnoverCharge + c.exchangeTurnoverCharge,
            sebiTurnoverCharge: sum.sebiTurnoverCharge + c.sebiTurnoverCharge,
            brokerage: sum.brokerage + c.brokerage,
            stampDuty: sum.stampDuty + c.stampDuty,
            gst: sum.gst + c.gst,
            total: sum.total + c.total,
          };
  }
  return sum;
}

/** A routed send in a line: `✓ BUY 100 INFY routed · NSE 60 COMPLETE · BSE 40 OPEN · ✕ BSE 40 refused`. */
export function routedText(
  orders: readonly Pick<OrderView, 'exchange' | 'quantity' | 'side' | 'tradingsymbol' | 'state'>[],
  refused: readonly RefusedLeg[],
): string {
  const [first] = orders;
  if (first === undefined) return '✕ Nothing placed';
  const total = orders.reduce((n, o) => n + o.quantity, 0) + refused.reduce((n, r) => n + r.quantity, 0);
  const placed = orders.map((o) => `${o.exchange} ${formatQuantity(o.quantity)} ${o.state}`);
  const not = refused.map((r) => `✕ ${r.exchange} ${formatQuantity(r.quantity)} refused`);
  return [`✓ ${first.side} ${formatQuantity(total)} ${first.tradingsymbol} routed`, ...placed, ...not].join(
    ' · ',
  );
}

/** The line under a routed send: the refused legs' messages, else the reason it was placed on. */
export function routedDetail(decision: RouteDecision, refused: readonly RefusedLeg[]): string {
  if (refused.length === 0) return decision.reason;
  return refused.map((r) => `${r.exchange} ${formatQuantity(r.quantity)}: ${r.message}`).join(' · ');
}
