import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  IPC_ENGINE_PORT,
  IPC_POP_OUT,
  IPC_PROCESS_STATUS,
  IPC_REQUEST_ENGINE_PORT,
} from '../../shared/electronBridge';
import type { SupervisedProcessStatus } from '../../shared/electronBridge';
import { startMain } from './startMain';
import type { MainOptions } from './startMain';
import {
  createFakeElectron,
  FakeSession,
  FakeWebContents,
  ipcEvent,
  navigationEvent,
} from './testing/fakeElectron';
import type { FakeElectronOptions, FakeUtilityProcess } from './testing/fakeElectron';

const BUILD = '/opt/shrivenq/resources/app.asar/.vite/build';
const DEV_URL = 'http://localhost:5173/';

async function boot(options: Partial<MainOptions> = {}, fakeOptions: FakeElectronOptions = {}) {
  const fake = createFakeElectron(fakeOptions);
  const readFile = vi.fn((file: string) =>
    file.endsWith('index.html')
      ? Promise.resolve(new TextEncoder().encode('<html>'))
      : Promise.reject(new Error('ENOENT')),
  );
  const handle = startMain(fake.electron, {
    buildDir: BUILD,
    devServerUrl: undefined,
    rendererName: 'main_window',
    argv: ['shrivenq'],
    platform: 'linux',
    readFile,
    restartPolicy: { initialDelayMs: 200, maxDelayMs: 10_000, resetAfterMs: 30_000 },
    log: () => undefined,
    ...options,
  });
  await handle.ready;
  const engines = (): FakeUtilityProcess[] => fake.forks.filter((f) => f.modulePath.endsWith('engine.js'));
  const lastEngine = (): FakeUtilityProcess => {
    const engine = engines().at(-1);
    if (engine === undefined) throw new Error('no engine forked');
    return engine;
  };
  const firstWindow = () => {
    const win = fake.windows[0];
    if (win === undefined) throw new Error('no window');
    return win;
  };
  return { fake, readFile, engines, lastEngine, firstWindow };
}

const OWN_TOP_FRAME = { url: 'app://terminal/' };

