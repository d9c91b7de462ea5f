import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { EngineState, EngineStore } from './engineStore';

/** The window's engine store, provided once at the root of the window. */
export const EngineStoreContext = createContext<EngineStore | null>(null);

/**
 * Reads one value of the engine store and re-renders only when it changes. Pass an atomic
 * selector (one field, or a primitive derived from a few): a selector that builds a new object
 * re-renders on every update.
 */
export function useEngine<T>(selector: (state: EngineState) => T): T {
  const store = useContext(EngineStoreContext);
  if (store === null) throw new Error('useEngine needs an EngineStoreContext provider');
  return useStore(store, selector);
}
