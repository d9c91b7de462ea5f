import './ticket.css';
import { Fragment, createContext, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { useStore } from 'zustand';
import type { InstrumentInfo, Quote } from '../../../shared/services/market';
import type {
  OrderType,
  OrderView,
  PlaceOrder,
  Product,
  Side,
  Variety,
} from '../../../shared/services/orders';
import type { OrderCharges } from '../../../shared/domain/charges';
import {
  EM_DASH,
  formatPriceUnits,
  formatRupees,
  formatRupeesShort,
  priceStyleOf,
  setCellText,
  useMarketData,
} from '../market';
import { useBindings, useCommands, useHotkeys, useHotkeysState } from '../hotkeys';
import type { HotkeysState } from '../hotkeys';
import {
  OrdersContext,
  ReconciliationNotice,
  selectOrderEntryBlocked,
  useOrderActions,
  useOrders,
} from '../orders';
import { PositionsContext } from '../positions';
import { RiskContext } from '../risk';
import { selectIstDayStart, useClock } from '../clock';
import type { OrdersState } from '../orders';
import { ticketCommandForKey, ticketHotkeys } from './ticketCommands';
import { createTicketMarginStore, startTicketMargin } from './ticketMargin';
import type { OrderMarginSource, TicketMargin } from './ticketMargin';
import { AlgosContext, createAlgosStore, selectAlgo } from '../algos';
import type { AlgoView } from '../../../shared/services/algos';
import {
  CAP_PERCENT,
  ICEBERG_LEGS,
  INDICATOR_PERIOD,
  TICKET_CONDITIONS,
  TICKET_INTERVALS,
  TICKET_WHERES,
  conditionIndicator,
  conditionUsesBars,
  gttBlocked,
  SCHEDULE_SECONDS,
  TICKET_KINDS,
  TWAP_SLICES,
  TICKET_ORDER_TYPES,
  TICKET_PRODUCTS,
  TICKET_VALIDITIES,
  TICKET_VARIETIES,
  TTL_MINUTES,
  needsPrice,
  needsTrigger,
  productsFor,
  quantityHint,
  submitLabel,
  orderText,
  orderValuePaise,
  tickText,
  ticketCharges,
  ticketOrder,
  freezeProposal,
  tradesInLots,
  untradable,
  isScheduled,
  asSent,
  sorBlocked,
  sorOn,
} from './ticketOrder';
import type { TicketCondition, TicketInterval, TicketKind, TicketValidity, TicketWhere } from './ticketOrder';
import { createTicketQuoteHolder, startTicketQuote } from './ticketQuote';
import { createTicketStore } from './ticketStore';
import type { TicketOutcome, TicketState, TicketStore } from './ticketStore';
import { createTicketRoutingStore, startTicketRouting } from './ticketRouting';
import type { TicketRouting } from './ticketRouting';
import {
  ageText,
  averageText,
  decisionTitle,
  legsText,
  routedCharges,
  routedDetail,
  routedText,
  venuesText,
} from './routeText';

const selectServed = (s: OrdersState) => s.served;
const selectOrderRows = (s: OrdersState) => s.rows;

/** The id of the quantity field, where F1 and F2 put the cursor. */
export const TICKET_QUANTITY_ID = 'ticket-quantity';

function focusQuantity(): void {
  const input = document.getElementById(TICKET_QUANTITY_ID);
  if (!(input instanceof HTMLInputElement)) return;
  input.focus();
  input.select();
}

/**
 * What prices an order before it is sent: the engine's portfolio.orderMargin. Provide it once at the
 * window's root (`<OrderMarginContext value={(r) => portfolio.orderMargin(r)}>`); without it the
 * ticket shows `margin —` and says why.
 */
export const OrderMarginContext = createContext<OrderMarginSource | undefined>(undefined);

const selectConfirmOrders = (s: HotkeysState) => s.confirmOrders;

const CHARGE_PARTS: readonly (readonly [keyof OrderCharges, string])[] = [
  ['brokerage', 'Brokerage'],
  ['transactionTax', 'STT/CTT'],
  ['exchangeTurnoverCharge', 'Exchange txn'],
  ['sebiTurnoverCharge', 'SEBI'],
  ['stampDuty', 'Stamp duty'],
  ['gst', 'GST'],
];

function chargesTitle(c: OrderCharges): string {
  const lines = CHARGE_PARTS.map(([k, name]) => {
    const v = c[k];
    return `${name === 'STT/CTT' ? c.transactionTaxType.toUpperCase() : name}: ₹${formatRupees(typeof v === 'number' ? v : 0)}`;
  });
  return `Zerodha's charges if it executes in full (zerodha.com/charges)\n${lines.join('\n')}`;
}

/** The money line: charges (computed here) and the margin the engine says the order needs. */
function MoneyLine({
  charges,
  value,
  margin,
  chargesNote,
}: {
  readonly charges: OrderCharges | undefined;
  readonly value: number | undefined;
  readonly margin: TicketMargin;
  /** Whose charges they are, when not the one order on the ticket's exchange (a route's legs). */
  readonly chargesNote?: string;
}) {
  const m = margin.kind === 'ok' ? margin.view : margin.kind === 'loading' ? margin.last : undefined;
  const marginTitle =
    margin.kind === 'unavailable'
      ? 'Margin is not available yet: this window has no portfolio.orderMargin (OrderMarginContext).'
      : margin.kind === 'refused'
        ? margin.message
        : margin.kind === 'idle'
          ? 'Shown once the ticket makes a complete order.'
          : m === undefined
            ? 'Asking the broker…'
            : `Required ₹${formatRupees(m.required)} · available ${m.available === null ? 'not known' : `₹${formatRupees(m.available)}`} (${m.segment})`;
  const short = m !== undefined && m.available !== null && m.available < m.required;
  return (
    <div className="tk-money" data-testid="ticket-money">
      <span
        className="tk-money__item"
        title={
          charges === undefined
            ? 'Needs a price'
            : `${chargesNote === undefined ? '' : `${chargesNote}\n`}${chargesTitle(charges)}`
        }
        data-route={chargesNote !== undefined}
      >
        <span className="tk-money__label">Charges</span>
        <span className="num" data-testid="ticket-charges" data-value={value ?? ''}>
          {charges === undefined ? EM_DASH : formatRupees(charges.total)}
        </span>
      </span>
      <span
        className="tk-money__item"
        title={marginTitle}
        data-testid="ticket-margin"
        data-kind={margin.kind}
        data-short={short}
      >
        <span className="tk-money__label">Margin</span>
        <span className="num" data-stale={margin.kind === 'loading'}>
          {m === undefined ? EM_DASH : formatRupees(m.required)}
        </span>
        <span className="tk-money__avail num">
          {m === undefined || m.available === null ? '' : `of ${formatRupeesShort(m.available)}`}
        </span>
      </span>
    </div>
  );
}

/** The confirm step of an order hotkey: Enter sends, Escape cancels. */
function ConfirmStep({
  order,
  instrument,
  onConfirm,
  onCancel,
}: {
  readonly order: PlaceOrder;
  readonly instrument: InstrumentInfo;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}) {
  return (
    <div
      className="tk-confirm"
      role="alertdialog"
      aria-label="Confirm order"
      data-testid="ticket-confirm"
      data-side={order.side}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          e.stopPropagation();
          onConfirm();
        } else if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <p className="tk-confirm__order num" data-testid="ticket-confirm-order">
        {orderText(order, instrument)}
      </p>
      <div className="tk-confirm__buttons">
        <button type="button" className="tk-confirm__no" data-testid="ticket-confirm-no" onClick={onCancel}>
          Cancel <kbd>Esc</kbd>
        </button>
        <button
          type="button"
          className="tk-confirm__yes"
          data-testid="ticket-confirm-yes"
          data-side={order.side}
          // The confirm step takes focus, so Enter answers it wherever the hotkey was pressed.
          autoFocus
          onClick={onConfirm}
        >
          Send {order.side} <kbd>Enter</kbd>
        </button>
      </div>
    </div>
  );
}

