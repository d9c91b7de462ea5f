import './positions.css';
import { memo, useCallback } from 'react';
import { type GridColumn, GridPanel, emptyText } from '../grid/GridPanel';
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

const COLUMNS: readonly GridColumn[] = [
  { col: 'pos-col-symbol', head: 'Symbol' },
  { col: 'pos-col-product', head: 'Prod' },
  { col: 'pos-col-qty', head: 'Net qty', num: true },
  { col: 'pos-col-price', head: 'Avg', num: true },
  { col: 'pos-col-price', head: 'LTP', num: true },
  { col: 'pos-col-pnl', head: 'Realized', num: true },
  { col: 'pos-col-pnl', head: 'Unrealized', num: true },
  { col: 'pos-col-charges', head: 'Charges', num: true },
  { col: 'pos-col-pnl', head: 'Net P&L', num: true },
  { col: 'pos-col-actions', head: '', label: 'Exit' },
];

const EMPTY = {
  no: 'This engine does not keep positions yet (no portfolio service).',
  waiting: 'Waiting for the engine…',
  none: 'No positions today.',
};

/** Positions (net quantity, average, LTP, P&L, charges; exit at market) and the day's P&L. */
export function PositionsGrid() {
  const rows = usePositions(selectRows);
  const served = usePositions(selectServed);
  const open = usePositions(selectOpenCount);
  return (
    <GridPanel
      name="positions"
      title="Positions"
      tableClass="pos-table"
      columns={COLUMNS}
      head={
        <span className="pos-count num">
          {open} open · {rows.length}
        </span>
      }
      foot={<TotalsRow />}
      empty={rows.length === 0 ? emptyText(served, EMPTY) : undefined}
    >
      {rows.map((r) => (
        <PositionRowView key={r.key} row={r} />
      ))}
    </GridPanel>
  );
}
