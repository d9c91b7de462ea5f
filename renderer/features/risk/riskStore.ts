import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { RiskStatus } from '../../../shared/services/risk';
import type { Served } from '../orders';
import type { Refusal } from '../orders';

/**
 * The engine's trading state (ACTIVE, REDUCING, HALTED) and its counters, at most ten times a second
 * (the engine conflates `risk.onStatus` at 100 ms), and the last kill-switch or reset that failed.
 */
export interface RiskState {
  readonly served: Served;
  readonly status: RiskStatus | undefined;
  readonly busy: boolean;
  readonly problem: Refusal | undefined;
  readonly servedChanged: (served: Served) => void;
  readonly statusReceived: (status: RiskStatus) => void;
  readonly busyChanged: (busy: boolean) => void;
  readonly problemSeen: (problem: Refusal | undefined) => void;
}

export type RiskStore = StoreApi<RiskState>;

export function createRiskStore(initial?: RiskStatus): RiskStore {
  return createStore<RiskState>()((set, get) => ({
    served: initial === undefined ? 'unknown' : 'yes',
    status: initial,
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
    busyChanged: (busy) => {
      set({ busy });
    },
    problemSeen: (problem) => {
      set({ problem });
    },
  }));
}
