/**
 * Smart order routing between NSE and BSE: which exchange an equity order goes to, or how it splits
 * across both, decided from the two 5-level books and each exchange's charges. The same share trades
 * on both exchanges; the better visible price is not always the better trade, because BSE's exchange
 * turnover charge is higher than NSE's and brokerage is per executed order. So venues are compared
 * all-in: the walk through the visible depth plus that venue's charges.
 *
 * Pure logic: no I/O, no clock (the caller passes `now`), charges injected. Prices are integers in
 * wire units, quantities units, money integer paise; price x quantity sums are BigInt. Allocates its
 * result and a copy of each ladder: routing runs once per order, not per tick.
 */
import { chargeSegment, orderCharges } from '../../../shared/domain/charges';
import type { DepthLevel } from '../../../shared/services/market';

/** The two cash-equity exchanges an order can be routed to. */
export type RouteExchange = 'NSE' | 'BSE';

/** Buy or sell, as Kite's `transaction_type`. */
export type RouteSide = 'BUY' | 'SELL';

/** Kite's product: delivery (CNC), intraday (MIS), carry-forward (NRML), margin trading (MTF). */
export type RouteProduct = 'CNC' | 'MIS' | 'NRML' | 'MTF';

/** The order to route. Quantity in units, prices in wire units. */
export interface RouteRequest {
  readonly side: RouteSide;
  readonly quantity: number;
  readonly product: RouteProduct;
  /** EQ for a share; picks the charge column with `product`. */
  readonly instrumentType: string;
  /** A buy never pays above it, a sell never gets below it. Absent for a market order. */
  readonly limitPrice?: number;
  /** Epoch ms: the books' age is measured against it, and it picks the charge schedule. */
  readonly now: number;
}

/** One exchange's listing of the instrument and its latest 5-level book. */
export interface VenueBook {
  readonly exchange: RouteExchange;
  readonly instrumentToken: number;
  readonly priceDivisor: number;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly freezeQuantity: number | null;
  /** Best (highest) first, as in Kite's full tick; empty levels (quantity 0) are ignored. */
  readonly bids: readonly DepthLevel[];
  /** Best (lowest) first. */
  readonly asks: readonly DepthLevel[];
  readonly lastPrice: number;
  /** Epoch ms of the book's last update. */
  readonly updatedAt: number;
}

/** The instrument on each exchange; a missing one is not listed there or has no book yet. */
export interface VenueBooks {
  readonly NSE?: VenueBook | undefined;
  readonly BSE?: VenueBook | undefined;
}

/** What the charges function is asked to price: one executed order on one exchange. */
export interface ChargedLeg {
  readonly exchange: RouteExchange;
  readonly side: RouteSide;
  readonly product: RouteProduct;
  readonly instrumentType: string;
  readonly turnoverPaise: number;
  readonly tradeTimeMs: number;
}

/** The total charges of one leg, integer paise. */
export type RouteCharges = (leg: ChargedLeg) => number;

/** Zerodha's schedule (`shared/domain/charges.ts`): the default. */
export const zerodhaCharges: RouteCharges = (leg) =>
  orderCharges(
    chargeSegment(leg.exchange, leg.instrumentType, leg.product),
    leg.exchange,
    leg.side,
    leg.turnoverPaise,
    leg.tradeTimeMs,
  ).total;

/** How routing decides. Every field has a default (`ROUTE_DEFAULTS`, `zerodhaCharges`). */
export interface RouteOptions {
  /** A book older than this at `now` is stale and not used. */
  readonly maxAgeMs?: number;
  /** The other venue is thin when it shows less than this fraction of the order on the side taken. */
  readonly thinFraction?: number;
  readonly charges?: RouteCharges;
  /** The fallback and the tie-breaker: the deeper, cheaper-to-trade exchange. */
  readonly preferred?: RouteExchange;
}

/** The defaults of `RouteOptions`. */
export const ROUTE_DEFAULTS = { maxAgeMs: 2000, thinFraction: 0.2, preferred: 'NSE' } as const;

