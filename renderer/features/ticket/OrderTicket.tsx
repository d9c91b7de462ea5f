import './ticket.css';
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { useStore } from 'zustand';
import type { InstrumentInfo, Quote } from '../../../shared/services/market';
import type { OrderType, Product, Side } from '../../../shared/services/orders';
import { EM_DASH, formatPriceUnits, priceStyleOf, useMarketData } from '../market';
import { ReconciliationNotice, selectOrderEntryBlocked, useOrderActions, useOrders } from '../orders';
import type { OrdersState } from '../orders';
import { ticketCommandForKey } from './ticketCommands';
import {
  TICKET_ORDER_TYPES,
  TICKET_PRODUCTS,
  TICKET_VALIDITIES,
  needsPrice,
  needsTrigger,
  productsFor,
  quantityHint,
  submitLabel,
  tickText,
  tradesInLots,
  untradable,
} from './ticketOrder';
import type { TicketValidity } from './ticketOrder';
import { createTicketQuoteHolder, startTicketQuote } from './ticketQuote';
import { createTicketStore } from './ticketStore';
import type { TicketOutcome, TicketState } from './ticketStore';

const selectServed = (s: OrdersState) => s.served;

/** The id of the quantity field, where F1 and F2 put the cursor. */
export const TICKET_QUANTITY_ID = 'ticket-quantity';

interface SegmentedProps<T extends string> {
  readonly label: string;
  readonly name: string;
  readonly options: readonly T[];
  readonly value: T;
  readonly enabled?: (option: T) => boolean;
  readonly onChange: (value: T) => void;
  readonly text?: (option: T) => string;
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
  if (outcome.kind === 'placed') {
    const o = outcome.order;
    return (
      <div
        className="tk-outcome"
        data-testid="ticket-outcome"
        data-kind="placed"
        data-client-order-id={o.clientOrderId}
        role="status"
      >
        <p className="tk-outcome__message">
          ✓ {o.side} {o.quantity} {o.tradingsymbol} placed · {o.state}
        </p>
        <p className="tk-outcome__detail num">{o.clientOrderId}</p>
      </div>
    );
  }
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
  if (cell.textContent !== text) cell.textContent = text;
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
  const [store] = useState(() =>
    createTicketStore({ actions, lastPrice: (token) => quotes.lastPrice(token), instrument }),
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

  useEffect(() => {
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
  }, [store]);

  const s = store.getState();
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
  const products = t.instrument === undefined ? TICKET_PRODUCTS : productsFor(t.instrument);

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
              <kbd>{side === 'BUY' ? 'F1' : 'F2'}</kbd>
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
              disabled={!needsPrice(t.orderType)}
              placeholder={needsPrice(t.orderType) ? '' : 'market'}
              value={needsPrice(t.orderType) ? t.priceText : ''}
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
          <Segmented<TicketValidity>
            label="Validity"
            name="validity"
            options={TICKET_VALIDITIES}
            value={t.validity}
            onChange={(v) => {
              s.setValidity(v);
            }}
          />
        </div>
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
        <OutcomeLine outcome={t.outcome} blocked={blocked} />
      </form>
    </section>
  );
}
