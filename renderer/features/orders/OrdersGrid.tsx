import './orders.css';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { type GridColumn, GridPanel, emptyText } from '../grid/GridPanel';
import type { OrderView } from '../../../shared/services/orders';
import { useMarketData } from '../market';
import { useOrderActions, useOrders } from './ordersContext';
import type { OrdersState, RoutedMark } from './ordersStore';
import {
  canCancel,
  canModify,
  editedField,
  isWorking,
  orderPriceStyle,
  orderRowText,
  stateTone,
} from './orderView';
import { priceInputText, readPrice, stepPrice } from './priceEntry';
import { createTickSizes } from './tickSizes';

const selectRows = (s: OrdersState) => s.rows;
const selectWorking = (s: OrdersState) => s.workingCount;
const selectServed = (s: OrdersState) => s.served;
const selectBusy = (s: OrdersState) => s.busy;
const selectNotice = (s: OrdersState) => s.notice;
const selectRouted = (s: OrdersState) => s.routed;

interface RowProps {
  readonly order: OrderView;
  readonly busy: boolean;
  readonly tickOf: (token: number) => Promise<number | undefined>;
  /** Set when the order is a leg of a routed order (SOR) placed from this window. */
  readonly routed?: RoutedMark | undefined;
}

/** The parent cell's text and title: an algorithm's id, SOR for a routed leg, or nothing. */
function parentCell(order: OrderView, routed: RoutedMark | undefined): { text: string; title: string } {
  if (order.parentId !== null)
    return { text: order.parentId, title: `A child of ${order.parentId} (see Algos)` };
  if (routed !== undefined)
    return {
      text: 'SOR',
      title: `A leg of a routed order (${routed.legs}), on ${order.exchange}: ${routed.reason}`,
    };
  return { text: '', title: '' };
}

/** The price cell of a working order: its price, or an input while the trader edits it. */
function PriceEdit({ order, tickOf, onDone }: RowProps & { readonly onDone: () => void }) {
  const actions = useOrderActions();
  const field = editedField(order) ?? 'price';
  const style = orderPriceStyle(order.priceDivisor);
  const [text, setText] = useState(() => priceInputText(order[field], style));
  const [error, setError] = useState('');
  const tick = useRef<number | undefined>(undefined);
  // Look the tick up once the edit opens; arrows step by it when it has come.
  useEffect(() => {
    let open = true;
    void tickOf(order.instrumentToken).then((t) => {
      if (open) tick.current = t;
    });
    return () => {
      open = false;
    };
  }, [tickOf, order.instrumentToken]);

  const submit = () => {
    const read = readPrice(text, order.priceDivisor);
    if (!read.ok) {
      setError(read.message);
      return;
    }
    onDone();
    void actions.modify(order.clientOrderId, { [field]: read.units });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onDone();
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const t = tick.current;
      const read = readPrice(text, order.priceDivisor);
      if (t === undefined || !read.ok) return;
      const next = stepPrice(read.units, e.key === 'ArrowUp' ? 1 : -1, t, e.shiftKey ? 10 : 1);
      setText(priceInputText(next, style));
      setError('');
    }
  };
  return (
    <input
      className="num ord-edit"
      data-testid="order-price-input"
      aria-label={`New ${field === 'price' ? 'price' : 'trigger'} of ${order.tradingsymbol}`}
      aria-invalid={error !== ''}
      title={error === '' ? 'Enter: modify · Esc: keep · ↑↓: a tick' : error}
      value={text}
      autoFocus
      inputMode="decimal"
      spellCheck={false}
      onChange={(e) => {
        setText(e.target.value);
        setError('');
      }}
      onKeyDown={onKeyDown}
      onBlur={onDone}
    />
  );
}

