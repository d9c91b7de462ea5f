import {
  ENGINE_PORT_MESSAGE,
  IPC_ENGINE_PORT,
  IPC_KITE_CREDENTIALS_STATE,
  IPC_OPEN_KITE_LOGIN,
  IPC_POP_OUT,
  IPC_PROCESS_STATUS,
  IPC_REQUEST_ENGINE_PORT,
  IPC_SET_KITE_CREDENTIALS,
  PRELOAD_GLOBAL,
  PRELOAD_NAME_ARG,
  PRELOAD_VERSION_ARG,
  PROCESS_STATUS_MESSAGE,
} from '../../shared/electronBridge';
import type {
  AppInfo,
  BridgeResult,
  KiteCredentialsInput,
  KiteCredentialsState,
  PopOutRequest,
  PreloadApi,
} from '../../shared/electronBridge';

/** The parts of `contextBridge` used here. */
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

/** The parts of `ipcRenderer` used here. Its events never leave this file. */
export interface IpcRendererLike {
  send(channel: string): void;
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
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

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Main's answer to a request that can be refused, as plain data (a malformed one is a refusal). */
export function toBridgeResult(x: unknown): BridgeResult {
  if (isObject(x) && x['ok'] === true) return { ok: true };
  const reason = isObject(x) && typeof x['reason'] === 'string' ? x['reason'] : 'Main sent no answer';
  return { ok: false, reason };
}

/**
 * The credentials state for the page: only these fields are copied, so nothing else main might
 * carry (the secret above all) could reach the page through here.
 */
export function toCredentialsState(x: unknown): KiteCredentialsState {
  const o = isObject(x) ? x : {};
  return {
    apiKey: typeof o['apiKey'] === 'string' ? o['apiKey'] : null,
    backend: typeof o['backend'] === 'string' ? o['backend'] : 'unknown',
    plainTextAllowed: o['plainTextAllowed'] === true,
    redirectUrl: typeof o['redirectUrl'] === 'string' ? o['redirectUrl'] : '',
    problem: typeof o['problem'] === 'string' ? o['problem'] : null,
  };
}

/** The input copied field by field: a page cannot smuggle anything else into main's handler. */
export function toCredentialsInput(input: KiteCredentialsInput): KiteCredentialsInput {
  const { apiKey, apiSecret, redirectUrl, allowPlainText } = input;
  return {
    apiKey,
    apiSecret,
    ...(redirectUrl === undefined ? {} : { redirectUrl }),
    ...(allowPlainText === undefined ? {} : { allowPlainText }),
  };
}

/** The pop-out request copied field by field (main checks the values). */
export function toPopOutRequest(request: PopOutRequest): PopOutRequest {
  const { panel, instrumentToken } = request;
  return instrumentToken === undefined ? { panel } : { panel, instrumentToken };
}

/** Invokes a request that can be refused; a rejected invoke (main refused the sender) is a refusal. */
async function invokeForResult(
  ipcRenderer: IpcRendererLike,
  channel: string,
  ...args: unknown[]
): Promise<BridgeResult> {
  try {
    return toBridgeResult(await ipcRenderer.invoke(channel, ...args));
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
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
    setKiteCredentials(input: KiteCredentialsInput): Promise<BridgeResult> {
      return invokeForResult(ipcRenderer, IPC_SET_KITE_CREDENTIALS, toCredentialsInput(input));
    },
    async kiteCredentialsState(): Promise<KiteCredentialsState> {
      return toCredentialsState(await ipcRenderer.invoke(IPC_KITE_CREDENTIALS_STATE));
    },
    openKiteLogin(loginUrl: string): Promise<BridgeResult> {
      return invokeForResult(ipcRenderer, IPC_OPEN_KITE_LOGIN, loginUrl);
    },
    popOut(request: PopOutRequest): Promise<BridgeResult> {
      return invokeForResult(ipcRenderer, IPC_POP_OUT, toPopOutRequest(request));
    },
  });
  contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api);
  return api;
}
