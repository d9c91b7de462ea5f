import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { InstrumentInfo, Quote } from '../../../shared/services/market';
import { createFrameCoalescer } from '../market';
import type { MarketData } from '../market';

/** The ticket's instrument's latest quote: read by the ticket when it prefills or steps a price. */
export interface TicketQuote extends Disposable {
  /** The instrument it follows. */
  readonly token: number;
  /** The last price in wire units, 0 before the first quote. */
  lastPrice(): number;
}

/**
 * Follows one instrument's quotes for the ticket (a snapshot first, then `market.onQuotes`): keeps
 * the latest, calls `onFirst` once when the first one comes (to prefill the price), and hands quotes
 * to `paint` at most once per animation frame. Ticks never enter React state.
 */
export function startTicketQuote(
  data: MarketData,
  instrument: InstrumentInfo,
  paint: (quote: Quote) => void,
  onFirst: () => void,
): TicketQuote {
  const owned = new DisposableStore();
  const token = instrument.instrumentToken;
  let latest: Quote | undefined;
  let disposed = false;
  const coalescer = owned.add(
    createFrameCoalescer<number, Quote>(data.frames, (batch) => {
      const q = batch.get(token);
      if (q !== undefined) paint(q);
    }),
  );
  const receive = (q: Quote): void => {
    if (disposed || q.instrumentToken !== token) return;
    if (latest !== undefined && q.receivedAt < latest.receivedAt) return;
    const first = latest === undefined || latest.lastPrice <= 0;
    latest = q;
    coalescer.push(token, q);
    if (first && q.lastPrice > 0) onFirst();
  };
  owned.add(data.market.onQuotes(receive, { instrumentTokens: [token] }));
  const snapshot = (): void => {
    if (!data.link.isConnected()) return;
    data.market.quotes({ instrumentTokens: [token] }).then(
      ({ quotes }) => {
        for (const q of quotes) receive(q);
      },
      () => undefined,
    );
  };
  owned.add(data.link.onConnected(snapshot));
  snapshot();
  owned.add({
    dispose: () => {
      disposed = true;
    },
  });
  return {
    token,
    lastPrice: () => latest?.lastPrice ?? 0,
    dispose: () => {
      owned.dispose();
    },
  };
}

/** The quote the ticket follows now (one instrument at a time), outside React. */
export interface TicketQuoteHolder {
  /** Follows `quote` until it is disposed or replaced. */
  hold(quote: TicketQuote): void;
  release(quote: TicketQuote): void;
  /** The last price of `token` in wire units, or 0 when the ticket does not follow it or it has not ticked. */
  lastPrice(token: number): number;
}

export function createTicketQuoteHolder(): TicketQuoteHolder {
  let held: TicketQuote | undefined;
  return {
    hold: (quote) => {
      held = quote;
    },
    release: (quote) => {
      if (held === quote) held = undefined;
    },
    lastPrice: (token) => (held?.token === token ? held.lastPrice() : 0),
  };
}
