/**
 * Smart order routing between NSE and BSE, wired: finds the share's other listing, keeps both books
 * streaming in full mode while the trader looks at a route, decides with `routeOrder` (routing.ts:
 * the walk through each visible depth plus that exchange's charges) and places the legs as ordinary
 * orders through the OMS (validation, risk, the journal), each on its own exchange.
 *
 * A share listed on one exchange only, or anything that is not cash equity, is routed to its own
 * exchange, and the decision says why. Books that have not ticked yet are waited for briefly (a
 * first look subscribes them); a book older than routing's limit (2 s) is not used.
 */
import type { Disposable } from '../../../shared/disposable';
import type { RouteDecision, RouteRequest } from '../../../shared/services/algos';
import type { Depth, FeedMode } from '../../../shared/services/market';
import type { OrderView } from '../../../shared/services/orders';
import type { Instrument } from '../market/instruments';
import { refusal } from '../oms/orderManager';
import type { PlaceRequest } from '../oms/orderManager';
import { routeOrder } from './routing';
import type { RouteExchange, VenueBook } from './routing';

export interface RouterOptions {
  readonly instrument: (instrumentToken: number) => Instrument | undefined;
  readonly bySymbol: (exchange: string, tradingSymbol: string) => Instrument | undefined;
  readonly depth: (instrumentToken: number) => Depth | undefined;
  readonly lastPrice: (instrumentToken: number) => number;
  /**
   * Until when the instrument's book is known current (its last tick, or a later frame on the
   * connection that carries it: Kite sends a packet whenever anything in it changes), 0: never.
   */
  readonly freshAt?: (instrumentToken: number) => number;
  /** Keeps instruments in the feed in `mode` until the returned function is called. */
  readonly retain: (tokens: readonly number[], mode: FeedMode) => () => void;
  readonly place: (p: PlaceRequest) => Promise<OrderView>;
  readonly now: () => number;
  /** How long a route's books stay subscribed after the last look, ms (default 60 s). */
  readonly keepMs?: number;
  /** How long a first look waits for books that have not ticked, ms (default 1.5 s). */
  readonly waitMs?: number;
}

const EQUITY = new Set(['EQ']);

export class Router implements Disposable {
  private readonly o: RouterOptions;
  private readonly kept = new Map<string, { release: () => void; until: number }>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(options: RouterOptions) {
    this.o = options;
    this.timer = setInterval(() => {
      this.expire();
    }, 5_000);
    this.timer.unref();
  }

  /** The listings of the share: NSE's first. */
  private listings(i: Instrument): Instrument[] {
    if (!EQUITY.has(i.instrumentType) || (i.exchange !== 'NSE' && i.exchange !== 'BSE')) return [i];
    const other = this.o.bySymbol(i.exchange === 'NSE' ? 'BSE' : 'NSE', i.tradingSymbol);
    const both = other === undefined ? [i] : [i, other];
    return both.sort((a, b) => (a.exchange === 'NSE' ? -1 : b.exchange === 'NSE' ? 1 : 0));
  }