describe('startMain: security wiring', () => {
  it('registers app: as a privileged standard, secure scheme before ready', async () => {
    const { fake } = await boot();
    expect(fake.privilegedSchemes).toEqual([
      {
        schemes: [
          {
            scheme: 'app',
            privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
          },
        ],
        beforeReady: true,
      },
    ]);
  });

  it('hardens every webContents: navigation, redirects, new windows, webviews, permissions', async () => {
    const { fake } = await boot();
    const session = new FakeSession();
    const contents = new FakeWebContents(session);
    fake.app.emit('web-contents-created', {}, contents);

    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-redirect')).toBe(1);
    for (const event of ['will-navigate', 'will-redirect']) {
      const foreign = navigationEvent('https://evil.com/');
      contents.emit(event, foreign);
      expect(foreign.defaultPrevented).toBe(true);
      const own = navigationEvent('app://terminal/index.html');
      contents.emit(event, own);
      expect(own.defaultPrevented).toBe(false);
    }

    const webview = navigationEvent('');
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);

    expect(contents.windowOpenHandler?.({ url: 'https://evil.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://kite.zerodha.com/connect/login' })).toEqual({
      action: 'deny',
    });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://kite.zerodha.com/connect/login']);

    // A webContents on its own session gets the handlers too.
    expect(session.requestHandler).not.toBeNull();
    expect(session.checkHandler).not.toBeNull();
    expect(await session.request('notifications', 'app://terminal/')).toBe(false);
  });

  it('installs deny-by-default permission handlers on the default session', async () => {
    const { fake } = await boot();
    const session = fake.defaultSession;
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
      expect(await session.request(permission, 'app://terminal/')).toBe(false);
      expect(session.checkHandler?.(null, permission, 'app://terminal')).toBe(false);
    }
    expect(await session.request('clipboard-sanitized-write', 'app://terminal/')).toBe(true);
    expect(await session.request('clipboard-sanitized-write', 'https://evil.com/')).toBe(false);
    expect(session.checkHandler?.(null, 'clipboard-sanitized-write', 'app://terminal')).toBe(true);
  });

  it('makes every registered ipcMain listener and handler refuse foreign, sub- and null frames', async () => {
    const { fake, engines } = await boot();
    const channels = [...fake.ipcMain.listeners.keys(), ...fake.ipcMain.handlers.keys()];
    expect(channels).toContain(IPC_REQUEST_ENGINE_PORT);

    const sender = new FakeWebContents(new FakeSession());
    const badFrames = [
      null,
      { url: 'https://evil.com/' },
      { url: 'app://terminal.evil/' },
      { url: 'https://evil.com@app' },
      { url: 'app://terminal/', parent: { url: 'app://terminal/', parent: null } },
    ];
    const postsToEngine = () => engines().reduce((n, e) => n + e.posted.length, 0);
    const before = postsToEngine();
    for (const [channel, listener] of fake.ipcMain.listeners) {
      for (const frame of badFrames) listener(ipcEvent(sender, frame));
      expect(sender.posted, channel).toEqual([]);
    }
    for (const [channel, handler] of fake.ipcMain.handlers) {
      for (const frame of badFrames) expect(() => handler(ipcEvent(sender, frame)), channel).toThrow();
    }
    expect(postsToEngine()).toBe(before);
  });

  it('serves the renderer over app: and refuses path traversal', async () => {
    const { fake, readFile } = await boot();
    const handler = fake.defaultSession.protocolHandlers.get('app');
    expect(handler).toBeDefined();

    const traversal = await handler?.(new Request('app://terminal/..%2f..%2f..%2f..%2fetc%2fpasswd'));
    expect(traversal?.status).toBe(403);
    expect(readFile).not.toHaveBeenCalled();

    const index = await handler?.(new Request('app://terminal/'));
    expect(index?.status).toBe(200);
    expect(readFile).toHaveBeenCalledWith(path.join(BUILD, '..', 'renderer', 'main_window', 'index.html'));
    expect(index?.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(fake.defaultSession.headerListeners).toEqual([]);
  });

  it('opens one hidden, sandboxed window on app://terminal/ and shows it when ready', async () => {
    const { firstWindow, fake } = await boot();
    const win = firstWindow();
    expect(fake.windows).toHaveLength(1);
    expect(win.loadedUrls).toEqual(['app://terminal/']);
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({
      preload: path.join(BUILD, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
      additionalArguments: ['--shrivenq-app-name=ShrivenQ', '--shrivenq-app-version=0.1.0'],
    });
    // The window's own webContents went through web-contents-created.
    expect(win.webContents.windowOpenHandler).toBeDefined();
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
    expect(fake.applicationMenu.current).not.toBeNull();
  });

  it('in dev, loads the dev server and adds CSP and isolation headers to its responses only', async () => {
    const { fake, firstWindow } = await boot({ devServerUrl: DEV_URL }, { isPackaged: false });
    expect(firstWindow().loadedUrls).toEqual([DEV_URL]);
    expect(firstWindow().options.webPreferences.devTools).toBe(true);
    expect(fake.defaultSession.protocolHandlers.size).toBe(0);
    const [entry] = fake.defaultSession.headerListeners;
    expect(entry?.urls).toEqual(['http://localhost:5173/*']);

    let headers: Record<string, string[]> | undefined;
    entry?.listener({ responseHeaders: { 'content-type': ['text/html'] } }, (response) => {
      headers = response.responseHeaders;
    });
    expect(headers?.['content-type']).toEqual(['text/html']);
    expect(headers?.['Content-Security-Policy']?.[0]).toContain(
      "connect-src 'self' http://localhost:5173 ws://localhost:5173",
    );
    expect(headers?.['Cross-Origin-Embedder-Policy']).toEqual(['require-corp']);

    // In dev the dev server is our origin; the app scheme is not.
    const contents = firstWindow().webContents;
    const toApp = navigationEvent('app://terminal/');
    contents.emit('will-navigate', toApp);
    expect(toApp.defaultPrevented).toBe(true);
    const sender = new FakeWebContents(new FakeSession());
    fake.ipcMain.listeners.get(IPC_REQUEST_ENGINE_PORT)?.(
      ipcEvent(sender, { url: 'http://localhost:5173/' }),
    );
    expect(sender.posted.map((p) => p.channel)).toContain(IPC_ENGINE_PORT);
  });
});

