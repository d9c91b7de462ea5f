import './algos.css';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { AlgoView } from '../../../shared/services/algos';
import type { OrderView } from '../../../shared/services/orders';
import { type GridColumn, GridPanel, emptyText } from '../grid/GridPanel';
import { useMarketData } from '../market';
import { createTickSizes, orderPriceStyle, priceInputText, readPrice, stepPrice, useOrders } from '../orders';
import type { OrdersState } from '../orders';
import { useAlgoActions, useAlgosState } from './algosContext';
import type { AlgosState } from './algosStore';
import {
  algoRowText,
  algoStatusTone,
  benchmarkText,
  canCancelAlgo,
  canEditExit,
  childRowText,
  pendingRoleText,
} from './algoView';

const selectRows = (s: AlgosState) => s.rows;
const selectWorking = (s: AlgosState) => s.workingCount;
const selectServed = (s: AlgosState) => s.served;
const selectBusy = (s: AlgosState) => s.busy;
const selectNotice = (s: AlgosState) => s.notice;
const selectOrders = (s: OrdersState) => s.rows;

type TickOf = ReturnType<typeof createTickSizes>;

type ExitField = 'targetPrice' | 'stopPrice';
const FIELD_WORDS: Readonly<Record<ExitField, string>> = { targetPrice: 'target', stopPrice: 'stop' };

interface ExitEditProps {
  readonly algo: AlgoView;
  readonly field: ExitField;
  readonly tickOf: TickOf;
  /** `keyboard`: closed by Enter or Escape (the focus goes back to the price). */
  readonly onDone: (by: 'keyboard' | 'blur') => void;
}

/** A bracket's target or stop being edited: Enter modifies, Escape keeps, the arrows step a tick. */
function ExitEdit({ algo, field, tickOf, onDone }: ExitEditProps) {
  const actions = useAlgoActions();
  const style = orderPriceStyle(algo.priceDivisor);
  const [text, setText] = useState(() => priceInputText(algo[field], style));
  const [error, setError] = useState('');
  const tick = useRef<number | undefined>(undefined);
  // Closed by a key: the blur as the field goes away is not a second close.
  const closed = useRef(false);
  const close = (by: 'keyboard' | 'blur') => {
    if (closed.current) return;
    closed.current = true;
    onDone(by);
  };
  useEffect(() => {
    let open = true;
    void tickOf(algo.instrumentToken).then((t) => {
      if (open) tick.current = t;
    });
    return () => {
      open = false;
    };
  }, [tickOf, algo.instrumentToken]);

  const submit = () => {
    const read = readPrice(text, algo.priceDivisor);
    if (!read.ok) {
      setError(read.message);
      return;
    }
    close('keyboard');
    if (read.units !== algo[field]) void actions.modify({ algoId: algo.algoId, [field]: read.units });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close('keyboard');
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const t = tick.current;
      const read = readPrice(text, algo.priceDivisor);
      if (t === undefined || !read.ok) return;
      setText(
        priceInputText(stepPrice(read.units, e.key === 'ArrowUp' ? 1 : -1, t, e.shiftKey ? 10 : 1), style),
      );
      setError('');
    }
  };
  return (
    <input
      className="num alg-edit"
      data-testid="algo-exit-input"
      aria-label={`New ${FIELD_WORDS[field]} of the ${algo.tradingsymbol} bracket ${algo.algoId}`}
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
      onBlur={() => {
        close('blur');
      }}
    />
  );
}

interface AlgoRowProps {
  readonly algo: AlgoView;
  readonly busy: boolean;
  readonly tickOf: TickOf;
}

