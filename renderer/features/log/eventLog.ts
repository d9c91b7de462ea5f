import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Disposable } from '../../../shared/disposable';
import type { OrderView, TradeView } from '../../../shared/services/orders';
import type { EngineStore } from '../engine';
import { formatPriceUnits, formatQuantity } from '../market';
import { orderPriceStyle } from '../orders';
import type { OrdersStore } from '../orders';
import type { RiskStore } from '../risk';
import type { SessionStore } from '../session';
import type { TradesHandle } from '../trades';
import { watchOrders } from './orderEvents';
import { RingBuffer } from './ringBuffer';

/** One line of the log. */
export interface LogEntry {
  readonly seq: number;
  /** When the window heard of it, epoch ms. */
  readonly at: number;
  readonly source: 'order' | 'fill' | 'connection' | 'session' | 'risk';
  readonly level: 'info' | 'ok' | 'warn' | 'alarm';
  readonly text: string;
}

export interface EventLogState {
  /** Newest first, at most the log's capacity. Changes only when something happens (rarely). */
  readonly entries: readonly LogEntry[];
  /** Entries ever logged, those dropped from the ring too. */
  readonly total: number;
}

export type EventLogStore = StoreApi<EventLogState>;

export interface EventLog extends Disposable {
  readonly store: EventLogStore;
  /** Adds a line (the feeds below call it; so may anything else of the window). */
  log(source: LogEntry['source'], level: LogEntry['level'], text: string): void;
  clear(): void;
}

/** How many lines the log keeps. */
export const LOG_CAPACITY = 500;

/** A ring buffer of the window's events, as a store the log panel reads. */
export function createEventLog(capacity = LOG_CAPACITY, now: () => number = Date.now): EventLog {
  const ring = new RingBuffer<LogEntry>(capacity);
  let seq = 0;
  const store = createStore<EventLogState>()(() => ({ entries: [], total: 0 }));
  return {
    store,
    log(source, level, text) {
      ring.push({ seq: ++seq, at: now(), source, level, text });
      store.setState({ entries: ring.newestFirst(), total: ring.total });
    },
    clear() {
      ring.clear();
      store.setState({ entries: [] });
    },
    dispose: () => undefined,
  };
}

function orderLabel(o: OrderView): string {
  const style = orderPriceStyle(o.priceDivisor);
  const at =
    o.orderType === 'MARKET' || o.orderType === 'SL-M'
      ? 'at market'
      : `@ ${formatPriceUnits(o.price, style)}`;
  return `${o.side} ${formatQuantity(o.quantity)} ${o.tradingsymbol} ${o.orderType} ${at} (${o.clientOrderId})`;
}

function fillLabel(t: TradeView): string {
  return `Filled ${t.side} ${formatQuantity(t.quantity)} ${t.tradingsymbol} @ ${formatPriceUnits(t.price, orderPriceStyle(t.priceDivisor))} (${t.clientOrderId})`;
}

export interface EventLogSources {
  readonly orders: OrdersStore;
  readonly trades: TradesHandle;
  readonly engine: EngineStore;
  readonly session: SessionStore;
  readonly risk: RiskStore;
  /** When the window opened (orders made before it are not "placed" now). */
  readonly startedAt: number;
}

/**
 * Feeds `log` from the window's stores: orders placed, rejected (with the reason), complete and
 * cancelled; each new fill; the engine link going and coming; the broker session and feed; the
 * trading state (ACTIVE, REDUCING, HALTED) and a failed kill switch or reset.
 */
export function startEventLogFeeds(log: EventLog, sources: EventLogSources): Disposable {
  const unsubscribes: (() => void)[] = [];
  unsubscribes.push(
    watchOrders(
      sources.orders,
      (e) => {
        switch (e.kind) {
          case 'placed':
            log.log('order', 'info', `Placed ${orderLabel(e.order)}`);
            break;
          case 'rejected':
            log.log(
              'order',
              'alarm',
              `Rejected ${orderLabel(e.order)}: ${e.order.reason || 'no reason given'}`,
            );
            break;
          case 'complete':
            log.log('order', 'ok', `Complete ${orderLabel(e.order)}`);
            break;
          case 'cancelled':
            log.log(
              'order',
              'info',
              `Cancelled ${orderLabel(e.order)}${e.order.reason === '' ? '' : `: ${e.order.reason}`}`,
            );
            break;
        }
      },
      sources.startedAt,
    ),
  );
  const trades = sources.trades.onNewTrade((t) => {
    log.log('fill', 'ok', fillLabel(t));
  });
  unsubscribes.push(() => {
    trades.dispose();
  });

  unsubscribes.push(
    sources.engine.subscribe((s, prev) => {
      const c = s.connection;
      if (c.status === prev.connection.status) return;
      if (c.status === 'connected') log.log('connection', 'ok', 'Engine connected');
      else if (c.status === 'reconnecting' && prev.connection.status === 'connected')
        log.log(
          'connection',
          'warn',
          `Engine link lost${c.lastError === undefined ? '' : `: ${c.lastError}`}; reconnecting`,
        );
      else if (c.status === 'closed') log.log('connection', 'alarm', 'Engine link closed');
    }),
  );

  unsubscribes.push(
    sources.session.subscribe((s, prev) => {
      const now = s.session;
      const was = prev.session;
      if (now === undefined) return;
      if (was?.state !== now.state || was.mode !== now.mode) {
        const who = now.userId === '' ? '' : ` as ${now.userId}`;
        const why = now.message === '' ? '' : `: ${now.message}`;
        const level = now.state === 'logged-in' ? 'ok' : now.state === 'failed' ? 'alarm' : 'info';
        log.log('session', level, `Session ${now.mode.toUpperCase()} ${now.state}${who}${why}`);
      }
      if (was?.feed.state !== now.feed.state) {
        const problem = now.feed.lastProblem === '' ? '' : `: ${now.feed.lastProblem}`;
        log.log('session', now.feed.state === 'open' ? 'ok' : 'warn', `Feed ${now.feed.state}${problem}`);
      }
    }),
  );

  unsubscribes.push(
    sources.risk.subscribe((s, prev) => {
      const now = s.status;
      const was = prev.status;
      if (now !== undefined && was?.state !== now.state) {
        const level = now.state === 'ACTIVE' ? 'ok' : now.state === 'HALTED' ? 'alarm' : 'warn';
        log.log('risk', level, `Trading ${now.state}${now.reason === '' ? '' : ` — ${now.reason}`}`);
      }
      if (s.problem !== undefined && s.problem !== prev.problem) log.log('risk', 'alarm', s.problem.message);
    }),
  );

  return {
    dispose: () => {
      for (const u of unsubscribes) u();
    },
  };
}
