import { DisposableStore, toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { realTimers } from '../../../shared/rpc/timers';
import type { Timers } from '../../../shared/rpc/timers';
import type { EngineLink, MarketService } from '../market';
import type { WatchlistStore } from './watchlistStore';

/** What a new user sees at once: the most liquid names and the index. */
export const SEED_KEYS: readonly string[] = [
  'NSE:NIFTY 50',
  'NSE:RELIANCE',
  'NSE:HDFCBANK',
  'NSE:INFY',
  'NSE:TCS',
  'NSE:ICICIBANK',
  'NSE:SBIN',
];

/** How long to wait before asking again when the engine could not answer. */
export const SEED_RETRY_MS = 3_000;

/**
 * Fills an uninitialized watchlist (first start) from `market.lookup`, in SEED_KEYS order. Tries on
 * every connection and, while connected and still empty-handed, every SEED_RETRY_MS. Does nothing
 * once the list is initialized, by the seed or by the trader adding an instrument first.
 */
export function seedWatchlist(options: {
  readonly market: Pick<MarketService, 'lookup'>;
  readonly link: EngineLink;
  readonly store: WatchlistStore;
  readonly keys?: readonly string[];
  readonly timers?: Timers;
}): Disposable {
  const { market, link, store } = options;
  const keys = options.keys ?? SEED_KEYS;
  const timers = options.timers ?? realTimers;
  const owned = new DisposableStore();
  if (store.getState().initialized) return owned;
  let inFlight = false;
  let retry: unknown;
  let disposed = false;

  const attempt = (): void => {
    if (disposed || inFlight || store.getState().initialized || !link.isConnected()) return;
    inFlight = true;
    market.lookup({ keys: [...keys] }).then(
      ({ instruments }) => {
        inFlight = false;
        if (disposed || store.getState().initialized) return;
        const byKey = new Map(instruments.map((i) => [`${i.exchange}:${i.tradingsymbol}`, i]));
        const ordered = keys.flatMap((k) => {
          const found = byKey.get(k);
          return found === undefined ? [] : [found];
        });
        if (ordered.length > 0) store.getState().seed(ordered);
        else later();
      },
      () => {
        inFlight = false;
        later();
      },
    );
  };
  const later = (): void => {
    if (disposed) return;
    timers.clearTimeout(retry);
    retry = timers.setTimeout(attempt, SEED_RETRY_MS);
  };

  owned.add(link.onConnected(attempt));
  owned.add(
    toDisposable(() => {
      disposed = true;
      timers.clearTimeout(retry);
    }),
  );
  attempt();
  return owned;
}