/** One algorithm. Its texts change only when it does (a few times a second at most). */
const AlgoRow = memo(function AlgoRow({ algo, busy, tickOf }: AlgoRowProps) {
  const actions = useAlgoActions();
  const [editing, setEditing] = useState<ExitField | undefined>(undefined);
  // After an edit closed by the keyboard, the focus goes back to the price it edited.
  const refocus = useRef<ExitField | undefined>(undefined);
  const text = algoRowText(algo);
  const working = algo.status === 'WORKING';
  const cancellable = canCancelAlgo(algo);
  // A cancel by keyboard: once its × has gone, the focus stays in the panel rather than fall to the page.
  const row = useRef<HTMLTableRowElement>(null);
  const refocusPanel = useRef(false);
  useEffect(() => {
    if (cancellable || !refocusPanel.current) return;
    refocusPanel.current = false;
    const active = document.activeElement;
    if (active === null || active === document.body) {
      row.current?.closest<HTMLElement>('[data-dock-panel]')?.focus();
    }
  }, [cancellable]);

  const exitCell = (field: ExitField, shown: string) => {
    if (editing === field) {
      return (
        <ExitEdit
          algo={algo}
          field={field}
          tickOf={tickOf}
          onDone={(by) => {
            refocus.current = by === 'keyboard' ? field : undefined;
            setEditing(undefined);
          }}
        />
      );
    }
    if (!canEditExit(algo, field)) return shown;
    return (
      <button
        type="button"
        className="num alg-price-button"
        data-testid={field === 'targetPrice' ? 'algo-target-modify' : 'algo-stop-modify'}
        aria-label={`${FIELD_WORDS[field]} ${shown}: modify`}
        aria-disabled={busy}
        title={`Modify the ${FIELD_WORDS[field]} (click, or Enter on it)`}
        ref={(el) => {
          if (el !== null && refocus.current === field) {
            refocus.current = undefined;
            el.focus();
          }
        }}
        onClick={() => {
          if (!busy) setEditing(field);
        }}
      >
        {shown}
      </button>
    );
  };

  return (
    <tr
      ref={row}
      className="alg-row"
      data-testid="algo-row"
      data-algo-id={algo.algoId}
      data-kind={algo.kind}
      data-status={algo.status}
      data-working={working}
      data-busy={busy}
    >
      <td className="num alg-id" title={`${algo.algoId} · started ${text.time}`}>
        {algo.algoId}
      </td>
      <td className="alg-kind" data-field="kind">
        {text.kind}
        {text.where === '' ? null : (
          <span
            className="alg-where"
            data-testid="algo-where"
            data-where={text.where}
            title={
              text.where === 'GTT'
                ? 'GTT: set at the broker, lives on while the app is closed'
                : 'ENGINE: waits in the engine, only while the app runs'
            }
          >
            {text.where === 'GTT' ? 'GTT' : 'ENG'}
          </span>
        )}
      </td>
      <td className="alg-symbol" title={`${algo.exchange}:${algo.tradingsymbol} · ${algo.product}`}>
        {algo.tradingsymbol}
        <span className="alg-exchange">{algo.exchange}</span>
      </td>
      <td className="alg-side" data-side={algo.side}>
        {algo.side}
      </td>
      <td className="num" data-field="quantity">
        {text.quantity}
      </td>
      <td className="num" data-field="price" title={text.priceTitle}>
        {text.price}
      </td>
      <td className="num" data-field="average">
        {text.average}
      </td>
      {algo.kind === 'conditional' ? (
        // A conditional has no exits of its own: its condition takes their columns.
        <td
          className="alg-cond"
          colSpan={2}
          data-field="condition"
          title={`If ${text.condition} · ${text.where === 'GTT' ? 'a GTT at the broker: lives on while the app is closed' : 'waits in the engine: only while the app runs'}`}
        >
          <span className="num" data-testid="algo-condition">
            {text.condition}
          </span>
        </td>
      ) : (
        <>
          <td className="num alg-exit" data-field="target">
            {exitCell('targetPrice', text.target)}
          </td>
          <td className="num alg-exit" data-field="stop">
            {exitCell('stopPrice', text.stop)}
          </td>
        </>
      )}
      <td className="alg-status" data-tone={algoStatusTone(algo.status)}>
        <span className="alg-status__label" data-testid="algo-status">
          {text.status}
        </span>
      </td>
      <td className="alg-phase" title={[algo.phase, algo.reason].filter((t) => t !== '').join(' · ')}>
        <span data-testid="algo-phase">{algo.phase}</span>
        {algo.reason === '' ? null : (
          <span className="alg-reason" data-testid="algo-reason" data-tone={algoStatusTone(algo.status)}>
            {algo.reason}
          </span>
        )}
      </td>
      <td className="alg-actions">
        {cancellable ? (
          <button
            type="button"
            className="alg-cancel"
            data-testid="algo-cancel"
            aria-label={`Cancel ${algo.kind} ${algo.side} ${algo.quantity} ${algo.tradingsymbol} ${algo.algoId}`}
            title="Cancel it: its working orders are cancelled (a bracket's position stays)"
            aria-disabled={busy}
            onClick={(e) => {
              if (busy) return;
              refocusPanel.current = document.activeElement === e.currentTarget;
              void actions.cancel(algo.algoId);
            }}
          >
            ×
          </button>
        ) : null}
      </td>
    </tr>
  );
});

