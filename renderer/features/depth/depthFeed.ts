import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { Depth, InstrumentInfo, Quote } from '../../../shared/services/market';
import { createFrameCoalescer, priceStyleOf } from '../market';
import type { MarketData } from '../market';
import { depthView } from './depthView';
import type { DepthView } from './depthView';
import { quoteDetails } from './quoteDetails';
import type { QuoteField } from './quoteDetails';

/**
 * The 5-level book of one instrument from `market.onDepth` into `paint`, at most once per animation
 * frame (the latest book wins), bypassing React.
 */
export function startDepthFeed(
  data: MarketData,
  instrument: InstrumentInfo,
  paint: (view: DepthView) => void,
): Disposable {
  const owned = new DisposableStore();
  const style = priceStyleOf(instrument);
  const token = instrument.instrumentToken;
  paint(depthView(undefined, style));
  const coalescer = owned.add(
    createFrameCoalescer<number, Depth>(data.frames, (batch) => {
      const latest = batch.get(token);
      if (latest !== undefined) paint(depthView(latest, style));
    }),
  );
  owned.add(
    data.market.onDepth(
      (d) => {
        if (d.instrumentToken === token) coalescer.push(token, d);
      },
      { instrumentToken: token },
    ),
  );
  return owned;
}

/**
 * The quote facts of one instrument (OHLC, average price, LTQ/LTT, book totals, OI) from
 * `market.onQuotes`, with a snapshot first so a quiet instrument shows its last values, painted at
 * most once per animation frame.
 */
export function startQuoteDetailsFeed(
  data: MarketData,
  instrument: InstrumentInfo,
  paint: (details: Record<QuoteField, string>) => void,
): Disposable {
  const owned = new DisposableStore();
  const token = instrument.instrumentToken;
  let latest: Quote | undefined;
  let disposed = false;
  paint(quoteDetails(instrument, undefined));
  const coalescer = owned.add(
    createFrameCoalescer<number, Quote>(data.frames, (batch) => {
      const q = batch.get(token);
      if (q !== undefined) paint(quoteDetails(instrument, q));
    }),
  );
  const receive = (q: Quote): void => {
    if (disposed || q.instrumentToken !== token) return;
    if (latest !== undefined && q.receivedAt < latest.receivedAt) return;
    latest = q;
    coalescer.push(token, q);
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
  owned.add({
    dispose: () => {
      disposed = true;
    },
  });
  snapshot();
  return owned;
}
