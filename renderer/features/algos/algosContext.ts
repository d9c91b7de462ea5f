import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AlgoActions, AlgosHandle } from './algosBridge';
import type { AlgosState } from './algosStore';

/** The window's algorithms (store and commands), provided once at the root of the window. */
export const AlgosContext = createContext<AlgosHandle | null>(null);

/** The window's algorithms handle (store and commands). */
export function useAlgos(): AlgosHandle {
  const handle = useContext(AlgosContext);
  if (handle === null) throw new Error('useAlgos needs an AlgosContext provider');
  return handle;
}

/** Reads one value of the algos store (pass an atomic selector). */
export function useAlgosState<T>(selector: (state: AlgosState) => T): T {
  return useStore(useAlgos().store, selector);
}

/** The algorithm commands (start, modify, cancel). */
export function useAlgoActions(): AlgoActions {
  return useAlgos().actions;
}
