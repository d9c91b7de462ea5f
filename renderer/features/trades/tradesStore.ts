import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { TradeView } from '../../../shared/services/orders';
import type { Served } from '../orders';

/**
 * The day's fills, newest first. Fills come a few at a time (the engine sends each once, conflated
 * at 50 ms), so they are React state. `loaded` turns true with the first complete list
 * (`orders.trades`): fills after that are new to this window (toasts and the log say so), the ones
 * in it are not.
 */
export interface TradesState {
  readonly served: Served;
  readonly loaded: boolean;
  readonly rows: readonly TradeView[];
  readonly servedChanged: (served: Served) => void;
  /** `orders.trades`' answer: merged (a streamed fill may have come first). */
  readonly listed: (trades: readonly TradeView[]) => void;
  /** One fill from `orders.onTrades`. */
  readonly received: (trade: TradeView) => void;
}

export type TradesStore = StoreApi<TradesState>;

/** Newest first; ties by trade id, so rows never swap. */
export function compareTrades(a: TradeView, b: TradeView): number {
  if (a.time !== b.time) return b.time - a.time;
  return a.tradeId < b.tradeId ? 1 : a.tradeId > b.tradeId ? -1 : 0;
}

export function createTradesStore(initial: readonly TradeView[] = []): TradesStore {
  const byId = new Map(initial.map((t) => [t.tradeId, t]));
  const sorted = () => [...byId.values()].sort(compareTrades);
  return createStore<TradesState>()((set, get) => ({
    served: initial.length > 0 ? 'yes' : 'unknown',
    loaded: initial.length > 0,
    rows: sorted(),
    servedChanged: (served) => {
      if (get().served !== served) set({ served });
    },
    listed: (trades) => {
      let changed = false;
      for (const t of trades) {
        if (byId.has(t.tradeId)) continue;
        byId.set(t.tradeId, t);
        changed = true;
      }
      set(changed ? { served: 'yes', loaded: true, rows: sorted() } : { served: 'yes', loaded: true });
    },
    received: (trade) => {
      if (byId.has(trade.tradeId)) return; // a fill is sent once, but a reconnect opens with all of them
      byId.set(trade.tradeId, trade);
      set({ served: 'yes', rows: sorted() });
    },
  }));
}
