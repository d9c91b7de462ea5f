import './trades.css';
import { memo } from 'react';
import type { TradeView } from '../../../shared/services/orders';
import { type GridColumn, GridPanel, emptyText } from '../grid/GridPanel';
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

const COLUMNS: readonly GridColumn[] = [
  { col: 'trd-col-time', head: 'Time' },
  { col: 'trd-col-symbol', head: 'Symbol' },
  { col: 'trd-col-side', head: 'Side' },
  { col: 'trd-col-product', head: 'Prod' },
  { col: 'trd-col-qty', head: 'Qty', num: true },
  { col: 'trd-col-price', head: 'Price', num: true },
  { col: 'trd-col-value', head: 'Value', num: true },
  { col: 'trd-col-id', head: 'Trade id' },
];

const EMPTY = {
  no: 'This engine does not report fills yet (no orders service).',
  waiting: 'Waiting for the engine…',
  none: 'No fills today.',
};

/** The day's fills, newest first, with the count, quantities and turnover. */
export function TradesGrid() {
  const rows = useTrades(selectRows);
  const served = useTrades(selectServed);
  const totals = tradeTotals(rows);
  return (
    <GridPanel
      name="trades"
      title="Trades"
      tableClass="trd-table"
      columns={COLUMNS}
      head={
        <span className="trd-totals num" data-testid="trades-totals">
          {totals.count} fills · bought {formatQuantity(totals.bought)} · sold {formatQuantity(totals.sold)} ·
          ₹{formatRupees(totals.turnoverPaise)}
        </span>
      }
      empty={rows.length === 0 ? emptyText(served, EMPTY) : undefined}
    >
      {rows.map((t) => (
        <TradeRow key={t.tradeId} trade={t} />
      ))}
    </GridPanel>
  );
}