describe('startMain: single instance and app lifecycle', () => {
  it('quits at once without the single-instance lock, opening nothing', async () => {
    const { fake } = await boot({}, { singleInstanceLock: false });
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.windows).toHaveLength(0);
    expect(fake.forks).toHaveLength(0);
  });

  it('focuses (and restores) the first window when a second instance starts', async () => {
    const { fake, firstWindow } = await boot();
    firstWindow().minimized = true;
    fake.app.emit('second-instance', {}, ['shrivenq'], '/', {});
    expect(firstWindow().minimized).toBe(false);
    expect(firstWindow().focused).toBe(true);
    expect(fake.windows).toHaveLength(1);
  });

  it('opens a window for a second instance when none is left', async () => {
    const { fake, firstWindow } = await boot({ platform: 'darwin' });
    firstWindow().close();
    fake.app.emit('second-instance', {}, ['shrivenq'], '/', {});
    expect(fake.windows).toHaveLength(2);
  });

  it('quits when the last window closes, except on macOS', async () => {
    const linux = await boot();
    linux.fake.app.emit('window-all-closed');
    expect(linux.fake.app.quitCalls).toBe(1);
    const mac = await boot({ platform: 'darwin' });
    mac.fake.app.emit('window-all-closed');
    expect(mac.fake.app.quitCalls).toBe(0);
  });
});

