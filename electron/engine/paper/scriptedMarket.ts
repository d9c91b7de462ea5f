/**
 * A `PaperMarket` driven by hand, for tests and tools: `set` replaces an instrument's quote and
 * depth (fields not given keep their values) and calls its listeners synchronously.
 */
import type { Disposable } from '../../../shared/disposable';
import type { Depth, DepthLevel, Quote } from '../../../shared/services/market';
import type { PaperMarket } from './paperMarket';

/** A price level as a script writes it: `[price, quantity]`. */
export type ScriptLevel = readonly [price: number, quantity: number];

/** One market update of an instrument. */
export interface ScriptUpdate {
  readonly lastPrice?: number;
  readonly lastQuantity?: number;
  /** The day's cumulative traded volume. */
  readonly volume?: number;
  /** Best first. The quote's best bid/ask follow the first level. */
  readonly bids?: readonly ScriptLevel[];
  readonly asks?: readonly ScriptLevel[];
  /** Epoch ms; also the last trade time when `lastPrice` or `volume` is given. */
  readonly time?: number;
}

const levels = (ls: readonly ScriptLevel[]): DepthLevel[] =>
  ls.map(([price, quantity]) => ({ price, quantity, orders: quantity > 0 ? 1 : 0 }));

function emptyQuote(instrumentToken: number): Quote {
  return {
    instrumentToken,
    lastPrice: 0,
    lastQuantity: 0,
    averagePrice: 0,
    volume: 0,
    open: 0,
    high: 0,
    low: 0,
    close: 0,
    bidPrice: 0,
    bidQuantity: 0,
    askPrice: 0,
    askQuantity: 0,
    totalBuyQuantity: 0,
    totalSellQuantity: 0,
    oi: 0,
    lastTradeTime: 0,
    exchangeTime: 0,
    receivedAt: 0,
  };
}

/** A scripted market. */
export class ScriptedMarket implements PaperMarket {
  private readonly quotes = new Map<number, Quote>();
  private readonly depths = new Map<number, Depth>();
  private readonly listeners = new Map<number, Set<() => void>>();

  quote(instrumentToken: number): Quote | undefined {
    return this.quotes.get(instrumentToken);
  }

  depth(instrumentToken: number): Depth | undefined {
    return this.depths.get(instrumentToken);
  }

  onUpdate(instrumentToken: number, listener: () => void): Disposable {
    let set = this.listeners.get(instrumentToken);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(instrumentToken, set);
    }
    const s = set;
    s.add(listener);
    return {
      dispose: () => {
        s.delete(listener);
      },
    };
  }

  /** How many listeners an instrument has (the broker subscribes only while it has working orders). */
  listenerCount(instrumentToken: number): number {
    return this.listeners.get(instrumentToken)?.size ?? 0;
  }

  /** Sets the instrument's market without calling listeners. */
  prime(instrumentToken: number, u: ScriptUpdate): void {
    const q = this.quotes.get(instrumentToken) ?? emptyQuote(instrumentToken);
    const d = this.depths.get(instrumentToken) ?? {
      instrumentToken,
      bids: [],
      asks: [],
      exchangeTime: 0,
      receivedAt: 0,
    };
    const time = u.time ?? q.exchangeTime;
    const bids = u.bids === undefined ? d.bids : levels(u.bids);
    const asks = u.asks === undefined ? d.asks : levels(u.asks);
    const traded = u.lastPrice !== undefined || u.volume !== undefined;
    this.quotes.set(instrumentToken, {
      ...q,
      lastPrice: u.lastPrice ?? q.lastPrice,
      lastQuantity: u.lastQuantity ?? q.lastQuantity,
      volume: u.volume ?? q.volume,
      bidPrice: bids[0]?.price ?? 0,
      bidQuantity: bids[0]?.quantity ?? 0,
      askPrice: asks[0]?.price ?? 0,
      askQuantity: asks[0]?.quantity ?? 0,
      totalBuyQuantity: bids.reduce((s, l) => s + l.quantity, 0),
      totalSellQuantity: asks.reduce((s, l) => s + l.quantity, 0),
      lastTradeTime: traded ? time : q.lastTradeTime,
      exchangeTime: time,
      receivedAt: time,
    });
    this.depths.set(instrumentToken, { instrumentToken, bids, asks, exchangeTime: time, receivedAt: time });
  }

  /** Sets the instrument's market and calls its listeners. */
  set(instrumentToken: number, u: ScriptUpdate): void {
    this.prime(instrumentToken, u);
    for (const l of [...(this.listeners.get(instrumentToken) ?? [])]) l();
  }

  /** Forgets an instrument's depth (as a feed in `quote` mode would have none). */
  dropDepth(instrumentToken: number): void {
    this.depths.delete(instrumentToken);
  }
}
