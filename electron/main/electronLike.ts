/**
 * The parts of Electron that main uses, as narrow interfaces. startMain() takes these instead of
 * importing `electron`, so its wiring runs under Vitest against a hand-written fake; index.ts passes
 * the real module, and the compiler checks there that the real module fits. That check is weak for
 * `on(event, listener)`: Electron's classes inherit EventEmitter's `on(string, (...args: any[]) => void)`,
 * so a misspelt event name here would still compile; keep them as Electron's docs spell them.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { LoginWebPreferences, SecureWebPreferences } from './security/webPreferences';

export interface PreventableEvent {
  preventDefault(): void;
}

export interface NavigationEvent extends PreventableEvent {
  readonly url: string;
  /** False for a sub-frame (`will-redirect` fires for those too). */
  readonly isMainFrame?: boolean;
}

/** A frame as `event.senderFrame` gives it (`WebFrameMain`). */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

/** Opaque here: main only moves ports from a channel to a process and a window. */
export interface MessagePortLike {
  close(): void;
}

export interface MessageChannelLike {
  readonly port1: MessagePortLike;
  readonly port2: MessagePortLike;
}

export interface PermissionRequestDetailsLike {
  readonly requestingUrl?: string;
}

export interface HeadersReceivedDetailsLike {
  readonly responseHeaders?: Record<string, string[]>;
}

export interface WebRequestLike {
  onHeadersReceived(
    filter: { urls: string[] },
    listener: (
      details: HeadersReceivedDetailsLike,
      callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
    ) => void,
  ): void;
}

export interface ProtocolHandlerLike {
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler:
      | ((
          webContents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: PermissionRequestDetailsLike,
        ) => void)
      | null,
  ): void;
  setPermissionCheckHandler(
    handler: ((webContents: unknown, permission: string, requestingOrigin: string) => boolean) | null,
  ): void;
  readonly protocol: ProtocolHandlerLike;
  readonly webRequest: WebRequestLike;
}

export interface WebContentsLike {
  readonly id: number;
  readonly session: SessionLike;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  /** A main-frame navigation has committed (the second argument is its URL). */
  on(event: 'did-navigate', listener: (event: unknown, url: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void;
  postMessage(channel: string, message: unknown, transfer?: MessagePortLike[]): void;
  isDestroyed(): boolean;
}

export interface IpcMainEventLike {
  /** Read it synchronously, first thing: it becomes null once the frame navigates or goes away. */
  readonly senderFrame: FrameLike | null;
  readonly sender: WebContentsLike;
}

export interface IpcMainLike {
  on(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown;
  handle(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => unknown): void;
}

export interface BrowserWindowOptionsLike {
  readonly width: number;
  readonly height: number;
  readonly minWidth?: number;
  readonly minHeight?: number;
  readonly show: boolean;
  readonly title: string;
  readonly backgroundColor: string;
  readonly autoHideMenuBar?: boolean;
  readonly webPreferences: SecureWebPreferences | LoginWebPreferences;
}

export interface BrowserWindowLike {
  readonly id: number;
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  on(event: 'closed', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  focus(): void;
  close(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
}

export interface BrowserWindowClassLike {
  new (options: BrowserWindowOptionsLike): BrowserWindowLike;
}

export interface ForkOptionsLike {
  readonly serviceName: string;
  readonly stdio: 'inherit' | 'pipe' | 'ignore';
}

/** A child started with `utilityProcess.fork` (Electron's `UtilityProcess`). */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  /** A message the child posted with `process.parentPort.postMessage`. */
  on(event: 'message', listener: (message: unknown) => void): unknown;
  postMessage(message: unknown, transfer?: MessagePortLike[]): void;
  kill(): boolean;
}

export interface UtilityProcessModuleLike {
  fork(modulePath: string, args: string[], options: ForkOptionsLike): UtilityProcessLike;
}

export interface AppLike {
  readonly isPackaged: boolean;
  getName(): string;
  /** Only 'userData' is used (where the credentials file lives). */
  getPath(name: 'userData'): string;
  getVersion(): string;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
  on(
    event: 'second-instance' | 'window-all-closed' | 'activate' | 'before-quit',
    listener: () => void,
  ): unknown;
}

export interface CustomSchemeLike {
  scheme: string;
  privileges: {
    standard: boolean;
    secure: boolean;
    supportFetchAPI: boolean;
    codeCache: boolean;
  };
}

export interface ProtocolModuleLike {
  registerSchemesAsPrivileged(schemes: CustomSchemeLike[]): void;
}

/** An application menu as Electron builds it; opaque to main. */
export type MenuHandle = object;

export interface MenuModuleLike {
  buildFromTemplate(template: MenuItemConstructorOptions[]): MenuHandle;
  setApplicationMenu(menu: MenuHandle | null): void;
}

/**
 * `safeStorage`, its asynchronous API (the synchronous one is deprecated in Electron 45 and gone in
 * 46). Read the backend only after app ready: before it, Linux reports 'unknown'.
 */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Uint8Array>;
  decryptStringAsync(
    encrypted: Buffer,
  ): Promise<{ readonly shouldReEncrypt: boolean; readonly result: string }>;
  /** Linux only. */
  getSelectedStorageBackend(): string;
  /** Linux only: use the fixed plain-text key when there is no secret store. */
  setUsePlainTextEncryption(usePlainText: boolean): void;
}

export interface ElectronLike {
  readonly app: AppLike;
  readonly BrowserWindow: BrowserWindowClassLike;
  readonly ipcMain: IpcMainLike;
  readonly protocol: ProtocolModuleLike;
  /** A getter on the real module: read `defaultSession` only after `ready`. */
  readonly session: { readonly defaultSession: SessionLike };
  readonly utilityProcess: UtilityProcessModuleLike;
  readonly MessageChannelMain: new () => MessageChannelLike;
  readonly Menu: MenuModuleLike;
  readonly shell: { openExternal(url: string): Promise<void> };
  readonly safeStorage: SafeStorageLike;
}
