import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { EventLog, EventLogState } from './eventLog';

/** The window's event log, provided once at the root of the window. */
export const EventLogContext = createContext<EventLog | null>(null);

export function useEventLogHandle(): EventLog {
  const log = useContext(EventLogContext);
  if (log === null) throw new Error('useEventLog needs an EventLogContext provider');
  return log;
}

export function useEventLog<T>(selector: (state: EventLogState) => T): T {
  return useStore(useEventLogHandle().store, selector);
}
