import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { TradeView } from '../../../shared/services/orders';
import type { EngineLink } from '../market';
import type { OrdersService } from '../orders';
import type { TradesStore } from './tradesStore';

/** The window's fills: the store, and a way to hear of each fill that is new to this window. */
export interface TradesHandle extends Disposable {
  readonly store: TradesStore;
  /**
   * Calls `listener` with each fill this window had not seen once the day's list has loaded (not
   * the ones already done when the window opened, nor those a reconnect repeats).
   */
  onNewTrade(listener: (trade: TradeView) => void): Disposable;
}

/**
 * Keeps `store` on the engine's fills: `orders.trades` on every connection, then `orders.onTrades`.
 * An engine without the service answers UNKNOWN_METHOD, which the store records.
 */
export function startTrades(
  service: Pick<OrdersService, 'trades' | 'onTrades'>,
  link: EngineLink,
  store: TradesStore,
): TradesHandle {
  const owned = new DisposableStore();
  const listeners = new Set<(trade: TradeView) => void>();
  const known = new Set(store.getState().rows.map((t) => t.tradeId));

  const announce = (trades: readonly TradeView[]): void => {
    const wasLoaded = store.getState().loaded;
    const fresh = trades.filter((t) => !known.has(t.tradeId));
    for (const t of fresh) known.add(t.tradeId);
    if (!wasLoaded) return;
    for (const t of fresh.sort((a, b) => a.time - b.time)) for (const l of [...listeners]) l(t);
  };

  const fetch = (): void => {
    if (!link.isConnected()) return;
    service.trades().then(
      ({ trades }) => {
        announce(trades);
        store.getState().listed(trades);
      },
      (e: unknown) => {
        if (e instanceof RpcError && e.code === 'UNKNOWN_METHOD') store.getState().servedChanged('no');
      },
    );
  };
  owned.add(
    service.onTrades((t) => {
      announce([t]);
      store.getState().received(t);
    }),
  );
  owned.add(link.onConnected(fetch));
  fetch();

  return {
    store,
    onNewTrade: (listener) => {
      listeners.add(listener);
      return {
        dispose: () => {
          listeners.delete(listener);
        },
      };
    },
    dispose: () => {
      listeners.clear();
      owned.dispose();
    },
  };
}
