import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ClockState } from './clock';

/** The window's wall clock (see startClock), provided once at the root of the window. */
export const ClockContext = createContext<StoreApi<ClockState> | null>(null);

/** Reads the clock through `selector`; re-renders only when the selected value changes. */
export function useClock<T>(selector: (state: ClockState) => T): T {
  const store = useContext(ClockContext);
  if (store === null) throw new Error('useClock needs a ClockContext provider');
  return useStore(store, selector);
}
