import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ProcessState, ProcessStore } from './processStore';

/** The window's store of supervised-process statuses, provided once at the root of the window. */
export const ProcessStoreContext = createContext<ProcessStore | null>(null);

/** Reads one value of the process store (pass an atomic selector); re-renders only when it changes. */
export function useProcesses<T>(selector: (state: ProcessState) => T): T {
  const store = useContext(ProcessStoreContext);
  if (store === null) throw new Error('useProcesses needs a ProcessStoreContext provider');
  return useStore(store, selector);
}
