import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { RiskLimits, RiskStatus } from '../../../shared/services/risk';
import type { Served } from '../orders';
import type { Refusal } from '../orders';

/**
 * The engine's trading state (ACTIVE, REDUCING, HALTED) and its counters, at most ten times a second
 * (the engine conflates `risk.onStatus` at 100 ms), the pre-trade limits (fetched on each connection
 * and after a change), and the last kill-switch, reset or limit change that failed.
 */
export interface RiskState {
  readonly served: Served;
  readonly status: RiskStatus | undefined;
  readonly limits: RiskLimits | undefined;
  readonly busy: boolean;
  readonly problem: Refusal | undefined;
  readonly servedChanged: (served: Served) => void;
  readonly statusReceived: (status: RiskStatus) => void;
  readonly limitsReceived: (limits: RiskLimits) => void;
  readonly busyChanged: (busy: boolean) => void;
  readonly problemSeen: (problem: Refusal | undefined) => void;
}

export type RiskStore = StoreApi<RiskState>;

export function createRiskStore(initial?: RiskStatus, initialLimits?: RiskLimits): RiskStore {
  return createStore<RiskState>()((set, get) => ({
    served: initial === undefined ? 'unknown' : 'yes',
    status: initial,
    limits: initialLimits,
    busy: false,
    problem: undefined,
    servedChanged: (served) => {
      if (get().served !== served) set({ served });
    },
    statusReceived: (status) => {
      const was = get().status;
      if (was !== undefined && status.since < was.since) return; // an older answer after a newer event
      set({ status, served: 'yes' });
    },
    limitsReceived: (limits) => {
      set({ limits });
    },
    busyChanged: (busy) => {
      set({ busy });
    },
    problemSeen: (problem) => {
      set({ problem });
    },
  }));
}
