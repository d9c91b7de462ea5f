import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { SessionStore, SessionStoreState } from './sessionStore';

export const SessionStoreContext = createContext<SessionStore | null>(null);

export function useSession<T>(selector: (state: SessionStoreState) => T): T {
  const store = useContext(SessionStoreContext);
  if (store === null) throw new Error('useSession needs a SessionStoreContext provider');
  return useStore(store, selector);
}
