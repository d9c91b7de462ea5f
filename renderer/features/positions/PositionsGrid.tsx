import './positions.css';
import { memo, useCallback } from 'react';
import { useOrderActions } from '../orders';
import { usePositions, usePositionsFeed } from './positionsContext';
import type { PnlCells, PositionCells } from './positionsFeed';
import type { PositionRow, PositionsState } from './positionsStore';

const selectRows = (s: PositionsState) => s.rows;
const selectServed = (s: PositionsState) => s.served;
const selectOpenCount = (s: PositionsState) => s.rows.filter((r) => r.open).length;

function cellsOf(row: HTMLTableRowElement): PositionCells | undefined {
  const get = (f: string) => row.querySelector<HTMLElement>(`[data-field="${f}"]`) ?? undefined;
  const quantity = get('quantity');
  const average = get('average');
  const lastPrice = get('ltp');
  const realized = get('realized');
  const unrealized = get('unrealized');
  const charges = get('charges');
  const net = get('net');
  if (!quantity || !average || !lastPrice || !realized || !unrealized || !charges || !net) return undefined;
  return { row, quantity, average, lastPrice, realized, unrealized, charges, net };
}

function totalsOf(row: HTMLTableRowElement): PnlCells | undefined {
  const get = (f: string) => row.querySelector<HTMLElement>(`[data-field="${f}"]`) ?? undefined;
  const realized = get('realized');
  const unrealized = get('unrealized');
  const charges = get('charges');
  const net = get('net');
  if (!realized || !unrealized || !charges || !net) return undefined;
  return { realized, unrealized, charges, net };
}

/** One position. React owns the row and its exit button; the feed owns the numbers in it. */
const PositionRowView = memo(function PositionRowView({ row }: { readonly row: PositionRow }) {
  const feed = usePositionsFeed();
  const actions = useOrderActions();
  const rowRef = useCallback(
    (tr: HTMLTableRowElement | null) => {
      if (tr === null) return undefined;
      const cells = cellsOf(tr);
      if (cells === undefined) return undefined;
      const registration = feed.register(row.key, cells);
      return () => {
        registration.dispose();
      };
    },
    [feed, row.key],
  );
  const label = `${row.tradingsymbol} ${row.product}`;
  return (
    <tr
      ref={rowRef}
      className="pos-row"
      data-testid="position-row"
      data-key={row.key}
      data-symbol={row.tradingsymbol}
      data-product={row.product}
      data-open={row.open}
    >
      <td className="pos-symbol" title={`${row.exchange}:${row.tradingsymbol}`}>
        {row.tradingsymbol}
        <span className="pos-exchange">{row.exchange}</span>
      </td>
      <td className="pos-product">{row.product}</td>
      <td className="num pos-qty" data-field="quantity" />
      <td className="num" data-field="average" />
      <td className="num pos-ltp" data-field="ltp" />
      <td className="num pos-pnl" data-field="realized" />
      <td className="num pos-pnl" data-field="unrealized" />
      <td className="num pos-charges" data-field="charges" />
      <td className="num pos-pnl pos-net" data-field="net" />
      <td className="pos-actions">
        <button
          type="button"
          className="btn pos-exit"
          data-testid="position-exit"
          disabled={!row.open}
          title={row.open ? `Exit ${label} at market (working orders on it are cancelled first)` : 'Flat'}
          onClick={() => {
            void actions.exit(row.instrumentToken, row.product, label);
          }}
        >
          Exit
        </button>
      </td>
    </tr>
  );
});

/** The totals row: the day's P&L across positions, from `portfolio.onPnl`. */
function TotalsRow() {
  const feed = usePositionsFeed();
  const rowRef = useCallback(
    (tr: HTMLTableRowElement | null) => {
      if (tr === null) return undefined;
      const cells = totalsOf(tr);
      if (cells === undefined) return undefined;
      const registration = feed.registerTotals(cells);
      return () => {
        registration.dispose();
      };
    },
    [feed],
  );
  return (
    <tr ref={rowRef} className="pos-totals" data-testid="positions-totals">
      <td colSpan={5} className="pos-totals__label">
        Day P&amp;L
      </td>
      <td className="num pos-pnl" data-field="realized" />
      <td className="num pos-pnl" data-field="unrealized" />
      <td className="num pos-charges" data-field="charges" />
      <td className="num pos-pnl pos-net" data-field="net" data-testid="day-pnl" />
      <td />
    </tr>
  );
}

function emptyText(served: PositionsState['served']): string {
  if (served === 'no') return 'This engine does not keep positions yet (no portfolio service).';
  if (served === 'unknown') return 'Waiting for the engine…';
  return 'No positions today.';
}

/** Positions (net quantity, average, LTP, P&L, charges; exit at market) and the day's P&L. */
export function PositionsGrid() {
  const rows = usePositions(selectRows);
  const served = usePositions(selectServed);
  const open = usePositions(selectOpenCount);
  return (
    <section className="panel positions" data-testid="positions" aria-labelledby="positions-title">
      <header className="panel__head">
        <h2 className="panel__title" id="positions-title">
          Positions
        </h2>
        <span className="pos-count num">
          {open} open · {rows.length}
        </span>
      </header>
      <div className="grid-body">
        <table className="grid-table pos-table">
          <colgroup>
            <col className="pos-col-symbol" />
            <col className="pos-col-product" />
            <col className="pos-col-qty" />
            <col className="pos-col-price" />
            <col className="pos-col-price" />
            <col className="pos-col-pnl" />
            <col className="pos-col-pnl" />
            <col className="pos-col-charges" />
            <col className="pos-col-pnl" />
            <col className="pos-col-actions" />
          </colgroup>
          <thead>
            <tr>
              <th>Symbol</th>
              <th>Prod</th>
              <th className="num">Net qty</th>
              <th className="num">Avg</th>
              <th className="num">LTP</th>
              <th className="num">Realized</th>
              <th className="num">Unrealized</th>
              <th className="num">Charges</th>
              <th className="num">Net P&amp;L</th>
              <th aria-label="Exit" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <PositionRowView key={r.key} row={r} />
            ))}
          </tbody>
          <tfoot>
            <TotalsRow />
          </tfoot>
        </table>
        {rows.length === 0 ? <p className="grid-empty">{emptyText(served)}</p> : null}
      </div>
    </section>
  );
}
