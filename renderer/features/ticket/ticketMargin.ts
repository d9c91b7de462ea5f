import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Disposable } from '../../../shared/disposable';
import type { OrderMarginRequest, OrderMarginView } from '../../../shared/services/portfolio';
import { refusalOf } from '../orders';
import { asSent, ticketOrder } from './ticketOrder';
import type { TicketStore } from './ticketStore';

/** Asks the engine what an order needs (portfolio.orderMargin). */
export type OrderMarginSource = (request: OrderMarginRequest) => Promise<OrderMarginView>;

/** The margin line of the ticket. */
export type TicketMargin =
  /** No margin source here (the engine's portfolio.orderMargin not wired to this window). */
  | { readonly kind: 'unavailable' }
  /** The ticket does not make a complete order yet. */
  | { readonly kind: 'idle' }
  /** Asked; `last` is the previous answer, shown dimmed meanwhile. */
  | { readonly kind: 'loading'; readonly last: OrderMarginView | undefined }
  | { readonly kind: 'ok'; readonly view: OrderMarginView }
  | { readonly kind: 'refused'; readonly message: string };

export interface TicketMarginFeed extends Disposable {
  readonly store: StoreApi<TicketMargin>;
}

/** A margin line's store, before anything is known. */
export function createTicketMarginStore(): StoreApi<TicketMargin> {
  return createStore<TicketMargin>()(() => ({ kind: 'idle' }));
}

/** How long the ticket must stay unchanged before it asks: at most ~3 calls a second while typing. */
export const MARGIN_DEBOUNCE_MS = 300;

/** The margin request of an order the ticket makes. */
export function marginRequestOf(order: ReturnType<typeof ticketOrder>): OrderMarginRequest | undefined {
  if (!order.ok) return undefined;
  const o = order.order;
  return {
    instrumentToken: o.instrumentToken,
    side: o.side,
    quantity: o.quantity,
    orderType: o.orderType,
    product: o.product,
    variety: o.variety ?? 'regular',
    ...(o.price === undefined ? {} : { price: o.price }),
    ...(o.triggerPrice === undefined ? {} : { triggerPrice: o.triggerPrice }),
  };
}

/**
 * Keeps the ticket's margin line on what its order would need: after the ticket has been still for
 * `debounceMs`, asks `source` (once per distinct order); an answer to an older question than the
 * last one asked is dropped, so a slow reply never overwrites a newer one.
 */
export function startTicketMargin(
  source: OrderMarginSource | undefined,
  ticket: TicketStore,
  store: StoreApi<TicketMargin> = createTicketMarginStore(),
  debounceMs = MARGIN_DEBOUNCE_MS,
): TicketMarginFeed {
  if (source === undefined) {
    store.setState({ kind: 'unavailable' }, true);
    return { store, dispose: () => undefined };
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = '';
  let serial = 0;
  let disposed = false;
  const lastView = (): OrderMarginView | undefined => {
    const s = store.getState();
    return s.kind === 'ok' ? s.view : s.kind === 'loading' ? s.last : undefined;
  };

  const ask = (request: OrderMarginRequest, key: string): void => {
    asked = key;
    serial += 1;
    const mine = serial;
    store.setState({ kind: 'loading', last: lastView() }, true);
    source(request).then(
      (view) => {
        if (!disposed && mine === serial) store.setState({ kind: 'ok', view }, true);
      },
      (e: unknown) => {
        if (!disposed && mine === serial)
          store.setState({ kind: 'refused', message: refusalOf(e).message }, true);
      },
    );
  };

  const changed = (): void => {
    const s = ticket.getState();
    // With SOR on, the hidden validity fields do not count (a routed order's legs are DAY orders).
    const request = marginRequestOf(ticketOrder(asSent(s, s.instrument), s.instrument));
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (request === undefined) {
      asked = '';
      serial += 1; // an answer still on its way is for an order no longer on the ticket
      store.setState({ kind: 'idle' }, true);
      return;
    }
    const key = JSON.stringify(request);
    if (key === asked) return;
    timer = setTimeout(() => {
      timer = undefined;
      ask(request, key);
    }, debounceMs);
  };

  const unsubscribe = ticket.subscribe(changed);
  changed();
  return {
    store,
    dispose: () => {
      disposed = true;
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
