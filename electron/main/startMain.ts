import path from 'node:path';
import {
  IPC_KITE_CREDENTIALS_STATE,
  IPC_OPEN_KITE_LOGIN,
  IPC_POP_OUT,
  IPC_PROCESS_STATUS,
  IPC_REQUEST_ENGINE_PORT,
  IPC_SET_KITE_CREDENTIALS,
} from '../../shared/electronBridge';
import type { RequestTokenMessage } from '../../shared/venue';
import { DEFAULT_RESTART_POLICY } from '../../shared/supervision';
import type { RestartPolicyOptions } from '../../shared/supervision';
import { createAppProtocolHandler } from './appProtocolHandler';
import { preloadArguments, tradingModeFromArgv } from './args';
import { connectWindowToEngine } from './enginePorts';
import { createChildProcesses } from './processes';
import { createPermissionGuard, hardenWebContents } from './hardening';
import { GuardedIpc } from './ipcGuard';
import { KiteCredentialsStore } from './kite/credentialsStore';
import type { TextFile } from './kite/credentialsStore';
import { KiteLogin } from './kite/loginWindow';
import { privateTextFile } from './kite/textFile';
import { appMenuTemplate } from './menu';
import { POP_OUT_SIZE, popOutAddress, readPopOutRequest } from './popOut';
import { DEFAULT_KITE_REDIRECT_URL } from '../../shared/electronBridge';
import type { BridgeResult, SupervisedProcessStatus } from '../../shared/electronBridge';
import { APP_SCHEME_PRIVILEGES, securityHeaders, withHeaders } from './security/appProtocol';
import { contentSecurityPolicy } from './security/csp';
import { windowOpenDecision } from './security/navigation';
import { allowedOrigins, APP_ORIGIN, APP_SCHEME } from './security/origins';
import { secureWebPreferences } from './security/webPreferences';
import type { BrowserWindowLike, ElectronLike, WebContentsLike } from './electronLike';

export interface MainOptions {
  /** The folder of main.js (`__dirname`): preload.js, engine.js and sim.js sit beside it. */
  readonly buildDir: string;
  /** Forge's Vite dev server under `npm start`; undefined in a packaged build. */
  readonly devServerUrl: string | undefined;
  /** The Forge renderer name; its build is in `<buildDir>/../renderer/<name>`. */
  readonly rendererName: string;
  readonly argv: readonly string[];
  readonly platform: NodeJS.Platform;
  readonly readFile: (path: string) => Promise<Uint8Array<ArrayBuffer>>;
  readonly restartPolicy?: RestartPolicyOptions;
  readonly log?: (line: string) => void;
  /** The Kite credentials file; default `<userData>/kite-credentials.json` (tests pass one in memory). */
  readonly credentialsFile?: TextFile;
}

/** The engine database's name in userData. */
const ENGINE_DATABASE_FILE = 'engine.sqlite';

/** The credentials file's name in userData. */
export const CREDENTIALS_FILE = 'kite-credentials.json';

export interface MainHandle {
  /** Settles once the app is ready and the first window exists; rejects if start-up failed. */
  readonly ready: Promise<void>;
}

/**
 * Wires Electron main: security first (before any window exists), then the custom protocol or the
 * dev server headers, the menu, the guarded IPC, the supervised engine and local exchange, and the
 * window. Takes the Electron parts it uses so tests can pass a fake.
 */
