import path from 'node:path';
import { IPC_PROCESS_STATUS, IPC_REQUEST_ENGINE_PORT } from '../../shared/electronBridge';
import { DEFAULT_RESTART_POLICY } from '../../shared/supervision';
import type { RestartPolicyOptions } from '../../shared/supervision';
import { createAppProtocolHandler } from './appProtocolHandler';
import { preloadArguments, tradingModeFromArgv } from './args';
import { connectWindowToEngine } from './enginePorts';
import { createChildProcesses } from './processes';
import { createPermissionGuard, hardenWebContents } from './hardening';
import { GuardedIpc } from './ipcGuard';
import { appMenuTemplate } from './menu';
import type { SupervisedProcessStatus } from '../../shared/electronBridge';
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
}

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
    hardenWebContents(contents, { allowedOrigins: origins, openExternal, log }, guardSession);
  });

  const liveContents = (): WebContentsLike[] =>
    [...windows].filter((w) => !w.isDestroyed()).map((w) => w.webContents);

  const sendStatus = (status: SupervisedProcessStatus, to: readonly WebContentsLike[]): void => {
    for (const contents of to) if (!contents.isDestroyed()) contents.postMessage(IPC_PROCESS_STATUS, status);
  };

  const { mode, warning } = tradingModeFromArgv(options.argv);
  if (warning !== undefined) log(warning);
  const createChannel = () => new electron.MessageChannelMain();
  const { engine, all: supervisors } = createChildProcesses({
    buildDir: options.buildDir,
    mode,
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

  const createWindow = (): BrowserWindowLike => {
    const win = new electron.BrowserWindow({
      width: 1440,
      height: 900,
      minWidth: 1024,
      minHeight: 640,
      show: false,
      title: app.getName(),
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
    win.loadURL(devServerUrl ?? `${APP_ORIGIN}/`).catch((e: unknown) => {
      log(`window failed to load: ${String(e)}`);
    });
    return win;
  };

  app.on('second-instance', () => {
    if (!ready) return;
    const first = [...windows].find((w) => !w.isDestroyed());
    if (first === undefined) {
      createWindow();
      return;
    }
    if (first.isMinimized()) first.restore();
    first.focus();
  });
  app.on('activate', () => {
    if (ready && windows.size === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
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

    for (const supervisor of supervisors) supervisor.start();
    createWindow();
  });
  return { ready: whenReady };
}