/** One order of the route. */
export interface RouteLeg {
  readonly exchange: RouteExchange;
  readonly instrumentToken: number;
  readonly quantity: number;
  /** Wire units, for display only: may be fractional. */
  readonly expectedAveragePrice: number;
  /**
   * Paise, charges included. Positive is money out: what a buy pays; a sell's is negative, minus what
   * it receives net of charges. Lower is better for either side.
   */
  readonly expectedCostPaise: number;
  /** How much of `quantity` the visible depth shows; the rest rests (limit) or walks (market). */
  readonly fromVisibleDepth: number;
  /** The exchange's freeze quantity: the OMS slices a leg above it into `slices` orders. */
  readonly freezeQuantity: number | null;
  readonly slices: number;
}

/** What routing saw on one exchange. */
export interface RouteVenue {
  readonly exchange: RouteExchange;
  /** Present, fresh, and showing at least one level within the limit on the side taken. */
  readonly usable: boolean;
  /** Why it was not used: unusable, or thin. */
  readonly whyNot?: string;
  /** Quantity shown on the side taken, within the limit (even when the book is stale). */
  readonly visibleQuantity: number;
  /** The whole order through this venue's depth, as `expectedCostPaise`, when it can take it all. */
  readonly costAllOnIt?: number;
}

/** Where the order goes and why, in words a trader reads. */
export interface RouteDecision {
  /** Empty only when neither exchange has a book: there is nothing to route to. */
  readonly legs: readonly RouteLeg[];
  readonly reason: string;
  /** Both exchanges, the preferred first. */
  readonly venues: readonly RouteVenue[];
  /** True when the order went where it did because the better choice could not be used. */
  readonly fallback: boolean;
}

/** The visible depth taken by a walk. */
export interface BookWalk {
  readonly filled: number;
  /** Sum of price x quantity over the levels taken, wire units. */
  readonly notionalWire: bigint;
  /** The last level's price; null when nothing was taken. */
  readonly worstPrice: number | null;
}

/**
 * Takes up to `quantity` from `levels` (the side an order takes: asks for a buy, bids for a sell),
 * best price first, never beyond `limitPrice`. Empty levels are skipped and the levels are sorted
 * best first (a copy), so a ladder out of order is still walked at its best prices.
 */
export function walkBook(
  levels: readonly DepthLevel[],
  quantity: number,
  limitPrice: number | undefined,
  side: RouteSide,
): BookWalk {
  checkWhole(quantity, 'quantity', 0);
  if (limitPrice !== undefined) checkWhole(limitPrice, 'limit price', 1);
  levels.forEach((l) => {
    checkLevel(l);
  });
  return walkLadder(takeable(levels, side, limitPrice), quantity);
}

/**
 * Rupees from integer paise, exactly, with Indian digit grouping: 150005 -> "Rs 1,500.05",
 * 100_000_000 -> "Rs 10,00,000.00", a loss with a true minus sign. Throws RangeError unless `paise` is
 * a safe integer.
 */
export function formatRupees(paise: number): string {
  if (!Number.isSafeInteger(paise)) throw new RangeError(`${paise} is not a whole number of paise`);
  const digits = String(Math.abs(paise)).padStart(3, '0');
  return `${paise < 0 ? '\u2212' : ''}Rs ${groupDigits(digits.slice(0, -2))}.${digits.slice(-2)}`;
}

/**
 * Routes `request` to NSE, BSE or both. The rules, in order (`preferred` is NSE by default, "the
 * other" BSE):
 * 1. A venue is usable when its book is present, no older than `maxAgeMs`, and shows at least one
 *    level within the limit on the side taken.
 * 2. One usable venue takes everything (the other only when the preferred is unusable); with none,
 *    the order goes to the preferred (or the only one with a book) to rest or walk there.
 * 3. When the other venue shows less than `thinFraction` of the order, the preferred takes it all.
 * 4. When each can fill the whole order from its visible depth, the lower all-in cost wins (price
 *    walk plus that exchange's charges); a tie goes to the preferred.
 * 5. Otherwise both ladders are merged best price first (the preferred first at equal prices) up to
 *    the quantity; the other venue's share is rounded down to whole lots, and the rest, including
 *    any quantity beyond both visible depths, goes to the preferred. If one venue alone can fill the
 *    order and costs no more after charges (brokerage and rounding are per order), it takes it all.
 * Throws RangeError on bad input: a quantity that is not a positive whole number of lots, a price or
 * quantity that is not a whole number, books that disagree on the price divisor.
 */
