import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { EngineLink } from '../market';
import type { PortfolioService } from '../positions';
import type { HoldingsStore } from './holdingsStore';

export interface HoldingsHandle extends Disposable {
  readonly store: HoldingsStore;
  /** Asks the broker again (the panel's Refresh). */
  refresh(): void;
}

/**
 * Keeps `store` on the broker's holdings: fetched on every connection and on Refresh (they are the
 * broker's end-of-day book, so nothing streams them).
 */
export function startHoldings(
  portfolio: Pick<PortfolioService, 'holdings'>,
  link: EngineLink,
  store: HoldingsStore,
  now: () => number = Date.now,
): HoldingsHandle {
  const owned = new DisposableStore();
  const fetch = (): void => {
    if (!link.isConnected()) return;
    store.getState().loadingChanged(true);
    portfolio.holdings().then(
      ({ holdings }) => {
        store.getState().received(holdings, now());
      },
      (e: unknown) => {
        const notServed = e instanceof RpcError && e.code === 'UNKNOWN_METHOD';
        store.getState().failed(e instanceof Error ? e.message : String(e), notServed ? 'no' : undefined);
      },
    );
  };
  owned.add(link.onConnected(fetch));
  fetch();
  return {
    store,
    refresh: fetch,
    dispose: () => {
      owned.dispose();
    },
  };
}