/** One order. Its texts change only when the order does (a few times in its life). */
const OrderRow = memo(function OrderRow({ order, busy, tickOf, routed }: RowProps) {
  const actions = useOrderActions();
  const [editing, setEditing] = useState(false);
  const text = orderRowText(order);
  const working = isWorking(order.state);
  const modifiable = canModify(order.state) && editedField(order) !== undefined && !busy;
  const field = editedField(order);
  const parent = parentCell(order, routed);
  const priceCell = (which: 'price' | 'triggerPrice', shown: string) => {
    if (editing && field === which) {
      return (
        <PriceEdit
          order={order}
          busy={busy}
          tickOf={tickOf}
          onDone={() => {
            setEditing(false);
          }}
        />
      );
    }
    if (!modifiable || field !== which) return shown;
    return (
      <button
        type="button"
        className="num ord-price-button"
        data-testid="order-modify"
        title="Modify the price (click, or Enter on it)"
        onClick={() => {
          setEditing(true);
        }}
      >
        {shown}
      </button>
    );
  };
  return (
    <tr
      className="ord-row"
      data-testid="order-row"
      data-client-order-id={order.clientOrderId}
      data-symbol={order.tradingsymbol}
      data-state={order.state}
      data-working={working}
      data-busy={busy}
      data-exchange={order.exchange}
      data-routed={routed !== undefined}
    >
      <td className="num ord-time">{text.time}</td>
      <td className="ord-symbol" title={`${order.exchange}:${order.tradingsymbol} · ${order.clientOrderId}`}>
        {order.tradingsymbol}
        <span className="ord-exchange" data-field="exchange">
          {order.exchange}
        </span>
      </td>
      <td className="ord-side" data-side={order.side}>
        {order.side}
      </td>
      <td className="ord-type">{order.orderType}</td>
      <td className="ord-product">{order.product}</td>
      <td className="num ord-parent" data-field="parent" title={parent.title}>
        {parent.text}
      </td>
      <td className="num" data-field="quantity">
        {text.quantity}
      </td>
      <td className="num ord-price" data-field="price">
        {priceCell('price', text.price)}
      </td>
      <td className="num ord-price" data-field="trigger">
        {priceCell('triggerPrice', text.trigger)}
      </td>
      <td className="num" data-field="average">
        {text.average}
      </td>
      <td className="ord-state" data-tone={stateTone(order.state)} title={order.reason}>
        <span className="ord-state__label" data-testid="order-state">
          {text.state}
        </span>
        {order.reason === '' ? null : <span className="ord-state__reason">{order.reason}</span>}
      </td>
      <td className="ord-actions">
        {working && canCancel(order.state) ? (
          <button
            type="button"
            className="ord-cancel"
            data-testid="order-cancel"
            aria-label={`Cancel ${order.side} ${order.tradingsymbol} ${order.clientOrderId}`}
            title="Cancel this order"
            disabled={busy}
            onClick={() => {
              void actions.cancel(order.clientOrderId);
            }}
          >
            ×
          </button>
        ) : null}
      </td>
    </tr>
  );
});

const COLUMNS: readonly GridColumn[] = [
  { col: 'ord-col-time', head: 'Time' },
  { col: 'ord-col-symbol', head: 'Symbol' },
  { col: 'ord-col-side', head: 'Side' },
  { col: 'ord-col-type', head: 'Type' },
  { col: 'ord-col-product', head: 'Prod' },
  { col: 'ord-col-parent', head: 'Parent' },
  { col: 'ord-col-qty', head: 'Qty', num: true },
  { col: 'ord-col-price', head: 'Price', num: true },
  { col: 'ord-col-price', head: 'Trigger', num: true },
  { col: 'ord-col-price', head: 'Avg', num: true },
  { col: 'ord-col-state', head: 'State' },
  { col: 'ord-col-actions', head: '', label: 'Actions' },
];

const EMPTY = {
  no: 'This engine does not take orders yet (no orders service).',
  waiting: 'Waiting for the engine…',
  none: 'No orders today. F1 buys, F2 sells.',
};

/** Today's orders: working first (cancel ×, click a price to modify), then finished ones. */
export function OrdersGrid() {
  const rows = useOrders(selectRows);
  const working = useOrders(selectWorking);
  const served = useOrders(selectServed);
  const busy = useOrders(selectBusy);
  const notice = useOrders(selectNotice);
  const routed = useOrders(selectRouted);
  const actions = useOrderActions();
  const { market } = useMarketData();
  const tickOf = useMemo(() => createTickSizes(market), [market]);
  return (
    <GridPanel
      name="orders"
      title="Orders"
      tableClass="ord-table"
      columns={COLUMNS}
      head={
        <>
          <span
            className="ord-notice"
            data-testid="orders-notice"
            role={notice === undefined ? undefined : 'alert'}
            title={notice === undefined ? '' : `${notice.refusal.message} ${notice.refusal.suggestion}`}
          >
            {notice === undefined
              ? ''
              : `${notice.action}: ${notice.refusal.message}${notice.refusal.suggestion === '' ? '' : ` — ${notice.refusal.suggestion}`}`}
          </span>
          <span className="ord-count num" data-testid="orders-count">
            {working} open · {rows.length}
          </span>
          <button
            type="button"
            className="btn btn--danger ord-cancel-all"
            data-testid="orders-cancel-all"
            disabled={working === 0}
            title="Cancel every working order"
            onClick={() => {
              void actions.cancelAll();
            }}
          >
            Cancel all
          </button>
        </>
      }
      empty={rows.length === 0 ? emptyText(served, EMPTY) : undefined}
    >
      {rows.map((o) => (
        <OrderRow
          key={o.clientOrderId}
          order={o}
          busy={busy.has(o.clientOrderId)}
          tickOf={tickOf}
          routed={routed.get(o.clientOrderId)}
        />
      ))}
    </GridPanel>
  );
}