export function routeOrder(
  request: RouteRequest,
  books: VenueBooks,
  options: RouteOptions = {},
): RouteDecision {
  const maxAgeMs = options.maxAgeMs ?? ROUTE_DEFAULTS.maxAgeMs;
  const thinFraction = options.thinFraction ?? ROUTE_DEFAULTS.thinFraction;
  const preferred = options.preferred ?? ROUTE_DEFAULTS.preferred;
  checkInput(request, books, maxAgeMs, thinFraction);
  const ctx: Context = { request, charges: options.charges ?? zerodhaCharges };

  const q = request.quantity;
  const main = venueOf(preferred, books, ctx, maxAgeMs);
  const other = venueOf(preferred === 'NSE' ? 'BSE' : 'NSE', books, ctx, maxAgeMs);
  const decide = (
    legs: readonly Priced[],
    reason: string,
    fallback: boolean,
    thin = false,
  ): RouteDecision => ({
    legs: legs.map((p) => p.leg),
    reason,
    venues: [view(main, false), view(other, thin)],
    fallback,
  });

  // Rule 2: at most one usable venue.
  if (!main.usable && !other.usable) {
    const to = main.book !== undefined ? main : other.book !== undefined ? other : undefined;
    if (to === undefined) {
      return decide(
        [],
        `No book on ${main.exchange} or ${other.exchange}: there is nothing to route to.`,
        true,
      );
    }
    const where =
      request.limitPrice === undefined
        ? `walks ${to.exchange}'s book`
        : `rests on ${to.exchange} at the limit`;
    return decide(
      [priceLeg(to, q, ctx)],
      `${to.exchange}: neither book is usable (${unusableClause(main, ctx)}; ${unusableClause(other, ctx)}), so the order ${where}.`,
      true,
    );
  }
  if (!other.usable) {
    return decide([priceLeg(main, q, ctx)], `${main.exchange}: ${unusableClause(other, ctx)}.`, true);
  }
  if (!main.usable) {
    return decide([priceLeg(other, q, ctx)], `${other.exchange}: ${unusableClause(main, ctx)}.`, false);
  }

  // Rule 3: the other venue is too thin to be worth a second order.
  if (other.visible < thinFraction * q) {
    return decide(
      [priceLeg(main, q, ctx)],
      `${main.exchange}: ${other.exchange}'s book is thin (${count(other.visible)} of ${count(q)} visible).`,
      true,
      true,
    );
  }

  // Rule 4: each can fill alone; the all-in cost decides, a tie goes to the preferred.
  if (main.allOn !== undefined && other.allOn !== undefined) {
    const otherWins = other.allOn.leg.expectedCostPaise < main.allOn.leg.expectedCostPaise;
    const [win, lose] = otherWins ? [other.allOn, main.allOn] : [main.allOn, other.allOn];
    return decide([win], compareReason(win, lose, main.exchange, ctx), false);
  }

  // Rule 5: neither can (or only one can): the merged ladders, best price first.
  const split = splitRoute(main, other, ctx);
  return decide(split.legs, split.reason, false);
}

interface Context {
  readonly request: RouteRequest;
  readonly charges: RouteCharges;
}

/** A leg and its turnover (its cost without charges), kept to say whether charges decided. */
interface Priced {
  readonly leg: RouteLeg;
  readonly turnoverPaise: number;
}

type Unusable =
  | { readonly kind: 'missing' }
  | { readonly kind: 'stale'; readonly ageMs: number }
  | { readonly kind: 'empty' };

