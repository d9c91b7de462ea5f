import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { realTimers } from '../../../shared/rpc/timers';
import type { Timers } from '../../../shared/rpc/timers';
import type { InstrumentInfo } from '../../../shared/services/market';
import type { MarketService } from '../market';

/** How long typing must pause before a search is sent. */
export const SEARCH_DEBOUNCE_MS = 50;
/** How many results the list shows. */
export const SEARCH_LIMIT = 30;

export interface SearchState {
  readonly query: string;
  readonly results: readonly InstrumentInfo[];
  /** The highlighted result (Enter picks it); -1 when there are none. */
  readonly active: number;
  readonly open: boolean;
  /** `searching` while an answer for the current query is awaited. */
  readonly status: 'idle' | 'searching' | 'done' | 'failed';
  readonly error: string;
  /** The last instrument picked (a new object per pick, so the same instrument twice is news). */
  readonly picked: { readonly instrument: InstrumentInfo } | undefined;

  readonly setQuery: (query: string) => void;
  readonly moveActive: (delta: number) => void;
  readonly setActive: (index: number) => void;
  /**
   * Picks the highlighted instrument (into `picked`, and clears the box). Pressed before the
   * answer to what was typed, it picks the best match of that answer when it comes, never a stale
   * row of the previous query's list.
   */
  readonly pick: () => void;
  readonly close: () => void;
}

export type SearchStore = StoreApi<SearchState>;

/**
 * Search as you type: each change waits SEARCH_DEBOUNCE_MS for the next keystroke, then asks
 * `market.search`; an answer to an older query than the one now in the box is dropped.
 */
export function createSearchStore(
  market: Pick<MarketService, 'search'>,
  timers: Timers = realTimers,
): SearchStore {
  let timer: unknown;
  let sequence = 0;
  let pickWhenAnswered = false;
  return createStore<SearchState>()((set, get) => {
    const reset = (): void => {
      sequence++;
      pickWhenAnswered = false;
      timers.clearTimeout(timer);
      set({ query: '', results: [], active: -1, open: false, status: 'idle', error: '' });
    };
    const pickActive = (): void => {
      const picked = get().results[get().active];
      if (picked === undefined) return;
      reset();
      set({ picked: { instrument: picked } });
    };
    const run = (query: string, mine: number): void => {
      market.search({ query, limit: SEARCH_LIMIT }).then(
        ({ instruments }) => {
          if (mine !== sequence) return;
          set({ results: instruments, active: instruments.length > 0 ? 0 : -1, status: 'done', error: '' });
          if (pickWhenAnswered) pickActive();
        },
        (e: unknown) => {
          if (mine !== sequence) return;
          pickWhenAnswered = false;
          set({
            results: [],
            active: -1,
            status: 'failed',
            error: e instanceof Error ? e.message : String(e),
          });
        },
      );
    };
    return {
      query: '',
      results: [],
      active: -1,
      open: false,
      status: 'idle',
      error: '',
      picked: undefined,

      setQuery: (query) => {
        const mine = ++sequence;
        pickWhenAnswered = false;
        timers.clearTimeout(timer);
        const trimmed = query.trim();
        if (trimmed === '') {
          set({ query, results: [], active: -1, open: false, status: 'idle', error: '' });
          return;
        }
        set({ query, open: true, status: 'searching' });
        timer = timers.setTimeout(() => {
          run(trimmed, mine);
        }, SEARCH_DEBOUNCE_MS);
      },

      moveActive: (delta) => {
        const { results, active } = get();
        if (results.length === 0) return;
        set({ active: Math.min(results.length - 1, Math.max(0, active + delta)), open: true });
      },

      setActive: (index) => {
        if (index >= 0 && index < get().results.length) set({ active: index });
      },

      pick: () => {
        if (get().status === 'searching') pickWhenAnswered = true;
        else pickActive();
      },

      close: reset,
    };
  });
}