interface SegmentedProps<T extends string> {
  readonly label: string;
  readonly name: string;
  readonly options: readonly T[];
  readonly value: T;
  readonly enabled?: (option: T) => boolean;
  readonly onChange: (value: T) => void;
  readonly text?: (option: T) => string;
  /** A tooltip per option (for options whose text is short). */
  readonly title?: (option: T) => string;
}

/** A row of mutually exclusive buttons (order type, product, validity). */
function Segmented<T extends string>(props: SegmentedProps<T>) {
  return (
    <div className="seg" role="radiogroup" aria-label={props.label} data-testid={`ticket-${props.name}`}>
      {props.options.map((o) => (
        <button
          key={o}
          type="button"
          role="radio"
          className="seg__option"
          aria-checked={props.value === o}
          disabled={props.enabled?.(o) === false}
          data-value={o}
          title={props.title?.(o)}
          onClick={() => {
            props.onChange(o);
          }}
        >
          {props.text?.(o) ?? o}
        </button>
      ))}
    </div>
  );
}

function Field(props: { readonly label: string; readonly hint: string; readonly children: ReactNode }) {
  return (
    <label className="tk-field">
      <span className="tk-field__label">{props.label}</span>
      {props.children}
      <span className="tk-field__hint">{props.hint}</span>
    </label>
  );
}

const TYPE_TEXT: Readonly<Record<OrderType, string>> = {
  MARKET: 'MKT',
  LIMIT: 'LIMIT',
  SL: 'SL',
  'SL-M': 'SL-M',
};

/** The order the last submit placed, with its state as it is now (it may have filled or gone). */
function PlacedLine({ order: o }: { readonly order: OrderView }) {
  const state = useOrders((s) => s.rows.find((r) => r.clientOrderId === o.clientOrderId)?.state) ?? o.state;
  return (
    <div
      className="tk-outcome"
      data-testid="ticket-outcome"
      data-kind="placed"
      data-client-order-id={o.clientOrderId}
      data-state={state}
      role="status"
    >
      <p className="tk-outcome__message">
        ✓ {o.side} {o.quantity} {o.tradingsymbol} placed · {state}
      </p>
      <p className="tk-outcome__detail num">{o.clientOrderId}</p>
    </div>
  );
}

/** Where a window has no algos service: nothing to follow. */
const EMPTY_ALGOS = createAlgosStore();

const STARTED_WORDS: Readonly<Record<AlgoView['kind'], string>> = {
  bracket: 'Bracket',
  iceberg: 'Iceberg',
  twap: 'TWAP',
  vwap: 'VWAP',
  conditional: 'Conditional',
};

/** The algorithm the last submit started, as it is now. */
function StartedLine({ algo }: { readonly algo: AlgoView }) {
  const a = useContext(AlgosContext);
  const now = useStore(a?.store ?? EMPTY_ALGOS, (s) => selectAlgo(s, algo.algoId)) ?? algo;
  return (
    <div
      className="tk-outcome"
      data-testid="ticket-outcome"
      data-kind="started"
      data-algo-id={now.algoId}
      data-status={now.status}
      role="status"
    >
      <p className="tk-outcome__message" title={now.reason || now.phase}>
        ✓ {STARTED_WORDS[now.kind]} {now.side} {now.quantity} {now.tradingsymbol} ·{' '}
        {now.status === 'WORKING' ? now.phase : `${now.status} ${now.reason}`}
      </p>
      <p className="tk-outcome__detail num">{now.algoId}</p>
    </div>
  );
}

const KIND_TITLE: Readonly<Record<TicketKind, string>> = {
  order: 'One order',
  bracket: 'Bracket: the order as an entry, then a target and a stop that cancel each other',
  iceberg: 'Iceberg: the order shown one leg at a time',
  twap: 'TWAP: the order in equal slices over a window (a LIMIT caps the price; MKT: at the touch)',
  vwap: "VWAP: the order along the day's volume curve over a window (a LIMIT caps the price; MKT: at the touch)",
  conditional:
    'IF: the order placed when a condition is met (price, bar close, SMA/EMA/RSI, a time); waits in the engine or at the broker as a GTT',
};
/** Short, as the row is narrow (the options' titles say it in full). */
const KIND_TEXT: Readonly<Record<TicketKind, string>> = {
  order: 'ORD',
  bracket: 'BKT',
  iceberg: 'ICE',
  twap: 'TWAP',
  vwap: 'VWAP',
  conditional: 'IF',
};

