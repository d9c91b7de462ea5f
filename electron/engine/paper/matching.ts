/**
 * The paper broker's fill rules (README.md in this folder): pure functions of one order, the live
 * book and quote, and a ledger of the visible liquidity paper orders have already taken. No clock,
 * no I/O. Prices are integer wire units, quantities integer units; the only float is the market
 * protection percentage, turned into whole basis points once (`protectionBasisPoints`).
 */
import type { Depth, Quote } from '../../../shared/services/market';
import type { OrderType, Side } from '../../../shared/services/orders';

/** Levels per side in a Kite depth packet. A side showing fewer shows its whole book. */
export const DEPTH_LEVELS = 5;

/** One visible price level. */
export interface BookLevel {
  readonly price: number;
  readonly quantity: number;
}

/** One side of the visible book, best price first. */
export interface BookSide {
  readonly levels: readonly BookLevel[];
  /** Whether nothing rests beyond the last level (the side shows fewer than `DEPTH_LEVELS`). */
  readonly complete: boolean;
}

/** The visible book of one instrument. */
export interface Book {
  readonly bids: BookSide;
  readonly asks: BookSide;
}

const UNKNOWN_SIDE: BookSide = { levels: [], complete: false };

function sideOf(levels: readonly BookLevel[], descending: boolean, complete: boolean): BookSide {
  const kept = levels
    .filter((l) => l.quantity > 0 && l.price > 0)
    .map((l) => ({ price: l.price, quantity: l.quantity }));
  kept.sort((a, b) => (descending ? b.price - a.price : a.price - b.price));
  return { levels: kept, complete };
}

/**
 * The book to match against: the 5-level depth when it shows anything, else the quote's best bid and
 * offer as one level each (the rest of that book unknown), else nothing known. Allocates.
 */
export function bookOf(quote: Quote | undefined, depth: Depth | undefined): Book {
  if (depth !== undefined && depth.bids.length + depth.asks.length > 0) {
    return {
      bids: sideOf(depth.bids, true, depth.bids.length < DEPTH_LEVELS),
      asks: sideOf(depth.asks, false, depth.asks.length < DEPTH_LEVELS),
    };
  }
  if (quote === undefined) return { bids: UNKNOWN_SIDE, asks: UNKNOWN_SIDE };
  return {
    bids: sideOf([{ price: quote.bidPrice, quantity: quote.bidQuantity }], true, false),
    asks: sideOf([{ price: quote.askPrice, quantity: quote.askQuantity }], false, false),
  };
}

/**
 * The visible quantity resting at `price` on one side: the level's quantity; 0 when the price is
 * better than the best level, falls in a gap between visible levels, or lies beyond a side that
 * shows its whole book; null when it lies beyond what the side shows (unknown).
 */
export function visibleAt(side: BookSide, price: number, isBid: boolean): number | null {
  const levels = side.levels;
  const first = levels[0];
  const last = levels[levels.length - 1];
  if (first === undefined || last === undefined) return side.complete ? 0 : null;
  for (const l of levels) if (l.price === price) return l.quantity;
  const better = isBid ? price > first.price : price < first.price;
  const inside = isBid ? price > last.price : price < last.price;
  if (better || inside) return 0;
  return side.complete ? 0 : null;
}

/**
 * The visible quantity paper orders have taken, per side and price. The live book does not know
 * about paper fills, so a level keeps showing what a paper order took from it; this ledger hides
 * that much until the level shrinks below it (the taken part is capped at what is visible) or
 * disappears (forgotten). Levels deeper than the book shows are kept as they are.
 */
export class TakenLiquidity {
  private readonly bids: Map<number, number>;
  private readonly asks: Map<number, number>;

  constructor(bids?: ReadonlyMap<number, number>, asks?: ReadonlyMap<number, number>) {
    this.bids = new Map(bids);
    this.asks = new Map(asks);
  }

  clone(): TakenLiquidity {
    return new TakenLiquidity(this.bids, this.asks);
  }

  /** Whether nothing is recorded. */
  get isEmpty(): boolean {
    return this.bids.size === 0 && this.asks.size === 0;
  }

  /** Brings the ledger in line with a new view of the book (see the class comment). */
  refresh(book: Book): void {
    refreshSide(this.bids, book.bids, true);
    refreshSide(this.asks, book.asks, false);
  }

  /** What is left for paper orders at a level of the bid side (`isBid`) or the ask side. */
  available(isBid: boolean, level: BookLevel): number {
    const taken = (isBid ? this.bids : this.asks).get(level.price) ?? 0;
    return Math.max(0, level.quantity - taken);
  }

  take(isBid: boolean, price: number, quantity: number): void {
    const m = isBid ? this.bids : this.asks;
    m.set(price, (m.get(price) ?? 0) + quantity);
  }
}