describe('startMain: engine and local exchange', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forks the local exchange and the engine (sim mode) as utility processes', async () => {
    const { fake } = await boot();
    expect(fake.forks.map((f) => [f.modulePath, f.args, f.options.serviceName])).toEqual([
      [path.join(BUILD, 'sim.js'), ['--always-open'], 'ShrivenQ Local Exchange'],
      [
        path.join(BUILD, 'engine.js'),
        ['--mode', 'sim', '--db', path.join('/home/trader/.config/ShrivenQ', 'engine.sqlite')],
        'ShrivenQ Engine',
      ],
    ]);
  });

  it('tells the engine where the local exchange is (its ready line), and that it is gone when it exits', async () => {
    const { fake, lastEngine } = await boot();
    const exchange = fake.forks.find((f) => f.modulePath.endsWith('sim.js'));
    if (exchange === undefined) throw new Error('no exchange');
    const ready = {
      event: 'ready',
      rest: 'http://127.0.0.1:4100',
      ws: 'ws://127.0.0.1:4100/',
      apiKey: 'simkey123',
      apiSecret: 'simsecret456',
      accessToken: 'x',
      venue: 'exchange',
      marketHours: false,
    };
    exchange.emit('message', { event: 'not-ready' });
    exchange.emit('message', ready);
    const endpoint = {
      rest: ready.rest,
      ws: ready.ws,
      apiKey: ready.apiKey,
      apiSecret: ready.apiSecret,
      marketHours: false,
    };
    const venueMessages = (): unknown[] =>
      lastEngine()
        .posted.map((p) => p.message)
        .filter((m) => (m as { type?: string }).type === 'venue');
    expect(venueMessages()).toEqual([{ type: 'venue', endpoint }]);
    // The exchange exits: the engine hears that the venue is gone.
    exchange.emit('exit', 1);
    expect(venueMessages().at(-1)).toEqual({ type: 'venue', endpoint: null });
  });

  it('passes --mode to the engine and runs the local exchange in every mode (sim is a setting away)', async () => {
    const { fake } = await boot({ argv: ['shrivenq', '--mode', 'paper'] });
    expect(fake.forks.map((f) => [path.basename(f.modulePath), f.args])).toEqual([
      ['sim.js', ['--always-open']],
      ['engine.js', ['--mode', 'paper', '--db', path.join('/home/trader/.config/ShrivenQ', 'engine.sqlite')]],
    ]);
  });

  it('gives a window that asks a MessageChannelMain: port1 to the engine, port2 to the window', async () => {
    const { fake, lastEngine, firstWindow } = await boot();
    const contents = firstWindow().webContents;
    fake.ipcMain.listeners.get(IPC_REQUEST_ENGINE_PORT)?.(ipcEvent(contents, OWN_TOP_FRAME));

    const [toEngine] = lastEngine().posted;
    expect(toEngine?.message).toEqual({ type: 'connect', client: `window:${contents.id}` });
    const toWindow = contents.posted.find((p) => p.channel === IPC_ENGINE_PORT);
    expect(toWindow?.message).toBeNull();
    expect(toEngine?.transfer).toHaveLength(1);
    expect(toWindow?.transfer).toHaveLength(1);
    expect(toEngine?.transfer[0]?.label.replace('port1', 'port2')).toBe(toWindow?.transfer[0]?.label);

    // It also learns the state of both processes.
    const statuses = contents.posted.filter((p) => p.channel === IPC_PROCESS_STATUS).map((p) => p.message);
    expect(statuses).toEqual([
      expect.objectContaining({ name: 'exchange', state: 'starting' }),
      expect.objectContaining({ name: 'engine', state: 'starting' }),
    ]);
  });

  it('restarts a crashed engine with backoff and sends every window a fresh port', async () => {
    const { fake, engines, lastEngine, firstWindow } = await boot();
    const contents = firstWindow().webContents;
    const crashed = lastEngine();
    crashed.emit('spawn');
    crashed.emit('exit', 134);

    const status = (): SupervisedProcessStatus | undefined =>
      contents.posted
        .filter((p) => p.channel === IPC_PROCESS_STATUS)
        .map((p) => p.message as SupervisedProcessStatus)
        .filter((s) => s.name === 'engine')
        .at(-1);
    expect(status()).toEqual({
      name: 'engine',
      state: 'restarting',
      restarts: 0,
      lastExitCode: 134,
      restartDelayMs: 200,
    });

    // Nothing to connect to while restarting: a request gets no port.
    fake.ipcMain.listeners.get(IPC_REQUEST_ENGINE_PORT)?.(ipcEvent(contents, OWN_TOP_FRAME));
    expect(contents.posted.filter((p) => p.channel === IPC_ENGINE_PORT)).toHaveLength(0);

    vi.advanceTimersByTime(199);
    expect(engines()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(engines()).toHaveLength(2);
    const restarted = lastEngine();
    expect(restarted.posted.map((p) => p.message)).toEqual([
      { type: 'connect', client: `window:${contents.id}` },
    ]);
    expect(contents.posted.filter((p) => p.channel === IPC_ENGINE_PORT)).toHaveLength(1);
    restarted.emit('spawn');
    expect(status()).toMatchObject({ state: 'running', restarts: 1, lastExitCode: 134 });

    // A second quick crash waits twice as long.
    restarted.emit('exit', 1);
    expect(status()?.restartDelayMs).toBe(400);
  });

  it('does not send ports to closed windows', async () => {
    const { lastEngine, firstWindow } = await boot();
    firstWindow().close();
    lastEngine().emit('exit', 1);
    vi.advanceTimersByTime(200);
    expect(lastEngine().posted).toEqual([]);
  });

  it('kills both children on quit and never restarts them', async () => {
    const { fake, engines } = await boot();
    const [exchange, engine] = fake.forks;
    fake.app.emit('before-quit');
    expect(exchange?.killed).toBe(true);
    expect(engine?.killed).toBe(true);
    engine?.emit('exit', 0);
    exchange?.emit('exit', 0);
    vi.advanceTimersByTime(60_000);
    expect(fake.forks).toHaveLength(2);
    expect(engines()).toHaveLength(1);
  });

  it('restarts the local exchange too', async () => {
    const { fake } = await boot();
    fake.forks[0]?.emit('exit', 1);
    vi.advanceTimersByTime(200);
    expect(fake.forks.map((f) => path.basename(f.modulePath))).toEqual(['sim.js', 'engine.js', 'sim.js']);
  });
});

