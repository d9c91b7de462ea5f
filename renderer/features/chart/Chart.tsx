import './chart.css';
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { InstrumentInfo } from '../../../shared/services/market';
import { priceStyleOf, useMarketData } from '../market';
import { createCandleChart, readChartTheme } from './candleChart';
import type { CandleChart } from './candleChart';
import { CHART_INTERVALS } from './chartData';
import { startChartFeed } from './chartFeed';
import type { ChartLoad } from './chartFeed';
import { createChartStore } from './chartStore';
import type { ChartState } from './chartStore';

const selectInterval = (s: ChartState) => s.interval;

function storageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function loadNote(load: ChartLoad | undefined): string {
  if (load === undefined) return '';
  switch (load.state) {
    case 'loading':
      return 'Loading history…';
    case 'ready':
      return load.candles === 0 ? 'No history' : '';
    case 'failed':
      return `History: ${load.message}`;
  }
}

export interface ChartProps {
  /** The instrument to chart (the watchlist's selection); none shows an empty chart. */
  readonly instrument: InstrumentInfo | undefined;
}

/** Candles and volume of one instrument, backfilled from history and then live. */
export function Chart({ instrument }: ChartProps) {
  const data = useMarketData();
  const [store] = useState(() => createChartStore(storageOrUndefined()));
  const interval = useStore(store, selectInterval);
  const containerRef = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<CandleChart | undefined>(undefined);
  const [load, setLoad] = useState<ChartLoad | undefined>(undefined);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return;
    const created = createCandleChart(container, readChartTheme(document.documentElement));
    setChart(created);
    return () => {
      created.dispose();
      setChart(undefined);
    };
  }, []);

  const token = instrument?.instrumentToken;
  useEffect(() => {
    const container = containerRef.current;
    if (chart === undefined || container === null || instrument === undefined) return;
    chart.clear();
    chart.setPriceStyle(priceStyleOf(instrument), instrument.tickSize);
    chart.setIntraday(interval !== '1d');
    // Test hooks for what the canvas shows, written outside React like the bars themselves.
    let liveBars = 0;
    container.dataset['liveBars'] = '0';
    container.dataset['candles'] = '0';
    const feed = startChartFeed({
      data,
      instrument,
      interval,
      sink: chart,
      onLoad: (l) => {
        if (l.state === 'ready') container.dataset['candles'] = String(l.candles);
        setLoad(l);
      },
      onLiveBars: (count, last) => {
        liveBars += count;
        container.dataset['liveBars'] = String(liveBars);
        container.dataset['lastBarTime'] = String(last.time);
      },
    });
    return () => {
      feed.dispose();
    };
    // The instrument is identified by its token; a new object for the same token changes nothing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chart, token, interval, data]);

  const note = instrument === undefined ? 'Select an instrument' : loadNote(load);
  return (
    <section className="panel chart-panel" data-testid="chart" aria-labelledby="chart-title">
      <header className="panel__head chart-head">
        <h2 className="panel__title chart-title" id="chart-title">
          Chart
        </h2>
        <span className="chart-symbol" data-testid="chart-symbol">
          {instrument === undefined ? '' : `${instrument.exchange}:${instrument.tradingsymbol}`}
        </span>
        <span className="chart-note" data-testid="chart-note" data-state={load?.state ?? 'none'}>
          {note}
        </span>
        <div className="chart-intervals" role="radiogroup" aria-label="Interval">
          {CHART_INTERVALS.map((i) => (
            <button
              key={i}
              type="button"
              role="radio"
              className="chart-interval"
              aria-checked={i === interval}
              data-testid={`chart-interval-${i}`}
              onClick={() => {
                store.getState().setInterval(i);
              }}
            >
              {i}
            </button>
          ))}
        </div>
      </header>
      <div className="chart-body" ref={containerRef} data-testid="chart-canvas" />
      <footer className="chart-credit">
        Times IST · Charts by{' '}
        <a href="https://www.tradingview.com/" target="_blank" rel="noreferrer">
          TradingView Lightweight Charts™
        </a>
      </footer>
    </section>
  );
}