/** One exchange as routing sees it. `ladder` is the takeable depth, empty unless the book is usable. */
interface Venue {
  readonly exchange: RouteExchange;
  readonly book: VenueBook | undefined;
  readonly ladder: readonly DepthLevel[];
  readonly visible: number;
  readonly usable: boolean;
  readonly unusable?: Unusable;
  /** The whole order on this venue, when its visible depth takes it all. */
  readonly allOn?: Priced;
}

function venueOf(exchange: RouteExchange, books: VenueBooks, ctx: Context, maxAgeMs: number): Venue {
  const book = books[exchange];
  if (book === undefined) {
    return { exchange, book, ladder: [], visible: 0, usable: false, unusable: { kind: 'missing' } };
  }
  const { side, limitPrice, now, quantity } = ctx.request;
  const shown = takeable(side === 'BUY' ? book.asks : book.bids, side, limitPrice);
  const visible = shown.reduce((sum, l) => sum + l.quantity, 0);
  const ageMs = now - book.updatedAt;
  if (ageMs > maxAgeMs) {
    return { exchange, book, ladder: [], visible, usable: false, unusable: { kind: 'stale', ageMs } };
  }
  if (shown.length === 0) {
    return { exchange, book, ladder: [], visible, usable: false, unusable: { kind: 'empty' } };
  }
  const venue: Venue = { exchange, book, ladder: shown, visible, usable: true };
  return visible >= quantity ? { ...venue, allOn: priceLeg(venue, quantity, ctx) } : venue;
}

function view(v: Venue, thin: boolean): RouteVenue {
  const whyNot =
    v.unusable !== undefined
      ? unusablePhrase(v.unusable)
      : thin
        ? `thin: ${count(v.visible)} visible`
        : undefined;
  return {
    exchange: v.exchange,
    usable: v.usable,
    ...(whyNot !== undefined ? { whyNot } : {}),
    visibleQuantity: v.visible,
    ...(v.allOn !== undefined ? { costAllOnIt: v.allOn.leg.expectedCostPaise } : {}),
  };
}

function unusablePhrase(u: Unusable): string {
  if (u.kind === 'missing') return 'no book';
  if (u.kind === 'stale') return `book is ${seconds(u.ageMs)} old`;
  return 'nothing on the side taken within the limit';
}

/** "BSE has no book", "BSE's book is 5.2 s old", "BSE shows no offers within the limit Rs 1,500.00". */
function unusableClause(v: Venue, ctx: Context): string {
  const u = v.unusable;
  if (u === undefined || u.kind === 'missing' || v.book === undefined) return `${v.exchange} has no book`;
  if (u.kind === 'stale') return `${v.exchange}'s book is ${seconds(u.ageMs)} old`;
  const { side, limitPrice } = ctx.request;
  const within =
    limitPrice === undefined ? '' : ` within the limit ${formatPrice(limitPrice, v.book.priceDivisor)}`;
  return `${v.exchange} shows no ${side === 'BUY' ? 'offers' : 'bids'}${within}`;
}

/**
 * `quantity` on `venue`: its visible depth first; the rest at the limit (where it will rest) or, for
 * a market order, at the worst visible price (where its walk beyond the visible depth starts), or
 * the last price when nothing is visible.
 */
function priceLeg(venue: Venue, quantity: number, ctx: Context): Priced {
  const book = venue.book;
  if (book === undefined) throw new RangeError(`no ${venue.exchange} book to price a leg on`);
  const { side, product, instrumentType, limitPrice, now } = ctx.request;
  const walk = walkLadder(venue.ladder, quantity);
  const rest = quantity - walk.filled;
  const restPrice = limitPrice ?? walk.worstPrice ?? book.lastPrice;
  const notional = walk.notionalWire + BigInt(rest) * BigInt(restPrice);
  const turnoverPaise = toPaise(notional, book.priceDivisor);
  const charges = ctx.charges({
    exchange: venue.exchange,
    side,
    product,
    instrumentType,
    turnoverPaise,
    tradeTimeMs: now,
  });
  if (!Number.isSafeInteger(charges)) {
    throw new RangeError(`charges ${charges} on ${venue.exchange} are not a whole number of paise`);
  }
  const leg: RouteLeg = {
    exchange: venue.exchange,
    instrumentToken: book.instrumentToken,
    quantity,
    expectedAveragePrice: Number(notional) / quantity,
    expectedCostPaise: side === 'BUY' ? turnoverPaise + charges : charges - turnoverPaise,
    fromVisibleDepth: walk.filled,
    freezeQuantity: book.freezeQuantity,
    slices: sliceCount(quantity, book.freezeQuantity, book.lotSize),
  };
  return { leg, turnoverPaise };
}

