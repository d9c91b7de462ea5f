import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { HoldingView } from '../../../shared/services/portfolio';
import type { Served } from '../orders';

/** The broker's demat holdings, as last asked (they change overnight, not by the tick). */
export interface HoldingsState {
  readonly served: Served;
  readonly holdings: readonly HoldingView[];
  /** When they were last fetched, epoch ms (0: never). */
  readonly at: number;
  readonly loading: boolean;
  /** Why the last fetch failed, '' when it did not. */
  readonly problem: string;
  readonly loadingChanged: (loading: boolean) => void;
  readonly received: (holdings: readonly HoldingView[], at: number) => void;
  readonly failed: (problem: string, served?: Served) => void;
}

export type HoldingsStore = StoreApi<HoldingsState>;

function bySymbol(a: HoldingView, b: HoldingView): number {
  return a.tradingsymbol < b.tradingsymbol
    ? -1
    : a.tradingsymbol > b.tradingsymbol
      ? 1
      : a.exchange < b.exchange
        ? -1
        : 1;
}

export function createHoldingsStore(initial: readonly HoldingView[] = []): HoldingsStore {
  return createStore<HoldingsState>()((set) => ({
    served: initial.length > 0 ? 'yes' : 'unknown',
    holdings: [...initial].sort(bySymbol),
    at: 0,
    loading: false,
    problem: '',
    loadingChanged: (loading) => {
      set({ loading });
    },
    received: (holdings, at) => {
      set({ holdings: [...holdings].sort(bySymbol), at, served: 'yes', problem: '', loading: false });
    },
    failed: (problem, served) => {
      set(served === undefined ? { problem, loading: false } : { problem, served, loading: false });
    },
  }));
}