function refreshSide(m: Map<number, number>, side: BookSide, isBid: boolean): void {
  for (const [price, taken] of m) {
    const visible = visibleAt(side, price, isBid);
    if (visible === null) continue;
    if (visible === 0) m.delete(price);
    else if (taken > visible) m.set(price, visible);
  }
}

/** One execution: quantity at a price. */
export interface Execution {
  readonly price: number;
  readonly quantity: number;
}

/**
 * Takes the opposite side of the book for an order of `side`, best level first, up to `limit`
 * (a buy takes asks at or below it, a sell bids at or above it), at most `quantity` in all. Each
 * execution is at the level's price, or at `at` when given (a resting order is filled at its own
 * price). Records what it took in `taken`.
 */
export function takeBook(
  book: Book,
  taken: TakenLiquidity,
  side: Side,
  limit: number,
  quantity: number,
  at: number | null,
): Execution[] {
  const buy = side === 'BUY';
  const opposite = buy ? book.asks : book.bids;
  const out: Execution[] = [];
  let left = quantity;
  for (const level of opposite.levels) {
    if (left <= 0) break;
    if (buy ? level.price > limit : level.price < limit) break;
    const q = Math.min(left, taken.available(!buy, level));
    if (q <= 0) continue;
    taken.take(!buy, level.price, q);
    const price = at ?? level.price;
    const prev = out[out.length - 1];
    // Several levels at or through a resting order's price are one execution at that price.
    if (prev?.price === price) out[out.length - 1] = { price, quantity: prev.quantity + q };
    else out.push({ price, quantity: q });
    left -= q;
  }
  return out;
}

/**
 * Market protection as whole basis points: -1 or null is `autoBasisPoints`; a percentage in
 * (0, 100] is rounded to the nearest basis point (the one float of this module, at its edge).
 */
export function protectionBasisPoints(marketProtection: number | null, autoBasisPoints: number): number {
  if (marketProtection === null || marketProtection === -1) return autoBasisPoints;
  return Math.round(marketProtection * 100);
}

/**
 * The worst price a market order may take: `reference x (1 + bp/10000)` rounded down for a buy,
 * `reference x (1 - bp/10000)` rounded up for a sell (never past the protection). Exact for
 * `reference x 20000` below 2^53 (prices below 4.5e11 wire units).
 */
export function protectionPrice(side: Side, reference: number, basisPoints: number): number {
  if (side === 'BUY') return Math.floor((reference * (10_000 + basisPoints)) / 10_000);
  return Math.max(1, Math.ceil((reference * (10_000 - basisPoints)) / 10_000));
}

/** What the matcher remembers of the last quote an order saw, to tell new trades from old. */
export interface SeenTrades {
  readonly volume: number;
  readonly lastTradeTime: number;
  readonly lastPrice: number;
}

/** The fields of an order the fill rules read. */
export interface MatchableOrder {
  readonly side: Side;
  readonly orderType: OrderType;
  /** Only working orders are matched. */
  readonly status: 'OPEN' | 'TRIGGER PENDING';
  readonly validity: string;
  readonly quantity: number;
  readonly filledQuantity: number;
  /** The limit (LIMIT, SL), wire units. */
  readonly price: number;
  readonly triggerPrice: number;
  readonly marketProtection: number | null;
  /** The worst price a working MARKET (or triggered SL-M) order may take; null until known. */
  readonly protectionPrice: number | null;
  /** Quantity ahead of a resting limit order at its price; null while not known. */
  readonly queueAhead: number | null;
  /** The quote the order last saw; null after a restart (the first update sets it). */
  readonly seen: SeenTrades | null;
}

/** What happened to an order, in order. */
export type MatchEvent =
  /** A stop's trigger was hit: it is OPEN now; `protectionPrice` for an SL-M. */
  | { readonly type: 'triggered'; readonly protectionPrice: number | null }
  | { readonly type: 'filled'; readonly price: number; readonly quantity: number }
  /** An IOC's remainder. */
  | { readonly type: 'cancelled'; readonly reason: string };

/** The outcome of matching one order once. */
export interface MatchResult {
  readonly events: readonly MatchEvent[];
  readonly queueAhead: number | null;
  readonly protectionPrice: number | null;
  readonly seen: SeenTrades | null;
}

/** The market as one update (or an order's arrival) shows it. */
export interface MarketView {
  readonly quote: Quote | undefined;
  readonly book: Book;
}

/** Shared by the orders matched in one pass over an instrument. */
export interface MatchPass {
  readonly taken: TakenLiquidity;
  /**
   * Traded volume already given to earlier paper orders resting at a price in this pass, keyed
   * `${side}:${price}`: time priority among paper orders at one price.
   */
  readonly queueFills: Map<string, number>;
  /** What market protection -1 means, basis points. */
  readonly autoProtectionBasisPoints: number;
}