  /** Where `r` would go now, and why. */
  async route(r: RouteRequest): Promise<RouteDecision> {
    const i = this.o.instrument(r.instrumentToken);
    if (i === undefined)
      throw refusal('UNKNOWN_INSTRUMENT', `No instrument with token ${r.instrumentToken}.`);
    if (r.orderType === 'LIMIT' && r.price === undefined)
      throw refusal('INVALID_ORDER', 'A limit order needs a price.');
    const listed = this.listings(i);
    const now = this.o.now();
    if (listed.length === 1) {
      return {
        legs: [
          {
            exchange: i.exchange === 'BSE' ? 'BSE' : 'NSE',
            instrumentToken: i.instrumentToken,
            tradingsymbol: i.tradingSymbol,
            quantity: r.quantity,
            expectedAveragePrice: r.price ?? this.o.lastPrice(i.instrumentToken),
            expectedCostPaise: 0,
            fromVisibleDepth: 0,
          },
        ],
        reason: EQUITY.has(i.instrumentType)
          ? `${i.exchange}: ${i.tradingSymbol} is not listed on ${i.exchange === 'NSE' ? 'BSE' : 'NSE'}.`
          : `${i.exchange}: only cash equity is routed between NSE and BSE.`,
        venues: [],
        fallback: true,
        listedOn: i.exchange === 'BSE' ? ['BSE'] : i.exchange === 'NSE' ? ['NSE'] : [],
        decidedAt: now,
      };
    }
    await this.books(listed);
    const books: { NSE?: VenueBook; BSE?: VenueBook } = {};
    for (const l of listed) {
      const d = this.o.depth(l.instrumentToken);
      if (d === undefined) continue;
      const exchange = l.exchange as RouteExchange;
      books[exchange] = {
        exchange,
        instrumentToken: l.instrumentToken,
        priceDivisor: l.priceDivisor,
        tickSize: l.tickSize,
        lotSize: l.lotSize,
        freezeQuantity: l.freezeQuantity,
        bids: d.bids,
        asks: d.asks,
        lastPrice: this.o.lastPrice(l.instrumentToken),
        // A quiet book is not a stale one: it is as current as the connection's last frame.
        updatedAt: Math.max(d.receivedAt, this.o.freshAt?.(l.instrumentToken) ?? 0),
      };
    }
    let decision;
    try {
      decision = routeOrder(
        {
          side: r.side,
          quantity: r.quantity,
          product: r.product === 'NRML' ? 'MIS' : r.product,
          instrumentType: i.instrumentType,
          ...(r.orderType === 'LIMIT' && r.price !== undefined ? { limitPrice: r.price } : {}),
          now,
        },
        books,
      );
    } catch (e) {
      throw refusal('INVALID_ORDER', e instanceof Error ? e.message : String(e));
    }
    const symbol = new Map(listed.map((l) => [l.instrumentToken, l.tradingSymbol]));
    return {
      legs: decision.legs.map((l) => ({
        exchange: l.exchange,
        instrumentToken: l.instrumentToken,
        tradingsymbol: symbol.get(l.instrumentToken) ?? i.tradingSymbol,
        quantity: l.quantity,
        expectedAveragePrice: l.expectedAveragePrice,
        expectedCostPaise: l.expectedCostPaise,
        fromVisibleDepth: l.fromVisibleDepth,
      })),
      reason: decision.reason,
      venues: decision.venues.map((v) => ({
        exchange: v.exchange,
        usable: v.usable,
        ...(v.whyNot === undefined ? {} : { whyNot: v.whyNot }),
        visibleQuantity: v.visibleQuantity,
        ...(v.costAllOnIt === undefined ? {} : { costAllOnIt: v.costAllOnIt }),
      })),
      fallback: decision.fallback,
      listedOn: listed.map((l) => (l.exchange === 'BSE' ? 'BSE' : 'NSE')),
      decidedAt: now,
    };
  }

  /**
   * Routes `r` on the books now and places its legs in order. The first leg's refusal is thrown
   * (nothing placed); a later leg's is returned, the earlier legs standing.
   */
  async placeRouted(r: RouteRequest): Promise<{
    decision: RouteDecision;
    orders: OrderView[];
    refused: { exchange: string; quantity: number; message: string }[];
  }> {
    const decision = await this.route(r);
    if (decision.legs.length === 0) throw refusal('INVALID_ORDER', decision.reason);
    const orders: OrderView[] = [];
    const refused: { exchange: string; quantity: number; message: string }[] = [];
    for (const leg of decision.legs) {
      const p: PlaceRequest = {
        instrumentToken: leg.instrumentToken,
        side: r.side,
        quantity: leg.quantity,
        orderType: r.orderType,
        product: r.product,
        variety: 'regular',
        validity: 'DAY',
        ...(r.price === undefined || r.orderType !== 'LIMIT' ? {} : { price: r.price }),
      };
      try {
        orders.push(await this.o.place(p));
      } catch (e) {
        if (orders.length === 0) throw e;
        refused.push({
          exchange: leg.exchange,
          quantity: leg.quantity,
          message: e instanceof Error ? e.message : String(e),
        });
      }
    }
    return { decision, orders, refused };
  }

  /** Keeps both listings in full mode, and waits briefly for a book that has not ticked. */
  private async books(listed: readonly Instrument[]): Promise<void> {
    const key = listed.map((l) => l.instrumentToken).join(',');
    const keepMs = this.o.keepMs ?? 60_000;
    const kept = this.kept.get(key);
    if (kept === undefined)
      this.kept.set(key, {
        release: this.o.retain(
          listed.map((l) => l.instrumentToken),
          'full',
        ),
        until: this.o.now() + keepMs,
      });
    else kept.until = this.o.now() + keepMs;
    const deadline = Date.now() + (this.o.waitMs ?? 1_500);
    while (listed.some((l) => this.o.depth(l.instrumentToken) === undefined) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private expire(): void {
    const now = this.o.now();
    for (const [key, k] of this.kept)
      if (k.until <= now) {
        k.release();
        this.kept.delete(key);
      }
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const k of this.kept.values()) k.release();
    this.kept.clear();
  }
}