/** The bracket's fields of the algo row, in ticks. */
const BRACKET_FIELDS = [
  { field: 'targetText', label: 'Target: ticks from the entry', testId: 'ticket-target', placeholder: 'tgt' },
  { field: 'stopText', label: 'Stop: ticks from the entry', testId: 'ticket-stop', placeholder: 'stop' },
  {
    field: 'trailText',
    label: 'Trailing stop: ticks behind the best price (blank: none)',
    testId: 'ticket-trail',
    placeholder: 'trail',
  },
  {
    field: 'breakEvenText',
    label: 'Break-even: ticks in profit before the stop moves to the entry (blank: never)',
    testId: 'ticket-break-even',
    placeholder: 'b/e',
  },
] as const;

/** A small number field of the algo row (ticks, legs, a window's minutes...). */
function TicksInput(props: {
  readonly label: string;
  readonly testId: string;
  readonly placeholder: string;
  readonly value: string;
  readonly onChange: (text: string) => void;
  readonly decimal?: boolean;
}) {
  return (
    <input
      className="num tk-input tk-input--small"
      data-testid={props.testId}
      aria-label={props.label}
      title={props.label}
      inputMode={props.decimal === true ? 'decimal' : 'numeric'}
      autoComplete="off"
      placeholder={props.placeholder}
      value={props.value}
      onChange={(e) => {
        props.onChange(e.target.value);
      }}
    />
  );
}

/** A bracket's fields in ticks (all four for the Bracket kind; the target and stop for IF → Bracket). */
function BracketTicks(props: {
  readonly store: TicketStore;
  readonly t: TicketState;
  readonly fields: readonly (typeof BRACKET_FIELDS)[number][];
}) {
  return props.fields.map((f) => (
    <TicksInput
      key={f.field}
      label={f.label}
      testId={f.testId}
      placeholder={f.placeholder}
      value={props.t[f.field]}
      onChange={(v) => {
        props.store.getState().setAlgoText(f.field, v);
      }}
    />
  ));
}

/** The algo row: what the ticket sends, a plain order or one of the engine's algorithms. */
function AlgoRow({ store, t }: { readonly store: TicketStore; readonly t: TicketState }) {
  const s = store.getState();
  return (
    <div className="tk-row tk-algo" data-testid="ticket-algo">
      <span className="tk-row__label">Algo</span>
      <Segmented<TicketKind>
        label="Algorithm"
        name="kind"
        options={TICKET_KINDS}
        value={t.kind}
        text={(k) => KIND_TEXT[k]}
        title={(k) => KIND_TITLE[k]}
        onChange={(k) => {
          s.setKind(k);
        }}
      />
    </div>
  );
}

const ALGO_FIELDS_LABEL: Readonly<Record<Exclude<TicketKind, 'order'>, string>> = {
  bracket: 'Bracket',
  iceberg: 'Iceberg',
  twap: 'TWAP',
  vwap: 'VWAP',
  conditional: 'If',
};

/** A condition as the select shows it (short) and as its title says it. */
const CONDITION_TEXT: Readonly<Record<TicketCondition, readonly [string, string]>> = {
  priceAbove: ['LTP ≥', 'The last price reaches the level from below'],
  priceBelow: ['LTP ≤', 'The last price reaches the level from above'],
  closeAbove: ['Close ≥', 'A bar of the interval closes at or above the level'],
  closeBelow: ['Close ≤', 'A bar of the interval closes at or below the level'],
  smaAbove: ['SMA ↑', "The SMA of the interval's closes crosses above the level"],
  smaBelow: ['SMA ↓', "The SMA of the interval's closes crosses below the level"],
  emaAbove: ['EMA ↑', "The EMA of the interval's closes crosses above the level"],
  emaBelow: ['EMA ↓', "The EMA of the interval's closes crosses below the level"],
  rsiAbove: ['RSI ↑', "The RSI (0–100) of the interval's closes crosses above the value"],
  rsiBelow: ['RSI ↓', "The RSI (0–100) of the interval's closes crosses below the value"],
  time: ['At', 'At a time of day, HH:MM IST (today, or tomorrow once past)'],
  range: [
    'OCO',
    'One order for each way out (OCO): the last price at or below the stop, or at or above the target, places that one, never both (LIMIT: each at its level)',
  ],
};

const WHERE_TITLE: Readonly<Record<TicketWhere, string>> = {
  ENGINE: 'ENGINE: waits in the engine, only while the app runs',
  GTT: 'GTT: set at the broker as a Kite GTT; lives on while the app is closed',
};

/**
 * Where a conditional waits, ENGINE or GTT, always shown. GTT takes a price condition and a LIMIT
 * order: otherwise it is greyed (still focusable, so its title, which says why, can be read).
 */
function WhereToggle({ store, t }: { readonly store: TicketStore; readonly t: TicketState }) {
  const blocked = gttBlocked(t);
  return (
    <div className="seg tk-where" role="radiogroup" aria-label="Where it waits" data-testid="ticket-where">
      {TICKET_WHERES.map((w) => {
        const off = w === 'GTT' && blocked !== '';
        return (
          <button
            key={w}
            type="button"
            role="radio"
            className="seg__option"
            aria-checked={t.where === w}
            aria-disabled={off}
            data-value={w}
            data-blocked={off}
            title={off ? `${WHERE_TITLE.GTT}. Not available: ${blocked}` : WHERE_TITLE[w]}
            onClick={() => {
              if (!off) store.getState().setWhere(w);
            }}
          >
            {w === 'ENGINE' ? 'ENG' : 'GTT'}
          </button>
        );
      })}
    </div>
  );
}

/** One of a condition's levels (a price, an RSI value, HH:MM; a range's stop or target). */
function ConditionLevel(props: {
  readonly store: TicketStore;
  readonly field: 'conditionText' | 'rangeAboveText';
  readonly testId: string;
  readonly title: string;
  readonly placeholder: string;
  readonly value: string;
}) {
  return (
    <input
      className="num tk-input tk-input--small tk-cond-level"
      data-testid={props.testId}
      aria-label={props.title}
      title={props.title}
      inputMode="decimal"
      autoComplete="off"
      placeholder={props.placeholder}
      value={props.value}
      onChange={(e) => {
        props.store.getState().setAlgoText(props.field, e.target.value);
      }}
    />
  );
}