/** Rule 4's reason: the winner, by how much, and whether its charges overturned a better price. */
function compareReason(win: Priced, lose: Priced, preferred: RouteExchange, ctx: Context): string {
  const q = count(ctx.request.quantity);
  const diff = lose.leg.expectedCostPaise - win.leg.expectedCostPaise;
  if (diff === 0) {
    return `${preferred}: the same all-in cost on NSE and BSE for ${q} after charges; a tie goes to ${preferred}.`;
  }
  const head = `${win.leg.exchange}: ${formatRupees(diff)} ${gain(ctx)} for ${q} through the visible depth after charges.`;
  // A buy's lower turnover, a sell's higher, is the better price before charges.
  const priceEdge = (ctx.request.side === 'BUY' ? 1 : -1) * (win.turnoverPaise - lose.turnoverPaise);
  return priceEdge > 0
    ? `${head} ${lose.leg.exchange} shows the better price, by ${formatRupees(priceEdge)}, but its charges are higher.`
    : head;
}

/**
 * Rule 5: the merged ladders, the other venue's share in whole lots; then checked against putting it
 * all on a venue that can fill it alone, since a second order pays a second brokerage and rounding.
 */
function splitRoute(main: Venue, other: Venue, ctx: Context): { legs: Priced[]; reason: string } {
  const { quantity: q, side } = ctx.request;
  const better = side === 'BUY' ? (a: number, b: number) => a - b : (a: number, b: number) => b - a;
  // Array.prototype.sort is stable: at equal prices the preferred's levels, listed first, go first.
  const merged = [
    ...main.ladder.map((level) => ({ level, mine: true })),
    ...other.ladder.map((level) => ({ level, mine: false })),
  ].sort((a, b) => better(a.level.price, b.level.price));
  let left = q;
  let otherShare = 0;
  for (const { level, mine } of merged) {
    if (left === 0) break;
    const take = Math.min(level.quantity, left);
    left -= take;
    if (!mine) otherShare += take;
  }
  // The preferred's leg is what is left of a whole number of lots, so it is whole lots too.
  const unit = lcm(lotOf(main), lotOf(other));
  const otherQ = Math.floor(otherShare / unit) * unit;
  const mainQ = q - otherQ;
  const mainLeg = mainQ > 0 ? priceLeg(main, mainQ, ctx) : undefined;
  const split = [mainLeg, otherQ > 0 ? priceLeg(other, otherQ, ctx) : undefined].filter(
    (p) => p !== undefined,
  );
  const splitCost = split.reduce((sum, p) => sum + p.leg.expectedCostPaise, 0);
  const after = mainLeg === undefined ? '' : beyond(mainLeg, ctx);

  // The cheapest venue that fills alone; the preferred on a tie.
  const best = [main.allOn, other.allOn].reduce<Priced | undefined>(
    (b, p) =>
      p !== undefined && (b === undefined || p.leg.expectedCostPaise < b.leg.expectedCostPaise) ? p : b,
    undefined,
  );
  const qs = count(q);
  const [only] = split;
  if (split.length === 1 && only !== undefined) {
    // The merge put it all on one venue: the same order as that venue alone, or one that walks past
    // its depth, which a venue that fills alone may beat.
    if (best !== undefined && best.leg.expectedCostPaise < only.leg.expectedCostPaise) {
      const d = formatRupees(only.leg.expectedCostPaise - best.leg.expectedCostPaise);
      const x = best.leg.exchange;
      return {
        legs: [best],
        reason: `${x}: all ${qs} on ${x} is ${d} ${gain(ctx)} after charges than on ${only.leg.exchange}.`,
      };
    }
    const x = only.leg.exchange;
    if (otherShare > 0 && otherQ === 0) {
      const neither = main.allOn === undefined ? `neither book shows ${qs}, and ` : '';
      return {
        legs: split,
        reason: `${x}: ${neither}${other.exchange}'s share at the better prices (${count(otherShare)}) is less than a lot of ${count(unit)}.${after}`,
      };
    }
    const y = x === main.exchange ? other.exchange : main.exchange;
    return { legs: split, reason: `${x}: only ${x} shows all ${qs}, at prices ${y} does not beat.` };
  }

  const splitText = `${count(mainQ)} on ${main.exchange}, ${count(otherQ)} on ${other.exchange}`;
  if (best !== undefined && best.leg.expectedCostPaise <= splitCost) {
    const d = splitCost - best.leg.expectedCostPaise;
    const by =
      d === 0 ? 'costs the same after charges as' : `is ${formatRupees(d)} ${gain(ctx)} after charges than`;
    const x = best.leg.exchange;
    return { legs: [best], reason: `${x}: all ${qs} on ${x} ${by} splitting ${splitText}.` };
  }
  const why =
    best === undefined
      ? `neither book shows ${qs}`
      : `${formatRupees(best.leg.expectedCostPaise - splitCost)} ${gain(ctx)} than all ${qs} on ${best.leg.exchange} after charges`;
  return { legs: split, reason: `Split: ${splitText}: ${why}.${after}` };
}

