import { toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { PROCESS_STATUS_MESSAGE } from '../../../shared/electronBridge';
import type { SupervisedProcessName, SupervisedProcessStatus } from '../../../shared/electronBridge';
import type { SupervisedState } from '../../../shared/supervision';
import type { ProcessStore } from './processStore';

/** The parts of a window "message" event read here. */
export interface StatusMessageEvent {
  readonly source: unknown;
  readonly data: unknown;
}

/** The parts of `window` used to receive process statuses. */
export interface StatusWindow {
  addEventListener(type: 'message', listener: (event: StatusMessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: StatusMessageEvent) => void): void;
}

const NAMES: ReadonlySet<string> = new Set<SupervisedProcessName>(['engine', 'exchange']);
const STATES: ReadonlySet<string> = new Set<SupervisedState>([
  'starting',
  'running',
  'restarting',
  'stopped',
]);
const MESSAGE_KEYS = ['status', 'type'] as const;
const STATUS_KEYS = ['lastExitCode', 'name', 'restartDelayMs', 'restarts', 'state'] as const;

/** True when `value` is a plain object whose own keys are exactly `keys` (given sorted). */
function hasExactKeys<K extends string>(value: unknown, keys: readonly K[]): value is Record<K, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const own = Object.keys(value).sort();
  return own.length === keys.length && own.every((key, i) => key === keys[i]);
}

function isProcessName(value: unknown): value is SupervisedProcessName {
  return typeof value === 'string' && NAMES.has(value);
}

function isSupervisedState(value: unknown): value is SupervisedState {
  return typeof value === 'string' && STATES.has(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isExitCode(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isSafeInteger(value));
}

function isDelay(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
}

/**
 * The status in a window "message" event, if it is the preload's process-status message from this
 * very window and every field has the contract's type; otherwise undefined. The data crossed a
 * process boundary (and any script in the page can post a message), so nothing is assumed: unknown
 * names and states, extra keys, negative counts and non-finite numbers are all refused. Returns a
 * fresh object holding only the checked fields.
 */
export function parseProcessStatusMessage(
  event: StatusMessageEvent,
  self: unknown,
): SupervisedProcessStatus | undefined {
  // Only the preload (same window) speaks for main; a frame or another window may not.
  if (event.source !== self) return undefined;
  const data = event.data;
  if (!hasExactKeys(data, MESSAGE_KEYS) || data.type !== PROCESS_STATUS_MESSAGE) return undefined;
  const status = data.status;
  if (!hasExactKeys(status, STATUS_KEYS)) return undefined;
  const { name, state, restarts, lastExitCode, restartDelayMs } = status;
  if (
    !isProcessName(name) ||
    !isSupervisedState(state) ||
    !isCount(restarts) ||
    !isExitCode(lastExitCode) ||
    !isDelay(restartDelayMs)
  ) {
    return undefined;
  }
  return { name, state, restarts, lastExitCode, restartDelayMs };
}

/**
 * Feeds `store` with the statuses the preload posts into this window (the app only: start it when
 * `window.shrivenq` is there). Anything that is not exactly such a message is ignored.
 */
export function startProcessStatusBridge(win: StatusWindow, store: ProcessStore): Disposable {
  const onMessage = (event: StatusMessageEvent): void => {
    const status = parseProcessStatusMessage(event, win);
    if (status !== undefined) store.getState().statusReceived(status);
  };
  win.addEventListener('message', onMessage);
  return toDisposable(() => {
    win.removeEventListener('message', onMessage);
  });
}