/** The conditional's condition: its select, its level (a range's two), bars and period as it takes them. */
function ConditionFields({ store, t }: { readonly store: TicketStore; readonly t: TicketState }) {
  const s = store.getState();
  const indicator = conditionIndicator(t.condition);
  const range = t.condition === 'range';
  const levelTitle =
    t.condition === 'time'
      ? 'At: HH:MM IST (24 h)'
      : indicator === 'rsi'
        ? 'RSI value, 0–100'
        : range
          ? 'Stop: the last price at or below it places the order (a price)'
          : `${CONDITION_TEXT[t.condition][0]} level: a price`;
  const targetTitle = 'Target: the last price at or above it places the order (a price)';
  return (
    <>
      <select
        className="tk-select tk-cond"
        data-condition={t.condition}
        data-testid="ticket-condition"
        aria-label="Condition"
        title={CONDITION_TEXT[t.condition][1]}
        value={t.condition}
        onChange={(e) => {
          s.setCondition(e.target.value as TicketCondition);
        }}
      >
        {TICKET_CONDITIONS.map((c) => (
          <option key={c} value={c} title={CONDITION_TEXT[c][1]}>
            {CONDITION_TEXT[c][0]}
          </option>
        ))}
      </select>
      <ConditionLevel
        store={store}
        field="conditionText"
        testId="ticket-condition-level"
        title={levelTitle}
        placeholder={
          t.condition === 'time' ? 'HH:MM' : indicator === 'rsi' ? 'rsi' : range ? 'stop' : 'level'
        }
        value={t.conditionText}
      />
      {range ? (
        <ConditionLevel
          store={store}
          field="rangeAboveText"
          testId="ticket-condition-target"
          title={targetTitle}
          placeholder="target"
          value={t.rangeAboveText}
        />
      ) : null}
      {conditionUsesBars(t.condition) ? (
        <select
          className="tk-select tk-interval"
          data-testid="ticket-interval"
          aria-label="Bar interval"
          title="Bars of this interval (closed bars)"
          value={t.interval}
          onChange={(e) => {
            s.setInterval(e.target.value as TicketInterval);
          }}
        >
          {TICKET_INTERVALS.map((iv) => (
            <option key={iv} value={iv}>
              {iv}
            </option>
          ))}
        </select>
      ) : null}
      {indicator === undefined ? null : (
        <TicksInput
          label={`Period: bars, ${INDICATOR_PERIOD.min}–${INDICATOR_PERIOD.max}`}
          testId="ticket-period"
          placeholder="n"
          value={t.periodText}
          onChange={(v) => {
            s.setAlgoText('periodText', v);
          }}
        />
      )}
    </>
  );
}

/**
 * What a conditional does once met, on the line under its condition: where it waits (ENG or GTT),
 * or, with BKT (it starts a bracket, which waits in the engine), the bracket's target and stop.
 */
function ConditionThen({ store, t }: { readonly store: TicketStore; readonly t: TicketState }) {
  const s = store.getState();
  const range = t.condition === 'range';
  return (
    <>
      <label
        className="tk-ask tk-then-bracket"
        title={
          range
            ? 'Then a bracket: not for a range (OCO), which places one of its two orders'
            : 'Then a bracket: the order as its entry, then a target and a stop in ticks from its fill that cancel each other (waits in the engine)'
        }
      >
        <input
          type="checkbox"
          data-testid="ticket-then-bracket"
          checked={t.thenBracket}
          onChange={(e) => {
            s.setThenBracket(e.target.checked);
          }}
        />
        Bracket
      </label>
      {t.thenBracket ? <BracketTicks store={store} t={t} fields={BRACKET_FIELDS.slice(0, 2)} /> : null}
      <WhereToggle store={store} t={t} />
    </>
  );
}

/** A unit after a field of the algorithm's row (`min`, `%`): read with the field, not by itself. */
function Unit({ text }: { readonly text: string }) {
  return (
    <span className="tk-algo__unit" aria-hidden="true">
      {text}
    </span>
  );
}

/**
 * An algorithm's fields, in the row a plain order's validity has (an algorithm takes none: the
 * engine sets its orders' validity): a bracket's target, stop, trail and break-even in ticks from
 * the entry's fill; an iceberg's legs and random sizes; a TWAP's window, slices and cap; a VWAP's
 * window and cap. One row of fixed height whatever is chosen, so nothing below moves.
 */
function AlgoFieldsRow({
  store,
  t,
  kind,
}: {
  readonly store: TicketStore;
  readonly t: TicketState;
  readonly kind: Exclude<TicketKind, 'order'>;
}) {
  const s = store.getState();
  let fields: ReactNode;
  if (kind === 'conditional') {
    fields = <ConditionFields store={store} t={t} />;
  } else if (kind === 'bracket') {
    fields = <BracketTicks store={store} t={t} fields={BRACKET_FIELDS} />;
  } else if (kind === 'iceberg') {
    fields = (
      <>
        <TicksInput
          label={`Legs (${ICEBERG_LEGS.min}–${ICEBERG_LEGS.max}): shown one at a time`}
          testId="ticket-legs"
          placeholder="legs"
          value={t.legsText}
          onChange={(v) => {
            s.setAlgoText('legsText', v);
          }}
        />
        <Unit text="legs" />
        <label className="tk-ask" title="Each leg's size varies at random by up to a fifth">
          <input
            type="checkbox"
            data-testid="ticket-randomise"
            checked={t.randomise}
            onChange={(e) => {
              s.setRandomise(e.target.checked);
            }}
          />
          Random
        </label>
      </>
    );
  } else {
    fields = (
      <>
        <TicksInput
          label={`Window: minutes, ${(SCHEDULE_SECONDS.min / 60).toFixed(2)} to ${SCHEDULE_SECONDS.max / 60} (0.5 is 30 s)`}
          testId="ticket-window"
          placeholder="min"
          decimal
          value={t.windowText}
          onChange={(v) => {
            s.setAlgoText('windowText', v);
          }}
        />
        <Unit text="min" />
        {kind === 'twap' ? (
          <>
            <TicksInput
              label={`Slices (${TWAP_SLICES.min}–${TWAP_SLICES.max}): one in each equal part of the window`}
              testId="ticket-slices"
              placeholder="slices"
              value={t.slicesText}
              onChange={(v) => {
                s.setAlgoText('slicesText', v);
              }}
            />
            <Unit text="slices" />
          </>
        ) : null}
        <TicksInput
          label={`Cap: the most of the market's volume it may be, percent (${CAP_PERCENT.min}–${CAP_PERCENT.max}; blank: no cap)`}
          testId="ticket-cap"
          placeholder="cap"
          decimal
          value={t.capText}
          onChange={(v) => {
            s.setAlgoText('capText', v);
          }}
        />
        <Unit text="%" />
      </>
    );
  }
  if (kind === 'conditional')
    // Two lines (the condition; then what it does), of fixed height whatever is chosen.
    return (
      <div className="tk-algo-block" data-testid="ticket-algo-fields" data-kind={kind}>
        <div className="tk-row tk-algo-fields">
          <span className="tk-row__label">{ALGO_FIELDS_LABEL[kind]}</span>
          {fields}
        </div>
        <div className="tk-row tk-algo-fields" data-testid="ticket-then">
          <span className="tk-row__label">Then</span>
          <ConditionThen store={store} t={t} />
        </div>
      </div>
    );
  return (
    <div className="tk-row tk-algo-fields" data-testid="ticket-algo-fields" data-kind={kind}>
      <span className="tk-row__label">{ALGO_FIELDS_LABEL[kind]}</span>
      {fields}
    </div>
  );
}

