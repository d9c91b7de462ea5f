import { createContext, useContext } from 'react';
import type { Toasts } from './toastStore';

/** The window's toasts, provided once at the root of the window. */
export const ToastsContext = createContext<Toasts | null>(null);

export function useToasts(): Toasts | null {
  return useContext(ToastsContext);
}
