import { DisposableStore, toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { realTimers } from '../../../shared/rpc/timers';
import type { Timers } from '../../../shared/rpc/timers';
import type { BarUpdate, Candle, InstrumentInfo } from '../../../shared/services/market';
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
 * The chart draws live bars at most this often. The engine sends the forming bar every 50 ms while
 * the instrument trades; a chart redraw (every series over every visible bar, on canvas) was the
 * page's costliest script under bench:ui's load, while the watchlist, ladder and depth, which show
 * every tick's price, still draw each frame. The first bar after a quiet spell draws at once.
 */
export const CHART_DRAW_MS = 200;

/**
 * One instrument and interval on the chart: history from `market.history` (again on every
 * connection, so a gap while the link was down is filled), then live bars from `market.onBars`
 * through `series.update()`, coalesced to one draw per animation frame and at most one per
 * CHART_DRAW_MS. Bars that arrive before the
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

  // The latest of each bar since the last draw, drawn on a frame at most every CHART_DRAW_MS.
  const pending = new Map<number, Candle>();
  let frame: number | undefined;
  let timer: unknown;
  let lastDraw = Number.NEGATIVE_INFINITY;
  const run = (): void => {
    frame = undefined;
    if (disposed || pending.size === 0) return;
    lastDraw = timers.now();
    const batch = [...pending.values()];
    pending.clear();
    if (!loaded) {
      for (const c of batch) held.set(c.time, c);
      return;
    }
    draw(batch);
  };
  const schedule = (): void => {
    if (frame !== undefined || timer !== undefined || disposed) return;
    const wait = lastDraw + CHART_DRAW_MS - timers.now();
    if (wait <= 0) {
      frame = frames.requestAnimationFrame(run);
      return;
    }
    timer = timers.setTimeout(() => {
      timer = undefined;
      if (!disposed) frame = frames.requestAnimationFrame(run);
    }, wait);
  };

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
        pending.set(bar.time, candleOf(bar));
        schedule();
      },
      { instrumentToken: token, interval },
    ),
  );
  owned.add(link.onConnected(load));
  owned.add(
    toDisposable(() => {
      disposed = true;
      if (frame !== undefined) frames.cancelAnimationFrame(frame);
      if (timer !== undefined) timers.clearTimeout(timer);
      pending.clear();
    }),
  );
  load();
  return owned;
}