/**
 * A plain order above the freeze quantity (the exchange would refuse it): the ticket offers to send
 * it as an iceberg with legs of at most the freeze quantity, on the line under it.
 */
function FreezeProposal({
  store,
  proposal,
}: {
  readonly store: TicketStore;
  readonly proposal: { readonly freeze: number; readonly legs: number };
}) {
  return (
    <div className="tk-outcome" data-testid="ticket-outcome" data-kind="proposal">
      <button
        type="button"
        className="tk-proposal"
        data-testid="ticket-iceberg-proposal"
        title={`The exchange takes at most ${proposal.freeze} in one order: send it as an iceberg of ${proposal.legs} legs`}
        onClick={() => {
          store.getState().takeIceberg(proposal.legs);
        }}
      >
        Iceberg ×{proposal.legs} · &gt;{proposal.freeze}
      </button>
      <p
        className="tk-outcome__detail"
        title="Above the exchange's freeze quantity: one order would be refused"
      >
        1 order: refused
      </p>
    </div>
  );
}

/**
 * The SOR toggle: smart order routing of a plain LIMIT or MKT order on a share. At the right end of
 * the validity row, which it turns into the route row (a routed order's legs are DAY orders with
 * nothing disclosed), so it stays where it is, on or off. Space toggles it; Enter sends, as anywhere
 * on the ticket. Where routing cannot take the order it is greyed and says why (still focusable).
 */
function SorToggle({ store, t }: { readonly store: TicketStore; readonly t: TicketState }) {
  const blocked = sorBlocked(t, t.instrument);
  const on = sorOn(t, t.instrument);
  return (
    <button
      type="button"
      className="tk-sor"
      data-testid="ticket-sor"
      aria-pressed={on}
      aria-disabled={blocked !== ''}
      aria-label="Smart order routing between NSE and BSE"
      title={
        blocked !== ''
          ? `SOR: ${blocked}`
          : on
            ? 'Smart order routing on: the engine sends this order to NSE, BSE or both, by the price through the visible depth plus charges (Space turns it off)'
            : 'Smart order routing: send this order where it costs least after charges, NSE, BSE or split (Space turns it on)'
      }
      onClick={() => {
        if (blocked === '') store.getState().setSor(!on);
      }}
    >
      SOR
    </button>
  );
}

/**
 * The row under the algo row for a plain order: its validity, TTL and disclosed quantity, or, while
 * SOR is on, the route (a routed order's legs are DAY orders with nothing disclosed): the legs, the
 * expected average. The SOR toggle ends the row either way: the same element, so it keeps the focus
 * as the row turns.
 */
function PlainOrderRow({
  store,
  t,
  routing,
  routed,
  lots,
}: {
  readonly store: TicketStore;
  readonly t: TicketState;
  readonly routing: TicketRouting;
  readonly routed: boolean;
  readonly lots: boolean;
}) {
  const s = store.getState();
  const d = routing.decision;
  const style = t.instrument === undefined ? undefined : priceStyleOf(t.instrument);
  const dim = d !== undefined && (!routing.current || routing.stale);
  let legs: string;
  let tone: 'none' | 'muted' | 'alarm' = 'none';
  if (d !== undefined) legs = legsText(d);
  else if (routing.status === 'unavailable') [legs, tone] = ['not here', 'alarm'];
  else if (routing.status === 'failed') [legs, tone] = ['failed', 'alarm'];
  else if (routing.status === 'asking') [legs, tone] = ['routing…', 'muted'];
  else [legs, tone] = [EM_DASH, 'muted'];
  return (
    <div
      className={routed ? 'tk-row tk-route' : 'tk-row tk-validity'}
      data-testid={routed ? 'ticket-route' : 'ticket-validity-row'}
      data-status={routed ? routing.status : undefined}
      data-stale={routed ? dim : undefined}
      data-decided-at={routed ? (d?.decidedAt ?? '') : undefined}
      title={!routed || d === undefined || style === undefined ? undefined : decisionTitle(d, style)}
    >
      {routed ? (
        <Fragment key="route">
          <span className="tk-row__label">Route</span>
          <span className="tk-route__legs num" data-testid="ticket-route-legs" data-tone={tone}>
            {legs}
          </span>
          <span
            className="tk-route__avg num"
            data-testid="ticket-route-avg"
            title="The expected average price through the visible depth"
          >
            <span className="tk-route__approx" aria-hidden="true">
              ≈
            </span>
            {d === undefined || style === undefined ? EM_DASH : averageText(d, style)}
          </span>
        </Fragment>
      ) : (
        <Fragment key="validity">
          <span className="tk-row__label">Validity</span>
          <Segmented<TicketValidity>
            label="Validity"
            name="validity"
            options={TICKET_VALIDITIES}
            value={t.validity}
            onChange={(v) => {
              s.setValidity(v);
            }}
          />
          <input
            className="num tk-input tk-input--small"
            data-testid="ticket-ttl"
            aria-label="TTL minutes"
            title={`TTL: minutes the order lives (${TTL_MINUTES.min}–${TTL_MINUTES.max})`}
            inputMode="numeric"
            autoComplete="off"
            disabled={t.validity !== 'TTL'}
            placeholder="min"
            value={t.validity === 'TTL' ? t.ttlText : ''}
            onChange={(e) => {
              s.setTtlText(e.target.value);
            }}
          />
          <input
            className="num tk-input tk-input--small"
            data-testid="ticket-disclosed"
            aria-label={lots ? 'Disclosed quantity (lots)' : 'Disclosed quantity'}
            title="Disclosed quantity: what the exchange shows of the order (blank: all of it)"
            inputMode="numeric"
            autoComplete="off"
            placeholder="disc"
            value={t.disclosedText}
            onChange={(e) => {
              s.setDisclosedText(e.target.value);
            }}
          />
        </Fragment>
      )}
      <SorToggle key="sor" store={store} t={t} />
    </div>
  );
}

