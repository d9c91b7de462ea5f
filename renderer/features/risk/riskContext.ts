import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { RiskHandle } from './riskBridge';
import type { RiskState } from './riskStore';

/** The window's risk state and kill switch, provided once at the root of the window. */
export const RiskContext = createContext<RiskHandle | null>(null);

export function useRiskHandle(): RiskHandle {
  const handle = useContext(RiskContext);
  if (handle === null) throw new Error('useRisk needs a RiskContext provider');
  return handle;
}

/** Reads one value of the risk store (pass an atomic selector). */
export function useRisk<T>(selector: (state: RiskState) => T): T {
  return useStore(useRiskHandle().store, selector);
}