/** The sentence for a preferred leg larger than its visible depth, or nothing. */
function beyond(p: Priced, ctx: Context): string {
  const rest = p.leg.quantity - p.leg.fromVisibleDepth;
  if (rest === 0) return '';
  const how = ctx.request.limitPrice === undefined ? 'walks its book' : 'rests there at the limit';
  return ` ${count(rest)} of ${p.leg.exchange}'s ${count(p.leg.quantity)} is beyond the visible depth and ${how}.`;
}

/** The levels an order can take, within the limit, best first. Allocates a copy. */
function takeable(
  levels: readonly DepthLevel[],
  side: RouteSide,
  limitPrice: number | undefined,
): DepthLevel[] {
  const within = (price: number): boolean =>
    limitPrice === undefined || (side === 'BUY' ? price <= limitPrice : price >= limitPrice);
  return levels
    .filter((l) => l.quantity > 0 && l.price > 0 && within(l.price))
    .sort((a, b) => (side === 'BUY' ? a.price - b.price : b.price - a.price));
}

function walkLadder(ladder: readonly DepthLevel[], quantity: number): BookWalk {
  let filled = 0;
  let notionalWire = 0n;
  let worstPrice: number | null = null;
  for (const level of ladder) {
    if (filled >= quantity) break;
    const take = Math.min(level.quantity, quantity - filled);
    filled += take;
    notionalWire += BigInt(level.price) * BigInt(take);
    worstPrice = level.price;
  }
  return { filled, notionalWire, worstPrice };
}

/** Paise of a wire-unit notional: notional x 100 / divisor, rounded half up (exact at divisor 100). */
function toPaise(notionalWire: bigint, divisor: number): number {
  const d = BigInt(divisor);
  const paise = Number((notionalWire * 200n + d) / (2n * d));
  if (!Number.isSafeInteger(paise))
    throw new RangeError(`turnover of ${notionalWire} wire units is too large`);
  return paise;
}

/** How many orders the OMS sends for `quantity`: slices of the freeze quantity in whole lots. */
function sliceCount(quantity: number, freezeQuantity: number | null, lotSize: number): number {
  if (freezeQuantity === null) return 1;
  const largest = Math.floor(freezeQuantity / lotSize) * lotSize;
  return largest <= 0 ? 1 : Math.ceil(quantity / largest);
}

function lotOf(v: Venue): number {
  return v.book?.lotSize ?? 1;
}

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}

function gain(ctx: Context): string {
  return ctx.request.side === 'BUY' ? 'cheaper' : 'more';
}

