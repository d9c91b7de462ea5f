import './pnl.css';
import { useCallback, useEffect, useRef } from 'react';
import { formatIstTime } from '../../../shared/time/ist';
import { useTheme } from '../layout';
import { usePositionsFeed } from '../positions';
import type { PnlCells } from '../positions';
import { createEquityChart, readEquityTheme } from './equityChart';
import { usePnlCurve } from './pnlContext';

function cellsOf(root: HTMLElement): PnlCells | undefined {
  const get = (f: string) => root.querySelector<HTMLElement>(`[data-field="${f}"]`) ?? undefined;
  const realized = get('realized');
  const unrealized = get('unrealized');
  const charges = get('charges');
  const net = get('net');
  if (!realized || !unrealized || !charges || !net) return undefined;
  return { realized, unrealized, charges, net };
}

/**
 * The day's P&L: realized, unrealized, charges and net (from `portfolio.onPnl`, painted by the
 * positions feed once a frame), and the intraday equity curve since the window opened.
 */
export function PnlPanel() {
  const feed = usePositionsFeed();
  const curve = usePnlCurve();
  const theme = useTheme();
  const chartRef = useRef<HTMLDivElement>(null);
  const sinceRef = useRef<HTMLSpanElement>(null);

  const numbersRef = useCallback(
    (el: HTMLDListElement | null) => {
      if (el === null) return undefined;
      const cells = cellsOf(el);
      if (cells === undefined) return undefined;
      const registration = feed.registerTotals(cells);
      return () => {
        registration.dispose();
      };
    },
    [feed],
  );

  // The chart is made again when the theme changes: it takes its colours when it is created.
  useEffect(() => {
    const container = chartRef.current;
    if (container === null) return;
    const chart = createEquityChart(container, readEquityTheme(document.documentElement));
    const attached = curve.attach({
      setPoints: (points) => {
        chart.setPoints(points);
        container.dataset['points'] = String(points.length);
      },
      update: (point) => {
        chart.update(point);
        container.dataset['points'] = String(curve.points().length);
        const since = sinceRef.current;
        if (since !== null && since.textContent === '') since.textContent = sinceText(curve.since());
      },
    });
    const since = sinceRef.current;
    if (since !== null) since.textContent = sinceText(curve.since());
    return () => {
      attached.dispose();
      chart.dispose();
    };
  }, [curve, theme]);

  return (
    <section className="panel pnl" data-testid="pnl" aria-labelledby="pnl-title">
      <header className="panel__head">
        <h2 className="panel__title" id="pnl-title">
          P&amp;L
        </h2>
        <span className="pnl-since num" ref={sinceRef} data-testid="pnl-since" />
      </header>
      <dl className="pnl-numbers" ref={numbersRef}>
        <div className="pnl-number">
          <dt>Realized</dt>
          <dd className="num pnl-value" data-field="realized" data-testid="pnl-realized" />
        </div>
        <div className="pnl-number">
          <dt>Unrealized</dt>
          <dd className="num pnl-value" data-field="unrealized" data-testid="pnl-unrealized" />
        </div>
        <div className="pnl-number">
          <dt>Charges</dt>
          <dd className="num pnl-charges" data-field="charges" data-testid="pnl-charges" />
        </div>
        <div className="pnl-number pnl-number--net">
          <dt>Net</dt>
          <dd className="num pnl-value" data-field="net" data-testid="pnl-net" />
        </div>
      </dl>
      <div className="pnl-curve" ref={chartRef} data-testid="pnl-curve" aria-label="Net P&L today" />
      <footer className="pnl-credit">
        Since the window opened · Charts by{' '}
        <a href="https://www.tradingview.com/" target="_blank" rel="noreferrer">
          TradingView
        </a>
      </footer>
    </section>
  );
}

function sinceText(since: number): string {
  return since === 0 ? '' : `since ${formatIstTime(since).slice(0, 5)} IST`;
}
