import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { Depth, InstrumentInfo } from '../../../shared/services/market';
import { createFrameCoalescer, priceStyleOf } from '../market';
import type { MarketData } from '../market';
import { depthView } from './depthView';
import type { DepthView } from './depthView';

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
