import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { SupervisedProcessName, SupervisedProcessStatus } from '../../../shared/electronBridge';

/** The latest status main sent about one supervised process, and when its state last changed. */
export interface ProcessRecord {
  readonly status: SupervisedProcessStatus;
  /** When this window first saw the process in its current `state` (ms since the epoch). */
  readonly since: number;
}

/**
 * What the window knows about the child processes main supervises (the app only: web mode never
 * fills it). A process main has not reported on yet has no record.
 */
export interface ProcessState {
  readonly byName: Readonly<Partial<Record<SupervisedProcessName, ProcessRecord>>>;

  readonly statusReceived: (status: SupervisedProcessStatus) => void;
}

export type ProcessStore = StoreApi<ProcessState>;

function sameStatus(a: SupervisedProcessStatus, b: SupervisedProcessStatus): boolean {
  return (
    a.state === b.state &&
    a.restarts === b.restarts &&
    a.lastExitCode === b.lastExitCode &&
    a.restartDelayMs === b.restartDelayMs
  );
}

/** One store per window. `initial` sets the starting records (tests, server rendering). */
export function createProcessStore(
  initial: ProcessState['byName'] = {},
  now: () => number = Date.now,
): ProcessStore {
  return createStore<ProcessState>()((set, get) => ({
    byName: initial,

    statusReceived: (status) => {
      const previous = get().byName[status.name];
      // Main repeats every status each time the window asks for an engine port: not news.
      if (previous !== undefined && sameStatus(previous.status, status)) return;
      const since = previous !== undefined && previous.status.state === status.state ? previous.since : now();
      set({ byName: { ...get().byName, [status.name]: { status, since } } });
    },
  }));
}
