import './holdings.css';
import { formatIstTime } from '../../../shared/time/ist';
import { directionOf, formatPnl, formatRupees } from '../market';
import { useHoldings, useHoldingsHandle } from './holdingsContext';
import type { HoldingsState } from './holdingsStore';
import { holdingRowText, holdingTotals } from './holdingView';

const selectHoldings = (s: HoldingsState) => s.holdings;
const selectServed = (s: HoldingsState) => s.served;
const selectAt = (s: HoldingsState) => s.at;
const selectLoading = (s: HoldingsState) => s.loading;
const selectProblem = (s: HoldingsState) => s.problem;

function emptyText(served: HoldingsState['served'], loading: boolean): string {
  if (served === 'no') return 'This engine does not report holdings yet (no portfolio service).';
  if (served === 'unknown' || loading) return 'Asking the broker…';
  return 'No holdings. (The paper broker and the local exchange hold none; Kite reports your demat holdings.)';
}

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
    <section className="panel holdings" data-testid="holdings" aria-labelledby="holdings-title">
      <header className="panel__head">
        <h2 className="panel__title" id="holdings-title">
          Holdings
        </h2>
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
      </header>
      <div className="grid-body">
        <table className="grid-table hld-table">
          <colgroup>
            <col className="hld-col-symbol" />
            <col className="hld-col-qty" />
            <col className="hld-col-price" />
            <col className="hld-col-price" />
            <col className="hld-col-value" />
            <col className="hld-col-value" />
            <col className="hld-col-value" />
          </colgroup>
          <thead>
            <tr>
              <th>Symbol</th>
              <th className="num">Qty</th>
              <th className="num">Avg</th>
              <th className="num">LTP</th>
              <th className="num">Invested</th>
              <th className="num">Current</th>
              <th className="num">P&amp;L</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
          {holdings.length === 0 ? null : (
            <tfoot>
              <tr className="hld-totals">
                <td colSpan={4}>Total</td>
                <td className="num">{formatRupees(totals.investedPaise)}</td>
                <td className="num">{formatRupees(totals.currentPaise)}</td>
                <td className="num hld-pnl" data-dir={directionOf(totals.pnlPaise)}>
                  {formatPnl(totals.pnlPaise)}
                </td>
              </tr>
            </tfoot>
          )}
        </table>
        {holdings.length === 0 ? <p className="grid-empty">{emptyText(served, loading)}</p> : null}
      </div>
    </section>
  );
}
