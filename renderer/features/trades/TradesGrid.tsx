import './trades.css';
import { memo } from 'react';
import type { TradeView } from '../../../shared/services/orders';
import { formatQuantity, formatRupees } from '../market';
import { useTrades } from './tradesContext';
import type { TradesState } from './tradesStore';
import { tradeRowText, tradeTotals } from './tradeView';

const selectRows = (s: TradesState) => s.rows;
const selectServed = (s: TradesState) => s.served;

const TradeRow = memo(function TradeRow({ trade }: { readonly trade: TradeView }) {
  const text = tradeRowText(trade);
  return (
    <tr
      className="trd-row"
      data-testid="trade-row"
      data-trade-id={trade.tradeId}
      data-symbol={trade.tradingsymbol}
    >
      <td className="num trd-time">{text.time}</td>
      <td
        className="trd-symbol"
        title={`${trade.exchange}:${trade.tradingsymbol} · order ${trade.clientOrderId}`}
      >
        {trade.tradingsymbol}
        <span className="trd-exchange">{trade.exchange}</span>
      </td>
      <td className="trd-side" data-side={trade.side}>
        {trade.side}
      </td>
      <td className="trd-product">{trade.product}</td>
      <td className="num" data-field="quantity">
        {text.quantity}
      </td>
      <td className="num" data-field="price">
        {text.price}
      </td>
      <td className="num trd-value" data-field="value">
        {text.value}
      </td>
      <td className="trd-id" title={`Exchange trade ${trade.tradeId}`}>
        {trade.tradeId}
      </td>
    </tr>
  );
});

function emptyText(served: TradesState['served']): string {
  if (served === 'no') return 'This engine does not report fills yet (no orders service).';
  if (served === 'unknown') return 'Waiting for the engine…';
  return 'No fills today.';
}

/** The day's fills, newest first, with the count, quantities and turnover. */
export function TradesGrid() {
  const rows = useTrades(selectRows);
  const served = useTrades(selectServed);
  const totals = tradeTotals(rows);
  return (
    <section className="panel trades" data-testid="trades" aria-labelledby="trades-title">
      <header className="panel__head">
        <h2 className="panel__title" id="trades-title">
          Trades
        </h2>
        <span className="trd-totals num" data-testid="trades-totals">
          {totals.count} fills · bought {formatQuantity(totals.bought)} · sold {formatQuantity(totals.sold)} ·
          ₹{formatRupees(totals.turnoverPaise)}
        </span>
      </header>
      <div className="grid-body">
        <table className="grid-table trd-table">
          <colgroup>
            <col className="trd-col-time" />
            <col className="trd-col-symbol" />
            <col className="trd-col-side" />
            <col className="trd-col-product" />
            <col className="trd-col-qty" />
            <col className="trd-col-price" />
            <col className="trd-col-value" />
            <col className="trd-col-id" />
          </colgroup>
          <thead>
            <tr>
              <th>Time</th>
              <th>Symbol</th>
              <th>Side</th>
              <th>Prod</th>
              <th className="num">Qty</th>
              <th className="num">Price</th>
              <th className="num">Value</th>
              <th>Trade id</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <TradeRow key={t.tradeId} trade={t} />
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="grid-empty">{emptyText(served)}</p> : null}
      </div>
    </section>
  );
}