describe('startMain: pop-out windows', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const popOut = (fake: Awaited<ReturnType<typeof boot>>['fake'], request: unknown, from = OWN_TOP_FRAME) => {
    const handler = fake.ipcMain.handlers.get(IPC_POP_OUT);
    if (handler === undefined) throw new Error('no pop-out handler');
    const sender = fake.windows[0]?.webContents;
    if (sender === undefined) throw new Error('no window');
    return handler(ipcEvent(sender, from), request);
  };

  it('opens a panel in a hardened window of its own on our origin, which gets its own engine port', async () => {
    const { fake, lastEngine, firstWindow } = await boot();
    expect(popOut(fake, { panel: 'ladder', instrumentToken: 408065 })).toEqual({ ok: true });
    expect(fake.windows).toHaveLength(2);
    const win = fake.windows[1];
    if (win === undefined) throw new Error('no pop-out');
    expect(win.loadedUrls).toEqual(['app://terminal/?panel=ladder&instrument=408065']);
    expect(win.options).toMatchObject({ width: 560, height: 780, show: false, title: 'ShrivenQ · ladder' });
    expect(win.options.webPreferences).toEqual(firstWindow().options.webPreferences);
    // Created like every window: hardened (no window.open of its own) and shown when ready.
    expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.com/' })).toEqual({ action: 'deny' });
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);

    // Its preload asks for a port: a channel of its own to the engine.
    fake.ipcMain.listeners.get(IPC_REQUEST_ENGINE_PORT)?.(ipcEvent(win.webContents, OWN_TOP_FRAME));
    expect(lastEngine().posted.map((p) => p.message)).toContainEqual({
      type: 'connect',
      client: `window:${win.webContents.id}`,
    });
    // An engine restart hands it a fresh port too, unasked.
    lastEngine().emit('exit', 1);
    vi.advanceTimersByTime(200);
    expect(lastEngine().posted.map((p) => p.message)).toEqual([
      { type: 'connect', client: `window:${firstWindow().webContents.id}` },
      { type: 'connect', client: `window:${win.webContents.id}` },
    ]);
  });

  it('brings a panel already out to the front, on the instrument asked for, rather than opening another', async () => {
    const { fake } = await boot();
    popOut(fake, { panel: 'chart', instrumentToken: 1 });
    const win = fake.windows[1];
    if (win === undefined) throw new Error('no pop-out');
    win.minimized = true;
    expect(popOut(fake, { panel: 'chart', instrumentToken: 1 })).toEqual({ ok: true });
    expect(fake.windows).toHaveLength(2);
    expect(win.loadedUrls).toHaveLength(1);
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
    popOut(fake, { panel: 'chart', instrumentToken: 2 });
    expect(win.loadedUrls.at(-1)).toBe('app://terminal/?panel=chart&instrument=2');
    // Closed, it opens anew.
    win.close();
    popOut(fake, { panel: 'chart' });
    expect(fake.windows).toHaveLength(3);
    expect(fake.windows[2]?.loadedUrls).toEqual(['app://terminal/?panel=chart']);
  });

  it('refuses a malformed request with a reason and opens nothing', async () => {
    const { fake } = await boot();
    for (const bad of [
      undefined,
      'ladder',
      { panel: '../x' },
      { panel: 'https://evil.com' },
      { panel: 'ladder', instrumentToken: -1 },
      { panel: 'ladder', instrumentToken: '1' },
    ]) {
      expect(popOut(fake, bad)).toMatchObject({ ok: false, reason: expect.any(String) as string });
    }
    expect(fake.windows).toHaveLength(1);
    // From a frame that is not ours, the handler refuses the sender itself.
    expect(() => popOut(fake, { panel: 'ladder' }, { url: 'https://evil.com/' })).toThrow();
    expect(fake.windows).toHaveLength(1);
  });

  it('uses the dev server under npm start', async () => {
    const { fake } = await boot({ devServerUrl: DEV_URL });
    popOut(fake, { panel: 'depth' }, { url: DEV_URL });
    expect(fake.windows[1]?.loadedUrls).toEqual(['http://localhost:5173/?panel=depth']);
  });

  it('a second launch brings the terminal back, not a pop-out, and reopens it when it was closed', async () => {
    const { fake, firstWindow } = await boot();
    popOut(fake, { panel: 'ladder' });
    const terminal = firstWindow();
    terminal.close();
    fake.app.emit('second-instance');
    expect(fake.windows).toHaveLength(3);
    expect(fake.windows[2]?.loadedUrls).toEqual(['app://terminal/']);
    expect(fake.windows[1]?.focused).toBe(false);
  });
});