/**
 * A TWAP's or VWAP's benchmarks, on a line of its own under its row: its fills against the
 * schedule, the arrival price, the market's VWAP since the start, the slippage against each in
 * basis points (the loss colour when worse for the trader, the profit colour when better) and when
 * the window ends. Every item has a fixed width, so the lines of several algorithms align.
 */
const BenchmarkRow = memo(function BenchmarkRow({ algo }: { readonly algo: AlgoView }) {
  const b = benchmarkText(algo);
  if (b === undefined) return null;
  return (
    <tr className="alg-bench" data-testid="algo-benchmark" data-parent-id={algo.algoId} data-kind={algo.kind}>
      <td />
      <td colSpan={11} className="alg-bench__cell">
        <span
          className="alg-bench__item alg-bench__item--schedule"
          data-field="schedule"
          data-tone={b.scheduleTone}
          title="Filled / what the schedule wants done by now"
        >
          <span className="alg-bench__label">Sched</span>
          <span className="num">{b.schedule}</span>
          <span className="alg-bench__delta" data-field="schedule-delta">
            {b.scheduleDelta}
          </span>
        </span>
        <span
          className="alg-bench__item"
          data-field="arrival"
          title="Arrival: the last price when the window opened"
        >
          <span className="alg-bench__label">Arr</span>
          <span className="num">{b.arrival}</span>
        </span>
        <span
          className="alg-bench__item"
          data-field="interval-vwap"
          title="The market's VWAP since the window opened"
        >
          <span className="alg-bench__label">VWAP</span>
          <span className="num">{b.intervalVwap}</span>
        </span>
        <span
          className="alg-bench__item alg-bench__item--slip"
          data-field="slip-arrival"
          data-tone={b.slipArrivalTone}
          title="Slippage against the arrival price, basis points (+ is worse for you)"
        >
          <span className="alg-bench__label">vs arr</span>
          <span className="num alg-bench__bps">{b.slipArrival}</span>
          <span className="alg-bench__unit">bp</span>
        </span>
        <span
          className="alg-bench__item alg-bench__item--slip"
          data-field="slip-vwap"
          data-tone={b.slipVwapTone}
          title="Slippage against the market's VWAP since the start, basis points (+ is worse for you)"
        >
          <span className="alg-bench__label">vs VWAP</span>
          <span className="num alg-bench__bps">{b.slipVwap}</span>
          <span className="alg-bench__unit">bp</span>
        </span>
        <span className="alg-bench__item" data-field="ends" title="When the window ends (IST)">
          <span className="alg-bench__label">{algo.status === 'WORKING' ? 'Ends' : 'End'}</span>
          <span className="num">{b.endsAt}</span>
        </span>
      </td>
    </tr>
  );
});

interface ChildRowProps {
  readonly algo: AlgoView;
  readonly id: string;
  readonly order: OrderView | undefined;
  readonly index: number;
}

