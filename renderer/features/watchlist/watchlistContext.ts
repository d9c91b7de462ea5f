import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { WatchlistQuotes } from './watchlistQuotes';
import type { WatchlistState, WatchlistStore } from './watchlistStore';

/** The window's watchlist: its store and the live-quote bridge its rows register with. */
export interface WatchlistHandle {
  readonly store: WatchlistStore;
  readonly quotes: WatchlistQuotes;
}

export const WatchlistContext = createContext<WatchlistHandle | null>(null);

export function useWatchlistHandle(): WatchlistHandle {
  const handle = useContext(WatchlistContext);
  if (handle === null) throw new Error('useWatchlist needs a WatchlistContext provider');
  return handle;
}

/** Reads one value of the watchlist store (pass an atomic selector). */
export function useWatchlist<T>(selector: (state: WatchlistState) => T): T {
  return useStore(useWatchlistHandle().store, selector);
}

/** The watchlist store itself, for commands (add, select) from other panels. */
export function useWatchlistStore(): WatchlistStore {
  return useWatchlistHandle().store;
}