/**
 * Under the ticket while SOR is on and nothing was sent yet: why the engine would route it so, and
 * what each exchange showed (why one was not used). A stale or failed route says so, and that Enter
 * still sends (the engine routes again on its books as it places).
 */
function RouteLine({ routing }: { readonly routing: TicketRouting }) {
  const d = routing.decision;
  let message: string;
  let detail: string;
  if (routing.status === 'unavailable') {
    message = 'This window cannot route orders (no algos service).';
    detail = 'Turn SOR off to send the order to one exchange.';
  } else if (routing.status === 'idle') {
    message = routing.why;
    detail = '';
  } else if (routing.status === 'failed') {
    message = `✕ Route: ${routing.refusal?.message ?? 'no answer'}`;
    detail = `${d === undefined ? '' : `Last decision ${ageText(routing.checkedAt - routing.receivedAt)}: ${legsText(d)}. `}Enter still sends: the engine routes again as it places.`;
  } else if (d === undefined) {
    message = 'Asking the engine where it would go…';
    detail = '';
  } else {
    message = d.reason;
    detail = routing.stale
      ? `⚠ ${ageText(routing.checkedAt - routing.receivedAt)}, no fresh answer · ${venuesText(d)}`
      : venuesText(d);
  }
  return (
    <div
      className="tk-outcome tk-route-line"
      data-testid="ticket-outcome"
      data-kind="route"
      data-status={routing.status}
      data-stale={d !== undefined && (!routing.current || routing.stale)}
      role="status"
    >
      <p className="tk-outcome__message" data-testid="ticket-route-reason" title={message}>
        {message}
      </p>
      <p className="tk-outcome__detail" data-testid="ticket-route-venues" title={detail}>
        {detail}
      </p>
    </div>
  );
}

/** What a routed send came to: each leg placed (its state as it is now), each refused, and why. */
function RoutedLine({ outcome }: { readonly outcome: Extract<TicketOutcome, { kind: 'routed' }> }) {
  const rows = useOrders(selectOrderRows);
  const orders = outcome.orders.map((o) => rows.find((r) => r.clientOrderId === o.clientOrderId) ?? o);
  const message = routedText(orders, outcome.refused);
  const detail = routedDetail(outcome.decision, outcome.refused);
  return (
    <div
      className="tk-outcome"
      data-testid="ticket-outcome"
      data-kind={outcome.refused.length === 0 ? 'routed' : 'routed-partly'}
      data-client-order-ids={orders.map((o) => o.clientOrderId).join(' ')}
      role="status"
    >
      <p className="tk-outcome__message num" title={`${message}\n${detail}`}>
        {message}
      </p>
      <p className="tk-outcome__detail" title={detail}>
        {detail}
      </p>
    </div>
  );
}

/** The line under the ticket: what the last submit came to, or why the ticket cannot send. */
function OutcomeLine({
  outcome,
  blocked,
}: {
  readonly outcome: TicketOutcome | undefined;
  readonly blocked: string;
}) {
  if (outcome === undefined) {
    return (
      <div
        className="tk-outcome"
        data-testid="ticket-outcome"
        data-kind={blocked === '' ? 'none' : 'blocked'}
      >
        <p className="tk-outcome__message">{blocked}</p>
      </div>
    );
  }
  if (outcome.kind === 'sending') {
    return (
      <div className="tk-outcome" data-testid="ticket-outcome" data-kind="sending">
        <p className="tk-outcome__message">Sending…</p>
      </div>
    );
  }
  if (outcome.kind === 'placed') return <PlacedLine order={outcome.order} />;
  if (outcome.kind === 'started') return <StartedLine algo={outcome.algo} />;
  if (outcome.kind === 'routed') return <RoutedLine outcome={outcome} />;
  const r = outcome.refusal;
  return (
    <div
      className="tk-outcome"
      data-testid="ticket-refusal"
      data-kind={r.uncertain ? 'uncertain' : 'refused'}
      data-code={r.code}
      role="alert"
    >
      <p className="tk-outcome__message" title={r.message}>
        {r.uncertain ? '? ' : '✕ '}
        {r.message}
      </p>
      <p className="tk-outcome__detail" data-testid="ticket-suggestion" title={r.suggestion}>
        {r.suggestion}
      </p>
    </div>
  );
}

function paintLtp(cell: HTMLElement | null, instrument: InstrumentInfo, quote: Quote | undefined): void {
  if (cell === null) return;
  const text = quote === undefined ? EM_DASH : formatPriceUnits(quote.lastPrice, priceStyleOf(instrument));
  setCellText(cell, text);
}

export interface OrderTicketProps {
  /** The instrument to trade: the watchlist's selection. */
  readonly instrument: InstrumentInfo | undefined;
}

/**
 * The order ticket: side, quantity (lots for F&O), order type, price and trigger (arrows step a
 * tick), product, validity. Enter sends, Escape clears; F1 and F2 anywhere open it to buy or sell.
 * The engine's refusal (with what would pass) shows under it.
 */
