/**
 * Positions and P&L from fills, in integers (issue 6, item 1). Per instrument and product:
 * - the net quantity is the signed sum of the fills (plus what the broker says was carried overnight);
 * - the open quantity's cost is kept as FIFO lots, so realized and unrealized P&L are exact integers
 *   with no average-price rounding: unrealized = net x last price - open cost, realized = what the
 *   closed lots made. Lots are matched in exchange time order (then trade id, as the journal loads
 *   fills), the overnight carry first, whatever order the fills arrive in: a late fill rebuilds its
 *   position, so the split between realized and unrealized is the same live and after a restart;
 * - charges are Zerodha's schedule (shared/domain/charges.ts) per executed order on the order's
 *   total turnover so far (brokerage is per order, so an order's charges are recomputed as it fills).
 *
 * Money: values are first summed in wire units x quantity (exact), then converted to paise once
 * (x 100 / divisor: identity for the usual divisor of 100).
 */
import { chargeSegment, orderCharges } from '../../../shared/domain/charges';
import type { PnlView, PositionView } from '../../../shared/services/portfolio';
import type { Product, Side } from '../../../shared/services/orders';

/** What a fill needs to say to the portfolio. */
export interface PortfolioFill {
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentType: string;
  readonly priceDivisor: number;
  readonly side: Side;
  readonly product: Product;
  readonly quantity: number;
  /** Wire units. */
  readonly price: number;
  /** Exchange time, epoch ms: the FIFO order. */
  readonly time: number;
}

interface Lot {
  quantity: number;
  price: number;
}

interface Position {
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly priceDivisor: number;
  readonly product: Product;
  net: number;
  overnight: number;
  /** The carried quantity's price, wire units. */
  overnightPrice: number;
  /** Today's fills in FIFO order (exchange time, then trade id), to rebuild the lots when one comes late. */
  readonly fills: {
    readonly time: number;
    readonly tradeId: string;
    readonly signed: number;
    readonly price: number;
  }[];
  /** FIFO lots of the open quantity (all one sign: long lots when net > 0). */
  lots: Lot[];
  /** Sum of the open lots' quantity x price, wire units. */
  openCost: number;
  /** Realized P&L, wire units x quantity. */
  realized: number;
  dayBuyQuantity: number;
  daySellQuantity: number;
  dayBuyValue: number;
  daySellValue: number;
  /** Charges of each order in this position, paise. */
  readonly orderCharges: Map<string, number>;
  charges: number;
}

interface OrderTurnover {
  quantity: number;
  value: number;
}

/** True when fill `a` comes after fill `b` in FIFO order (exchange time, then trade id). */
const fillsAfter = (a: { time: number; tradeId: string }, b: { time: number; tradeId: string }): boolean =>
  a.time > b.time || (a.time === b.time && a.tradeId > b.tradeId);

const toPaise = (wireValue: number, divisor: number): number => {
  const p = divisor === 100 ? wireValue : Math.round((wireValue * 100) / divisor);
  return p === 0 ? 0 : p; // never -0 (Math.round of a small negative fraction)
};

/** The day's positions of one account. */
export class Portfolio {
  private readonly positions = new Map<string, Position>();
  private readonly turnover = new Map<string, OrderTurnover>();
  private readonly seen = new Set<string>();

  constructor(private readonly lastPrice: (instrumentToken: number) => number) {}

  private key(token: number, product: Product): string {
    return `${token}:${product}`;
  }

  private position(f: {
    instrumentToken: number;
    exchange: string;
    tradingsymbol: string;
    priceDivisor: number;
    product: Product;
  }): Position {
    const key = this.key(f.instrumentToken, f.product);
    let p = this.positions.get(key);
    if (p === undefined) {
      p = {
        instrumentToken: f.instrumentToken,
        exchange: f.exchange,
        tradingsymbol: f.tradingsymbol,
        priceDivisor: f.priceDivisor,
        product: f.product,
        net: 0,
        overnight: 0,
        overnightPrice: 0,
        fills: [],
        lots: [],
        openCost: 0,
        realized: 0,
        dayBuyQuantity: 0,
        daySellQuantity: 0,
        dayBuyValue: 0,
        daySellValue: 0,
        orderCharges: new Map(),
        charges: 0,
      };
      this.positions.set(key, p);
    }
    return p;
  }

  /**
   * Sets what the broker says was carried from the previous day (signed quantity at a price), before
   * today's fills are added. Replaces an earlier carry of the same position.
   */
  carry(
    instrument: {
      instrumentToken: number;
      exchange: string;
      tradingsymbol: string;
      priceDivisor: number;
      product: Product;
    },
    quantity: number,
    price: number,
  ): void {
    const p = this.position(instrument);
    if (p.overnight !== 0) throw new RangeError(`${p.tradingsymbol} ${p.product}: carry set twice`);
    if (quantity === 0) return;
    p.overnight = quantity;
    p.overnightPrice = price;
    // The carry comes first in FIFO order, even when today's fills were loaded before it.
    this.rebuild(p);
  }

