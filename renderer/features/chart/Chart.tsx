import './chart.css';
import { useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { InstrumentInfo } from '../../../shared/services/market';
import { dragIntent } from '../ladder';
import { formatPriceUnits, priceStyleOf, useMarketData } from '../market';
import type { PriceStyle } from '../market';
import { AlgosContext, selectAlgo } from '../algos';
import type { AlgosHandle } from '../algos';
import { OrdersContext } from '../orders';
import type { OrdersHandle } from '../orders';
import { PositionsContext } from '../positions';
import type { PositionsFeed } from '../positions';
import { createCandleChart, readChartTheme } from './candleChart';
import type { CandleChart } from './candleChart';
import { CHART_INTERVALS } from './chartData';
import { startChartFeed } from './chartFeed';
import type { ChartLoad } from './chartFeed';
import { INDICATORS, INDICATOR_IDS } from './chartIndicators';
import { bracketMove, orderLines, positionLines } from './chartLines';
import type { ChartLine, PositionLike } from './chartLines';
import { createChartStore } from './chartStore';
import type { ChartState } from './chartStore';

const selectInterval = (s: ChartState) => s.interval;
const selectIndicators = (s: ChartState) => s.indicators;

/** How often the position lines re-read the positions (a fill changes a position's quantity and average without a new row). */
const POSITION_POLL_MS = 1_000;

/**
 * Keeps the chart's order and position lines on the window's orders and positions: on every change of
 * the orders store or the positions rows, and each second for a position's average. Also writes the
 * lines into `list` as text (a hidden list: what the canvas shows, for screen readers and tests).
 */
function startChartLines(
  chart: CandleChart,
  list: HTMLElement,
  instrument: InstrumentInfo,
  style: PriceStyle,
  orders: OrdersHandle | null,
  positions: PositionsFeed | null,
  algos: AlgosHandle | null,
): () => void {
  const token = instrument.instrumentToken;
  let shown = '';
  const parentOf = (algoId: string) =>
    algos === null ? undefined : selectAlgo(algos.store.getState(), algoId);
  const refresh = (): void => {
    const fromOrders =
      orders === null ? [] : orderLines(orders.store.getState().rows, token, style, parentOf);
    const open: PositionLike[] = [];
    if (positions !== null) {
      for (const r of positions.store.getState().rows) {
        if (r.instrumentToken !== token) continue;
        const p = positions.latest(r.key);
        if (p !== undefined) open.push(p);
      }
    }
    const lines: ChartLine[] = [...fromOrders, ...positionLines(open, token, style)];
    const key = lines.map((l) => `${l.id}|${l.price}|${l.label}|${l.draggable}`).join(';');
    if (key === shown) return;
    shown = key;
    chart.setLines(lines);
    list.replaceChildren(
      ...lines.map((l) => {
        const li = document.createElement('li');
        li.setAttribute('data-testid', 'chart-line');
        li.dataset['kind'] = l.kind;
        li.dataset['tone'] = l.tone;
        li.dataset['price'] = String(l.price);
        li.dataset['priceText'] = formatPriceUnits(l.price, style);
        if (l.clientOrderId !== undefined) li.dataset['clientOrderId'] = l.clientOrderId;
        if (l.bracket !== undefined) li.dataset['bracket'] = l.bracket.role;
        li.textContent = l.label;
        return li;
      }),
    );
  };
  refresh();
  const unsubscribeOrders = orders?.store.subscribe(refresh);
  const unsubscribePositions = positions?.store.subscribe(refresh);
  // A bracket's end (or start) changes how its orders' lines read.
  const unsubscribeAlgos = algos?.store.subscribe(refresh);
  const timer = positions === null ? undefined : window.setInterval(refresh, POSITION_POLL_MS);
  return () => {
    unsubscribeOrders?.();
    unsubscribePositions?.();
    unsubscribeAlgos?.();
    if (timer !== undefined) window.clearInterval(timer);
    chart.setLines([]);
    list.replaceChildren();
  };
}

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
  const indicators = useStore(store, selectIndicators);
  const orders = useContext(OrdersContext);
  const positions = useContext(PositionsContext);
  const algos = useContext(AlgosContext);
  const containerRef = useRef<HTMLDivElement>(null);
  const linesRef = useRef<HTMLUListElement>(null);
  const [dragNote, setDragNote] = useState('');
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

  useEffect(() => {
    chart?.setIndicators(new Set(indicators));
  }, [chart, indicators]);

  // The trader's orders and positions as lines; an order's line dragged to a new price modifies it.
  useEffect(() => {
    const list = linesRef.current;
    if (chart === undefined || list === null || instrument === undefined) return;
    const style = priceStyleOf(instrument);
    const stop = startChartLines(chart, list, instrument, style, orders, positions, algos);
    chart.setLineDrag(
      orders === null
        ? undefined
        : {
            tick: instrument.tickSize,
            onDrop: (line, price) => {
              const order = orders.store.getState().rows.find((o) => o.clientOrderId === line.clientOrderId);
              if (order === undefined) return;
              if (line.bracket !== undefined && algos !== null) {
                // A bracket's order moves as the bracket (an order modify the bracket would undo).
                if (price === line.price) return;
                const b = line.bracket;
                setDragNote(`Moving bracket ${b.algoId} ${b.role} to ${formatPriceUnits(price, style)}…`);
                void algos.actions.modify(bracketMove(b, price)).then((outcome) => {
                  setDragNote(outcome.ok ? '' : `Move ${b.algoId}: ${outcome.refusal.message}`);
                });
                return;
              }
              // The exchange checks a stop's side against the market; the chart does not know it.
              const intent = dragIntent(order, price, 0);
              if (intent === undefined) return;
              if (!intent.ok) {
                setDragNote(intent.message);
                return;
              }
              setDragNote(`Moving ${order.clientOrderId} to ${formatPriceUnits(price, style)}…`);
              void orders.actions.modify(intent.clientOrderId, intent.change).then((outcome) => {
                setDragNote(outcome.ok ? '' : `Move ${order.clientOrderId}: ${outcome.refusal.message}`);
              });
            },
          },
    );
    return () => {
      chart.setLineDrag(undefined);
      stop();
    };
    // The instrument is identified by its token.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chart, token, orders, positions, algos]);

  const note =
    instrument === undefined ? 'Select an instrument' : dragNote !== '' ? dragNote : loadNote(load);
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
        <div className="chart-intervals" role="group" aria-label="Indicators">
          {INDICATOR_IDS.map((id) => (
            <button
              key={id}
              type="button"
              className="chart-interval chart-indicator"
              aria-pressed={indicators.includes(id)}
              data-testid={`chart-indicator-${id}`}
              title={INDICATORS[id].label}
              onClick={() => {
                store.getState().toggleIndicator(id);
              }}
            >
              {INDICATORS[id].label.split(' ')[0]}
            </button>
          ))}
        </div>
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
      <ul
        className="chart-lines"
        ref={linesRef}
        data-testid="chart-lines"
        aria-label="Orders and positions on the chart"
      />
      <footer className="chart-credit">
        Times IST · Charts by{' '}
        <a href="https://www.tradingview.com/" target="_blank" rel="noreferrer">
          TradingView Lightweight Charts™
        </a>
      </footer>
    </section>
  );
}
