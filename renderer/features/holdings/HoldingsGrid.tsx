import './holdings.css';
import { formatIstTime } from '../../../shared/time/ist';
import { type GridColumn, GridPanel, emptyText } from '../grid/GridPanel';
import { directionOf, formatPnl, formatRupees } from '../market';
import { useHoldings, useHoldingsHandle } from './holdingsContext';
import type { HoldingsState } from './holdingsStore';
import { holdingRowText, holdingTotals } from './holdingView';

const selectHoldings = (s: HoldingsState) => s.holdings;
const selectServed = (s: HoldingsState) => s.served;
const selectAt = (s: HoldingsState) => s.at;
const selectLoading = (s: HoldingsState) => s.loading;
const selectProblem = (s: HoldingsState) => s.problem;

const COLUMNS: readonly GridColumn[] = [
  { col: 'hld-col-symbol', head: 'Symbol' },
  { col: 'hld-col-qty', head: 'Qty', num: true },
  { col: 'hld-col-price', head: 'Avg', num: true },
  { col: 'hld-col-price', head: 'LTP', num: true },
  { col: 'hld-col-value', head: 'Invested', num: true },
  { col: 'hld-col-value', head: 'Current', num: true },
  { col: 'hld-col-value', head: 'P&L', num: true },
];

const EMPTY = {
  no: 'This engine does not report holdings yet (no portfolio service).',
  waiting: 'Asking the broker…',
  none: 'No holdings. (The paper broker and the local exchange hold none; Kite reports your demat holdings.)',
};

/** The broker's demat holdings: quantity, average, LTP, invested, current value and P&L. */
export function HoldingsGrid() {
  const handle = useHoldingsHandle();
  const holdings = useHoldings(selectHoldings);
  const served = useHoldings(selectServed);
  const at = useHoldings(selectAt);
  const loading = useHoldings(selectLoading);
  const problem = useHoldings(selectProblem);
  const totals = holdingTotals(holdings);
  return (
    <GridPanel
      name="holdings"
      title="Holdings"
      tableClass="hld-table"
      columns={COLUMNS}
      head={
        <>
          {problem === '' ? null : (
            <span className="hld-problem" role="alert" title={problem}>
              {problem}
            </span>
          )}
          <span className="hld-at num">{at === 0 ? '' : `as of ${formatIstTime(at)}`}</span>
          <button
            type="button"
            className="btn"
            data-testid="holdings-refresh"
            disabled={loading}
            onClick={() => {
              handle.refresh();
            }}
          >
            Refresh
          </button>
        </>
      }
      foot={
        holdings.length === 0 ? undefined : (
          <tr className="hld-totals">
            <td colSpan={4}>Total</td>
            <td className="num">{formatRupees(totals.investedPaise)}</td>
            <td className="num">{formatRupees(totals.currentPaise)}</td>
            <td className="num hld-pnl" data-dir={directionOf(totals.pnlPaise)}>
              {formatPnl(totals.pnlPaise)}
            </td>
          </tr>
        )
      }
      empty={holdings.length === 0 ? emptyText(served, EMPTY, loading) : undefined}
    >
      {holdings.map((h) => {
        const t = holdingRowText(h);
        return (
          <tr
            key={`${h.exchange}:${h.tradingsymbol}`}
            data-testid="holding-row"
            data-symbol={h.tradingsymbol}
          >
            <td className="hld-symbol">
              {h.tradingsymbol}
              <span className="hld-exchange">{h.exchange}</span>
            </td>
            <td className="num">{t.quantity}</td>
            <td className="num">{t.average}</td>
            <td className="num">{t.lastPrice}</td>
            <td className="num">{t.invested}</td>
            <td className="num">{t.current}</td>
            <td className="num hld-pnl" data-dir={t.pnlDir}>
              {t.pnl}
            </td>
          </tr>
        );
      })}
    </GridPanel>
  );
}