export const IOC_REMAINDER = 'IOC order cancelled: the unfilled quantity is not kept.';

/** Whether the last price has hit a stop's trigger (a buy at or above it, a sell at or below). */
export function triggerHit(side: Side, triggerPrice: number, lastPrice: number): boolean {
  if (lastPrice <= 0) return false;
  return side === 'BUY' ? lastPrice >= triggerPrice : lastPrice <= triggerPrice;
}

/**
 * Matches one working order against the market once. `arrival` is true when the order reaches the
 * book now (placed, modified in price, quantity up or type, or triggered inside this call):
 * a marketable part takes the book, the rest joins the queue at its price. Otherwise the resting
 * rules apply (trade-through, the book crossing its price, traded volume at its price eating the
 * queue). See README.md for the rules in words.
 */
export function matchOrder(
  order: MatchableOrder,
  view: MarketView,
  pass: MatchPass,
  arrival: boolean,
): MatchResult {
  const { quote, book } = view;
  const events: MatchEvent[] = [];
  const buy = order.side === 'BUY';
  let queueAhead = order.queueAhead;
  let protection = order.protectionPrice;
  let atBook = arrival;

  // New trades since the order last looked: the day's volume grew, or the last trade changed.
  let volumeDelta = 0;
  let newTrade = false;
  if (quote !== undefined && order.seen !== null) {
    volumeDelta = Math.max(0, quote.volume - order.seen.volume);
    newTrade =
      volumeDelta > 0 ||
      quote.lastTradeTime > order.seen.lastTradeTime ||
      quote.lastPrice !== order.seen.lastPrice;
  }
  const seen: SeenTrades | null =
    quote === undefined
      ? order.seen
      : { volume: quote.volume, lastTradeTime: quote.lastTradeTime, lastPrice: quote.lastPrice };
  const lastPrice = quote?.lastPrice ?? 0;
  const result = (): MatchResult => ({ events, queueAhead, protectionPrice: protection, seen });

  if (order.status === 'TRIGGER PENDING') {
    if (!triggerHit(order.side, order.triggerPrice, lastPrice)) return result();
    if (order.orderType === 'SL-M') {
      const bp = protectionBasisPoints(order.marketProtection, pass.autoProtectionBasisPoints);
      protection = protectionPrice(order.side, lastPrice, bp);
    }
    events.push({ type: 'triggered', protectionPrice: protection });
    atBook = true;
  }

  let left = order.quantity - order.filledQuantity;
  const fill = (executions: readonly Execution[]): void => {
    for (const e of executions) {
      events.push({ type: 'filled', price: e.price, quantity: e.quantity });
      left -= e.quantity;
    }
  };

  if (order.orderType === 'MARKET' || order.orderType === 'SL-M') {
    // Protection is fixed when the order reaches the book; without it nothing is taken.
    if (protection !== null) fill(takeBook(book, pass.taken, order.side, protection, left, null));
  } else {
    const limit = order.price;
    const own = buy ? book.bids : book.asks;
    if (atBook) {
      fill(takeBook(book, pass.taken, order.side, limit, left, null));
      if (left > 0) queueAhead = visibleAt(own, limit, buy);
    } else if (newTrade && lastPrice > 0 && (buy ? lastPrice < limit : lastPrice > limit)) {
      // A trade beyond the limit: every order at the limit was filled before it could happen.
      fill([{ price: limit, quantity: left }]);
    } else {
      // The book crossed the resting price: those sellers (buyers) would have hit this order.
      fill(takeBook(book, pass.taken, order.side, limit, left, limit));
      if (left > 0 && volumeDelta > 0 && lastPrice === limit && queueAhead !== null) {
        const key = `${order.side}:${limit}`;
        const used = pass.queueFills.get(key) ?? 0;
        const volume = Math.max(0, volumeDelta - used);
        const eaten = Math.min(queueAhead, volume);
        queueAhead -= eaten;
        const q = Math.min(left, volume - eaten);
        if (q > 0) {
          fill([{ price: limit, quantity: q }]);
          pass.queueFills.set(key, used + q);
        }
      }
      // Orders ahead that left the level (cancelled, or traded in a conflated update) leave the queue;
      // an order that joined where the level was not visible joins once it is.
      const visible = visibleAt(own, limit, buy);
      if (visible !== null && (queueAhead === null || visible < queueAhead)) queueAhead = visible;
    }
  }

  if (atBook && left > 0 && order.validity === 'IOC')
    events.push({ type: 'cancelled', reason: IOC_REMAINDER });
  return result();
}
