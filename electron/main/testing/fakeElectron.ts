/**
 * A hand-written stand-in for the parts of `electron` that startMain() uses. It records what main
 * registers and lets a test fire the events Electron would. Test-only: nothing in the app imports it.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type {
  BrowserWindowOptionsLike,
  CustomSchemeLike,
  ElectronLike,
  ForkOptionsLike,
  FrameLike,
  HeadersReceivedDetailsLike,
  IpcMainEventLike,
  PermissionRequestDetailsLike,
} from '../electronLike';

type AnyListener = (...args: never[]) => unknown;
type Callable = (...args: unknown[]) => unknown;

/** Node-style events, enough for the fakes. */
export class FakeEmitter {
  private readonly listeners = new Map<string, Callable[]>();

  on(event: string, listener: AnyListener): this {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as unknown as Callable);
    this.listeners.set(event, list);
    return this;
  }

  once(event: string, listener: AnyListener): this {
    const wrapped = (...args: unknown[]): void => {
      this.off(wrapped);
      (listener as unknown as Callable)(...args);
    };
    return this.on(event, wrapped);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  private off(listener: Callable): void {
    for (const list of this.listeners.values()) {
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    }
  }
}

export type PermissionRequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: PermissionRequestDetailsLike,
) => void;
export type PermissionCheckHandler = (webContents: unknown, permission: string, origin: string) => boolean;
export type HeadersListener = (
  details: HeadersReceivedDetailsLike,
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

export class FakeSession {
  requestHandler: PermissionRequestHandler | null = null;
  checkHandler: PermissionCheckHandler | null = null;
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  readonly headerListeners: { urls: string[]; listener: HeadersListener }[] = [];

  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>): void => {
      this.protocolHandlers.set(scheme, handler);
    },
  };

  readonly webRequest = {
    onHeadersReceived: (filter: { urls: string[] }, listener: HeadersListener): void => {
      this.headerListeners.push({ urls: filter.urls, listener });
    },
  };

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.requestHandler = handler;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.checkHandler = handler;
  }

  /** Asks the installed request handler, as Chromium would. */
  request(permission: string, requestingUrl: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (this.requestHandler === null) {
        reject(new Error('no permission request handler'));
        return;
      }
      this.requestHandler(null, permission, resolve, { requestingUrl });
    });
  }
}

export class FakePort {
  closed = false;
  constructor(readonly label: string) {}
  close(): void {
    this.closed = true;
  }
}

export class FakeMessageChannel {
  private static count = 0;
  readonly port1: FakePort;
  readonly port2: FakePort;
  constructor() {
    FakeMessageChannel.count += 1;
    this.port1 = new FakePort(`channel${FakeMessageChannel.count}.port1`);
    this.port2 = new FakePort(`channel${FakeMessageChannel.count}.port2`);
  }
}

export interface Posted {
  readonly channel: string;
  readonly message: unknown;
  readonly transfer: readonly FakePort[];
}

