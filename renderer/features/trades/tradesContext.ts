import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { TradesHandle } from './tradesBridge';
import type { TradesState } from './tradesStore';

/** The window's fills, provided once at the root of the window. */
export const TradesContext = createContext<TradesHandle | null>(null);

export function useTradesHandle(): TradesHandle {
  const handle = useContext(TradesContext);
  if (handle === null) throw new Error('useTrades needs a TradesContext provider');
  return handle;
}

/** Reads one value of the trades store (pass an atomic selector). */
export function useTrades<T>(selector: (state: TradesState) => T): T {
  return useStore(useTradesHandle().store, selector);
}
