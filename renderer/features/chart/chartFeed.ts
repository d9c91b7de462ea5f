import { DisposableStore, toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { realTimers } from '../../../shared/rpc/timers';
import type { Timers } from '../../../shared/rpc/timers';
import type { BarUpdate, Candle, InstrumentInfo } from '../../../shared/services/market';
import { createFrameCoalescer } from '../market';
import type { MarketData } from '../market';
import { historyRange, normalizeCandles } from './chartData';
import type { ChartInterval } from './chartData';

/** Where the feed draws: the chart wrapper (a fake in tests). */
export interface CandleSink {
  /** Replaces every bar (history). */
  setCandles(candles: readonly Candle[]): void;
  /** The forming bar or one that just closed; never older than the last bar. */
  updateBar(candle: Candle): void;
}

/** How the history load went, for the panel's note. */
export type ChartLoad =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly candles: number }
  | { readonly state: 'failed'; readonly message: string };

export interface ChartFeedOptions {
  readonly data: MarketData;
  readonly instrument: InstrumentInfo;
  readonly interval: ChartInterval;
  readonly sink: CandleSink;
  readonly onLoad?: (load: ChartLoad) => void;
  /** Called after each frame that drew live bars (the panel counts them for its data attributes). */
  readonly onLiveBars?: (count: number, last: Candle) => void;
  readonly timers?: Timers;
}

function candleOf(bar: BarUpdate): Candle {
  return {
    time: bar.time,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    oi: bar.oi,
  };
}

/**
 * One instrument and interval on the chart: history from `market.history` (again on every
 * connection, so a gap while the link was down is filled), then live bars from `market.onBars`
 * through `series.update()`, coalesced to one draw per animation frame. Bars that arrive before the
 * history are held and drawn after it; a bar older than the last drawn is dropped (the chart
 * cannot go back in time).
 */
export function startChartFeed(options: ChartFeedOptions): Disposable {
  const { data, instrument, interval, sink } = options;
  const { market, link, frames } = data;
  const timers = options.timers ?? realTimers;
  const token = instrument.instrumentToken;
  const owned = new DisposableStore();
  let loaded = false;
  let lastTime = Number.NEGATIVE_INFINITY;
  let request = 0;
  let disposed = false;
  const held = new Map<number, Candle>();

  const draw = (candles: Iterable<Candle>): void => {
    const sorted = [...candles].sort((a, b) => a.time - b.time);
    let drawn = 0;
    let last: Candle | undefined;
    for (const c of sorted) {
      if (c.time < lastTime) continue;
      sink.updateBar(c);
      lastTime = c.time;
      last = c;
      drawn++;
    }
    if (last !== undefined) options.onLiveBars?.(drawn, last);
  };

  const coalescer = owned.add(
    createFrameCoalescer<number, Candle>(frames, (batch) => {
      if (!loaded) {
        for (const [time, c] of batch) held.set(time, c);
        return;
      }
      draw(batch.values());
    }),
  );

  const load = (): void => {
    if (!link.isConnected() || disposed) return;
    const mine = ++request;
    options.onLoad?.({ state: 'loading' });
    market.history({ instrumentToken: token, interval, ...historyRange(interval, timers.now()) }).then(
      ({ candles }) => {
        if (disposed || mine !== request) return;
        const sorted = normalizeCandles(candles);
        sink.setCandles(sorted);
        lastTime = sorted.at(-1)?.time ?? Number.NEGATIVE_INFINITY;
        loaded = true;
        options.onLoad?.({ state: 'ready', candles: sorted.length });
        if (held.size > 0) {
          const waiting = [...held.values()];
          held.clear();
          draw(waiting);
        }
      },
      (e: unknown) => {
        if (disposed || mine !== request) return;
        options.onLoad?.({ state: 'failed', message: e instanceof Error ? e.message : String(e) });
      },
    );
  };

  owned.add(
    market.onBars(
      (bar) => {
        if (bar.instrumentToken !== token || bar.interval !== interval) return;
        coalescer.push(bar.time, candleOf(bar));
      },
      { instrumentToken: token, interval },
    ),
  );
  owned.add(link.onConnected(load));
  owned.add(
    toDisposable(() => {
      disposed = true;
    }),
  );
  load();
  return owned;
}
