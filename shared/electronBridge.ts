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
