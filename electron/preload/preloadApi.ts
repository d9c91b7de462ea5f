import {
  ENGINE_PORT_MESSAGE,
  IPC_ENGINE_PORT,
  IPC_PROCESS_STATUS,
  IPC_REQUEST_ENGINE_PORT,
  PRELOAD_GLOBAL,
  PRELOAD_NAME_ARG,
  PRELOAD_VERSION_ARG,
  PROCESS_STATUS_MESSAGE,
} from '../../shared/electronBridge';
import type { AppInfo, PreloadApi } from '../../shared/electronBridge';

/** The parts of `contextBridge` used here. */
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

/** The parts of `ipcRenderer` used here. Its events never leave this file. */
export interface IpcRendererLike {
  send(channel: string): void;
  on(
    channel: string,
    listener: (event: { readonly ports: readonly MessagePort[] }, ...args: unknown[]) => void,
  ): unknown;
}

/** The page's window as the preload sees it. */
export interface PageWindowLike {
  postMessage(message: unknown, targetOrigin: string, transfer?: Transferable[]): void;
}

/** What a sandboxed preload's `process` offers that we read. */
export interface PreloadProcessLike {
  readonly argv: readonly string[];
  readonly platform: string;
  readonly versions: { readonly electron?: string; readonly chrome?: string; readonly node?: string };
}

function flag(argv: readonly string[], prefix: string): string | undefined {
  return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/** App facts: versions from `process`, name and version from the flags main adds to the renderer. */
export function readAppInfo(proc: PreloadProcessLike): AppInfo {
  return Object.freeze({
    name: flag(proc.argv, PRELOAD_NAME_ARG) ?? 'ShrivenQ',
    version: flag(proc.argv, PRELOAD_VERSION_ARG) ?? 'unknown',
    platform: proc.platform,
    electron: proc.versions.electron ?? 'unknown',
    chrome: proc.versions.chrome ?? 'unknown',
    node: proc.versions.node ?? 'unknown',
  });
}

/**
 * Exposes the one frozen PreloadApi and forwards what main pushes into the page world with
 * `window.postMessage` (a MessagePort cannot cross contextBridge): the engine port, and the state of
 * the supervised processes. Only plain data and the port go through, never the IpcRendererEvent.
 */
export function exposePreloadApi(
  contextBridge: ContextBridgeLike,
  ipcRenderer: IpcRendererLike,
  page: PageWindowLike,
  proc: PreloadProcessLike,
): PreloadApi {
  ipcRenderer.on(IPC_ENGINE_PORT, (event) => {
    const port = event.ports[0];
    if (port !== undefined) page.postMessage({ type: ENGINE_PORT_MESSAGE }, '*', [port]);
  });
  ipcRenderer.on(IPC_PROCESS_STATUS, (_event, status) => {
    page.postMessage({ type: PROCESS_STATUS_MESSAGE, status }, '*');
  });

  const api: PreloadApi = Object.freeze({
    appInfo: readAppInfo(proc),
    requestEnginePort(): void {
      ipcRenderer.send(IPC_REQUEST_ENGINE_PORT);
    },
  });
  contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api);
  return api;
}