export interface NavigationEventFake {
  readonly url: string;
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function navigationEvent(url: string): NavigationEventFake {
  return {
    url,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export class FakeWebContents extends FakeEmitter {
  private static nextId = 100;
  readonly id = FakeWebContents.nextId++;
  readonly posted: Posted[] = [];
  windowOpenHandler: ((details: { readonly url: string }) => { action: 'deny' }) | undefined;
  destroyed = false;

  constructor(readonly session: FakeSession) {
    super();
  }

  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  postMessage(channel: string, message: unknown, transfer: FakePort[] = []): void {
    this.posted.push({ channel, message, transfer });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeUtilityProcess extends FakeEmitter {
  private static nextPid = 5000;
  readonly pid: number | undefined = FakeUtilityProcess.nextPid++;
  readonly posted: { message: unknown; transfer: readonly FakePort[] }[] = [];
  killed = false;

  constructor(
    readonly modulePath: string,
    readonly args: readonly string[],
    readonly options: ForkOptionsLike,
  ) {
    super();
  }

  postMessage(message: unknown, transfer: FakePort[] = []): void {
    this.posted.push({ message, transfer });
  }

  kill(): boolean {
    this.killed = true;
    return true;
  }
}

/**
 * safeStorage with a visible "cipher" (a prefix and the text in hex, base64 on disk), a chosen
 * Linux backend, and Chromium's rule that basic_text encrypts only after setUsePlainTextEncryption.
 */
export class FakeSafeStorage {
  plainTextKey = false;
  decryptCalls = 0;
  constructor(
    public backend: string = 'gnome_libsecret',
    public available = true,
  ) {}

  isAsyncEncryptionAvailable(): Promise<boolean> {
    return Promise.resolve(this.available && (this.backend !== 'basic_text' || this.plainTextKey));
  }
  encryptStringAsync(plainText: string): Promise<Uint8Array> {
    return Promise.resolve(new TextEncoder().encode(`enc:${Buffer.from(plainText).toString('hex')}`));
  }
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    this.decryptCalls += 1;
    const text = new TextDecoder().decode(encrypted);
    if (!text.startsWith('enc:')) return Promise.reject(new Error('Error while decrypting the ciphertext'));
    return Promise.resolve({
      shouldReEncrypt: false,
      result: Buffer.from(text.slice(4), 'hex').toString(),
    });
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  setUsePlainTextEncryption(usePlainText: boolean): void {
    this.plainTextKey = usePlainText;
  }
}

export interface FakeElectronOptions {
  readonly singleInstanceLock?: boolean;
  readonly isPackaged?: boolean;
  readonly safeStorage?: FakeSafeStorage;
}

/** Builds a connected set of fakes; `electron` is what startMain receives. */
export function createFakeElectron(options: FakeElectronOptions = {}) {
  const defaultSession = new FakeSession();

  const app = new (class extends FakeEmitter {
    readonly isPackaged = options.isPackaged ?? true;
    isReady = false;
    quitCalls = 0;
    getName(): string {
      return 'ShrivenQ';
    }
    getVersion(): string {
      return '0.1.0';
    }
    getPath(_name: 'userData'): string {
      return '/home/trader/.config/ShrivenQ';
    }
    requestSingleInstanceLock(): boolean {
      return options.singleInstanceLock ?? true;
    }
    whenReady(): Promise<void> {
      return Promise.resolve().then(() => {
        this.isReady = true;
      });
    }
    quit(): void {
      this.quitCalls += 1;
      this.emit('before-quit');
    }
  })();

  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends FakeEmitter {
    private static nextId = 1;
    readonly id = FakeBrowserWindow.nextId++;
    readonly webContents = new FakeWebContents(defaultSession);
    readonly loadedUrls: string[] = [];
    visible = false;
    focused = false;
    minimized = false;
    destroyed = false;

    constructor(readonly options: BrowserWindowOptionsLike) {
      super();
      windows.push(this);
      // Electron emits this while constructing the window, before any page loads.
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.loadedUrls.push(url);
      return Promise.resolve();
    }
    show(): void {
      this.visible = true;
    }
    focus(): void {
      this.focused = true;
    }
    restore(): void {
      this.minimized = false;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    /** What the user closing the window does. */
    close(): void {
      if (this.destroyed) return;
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
  }

  const ipcMain = {
    listeners: new Map<string, (event: IpcMainEventLike, ...args: unknown[]) => void>(),
    handlers: new Map<string, (event: IpcMainEventLike, ...args: unknown[]) => unknown>(),
    on(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown {
      this.listeners.set(channel, listener);
      return this;
    },
    handle(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => unknown): void {
      this.handlers.set(channel, listener);
    },
  };

  const forks: FakeUtilityProcess[] = [];
  const privilegedSchemes: { schemes: CustomSchemeLike[]; beforeReady: boolean }[] = [];
  const menus: { template: MenuItemConstructorOptions[] }[] = [];
  const applicationMenu: { current: object | null } = { current: null };
  const opened: string[] = [];
  const safeStorage = options.safeStorage ?? new FakeSafeStorage();

  const electron: ElectronLike = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    protocol: {
      registerSchemesAsPrivileged(schemes: CustomSchemeLike[]): void {
        privilegedSchemes.push({ schemes, beforeReady: !app.isReady });
      },
    },
    session: { defaultSession },
    utilityProcess: {
      fork(modulePath: string, args: string[], forkOptions: ForkOptionsLike): FakeUtilityProcess {
        const child = new FakeUtilityProcess(modulePath, args, forkOptions);
        forks.push(child);
        return child;
      },
    },
    MessageChannelMain: FakeMessageChannel,
    Menu: {
      buildFromTemplate(template: MenuItemConstructorOptions[]) {
        const menu = { template };
        menus.push(menu);
        return menu;
      },
      setApplicationMenu(menu: object | null): void {
        applicationMenu.current = menu;
      },
    },
    shell: {
      openExternal(url: string): Promise<void> {
        opened.push(url);
        return Promise.resolve();
      },
    },
    safeStorage,
  };

  return {
    electron,
    app,
    defaultSession,
    windows,
    ipcMain,
    forks,
    privilegedSchemes,
    menus,
    applicationMenu,
    opened,
    safeStorage,
  };
}

/** An IPC event as Electron builds it, from a frame at `url` (null: the frame is gone). */
export function ipcEvent(
  sender: FakeWebContents,
  frame: { url: string; parent?: FrameLike | null } | null,
): IpcMainEventLike {
  return {
    sender,
    senderFrame: frame === null ? null : { url: frame.url, parent: frame.parent ?? null },
  };
}
