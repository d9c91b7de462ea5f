import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { HoldingsHandle } from './holdingsBridge';
import type { HoldingsState } from './holdingsStore';

/** The window's holdings, provided once at the root of the window. */
export const HoldingsContext = createContext<HoldingsHandle | null>(null);

export function useHoldingsHandle(): HoldingsHandle {
  const handle = useContext(HoldingsContext);
  if (handle === null) throw new Error('useHoldings needs a HoldingsContext provider');
  return handle;
}

export function useHoldings<T>(selector: (state: HoldingsState) => T): T {
  return useStore(useHoldingsHandle().store, selector);
}
