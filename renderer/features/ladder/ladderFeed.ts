import { DisposableStore, toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { Depth, InstrumentInfo, Quote } from '../../../shared/services/market';
import type { MarketData } from '../market';
import { roundToTick } from '../../../shared/domain/money';
import { createVolumeAtPrice } from '../../../shared/domain/volumeAtPrice';
import type { VolumeAtPrice } from '../../../shared/domain/volumeAtPrice';

/**
 * What the ladder knows of the market of one instrument, as the feed last told it. Written by the
 * feed on every message, read by the painter once a frame; never React state.
 */
export interface LadderMarket {
  /** Bid and ask sizes by price (wire units on the tick grid), from the latest 5-level book. */
  readonly bids: ReadonlyMap<number, number>;
  readonly asks: ReadonlyMap<number, number>;
  readonly bestBid: number;
  readonly bestAsk: number;
  /** The last traded price, wire units; 0 before the first quote. */
  readonly lastPrice: number;
  /** Which way the last trade moved the price: the LTP cell's colour. */
  readonly lastDirection: 'up' | 'down' | 'flat';
  readonly volume: VolumeAtPrice;
}

export interface LadderFeed extends Disposable {
  readonly market: LadderMarket;
}

/**
 * The book and quotes of one instrument for the ladder: `market.onDepth` (5 levels in full mode) and
 * `market.onQuotes` (last price, day volume for the volume at price), with a quote snapshot on each
 * connection so a quiet instrument shows its last price. Every message updates `market` at once
 * (the volume at price must see every rise of the day volume) and calls `changed`, which must only
 * schedule a paint (the ladder's controller coalesces them to one per animation frame).
 *
 * The volume at price starts from the engine's (`market.volumeProfile`, counted from every tick
 * since the engine put the instrument in its feed) on each connection, so a ladder opened at noon
 * shows the morning's. Quotes that arrive while that is asked are kept and added again on top of
 * the engine's answer when they were received after the engine's last counted tick (`updatedAt`,
 * the quotes' own clock); one received at or before it is in the engine's count already, even
 * when it arrives after the answer (the stream holds a quote up to 50 ms).
 */
export function startLadderFeed(
  data: MarketData,
  instrument: InstrumentInfo,
  changed: () => void,
): LadderFeed {
  const owned = new DisposableStore();
  const token = instrument.instrumentToken;
  const tick = instrument.tickSize > 0 ? instrument.tickSize : 1;
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  const market = {
    bids,
    asks,
    bestBid: 0,
    bestAsk: 0,
    lastPrice: 0,
    lastDirection: 'flat' as LadderMarket['lastDirection'],
    volume: createVolumeAtPrice(tick),
  };
  let lastReceived = -1;
  let disposed = false;
  /** Last price, day volume and receipt of each quote since the profile was asked, until it answers. */
  let backlog: number[] | undefined;
  /** The engine's count holds the quotes received until then. */
  let countedTo = -Infinity;

  const fill = (into: Map<number, number>, levels: Depth['bids']): number => {
    into.clear();
    let best = 0;
    for (const l of levels) {
      if (l.price <= 0 || l.quantity <= 0) continue;
      const price = roundToTick(l.price, tick);
      into.set(price, (into.get(price) ?? 0) + l.quantity);
      if (best === 0) best = price;
    }
    return best;
  };
  owned.add(
    data.market.onDepth(
      (d) => {
        if (disposed || d.instrumentToken !== token) return;
        market.bestBid = fill(bids, d.bids);
        market.bestAsk = fill(asks, d.asks);
        changed();
      },
      { instrumentToken: token },
    ),
  );

  const receive = (q: Quote): void => {
    if (disposed || q.instrumentToken !== token) return;
    // The snapshot may answer after a newer streamed quote: the older one changes nothing.
    if (q.receivedAt < lastReceived) return;
    lastReceived = q.receivedAt;
    if (q.lastPrice > 0 && q.lastPrice !== market.lastPrice) {
      market.lastDirection = market.lastPrice === 0 ? 'flat' : q.lastPrice > market.lastPrice ? 'up' : 'down';
      market.lastPrice = q.lastPrice;
    }
    if (q.receivedAt > countedTo) market.volume.add(q.lastPrice, q.volume, q.receivedAt);
    backlog?.push(q.lastPrice, q.volume, q.receivedAt);
    // Before the first book, the best bid and ask of the quote stand in for it.
    if (bids.size === 0 && q.bidPrice > 0) market.bestBid = roundToTick(q.bidPrice, tick);
    if (asks.size === 0 && q.askPrice > 0) market.bestAsk = roundToTick(q.askPrice, tick);
    changed();
  };
  owned.add(data.market.onQuotes(receive, { instrumentTokens: [token] }));
  const snapshot = (): void => {
    if (!data.link.isConnected()) return;
    data.market.quotes({ instrumentTokens: [token] }).then(
      ({ quotes }) => {
        for (const q of quotes) receive(q);
      },
      () => undefined, // the stream brings the next one
    );
  };
  const profile = (): void => {
    if (!data.link.isConnected()) return;
    const kept: number[] = [];
    backlog = kept;
    data.market.volumeProfile({ instrumentToken: token }).then(
      (p) => {
        if (disposed || backlog !== kept) return;
        backlog = undefined;
        // Nothing counted, or counted for less time than ours (an engine restarted since the
        // ladder opened): keep ours.
        const ours = market.volume.since;
        if (p.since === 0 || p.dayVolume < 0 || (ours > 0 && ours < p.since)) return;
        market.volume.replace(p.levels, p.dayVolume, p.since, p.updatedAt);
        countedTo = p.updatedAt;
        for (let k = 0; k < kept.length; k += 3) {
          const at = kept[k + 2] ?? 0;
          if (at > countedTo) market.volume.add(kept[k] ?? 0, kept[k + 1] ?? 0, at);
        }
        changed();
      },
      () => {
        if (backlog === kept) backlog = undefined; // an older engine: ours from the stream alone
      },
    );
  };
  owned.add(
    data.link.onConnected(() => {
      snapshot();
      profile();
    }),
  );
  owned.add(
    toDisposable(() => {
      disposed = true;
    }),
  );
  snapshot();
  profile();
  return {
    market,
    dispose: () => {
      owned.dispose();
    },
  };
}
