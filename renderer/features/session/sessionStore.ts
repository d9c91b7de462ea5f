import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { SessionState } from '../../../shared/services/session';

/** What the window knows of the broker session and the feed. */
export interface SessionStoreState {
  readonly session: SessionState | undefined;
  readonly sessionReceived: (session: SessionState) => void;
}

export type SessionStore = StoreApi<SessionStoreState>;

export function createSessionStore(initial?: SessionState): SessionStore {
  return createStore<SessionStoreState>()((set) => ({
    session: initial,
    sessionReceived: (session) => {
      set({ session });
    },
  }));
}
