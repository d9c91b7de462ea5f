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
  /**
   * Saves the Kite app's credentials in main (the secret encrypted with the OS's safeStorage) and
   * hands them to the engine. Refused with a reason when they are malformed or the OS cannot keep
   * the secret safely (Linux without a secret store, unless `allowPlainText`).
   */
  setKiteCredentials(input: KiteCredentialsInput): Promise<BridgeResult>;
  /** What is stored: the key, the storage backend, the plain-text agreement; never the secret. */
  kiteCredentialsState(): Promise<KiteCredentialsState>;
  /**
   * Opens the login window at `loginUrl` (the session's; Kite's login page or the local exchange's).
   * Settles when the login ends: ok once the redirect's request_token went to the engine.
   */
  openKiteLogin(loginUrl: string): Promise<BridgeResult>;
  /**
   * Opens one panel of the terminal (a ladder, a chart…) in a window of its own, which main gives
   * its own engine port. A panel already popped out is brought to the front instead, showing
   * `instrumentToken` when one is given. Refused with a reason for a malformed request.
   */
  popOut(request: PopOutRequest): Promise<BridgeResult>;
}

/** ipc channel (renderer -> main, invoke): open a panel in a window of its own (`PopOutRequest`). */
export const IPC_POP_OUT = 'window:pop-out';

/** A panel to pop out, and the instrument it shows. */
export interface PopOutRequest {
  /** The panel's id in the terminal's registry (`ladder`, `chart`, `depth`…). */
  readonly panel: string;
  readonly instrumentToken?: number;
}

/** What a panel id may look like, checked by main and by a popped-out page reading its address. */
export const POP_OUT_PANEL_ID = /^[a-z][a-zA-Z0-9-]{0,63}$/;

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

/** ipc channel (renderer -> main, invoke): save the Kite app's credentials (`KiteCredentialsInput`). */
export const IPC_SET_KITE_CREDENTIALS = 'kite:set-credentials';
/** ipc channel (renderer -> main, invoke): what is stored (`KiteCredentialsState`), never the secret. */
export const IPC_KITE_CREDENTIALS_STATE = 'kite:credentials-state';
/** ipc channel (renderer -> main, invoke): open the login window at the session's `loginUrl`. */
export const IPC_OPEN_KITE_LOGIN = 'kite:open-login';

/** What the settings form sends main once: the Kite app's key and secret, and how to store them. */
export interface KiteCredentialsInput {
  /** 6-64 letters and digits, as Kite issues them. */
  readonly apiKey: string;
  /** 6-64 letters and digits. Goes to main only; main encrypts it and hands it to the engine. */
  readonly apiSecret: string;
  /** The Kite app's registered redirect URL; `DEFAULT_KITE_REDIRECT_URL` when absent. */
  readonly redirectUrl?: string;
  /**
   * Linux only: store the secret although the OS has no secret store (`basic_text`: encrypted
   * with a fixed key, as good as plain text). True sets the agreement, false withdraws it,
   * absent keeps what was agreed before.
   */
  readonly allowPlainText?: boolean;
}

/** The Kite app's redirect URL when the user has not set one (the login window catches it). */
export const DEFAULT_KITE_REDIRECT_URL = 'http://127.0.0.1/shrivenq/kite';

/** The answer of a request that can be refused, with the reason in a trader's words. */
export type BridgeResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** What main tells a window about the stored credentials: never the secret. */
export interface KiteCredentialsState {
  /** The stored API key, or null when none is stored (or it cannot be read). */
  readonly apiKey: string | null;
  /**
   * Where the secret is kept: Linux's `getSelectedStorageBackend()` (`gnome_libsecret`, `kwallet*`,
   * `basic_text`, ...), `keychain` on macOS, `dpapi` on Windows.
   */
  readonly backend: string;
  /** Whether the user agreed to a plain-text (`basic_text`) store on Linux. */
  readonly plainTextAllowed: boolean;
  /** The redirect URL the login window watches for. */
  readonly redirectUrl: string;
  /** Why stored credentials cannot be used (or saved) right now; null when nothing is wrong. */
  readonly problem: string | null;
}
