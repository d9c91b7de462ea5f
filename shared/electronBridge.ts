import type { ProcessStatus } from './supervision';

/**
 * What the preload exposes to the renderer and how main hands a window its engine port.
 * Types and constants only: the preload, main and the renderer import this; nothing here runs.
 */

/** The name of the one object the preload puts on `window` (`window.shrivenq`). */
export const PRELOAD_GLOBAL = 'shrivenq';

/** ipc channel (renderer -> main, via the preload): "send this window a fresh engine port". */
export const IPC_REQUEST_ENGINE_PORT = 'engine:request-port';
/** ipc channel (main -> preload): carries one MessagePort in `event.ports[0]`. */
export const IPC_ENGINE_PORT = 'engine:port';
/**
 * `window.postMessage` data with which the preload passes the engine port to the page's world (a
 * MessagePort cannot cross contextBridge). The page accepts it only from `event.source === window`.
 */
export const ENGINE_PORT_MESSAGE = 'shrivenq:engine-port';

/** Facts about the running app, shown in the UI. Plain data. */
export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly platform: string;
  readonly electron: string;
  readonly chrome: string;
  readonly node: string;
}

/**
 * The frozen object at `window.shrivenq` (Electron only; absent in web mode).
 * It never exposes ipcRenderer or its events.
 */
export interface PreloadApi {
  readonly appInfo: AppInfo;
  /**
   * Asks main for a fresh MessagePort to the engine. The port arrives as a `window` "message" event
   * whose `data` is `{ type: ENGINE_PORT_MESSAGE }` and whose `ports[0]` is the port. Main also
   * sends a new port unasked after the engine restarts.
   */
  requestEnginePort(): void;
}

/** The message main sends the engine (utility process) with one MessagePortMain per window. */
export interface EngineConnectMessage {
  readonly type: 'connect';
  /** Who this port belongs to, for logs and the status stream (e.g. "window:1"). */
  readonly client: string;
}

/** ipc channel (main -> preload): one `SupervisedProcessStatus` whenever a child process changes state. */
export const IPC_PROCESS_STATUS = 'process:status';
/**
 * `window.postMessage` data type with which the preload passes a status into the page:
 * `{ type: PROCESS_STATUS_MESSAGE, status: SupervisedProcessStatus }`.
 */
export const PROCESS_STATUS_MESSAGE = 'shrivenq:process-status';

/** Prefixes of the `additionalArguments` by which main tells the preload the app's name and version. */
export const PRELOAD_NAME_ARG = '--shrivenq-app-name=';
export const PRELOAD_VERSION_ARG = '--shrivenq-app-version=';

/** The child processes main supervises. */
export type SupervisedProcessName = 'engine' | 'exchange';

/** What the UI shows about a supervised process. Plain data. */
export type SupervisedProcessStatus = ProcessStatus<SupervisedProcessName>;