  /** Adds a fill (once per trade id; a repeat is ignored and returns false). */
  fill(f: PortfolioFill): boolean {
    if (this.seen.has(f.tradeId)) return false;
    this.seen.add(f.tradeId);
    const p = this.position(f);
    const signed = f.side === 'BUY' ? f.quantity : -f.quantity;
    const value = f.quantity * f.price;
    if (f.side === 'BUY') {
      p.dayBuyQuantity += f.quantity;
      p.dayBuyValue += value;
    } else {
      p.daySellQuantity += f.quantity;
      p.daySellValue += value;
    }
    const entry = { time: f.time, tradeId: f.tradeId, signed, price: f.price };
    const last = p.fills.at(-1);
    if (last === undefined || !fillsAfter(last, entry)) {
      p.fills.push(entry);
      this.addLots(p, signed, f.price);
    } else {
      // A fill older than one already matched: put it in its place and match the lots again.
      let k = p.fills.length;
      while (k > 0 && fillsAfter(p.fills[k - 1] ?? entry, entry)) k--;
      p.fills.splice(k, 0, entry);
      this.rebuild(p);
    }
    // Charges: the order's turnover so far, charged as one executed order.
    const t = this.turnover.get(f.clientOrderId) ?? { quantity: 0, value: 0 };
    t.quantity += f.quantity;
    t.value += value;
    this.turnover.set(f.clientOrderId, t);
    const segment = chargeSegment(f.exchange, f.instrumentType, f.product);
    const charges = orderCharges(segment, f.exchange, f.side, toPaise(t.value, f.priceDivisor), f.time).total;
    p.charges += charges - (p.orderCharges.get(f.clientOrderId) ?? 0);
    p.orderCharges.set(f.clientOrderId, charges);
    return true;
  }

  /** Matches the position's lots again from the carry and the fills, in FIFO order. */
  private rebuild(p: Position): void {
    p.net = 0;
    p.lots = [];
    p.openCost = 0;
    p.realized = 0;
    if (p.overnight !== 0) this.addLots(p, p.overnight, p.overnightPrice);
    for (const f of p.fills) this.addLots(p, f.signed, f.price);
  }

  /** Adds `signed` units at `price`: closes opposite lots first in FIFO order, then opens the rest. */
  private addLots(p: Position, signed: number, price: number): void {
    let left = signed;
    while (left !== 0 && p.lots.length > 0 && Math.sign(p.net) !== Math.sign(left)) {
      const lot = p.lots[0];
      if (lot === undefined) break;
      const take = Math.min(Math.abs(left), lot.quantity);
      // Closing a long lot with a sell earns (price - lot) per unit; closing a short lot, the reverse.
      p.realized += p.net > 0 ? (price - lot.price) * take : (lot.price - price) * take;
      p.openCost -= lot.price * take;
      lot.quantity -= take;
      if (lot.quantity === 0) p.lots.shift();
      p.net += left > 0 ? take : -take;
      left += left > 0 ? -take : take;
    }
    if (left !== 0) {
      p.lots.push({ quantity: Math.abs(left), price });
      p.openCost += Math.abs(left) * price;
      p.net += left;
    }
  }

  /** Net quantity across products. */
  netQuantity(instrumentToken: number): number {
    let n = 0;
    for (const p of this.positions.values()) if (p.instrumentToken === instrumentToken) n += p.net;
    return n;
  }

  /** Net quantity of one product. */
  quantity(instrumentToken: number, product: Product): number {
    return this.positions.get(this.key(instrumentToken, product))?.net ?? 0;
  }

  private view(p: Position): PositionView {
    const ltp = this.lastPrice(p.instrumentToken);
    const d = p.priceDivisor;
    // With no last price, the open quantity is valued at its cost (no unrealized P&L is invented).
    const mark = ltp > 0 ? ltp : 0;
    const unrealizedWire =
      p.net === 0 || mark === 0 ? 0 : p.net * mark - (p.net > 0 ? p.openCost : -p.openCost);
    const realized = toPaise(p.realized, d);
    const unrealized = toPaise(unrealizedWire, d);
    return {
      instrumentToken: p.instrumentToken,
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      priceDivisor: d,
      product: p.product,
      quantity: p.net,
      averagePrice: p.net === 0 ? 0 : Math.round(p.openCost / Math.abs(p.net)),
      overnightQuantity: p.overnight,
      dayBuyQuantity: p.dayBuyQuantity,
      daySellQuantity: p.daySellQuantity,
      dayBuyValue: toPaise(p.dayBuyValue, d),
      daySellValue: toPaise(p.daySellValue, d),
      lastPrice: mark,
      realized,
      unrealized,
      charges: p.charges,
      net: realized + unrealized - p.charges,
    };
  }

  /** Every position (flat ones with activity today included). */
  list(): PositionView[] {
    return [...this.positions.values()].map((p) => this.view(p));
  }

  /** One position's view, if it exists. */
  get(instrumentToken: number, product: Product): PositionView | undefined {
    const p = this.positions.get(this.key(instrumentToken, product));
    return p === undefined ? undefined : this.view(p);
  }

  /** Instruments with a position or activity. */
  instruments(): number[] {
    return [...new Set([...this.positions.values()].map((p) => p.instrumentToken))];
  }

  /** The day's P&L. */
  pnl(at: number): PnlView {
    let realized = 0;
    let unrealized = 0;
    let charges = 0;
    for (const p of this.positions.values()) {
      const v = this.view(p);
      realized += v.realized;
      unrealized += v.unrealized;
      charges += v.charges;
    }
    return { realized, unrealized, charges, net: realized + unrealized - charges, at };
  }
}
