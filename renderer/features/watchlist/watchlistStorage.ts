import { z } from 'zod';
import type { Disposable } from '../../../shared/disposable';
import { toDisposable } from '../../../shared/disposable';
import { InstrumentInfoSchema } from '../../../shared/services/market';
import type { WatchlistSnapshot, WatchlistStore } from './watchlistStore';

/** Where the watchlist is kept until layouts are persisted by the engine (a later issue). */
export const WATCHLIST_STORAGE_KEY = 'shrivenq.watchlist.v1';

const SavedSchema = z.object({
  instruments: z.array(InstrumentInfoSchema).max(500),
  selectedToken: z.number().int().optional(),
});

/** The parts of Storage used here (localStorage in the window, a Map in tests). */
export type WatchlistStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The saved watchlist, or undefined when there is none (first start: seed it) or it cannot be
 * read (then it is seeded afresh, rather than half-trusted).
 */
export function loadWatchlist(storage: WatchlistStorage | undefined): WatchlistSnapshot | undefined {
  let text: string | null;
  try {
    text = storage?.getItem(WATCHLIST_STORAGE_KEY) ?? null;
  } catch {
    return undefined;
  }
  if (text === null) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = SavedSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return { instruments: parsed.data.instruments, selectedToken: parsed.data.selectedToken };
}

/** Saves the list and the selection on every change, once it is initialized. */
export function persistWatchlist(store: WatchlistStore, storage: WatchlistStorage | undefined): Disposable {
  if (storage === undefined) return toDisposable(() => undefined);
  return toDisposable(
    store.subscribe((s, prev) => {
      if (!s.initialized) return;
      if (s.instruments === prev.instruments && s.selectedToken === prev.selectedToken && prev.initialized)
        return;
      const saved =
        s.selectedToken === undefined
          ? { instruments: s.instruments }
          : { instruments: s.instruments, selectedToken: s.selectedToken };
      try {
        storage.setItem(WATCHLIST_STORAGE_KEY, JSON.stringify(saved));
      } catch {
        // Storage full or disabled: the list lives for this session only.
      }
    }),
  );
}
