import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Disposable } from '../../../shared/disposable';
import type { RouteDecision, RouteRequest } from '../../../shared/services/algos';
import type { RouteOutcome } from '../algos';
import type { Refusal } from '../orders';
import { sorOn, ticketRoute } from './ticketOrder';
import type { TicketStore } from './ticketStore';

/** Asks the engine where an order would go (algos.route; nothing is placed). */
export type RouteSource = (request: RouteRequest) => Promise<RouteOutcome>;

/**
 * The ticket's live routing decision while SOR is on. `status` says what the feed is doing;
 * `decision` is the latest answer, kept while a newer one is asked for (`current` false: it was for
 * the order as it was) and after a failure (then `stale` soon says how old it is).
 */
export interface TicketRouting {
  /**
   * off: SOR is off (or cannot take the ticket's order); unavailable: this window has no routing;
   * idle: the ticket does not make a complete order (`why`); asking: a question is out;
   * ok: `decision` is the engine's answer for the order on the ticket; failed: the last ask was refused.
   */
  readonly status: 'off' | 'unavailable' | 'idle' | 'asking' | 'ok' | 'failed';
  readonly why: string;
  readonly refusal: Refusal | undefined;
  readonly decision: RouteDecision | undefined;
  /** The decision is for the order on the ticket now (false: for what it was before the last change). */
  readonly current: boolean;
  /** When the decision came, this window's clock (epoch ms); 0 before one. */
  readonly receivedAt: number;
  /** No fresh answer for `staleMs`: the books may have moved since. */
  readonly stale: boolean;
  /** When the feed last found the decision old or the engine failing (its age is `checkedAt - receivedAt`). */
  readonly checkedAt: number;
}

const OFF: TicketRouting = {
  status: 'off',
  why: '',
  refusal: undefined,
  decision: undefined,
  current: false,
  receivedAt: 0,
  stale: false,
  checkedAt: 0,
};

export function createTicketRoutingStore(): StoreApi<TicketRouting> {
  return createStore<TicketRouting>()(() => OFF);
}

/** How the feed paces itself. */
export const ROUTING_TIMING = {
  /** The ticket still for this long before a changed order is asked about. */
  debounceMs: 150,
  /** Asked again this often while SOR is on (the books move). */
  refreshMs: 1_000,
  /** A decision without a fresh answer for this long is shown stale. */
  staleMs: 3_000,
} as const;

export interface TicketRoutingFeed extends Disposable {
  readonly store: StoreApi<TicketRouting>;
}

/**
 * Keeps `store` on where the ticket's order would be routed while SOR is on: after a change and
 * `debounceMs` of stillness, then every `refreshMs` (one question out at a time; an answer to an
 * older question than the last is dropped, so a slow reply never overwrites a newer one). Off, it
 * asks nothing and keeps no timer.
 */
export function startTicketRouting(
  source: RouteSource | undefined,
  ticket: TicketStore,
  store: StoreApi<TicketRouting> = createTicketRoutingStore(),
  timing: Partial<typeof ROUTING_TIMING> = {},
): TicketRoutingFeed {
  const { debounceMs, refreshMs, staleMs } = { ...ROUTING_TIMING, ...timing };
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let refresh: ReturnType<typeof setInterval> | undefined;
  let key = '';
  let request: RouteRequest | undefined;
  let serial = 0;
  /** The serial of the question out, if any. */
  let out: number | undefined;
  let disposed = false;
  const set = (change: Partial<TicketRouting>): void => {
    store.setState(change);
  };

  const stopTimers = (): void => {
    if (debounce !== undefined) clearTimeout(debounce);
    if (refresh !== undefined) clearInterval(refresh);
    debounce = undefined;
    refresh = undefined;
  };

  const ask = (): void => {
    if (source === undefined || request === undefined) return;
    serial += 1;
    const mine = serial;
    const asked = key;
    out = mine;
    if (store.getState().status !== 'ok' || !store.getState().current) set({ status: 'asking' });
    void source(request).then((outcome) => {
      if (disposed || mine !== serial) return;
      out = undefined;
      if (asked !== key) return;
      if (outcome.ok)
        set({
          status: 'ok',
          refusal: undefined,
          decision: outcome.decision,
          current: true,
          receivedAt: Date.now(),
          stale: false,
        });
      else set({ status: 'failed', refusal: outcome.refusal, checkedAt: Date.now() });
    });
  };

  const tick = (): void => {
    const s = store.getState();
    const now = Date.now();
    if (s.decision !== undefined && now - s.receivedAt > staleMs) set({ stale: true, checkedAt: now });
    if (out === undefined && debounce === undefined) ask();
  };

  const changed = (): void => {
    const t = ticket.getState();
    if (!sorOn(t, t.instrument)) {
      stopTimers();
      key = '';
      request = undefined;
      serial += 1; // an answer on its way is for an order no longer routed
      out = undefined;
      if (store.getState().status !== 'off') store.setState(OFF, true);
      return;
    }
    if (source === undefined) {
      if (store.getState().status !== 'unavailable') store.setState({ ...OFF, status: 'unavailable' }, true);
      return;
    }
    const made = ticketRoute(t, t.instrument);
    if (!made.ok) {
      stopTimers();
      key = '';
      request = undefined;
      serial += 1;
      out = undefined;
      const why = made.refusal.message;
      if (store.getState().status !== 'idle' || store.getState().why !== why)
        store.setState({ ...OFF, status: 'idle', why }, true);
      return;
    }
    const next = JSON.stringify(made.request);
    if (next === key) return;
    key = next;
    request = made.request;
    // The decision shown is for the order as it was: dimmed until the answer for this one.
    if (store.getState().current) set({ current: false });
    if (store.getState().status === 'off' || store.getState().status === 'idle')
      set({ status: 'asking', why: '' });
    if (debounce !== undefined) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      ask();
    }, debounceMs);
    refresh ??= setInterval(tick, refreshMs);
  };

  const unsubscribe = ticket.subscribe(changed);
  changed();
  return {
    store,
    dispose: () => {
      disposed = true;
      unsubscribe();
      stopTimers();
    },
  };
}