export function OrderTicket({ instrument }: OrderTicketProps) {
  const data = useMarketData();
  const actions = useOrderActions();
  // The ticket's instrument's quotes: read when the ticket prefills or steps a price, never rendered.
  const [quotes] = useState(createTicketQuoteHolder);
  // Brackets and icebergs go to the engine's algos service (provided once at the window's root, as
  // the orders actions are).
  const algos = useContext(AlgosContext);
  const ordersHandle = useContext(OrdersContext);
  const [store] = useState(() =>
    createTicketStore({
      actions,
      startAlgo: algos === null ? undefined : (spec) => algos.actions.start(spec),
      // A routed order's legs are marked in the orders grid (the engine places them as ordinary orders).
      placeRouted:
        algos === null
          ? undefined
          : async (request) => {
              const out = await algos.actions.placeRouted(request);
              if (out.ok)
                ordersHandle?.store
                  .getState()
                  .routedPlaced(out.orders, { legs: legsText(out.decision), reason: out.decision.reason });
              return out;
            },
      lastPrice: (token) => quotes.lastPrice(token),
      instrument,
    }),
  );
  const ltpRef = useRef<HTMLSpanElement>(null);
  const quantityRef = useRef<HTMLInputElement>(null);
  const served = useOrders(selectServed);
  const blockedByReconciliation = useOrders(selectOrderEntryBlocked);
  const t = useStore(store, (s: TicketState) => s);
  const token = instrument?.instrumentToken;

  useEffect(() => {
    store.getState().instrumentChanged(instrument);
  }, [store, instrument]);

  useEffect(() => {
    if (instrument === undefined) return;
    paintLtp(ltpRef.current, instrument, undefined);
    const feed = startTicketQuote(
      data,
      instrument,
      (q) => {
        paintLtp(ltpRef.current, instrument, q);
      },
      () => {
        store.getState().prefill();
      },
    );
    quotes.hold(feed);
    return () => {
      quotes.release(feed);
      feed.dispose();
    };
    // The instrument is identified by its token.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, store, quotes, token]);

  // The ticket's hotkeys are the window registry's (listed and rebindable in the help overlay).
  // Rendered without a HotkeyHost (a test, a panel alone), F1/F2 are handled here as before.
  const hotkeys = useHotkeys();
  const positionsFeed = useContext(PositionsContext);
  const riskHandle = useContext(RiskContext);
  const confirmOrders = useHotkeysState(selectConfirmOrders);
  const commands = useMemo(
    () =>
      ticketHotkeys({
        ticket: store,
        confirmOrders: () => hotkeys?.store.getState().confirmOrders ?? true,
        setConfirmOrders: (on) => {
          hotkeys?.setConfirmOrders(on);
        },
        blocked: () => {
          const o = ordersHandle?.store.getState();
          if (o === undefined) return '';
          if (o.served === 'no') return 'this engine does not take orders yet.';
          return selectOrderEntryBlocked(o) ? 'new orders wait for the reconciliation with the broker.' : '';
        },
        focusQuantity,
        orders: ordersHandle ?? undefined,
        positions: positionsFeed?.store,
        risk: riskHandle?.actions,
      }),
    [store, hotkeys, ordersHandle, positionsFeed, riskHandle],
  );
  useCommands(commands);
  const buyKeys = useBindings('ticket.buy', ['F1']);
  const sellKeys = useBindings('ticket.sell', ['F2']);

  const marginSource = useContext(OrderMarginContext);
  const [marginStore] = useState(createTicketMarginStore);
  useEffect(() => {
    const feed = startTicketMargin(marginSource, store, marginStore);
    return () => {
      feed.dispose();
    };
  }, [marginSource, store, marginStore]);
  const margin = useStore(marginStore);

  // While SOR is on: where the engine would route the order now (asked as it changes, and each second).
  const [routingStore] = useState(createTicketRoutingStore);
  useEffect(() => {
    const feed = startTicketRouting(
      algos === null ? undefined : (r) => algos.actions.route(r),
      store,
      routingStore,
    );
    return () => {
      feed.dispose();
    };
  }, [algos, store, routingStore]);
  const routing = useStore(routingStore);

  useEffect(() => {
    if (hotkeys !== null) return undefined;
    const onKey = (e: globalThis.KeyboardEvent) => {
      const command = ticketCommandForKey(e);
      if (command === undefined) return;
      e.preventDefault();
      command.run(store.getState());
      quantityRef.current?.focus();
      quantityRef.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [store, hotkeys]);
  const tradeDay = useClock(selectIstDayStart);

  const s = store.getState();
  // An IF range's legs are priced at its levels: the price field is not read.
  const ocoLegs = t.kind === 'conditional' && t.condition === 'range';
  const why = untradable(t.instrument);
  const blocked =
    why !== ''
      ? why
      : served === 'no'
        ? 'This engine does not take orders yet.'
        : blockedByReconciliation
          ? 'New orders wait for the reconciliation with the broker.'
          : '';
  const sending = t.outcome?.kind === 'sending';
  const canSend = blocked === '' && !sending;

  const onFormKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (canSend) void s.submit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      s.clear();
    }
  };
  const arrows =
    (step: (direction: 1 | -1, steps: number) => void) => (e: KeyboardEvent<HTMLInputElement>) => {
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
      e.preventDefault();
      step(e.key === 'ArrowUp' ? 1 : -1, e.shiftKey ? 10 : 1);
    };
  const lots = t.instrument !== undefined && tradesInLots(t.instrument);
  // Charges and value are worked out here from the ticket as typed (a MARKET order at the last price).
  const routed = sorOn(t, t.instrument);
  const made = ticketOrder(asSent(t, t.instrument), t.instrument);
  const last = t.instrument === undefined ? 0 : quotes.lastPrice(t.instrument.instrumentToken);
  // With SOR on, the route's legs' charges (each on its exchange) once the engine has said where.
  const route = routed && routing.current ? routing.decision : undefined;
  // Charges go by the trade date's schedule (Budget 2026 changed F&O STT from 1 April 2026).
  const charges =
    made.ok && t.instrument !== undefined
      ? route === undefined
        ? ticketCharges(made.order, t.instrument, last, tradeDay)
        : routedCharges(route, made.order, t.instrument, tradeDay)
      : undefined;
  const value =
    made.ok && t.instrument !== undefined ? orderValuePaise(made.order, t.instrument, last) : undefined;
  const products = t.instrument === undefined ? TICKET_PRODUCTS : productsFor(t.instrument);
  const proposal = freezeProposal(t, t.instrument);

  return (
    <section className="panel ticket" data-testid="ticket" data-side={t.side} aria-labelledby="ticket-title">
      <header className="panel__head">
        <h2 className="panel__title" id="ticket-title">
          Order
        </h2>
        <span className="tk-symbol" data-testid="ticket-symbol">
          {t.instrument === undefined ? '' : `${t.instrument.exchange}:${t.instrument.tradingsymbol}`}
        </span>
        <span className="tk-ltp-label">LTP</span>
        <span className="num tk-ltp" ref={ltpRef} data-testid="ticket-ltp" />
      </header>
      <ReconciliationNotice />
      <form
        className="tk-form"
        aria-label="Order ticket"
        onKeyDown={onFormKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          if (canSend) void s.submit();
        }}
      >
        <div className="tk-sides" role="radiogroup" aria-label="Side">
          {(['BUY', 'SELL'] as const satisfies readonly Side[]).map((side) => (
            <button
              key={side}
              type="button"
              role="radio"
              className="tk-side"
              data-side={side}
              data-testid={`ticket-${side.toLowerCase()}`}
              aria-checked={t.side === side}
              onClick={() => {
                s.setSide(side);
              }}
            >
              {side === 'BUY' ? 'Buy' : 'Sell'}
              <kbd>{(side === 'BUY' ? buyKeys : sellKeys)[0] ?? ''}</kbd>
            </button>
          ))}
        </div>
        <div className="tk-numbers">
          <Field label={lots ? 'Qty (lots)' : 'Qty'} hint={quantityHint(t, t.instrument)}>
            <input
              ref={quantityRef}
              id={TICKET_QUANTITY_ID}
              className="num tk-input"
              data-testid="ticket-quantity"
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              value={t.quantityText}
              onChange={(e) => {
                s.setQuantityText(e.target.value);
              }}
              onKeyDown={arrows((d, n) => {
                s.stepQuantity(d, n);
              })}
            />
          </Field>
          <Field label="Price" hint={tickText(t.instrument)}>
            <input
              className="num tk-input"
              data-testid="ticket-price"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              disabled={!needsPrice(t.orderType) || ocoLegs}
              title={ocoLegs ? "OCO: each leg's limit is its level (stop, target)" : undefined}
              // A TWAP's or VWAP's slices without a limit go in at the touch, not at market.
              placeholder={
                ocoLegs ? 'levels' : needsPrice(t.orderType) ? '' : isScheduled(t.kind) ? 'touch' : 'market'
              }
              value={needsPrice(t.orderType) && !ocoLegs ? t.priceText : ''}
              onChange={(e) => {
                s.setPriceText(e.target.value);
              }}
              onKeyDown={arrows((d, n) => {
                s.stepPrice('price', d, n);
              })}
            />
          </Field>
          <Field label="Trigger" hint="">
            <input
              className="num tk-input"
              data-testid="ticket-trigger"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              disabled={!needsTrigger(t.orderType)}
              value={needsTrigger(t.orderType) ? t.triggerText : ''}
              onChange={(e) => {
                s.setTriggerText(e.target.value);
              }}
              onKeyDown={arrows((d, n) => {
                s.stepPrice('trigger', d, n);
              })}
            />
          </Field>
        </div>
        <div className="tk-row">
          <span className="tk-row__label">Type</span>
          <Segmented<OrderType>
            label="Order type"
            name="type"
            options={TICKET_ORDER_TYPES}
            value={t.orderType}
            text={(o) => TYPE_TEXT[o]}
            onChange={(o) => {
              s.setOrderType(o);
            }}
          />
        </div>
        <div className="tk-row">
          <span className="tk-row__label">Product</span>
          <Segmented<Product>
            label="Product"
            name="product"
            options={TICKET_PRODUCTS}
            value={t.product}
            enabled={(p) => products.includes(p)}
            onChange={(p) => {
              s.setProduct(p);
            }}
          />
          <Segmented<Variety>
            label="Variety"
            name="variety"
            options={TICKET_VARIETIES}
            value={t.variety}
            text={(v) => (v === 'amo' ? 'AMO' : 'REG')}
            onChange={(v) => {
              s.setVariety(v);
            }}
          />
        </div>
        <AlgoRow store={store} t={t} />
        {t.kind === 'order' ? (
          <PlainOrderRow store={store} t={t} routing={routing} routed={routed} lots={lots} />
        ) : (
          <AlgoFieldsRow store={store} t={t} kind={t.kind} />
        )}
        <MoneyLine
          charges={charges}
          value={value}
          margin={margin}
          {...(route === undefined ? {} : { chargesNote: `The route's charges: ${legsText(route)}` })}
        />
        {t.confirming !== undefined && t.instrument !== undefined ? (
          // The confirm step takes the submit button's and the outcome line's place (no layout jump
          // for the panels below), and handles its own Enter and Escape before the form's.
          <ConfirmStep
            order={t.confirming}
            instrument={t.instrument}
            onConfirm={() => {
              void s.confirm();
              focusQuantity();
            }}
            onCancel={() => {
              s.cancelConfirm();
            }}
          />
        ) : (
          <button
            type="submit"
            className="tk-submit"
            data-testid="ticket-submit"
            data-side={t.side}
            disabled={!canSend}
            title="Enter sends · Esc clears"
          >
            {submitLabel(t, t.instrument)}
          </button>
        )}
      </form>
      {t.confirming !== undefined && t.instrument !== undefined ? null : (
        <div className="tk-foot">
          {routed && t.outcome === undefined && blocked === '' ? (
            <RouteLine routing={routing} />
          ) : proposal !== undefined && t.outcome === undefined && blocked === '' ? (
            <FreezeProposal store={store} proposal={proposal} />
          ) : (
            <OutcomeLine outcome={t.outcome} blocked={blocked} />
          )}
          <label
            className="tk-ask"
            title="settings.confirmOrders: orders sent by hotkey ask first (every window)"
          >
            <input
              type="checkbox"
              data-testid="ticket-confirm-orders"
              checked={confirmOrders}
              disabled={hotkeys === null}
              onChange={(e) => {
                hotkeys?.setConfirmOrders(e.target.checked);
              }}
            />
            Ask
          </label>
        </div>
      )}
    </section>
  );
}
