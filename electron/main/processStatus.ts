import type { SupervisedState } from '../../shared/supervision';

// To move into shared/electronBridge.ts. The preload mirrors both strings (it may not import main);
// channels.test.ts keeps the copies equal.

/** ipc channel (main -> preload): one `SupervisedProcessStatus` whenever a child process changes state. */
export const IPC_PROCESS_STATUS = 'process:status';
/**
 * `window.postMessage` data type with which the preload passes a status into the page:
 * `{ type: PROCESS_STATUS_MESSAGE, status: SupervisedProcessStatus }`.
 */
export const PROCESS_STATUS_MESSAGE = 'shrivenq:process-status';

/** The child processes main supervises. */
export type SupervisedProcessName = 'engine' | 'exchange';

/** What the UI shows about a supervised process. Plain data. */
export interface SupervisedProcessStatus {
  readonly name: SupervisedProcessName;
  readonly state: SupervisedState;
  /** Restarts after unexpected exits since the app started. */
  readonly restarts: number;
  /** Exit code of the most recent exit; null if it has not exited yet. */
  readonly lastExitCode: number | null;
  /** While `restarting`: the backoff before the next start, ms; otherwise null. */
  readonly restartDelayMs: number | null;
}