/** One child order, indented under its algorithm; its values in the parent's columns they are. */
const ChildRow = memo(function ChildRow({ algo, id, order, index }: ChildRowProps) {
  if (order === undefined) {
    // The order stream is conflated apart from the algorithms': its view may come a moment later.
    return (
      <tr
        className="alg-child"
        data-testid="algo-child-row"
        data-client-order-id={id}
        data-parent-id={algo.algoId}
      >
        <td className="num alg-id alg-child__id" title={id}>
          {id}
        </td>
        <td className="alg-child__role">{pendingRoleText(algo, index)}</td>
        <td colSpan={10} />
      </tr>
    );
  }
  const text = childRowText(algo, order, index);
  return (
    <tr
      className="alg-child"
      data-testid="algo-child-row"
      data-client-order-id={id}
      data-parent-id={algo.algoId}
      data-state={order.state}
      data-tone={text.tone}
    >
      <td className="num alg-id alg-child__id" title={id}>
        {id}
      </td>
      <td className="alg-child__role" data-field="role">
        <span aria-hidden="true">└ </span>
        {text.role}
      </td>
      <td className="alg-child__type">{order.orderType}</td>
      <td className="alg-side" data-side={order.side}>
        {order.side}
      </td>
      <td className="num" data-field="quantity">
        {text.quantity}
      </td>
      <td className="num" data-field="price">
        {text.price}
      </td>
      <td className="num" data-field="average">
        {text.average}
      </td>
      <td className="num" data-field="target">
        {text.target}
      </td>
      <td className="num" data-field="stop">
        {text.stop}
      </td>
      <td className="alg-status" data-tone={text.tone} title={order.state}>
        <span className="alg-status__label" data-testid="algo-child-state">
          {text.state}
        </span>
      </td>
      <td className="alg-phase" title={order.reason}>
        <span className="alg-reason">{order.reason}</span>
      </td>
      <td />
    </tr>
  );
});

const COLUMNS: readonly GridColumn[] = [
  { col: 'alg-col-id', head: 'Id' },
  { col: 'alg-col-kind', head: 'Kind' },
  { col: 'alg-col-symbol', head: 'Symbol' },
  { col: 'alg-col-side', head: 'Side' },
  { col: 'alg-col-qty', head: 'Qty', num: true },
  { col: 'alg-col-price', head: 'Price', num: true },
  { col: 'alg-col-price', head: 'Avg', num: true },
  { col: 'alg-col-exit', head: 'Target', num: true },
  { col: 'alg-col-exit', head: 'Stop', num: true },
  { col: 'alg-col-status', head: 'Status' },
  { col: 'alg-col-phase', head: 'Phase · reason' },
  { col: 'alg-col-actions', head: '', label: 'Actions' },
];

const EMPTY = {
  no: 'This engine does not run algorithms yet (no algos service).',
  waiting: 'Waiting for the engine…',
  none: 'No algorithms today (bracket, iceberg, TWAP, VWAP). Start one from the order ticket or the ladder.',
};

/**
 * Today's algorithms (brackets, icebergs, TWAPs, VWAPs), newest first, each with its child orders
 * under it (from the orders store) and a TWAP's or VWAP's benchmarks between them: cancel × on a
 * working one, click (or Enter on) a bracket's target or stop to move it.
 */
export function AlgosPanel() {
  const rows = useAlgosState(selectRows);
  const working = useAlgosState(selectWorking);
  const served = useAlgosState(selectServed);
  const busy = useAlgosState(selectBusy);
  const notice = useAlgosState(selectNotice);
  const orders = useOrders(selectOrders);
  const byId = useMemo(() => new Map(orders.map((o) => [o.clientOrderId, o])), [orders]);
  const { market } = useMarketData();
  const tickOf = useMemo(() => createTickSizes(market), [market]);
  const noticeText =
    notice === undefined
      ? ''
      : `${notice.action}: ${notice.refusal.message}${notice.refusal.suggestion === '' ? '' : ` — ${notice.refusal.suggestion}`}`;
  return (
    <GridPanel
      name="algos"
      title="Algos"
      tableClass="alg-table"
      columns={COLUMNS}
      head={
        <>
          <span
            className="alg-notice"
            data-testid="algos-notice"
            role={notice === undefined ? undefined : 'alert'}
            title={noticeText}
          >
            {noticeText}
          </span>
          <span className="alg-count num" data-testid="algos-count">
            {working} working · {rows.length}
          </span>
        </>
      }
      empty={rows.length === 0 ? emptyText(served, EMPTY) : undefined}
    >
      {rows.flatMap((a) => [
        <AlgoRow key={a.algoId} algo={a} busy={busy.has(a.algoId)} tickOf={tickOf} />,
        ...(a.benchmark === null ? [] : [<BenchmarkRow key={`${a.algoId}/benchmark`} algo={a} />]),
        ...a.children.map((id, i) => (
          <ChildRow key={`${a.algoId}/${id}`} algo={a} id={id} order={byId.get(id)} index={i} />
        )),
      ])}
    </GridPanel>
  );
}