export function startMain(electron: ElectronLike, options: MainOptions): MainHandle {
  const { app } = electron;
  const log = options.log ?? ((line: string) => process.stderr.write(`[main] ${line}\n`));

  // A second copy would start a second engine on the same database: hand over to the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve() };
  }

  const { devServerUrl } = options;
  const origins = allowedOrigins(devServerUrl);
  const csp = contentSecurityPolicy(
    devServerUrl === undefined ? { dev: false } : { dev: true, devServerUrl },
  );
  const guardSession = createPermissionGuard(origins);
  const windows = new Set<BrowserWindowLike>();
  // Login windows, and the origin each may navigate within (ours are `origins`).
  const confined = new WeakMap<WebContentsLike, readonly string[]>();
  let ready = false;

  /** The one door to shell.openExternal: only allowlisted https links get through. */
  const openExternal = (url: string): void => {
    const allowed = windowOpenDecision(url).openExternally;
    if (allowed === null) return;
    electron.shell.openExternal(allowed).catch((e: unknown) => {
      log(`could not open ${allowed}: ${String(e)}`);
    });
  };

  // Must happen before `ready`.
  electron.protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } },
  ]);

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(
      contents,
      { allowedOrigins: origins, openExternal, log, navigationOriginsOf: (c) => confined.get(c) },
      guardSession,
    );
  });

  const liveContents = (): WebContentsLike[] =>
    [...windows].filter((w) => !w.isDestroyed()).map((w) => w.webContents);

  const sendStatus = (status: SupervisedProcessStatus, to: readonly WebContentsLike[]): void => {
    for (const contents of to) if (!contents.isDestroyed()) contents.postMessage(IPC_PROCESS_STATUS, status);
  };

  const { mode, warning } = tradingModeFromArgv(options.argv);
  if (warning !== undefined) log(warning);
  const createChannel = () => new electron.MessageChannelMain();
  const {
    engine,
    all: supervisors,
    setCredentials,
  } = createChildProcesses({
    buildDir: options.buildDir,
    mode,
    // The profile's database: instruments, candles, settings, the day's session, later the journal.
    databaseFile: path.join(app.getPath('userData'), ENGINE_DATABASE_FILE),
    fork: electron.utilityProcess.fork.bind(electron.utilityProcess),
    restartPolicy: options.restartPolicy ?? DEFAULT_RESTART_POLICY,
    onStatus: (status) => {
      sendStatus(status, liveContents());
    },
    // A restarted engine knows no one: give every open window a fresh port, unasked.
    onEngineStarted: (child) => {
      for (const contents of liveContents()) connectWindowToEngine(child, contents, createChannel);
    },
    log,
  });

  // The terminal's root: our origin, or the dev server under `npm start`.
  const rootUrl = devServerUrl ?? `${APP_ORIGIN}/`;
  const TERMINAL_SIZE = { width: 1440, height: 900, minWidth: 1024, minHeight: 640 };

  const createWindow = (
    url = rootUrl,
    size: { width: number; height: number; minWidth: number; minHeight: number } = TERMINAL_SIZE,
    title = app.getName(),
  ): BrowserWindowLike => {
    const win = new electron.BrowserWindow({
      ...size,
      show: false,
      title,
      backgroundColor: '#0d1117',
      webPreferences: secureWebPreferences(path.join(options.buildDir, 'preload.js'), {
        devTools: !app.isPackaged,
        additionalArguments: preloadArguments(app.getName(), app.getVersion()),
      }),
    });
    windows.add(win);
    win.once('ready-to-show', () => {
      win.show();
    });
    win.on('closed', () => {
      windows.delete(win);
    });
    win.loadURL(url).catch((e: unknown) => {
      log(`window failed to load: ${String(e)}`);
    });
    return win;
  };

  // Popped-out panels, one window per panel, and the address each shows.
  const popOuts = new Map<string, { readonly win: BrowserWindowLike; url: string }>();
  const popOut = (input: unknown): BridgeResult => {
    const read = readPopOutRequest(input);
    if (!read.ok) return read;
    const { panel } = read.request;
    const url = popOutAddress(rootUrl, read.request);
    const open = popOuts.get(panel);
    if (open !== undefined && !open.win.isDestroyed()) {
      // Already out: to the front, on the instrument asked for.
      if (read.request.instrumentToken !== undefined && open.url !== url) {
        open.url = url;
        open.win.loadURL(url).catch((e: unknown) => {
          log(`pop-out failed to load: ${String(e)}`);
        });
      }
      if (open.win.isMinimized()) open.win.restore();
      open.win.focus();
      return { ok: true };
    }
    const win = createWindow(url, POP_OUT_SIZE, `${app.getName()} · ${panel}`);
    popOuts.set(panel, { win, url });
    win.on('closed', () => {
      if (popOuts.get(panel)?.win === win) popOuts.delete(panel);
    });
    return { ok: true };
  };

  // The terminal window (pop-outs aside): a second launch brings it back, or opens it again.
  let terminal: BrowserWindowLike | undefined;
  const openTerminal = (): void => {
    terminal = createWindow();
  };
  app.on('second-instance', () => {
    if (!ready) return;
    if (terminal === undefined || terminal.isDestroyed()) {
      openTerminal();
      return;
    }
    if (terminal.isMinimized()) terminal.restore();
    terminal.focus();
  });
  app.on('activate', () => {
    if (ready && windows.size === 0) openTerminal();
  });
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });
  const login = new KiteLogin({
    BrowserWindow: electron.BrowserWindow,
    redirectUrl: () => credentials?.redirectUrl ?? DEFAULT_KITE_REDIRECT_URL,
    sendRequestToken: (requestToken) => {
      const child = engine.child;
      if (child === undefined) return false;
      const message: RequestTokenMessage = { type: 'request-token', requestToken };
      child.postMessage(message);
      return true;
    },
    confine: (contents, allowed) => {
      confined.set(contents, allowed);
    },
    log,
  });
  // Read after ready (safeStorage needs it); until then, a request waits for it.
  let credentials: KiteCredentialsStore | undefined;

  app.on('before-quit', () => {
    login.close();
    for (const supervisor of supervisors) supervisor.stop();
  });

  const whenReady = app.whenReady().then(() => {
    ready = true;
    const session = electron.session.defaultSession;
    guardSession(session);
    if (devServerUrl === undefined) {
      const rendererDir = path.join(options.buildDir, '..', 'renderer', options.rendererName);
      session.protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, csp, options.readFile));
    } else {
      // The dev server sends no CSP: add ours, and the isolation headers, to its responses.
      const headers = securityHeaders(csp);
      const urls = origins.map((origin) => `${origin}/*`);
      session.webRequest.onHeadersReceived({ urls }, (details, callback) => {
        callback({ responseHeaders: withHeaders(details.responseHeaders, headers) });
      });
    }
    electron.Menu.setApplicationMenu(
      electron.Menu.buildFromTemplate(
        appMenuTemplate({
          appName: app.getName(),
          platform: options.platform,
          isPackaged: app.isPackaged,
          openExternal,
        }),
      ),
    );

    const ipc = new GuardedIpc(electron.ipcMain, origins, (channel, why) => {
      log(`refused ipc ${channel}: ${why}`);
    });
    ipc.on(IPC_REQUEST_ENGINE_PORT, (event) => {
      const child = engine.child;
      // While the engine restarts there is nothing to connect to; onEngineStarted sends a port later.
      if (child !== undefined) connectWindowToEngine(child, event.sender, createChannel);
      for (const supervisor of supervisors) sendStatus(supervisor.status, [event.sender]);
    });

    const store = new KiteCredentialsStore({
      safeStorage: electron.safeStorage,
      platform: options.platform,
      file: options.credentialsFile ?? privateTextFile(path.join(app.getPath('userData'), CREDENTIALS_FILE)),
      onChange: setCredentials,
      log,
    });
    credentials = store;
    const loaded = store.load();
    ipc.handle(IPC_SET_KITE_CREDENTIALS, (_event, input) => store.save(input));
    ipc.handle(IPC_KITE_CREDENTIALS_STATE, () => loaded.then(() => store.state()));
    ipc.handle(IPC_OPEN_KITE_LOGIN, (_event, loginUrl) => loaded.then(() => login.start(loginUrl)));
    ipc.handle(IPC_POP_OUT, (_event, request) => popOut(request));

    for (const supervisor of supervisors) supervisor.start();
    openTerminal();
  });
  return { ready: whenReady };
}
