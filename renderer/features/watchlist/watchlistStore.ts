import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { InstrumentInfo } from '../../../shared/services/market';

/** The most instruments one watchlist holds (the quote stream takes at most 500 tokens). */
export const WATCHLIST_MAX = 200;

/**
 * The watchlist: which instruments, in the trader's order, and which one is selected (it drives the
 * chart and the depth). Prices are not here: they go from the stream to the DOM (watchlistQuotes).
 */
export interface WatchlistState {
  readonly instruments: readonly InstrumentInfo[];
  readonly selectedToken: number | undefined;
  /** False until the list has been seeded or the trader made it their own (first start). */
  readonly initialized: boolean;

  /** Adds the instrument at the end (if not there yet) and selects it. */
  readonly add: (instrument: InstrumentInfo) => void;
  /** The first-start list: adds each missing instrument; selects the first if none is. */
  readonly seed: (instruments: readonly InstrumentInfo[]) => void;
  /** Removes it; the selection moves to the row that takes its place. */
  readonly remove: (token: number) => void;
  /** Moves it one row up (-1) or down (+1). */
  readonly move: (token: number, delta: -1 | 1) => void;
  readonly select: (token: number) => void;
  /** Selects the row `delta` rows away from the selected one (stops at the ends). */
  readonly selectRelative: (delta: number) => void;
}

export type WatchlistStore = StoreApi<WatchlistState>;

export interface WatchlistSnapshot {
  readonly instruments: readonly InstrumentInfo[];
  readonly selectedToken: number | undefined;
}

/** One store per window; `initial` is what was saved (undefined on first start). */
export function createWatchlistStore(initial?: WatchlistSnapshot): WatchlistStore {
  return createStore<WatchlistState>()((set, get) => {
    const indexOf = (token: number | undefined) =>
      get().instruments.findIndex((i) => i.instrumentToken === token);
    return {
      instruments: initial?.instruments ?? [],
      selectedToken: initial?.selectedToken ?? initial?.instruments[0]?.instrumentToken,
      initialized: initial !== undefined,

      add: (instrument) => {
        const { instruments } = get();
        const token = instrument.instrumentToken;
        if (indexOf(token) >= 0 || instruments.length >= WATCHLIST_MAX) {
          set({ selectedToken: indexOf(token) >= 0 ? token : get().selectedToken, initialized: true });
          return;
        }
        set({ instruments: [...instruments, instrument], selectedToken: token, initialized: true });
      },

      seed: (seedInstruments) => {
        const have = new Set(get().instruments.map((i) => i.instrumentToken));
        const added = seedInstruments.filter((i) => {
          if (have.has(i.instrumentToken)) return false;
          have.add(i.instrumentToken);
          return true;
        });
        const instruments = [...get().instruments, ...added].slice(0, WATCHLIST_MAX);
        set({
          instruments,
          selectedToken: get().selectedToken ?? instruments[0]?.instrumentToken,
          initialized: true,
        });
      },

      remove: (token) => {
        const { instruments, selectedToken } = get();
        const at = indexOf(token);
        if (at < 0) return;
        const rest = instruments.filter((_, i) => i !== at);
        const nextSelected =
          selectedToken === token ? (rest[at] ?? rest[at - 1])?.instrumentToken : selectedToken;
        set({ instruments: rest, selectedToken: nextSelected, initialized: true });
      },

      move: (token, delta) => {
        const instruments = [...get().instruments];
        const at = indexOf(token);
        const to = at + delta;
        const moving = instruments[at];
        const other = instruments[to];
        if (moving === undefined || other === undefined) return;
        instruments[to] = moving;
        instruments[at] = other;
        set({ instruments, initialized: true });
      },

      select: (token) => {
        if (indexOf(token) >= 0) set({ selectedToken: token });
      },

      selectRelative: (delta) => {
        const { instruments } = get();
        if (instruments.length === 0) return;
        const at = indexOf(get().selectedToken);
        const to = at < 0 ? 0 : Math.min(instruments.length - 1, Math.max(0, at + delta));
        const target = instruments[to];
        if (target !== undefined) set({ selectedToken: target.instrumentToken });
      },
    };
  });
}

/** The selected instrument, or undefined. */
export function selectSelectedInstrument(s: WatchlistState): InstrumentInfo | undefined {
  return s.instruments.find((i) => i.instrumentToken === s.selectedToken);
}
