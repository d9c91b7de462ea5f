import type { SupervisedProcessName, SupervisedProcessStatus } from '../../../shared/electronBridge';
import { formatIstTime } from '../../../shared/time/ist';
import type { ProcessRecord } from './processStore';

/** How loudly a process shows: `warn` when it is not running normally, `quiet` when it only has a past. */
export type ProcessLevel = 'warn' | 'quiet';

/** One status-bar item about a supervised process. */
export interface ProcessDisplay {
  readonly text: string;
  readonly level: ProcessLevel;
  /** Multi-line tooltip: state and since when (IST), the next start, restarts, last exit code. */
  readonly title: string;
}

const TITLE_NAMES: Readonly<Record<SupervisedProcessName, string>> = {
  engine: 'Engine',
  exchange: 'Local exchange',
};

/** A restart backoff in seconds: `0.2 s`, `6.4 s`, `10 s`. */
export function formatRestartDelay(ms: number): string {
  return ms < 9_950 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** `1 restart`, `3 restarts`. */
export function formatRestarts(restarts: number): string {
  return restarts === 1 ? '1 restart' : `${restarts} restarts`;
}

function tooltip({ status, since }: ProcessRecord): string {
  const lines = [`${TITLE_NAMES[status.name]} process: ${status.state} since ${formatIstTime(since)} IST`];
  if (status.state === 'restarting' && status.restartDelayMs !== null) {
    lines.push(`Next start ${formatRestartDelay(status.restartDelayMs)} after the exit`);
  }
  lines.push(`Restarts since the app started: ${status.restarts}`);
  lines.push(
    status.lastExitCode === null ? 'Last exit code: none yet' : `Last exit code: ${status.lastExitCode}`,
  );
  return lines.join('\n');
}

function itemText(status: SupervisedProcessStatus): string {
  const { name, restarts, lastExitCode, restartDelayMs } = status;
  const count = restarts > 0 ? ` · ${formatRestarts(restarts)}` : '';
  switch (status.state) {
    case 'running':
      return `${name} ↻${restarts}`;
    case 'starting':
      return `${name} starting…${count}`;
    case 'restarting':
      return restartDelayMs === null
        ? `${name} restarting${count}`
        : `${name} restarting in ${formatRestartDelay(restartDelayMs)}${count}`;
    case 'stopped':
      return lastExitCode === null ? `${name} stopped` : `${name} stopped (exit ${lastExitCode})`;
  }
}

/**
 * What the status bar shows about a process, or undefined when there is nothing to say (running,
 * never restarted). Restarting, stopped, and a restart in progress are warnings; a first start is
 * quiet, and so is a process that runs again after crashing earlier (`engine ↻3`).
 */
export function describeProcess(record: ProcessRecord): ProcessDisplay | undefined {
  const { state, restarts } = record.status;
  if (state === 'running' && restarts === 0) return undefined;
  const quiet = state === 'running' || (state === 'starting' && restarts === 0);
  return { text: itemText(record.status), level: quiet ? 'quiet' : 'warn', title: tooltip(record) };
}