/** A wire-unit price in rupees: 150005 at divisor 100 -> "Rs 1,500.05". */
function formatPrice(wire: number, divisor: number): string {
  const decimals = Math.round(Math.log10(divisor));
  if (10 ** decimals !== divisor || decimals < 1) return `Rs ${wire / divisor}`;
  const digits = String(wire).padStart(decimals + 1, '0');
  return `Rs ${groupDigits(digits.slice(0, -decimals))}.${digits.slice(-decimals)}`;
}

/** Indian digit grouping of a string of digits: "1000000" -> "10,00,000". */
function groupDigits(digits: string): string {
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return rest === '' ? last3 : `${rest},${last3}`;
}

function count(n: number): string {
  return groupDigits(String(n));
}

/** Milliseconds as seconds: "5.2 s" (tenths, truncated). */
function seconds(ms: number): string {
  const tenths = Math.floor(ms / 100);
  return `${Math.floor(tenths / 10)}.${tenths % 10} s`;
}

const SIDES: ReadonlySet<string> = new Set(['BUY', 'SELL']);
const PRODUCTS: ReadonlySet<string> = new Set(['CNC', 'MIS', 'NRML', 'MTF']);

function checkWhole(n: number, what: string, min: number): void {
  if (!Number.isSafeInteger(n) || n < min) {
    throw new RangeError(`${what} ${n} is not a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  }
}

function checkLevel(l: DepthLevel, where = 'depth'): void {
  checkWhole(l.price, `${where} price`, 0);
  checkWhole(l.quantity, `${where} quantity`, 0);
}

function checkInput(request: RouteRequest, books: VenueBooks, maxAgeMs: number, thinFraction: number): void {
  const { side, product, quantity, limitPrice, now } = request;
  if (!SIDES.has(side)) throw new RangeError(`side ${side} is not BUY or SELL`);
  if (!PRODUCTS.has(product)) throw new RangeError(`product ${product} is not CNC, MIS, NRML or MTF`);
  checkWhole(quantity, 'quantity', 1);
  if (limitPrice !== undefined) checkWhole(limitPrice, 'limit price', 1);
  if (!Number.isFinite(now)) throw new RangeError(`now ${now} is not an epoch ms`);
  if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0)
    throw new RangeError(`maxAgeMs ${maxAgeMs} is not a duration`);
  if (!Number.isFinite(thinFraction) || thinFraction < 0) {
    throw new RangeError(`thinFraction ${thinFraction} is not a fraction`);
  }
  for (const key of ['NSE', 'BSE'] as const) {
    const book = books[key];
    if (book === undefined) continue;
    if (book.exchange !== key) throw new RangeError(`the ${key} book says it is ${book.exchange}'s`);
    checkWhole(book.instrumentToken, `${key} instrument token`, 0);
    checkWhole(book.priceDivisor, `${key} price divisor`, 1);
    checkWhole(book.tickSize, `${key} tick size`, 0);
    checkWhole(book.lotSize, `${key} lot size`, 1);
    if (book.freezeQuantity !== null) checkWhole(book.freezeQuantity, `${key} freeze quantity`, 1);
    checkWhole(book.lastPrice, `${key} last price`, 0);
    if (!Number.isFinite(book.updatedAt))
      throw new RangeError(`${key} updatedAt ${book.updatedAt} is not an epoch ms`);
    book.bids.forEach((l) => {
      checkLevel(l, `${key} bid`);
    });
    book.asks.forEach((l) => {
      checkLevel(l, `${key} ask`);
    });
    if (quantity % book.lotSize !== 0) {
      throw new RangeError(`quantity ${quantity} is not a multiple of ${key}'s lot size ${book.lotSize}`);
    }
  }
  const nse = books.NSE;
  const bse = books.BSE;
  if (nse !== undefined && bse !== undefined && nse.priceDivisor !== bse.priceDivisor) {
    throw new RangeError(`NSE and BSE price divisors differ (${nse.priceDivisor}, ${bse.priceDivisor})`);
  }
}
