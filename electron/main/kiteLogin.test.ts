// Main's Kite wiring against the fake electron: credentials to the engine, the guarded credential
// requests, and the login window catching Kite's redirect.
import { describe, expect, it } from 'vitest';
import {
  IPC_KITE_CREDENTIALS_STATE,
  IPC_OPEN_KITE_LOGIN,
  IPC_SET_KITE_CREDENTIALS,
} from '../../shared/electronBridge';
import type { BridgeResult, KiteCredentialsState } from '../../shared/electronBridge';
import type { TextFile } from './kite/credentialsStore';
import { LOGIN_PARTITION } from './security/webPreferences';
import { startMain } from './startMain';
import { createFakeElectron, FakeSafeStorage, ipcEvent, navigationEvent } from './testing/fakeElectron';
import type { FakeUtilityProcess } from './testing/fakeElectron';

const OWN_FRAME = { url: 'app://terminal/' };
const KITE_LOGIN = 'https://kite.zerodha.com/connect/login?api_key=abcdef12&v=3';
const REDIRECT = 'http://127.0.0.1/shrivenq/kite';
const TOKEN_URL = `${REDIRECT}?action=login&type=login&status=success&request_token=Tok3nABC123`;
const CREDENTIALS = { apiKey: 'abcdef12', apiSecret: 'TopSecret999' };

const settle = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

function memoryFile(): TextFile & { text: string | null } {
  return {
    text: null,
    read() {
      return Promise.resolve(this.text);
    },
    write(next: string) {
      this.text = next;
      return Promise.resolve();
    },
  };
}

async function boot(
  mode: 'sim' | 'paper' | 'live' = 'paper',
  file = memoryFile(),
  safeStorage = new FakeSafeStorage(),
) {
  const fake = createFakeElectron({ safeStorage });
  const logs: string[] = [];
  const handle = startMain(fake.electron, {
    buildDir: '/opt/shrivenq/build',
    devServerUrl: undefined,
    rendererName: 'main_window',
    argv: ['shrivenq', '--mode', mode],
    platform: 'linux',
    readFile: () => Promise.reject(new Error('ENOENT')),
    restartPolicy: { initialDelayMs: 1, maxDelayMs: 10, resetAfterMs: 30_000 },
    log: (line) => logs.push(line),
    credentialsFile: file,
  });
  await handle.ready;
  await settle();
  const terminal = fake.windows[0];
  if (terminal === undefined) throw new Error('no window');
  const engine = (): FakeUtilityProcess => {
    const last = fake.forks.filter((f) => f.modulePath.endsWith('engine.js')).at(-1);
    if (last === undefined) throw new Error('no engine');
    return last;
  };
  const invoke = (channel: string, ...args: unknown[]): Promise<unknown> => {
    const handler = fake.ipcMain.handlers.get(channel);
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(handler(ipcEvent(terminal.webContents, OWN_FRAME), ...args));
  };
  const toEngine = (type: string): unknown[] =>
    engine()
      .posted.map((p) => p.message)
      .filter((m) => (m as { type?: string }).type === type);
  return { fake, file, logs, terminal, engine, invoke, toEngine };
}

describe('main: Kite credentials', () => {
  it('saves through the guarded request, hands the engine the secret, and never returns it to the window', async () => {
    const { invoke, toEngine, file } = await boot('paper');
    expect(toEngine('credentials')).toEqual([{ type: 'credentials', credentials: null }]);
    expect(await invoke(IPC_SET_KITE_CREDENTIALS, CREDENTIALS)).toEqual({ ok: true });
    expect(toEngine('credentials').at(-1)).toEqual({ type: 'credentials', credentials: CREDENTIALS });
    expect(file.text).not.toContain('TopSecret999');
    const state = (await invoke(IPC_KITE_CREDENTIALS_STATE)) as KiteCredentialsState;
    expect(state).toMatchObject({ apiKey: 'abcdef12', backend: 'gnome_libsecret', problem: null });
    expect(JSON.stringify(state)).not.toContain('TopSecret999');
  });

  it('gives a restarted engine the stored credentials, once per start', async () => {
    const file = memoryFile();
    await (await boot('live', file)).invoke(IPC_SET_KITE_CREDENTIALS, CREDENTIALS);
    const { engine, fake, toEngine } = await boot('live', file);
    expect(toEngine('credentials')).toEqual([{ type: 'credentials', credentials: CREDENTIALS }]);
    const first = engine();
    first.emit('exit', 1);
    await settle(20);
    expect(engine()).not.toBe(first);
    expect(toEngine('credentials')).toEqual([{ type: 'credentials', credentials: CREDENTIALS }]);
    expect(fake.forks.filter((f) => f.modulePath.endsWith('engine.js'))).toHaveLength(2);
  });

  it('sends the credentials in sim mode too (the mode is a setting: the engine keeps them for a switch)', async () => {
    const { invoke, toEngine } = await boot('sim');
    expect(await invoke(IPC_SET_KITE_CREDENTIALS, CREDENTIALS)).toEqual({ ok: true });
    expect(toEngine('credentials').at(-1)).toEqual({ type: 'credentials', credentials: CREDENTIALS });
  });

  it('refuses basic_text with the reason, and stores after an explicit allowPlainText', async () => {
    const { invoke, toEngine } = await boot('paper', memoryFile(), new FakeSafeStorage('basic_text'));
    const refused = (await invoke(IPC_SET_KITE_CREDENTIALS, CREDENTIALS)) as BridgeResult;
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/basic_text/) });
    expect(toEngine('credentials')).toEqual([{ type: 'credentials', credentials: null }]);
    expect(await invoke(IPC_SET_KITE_CREDENTIALS, { ...CREDENTIALS, allowPlainText: true })).toEqual({
      ok: true,
    });
    expect(toEngine('credentials').at(-1)).toEqual({ type: 'credentials', credentials: CREDENTIALS });
    expect(await invoke(IPC_KITE_CREDENTIALS_STATE)).toMatchObject({
      backend: 'basic_text',
      plainTextAllowed: true,
    });
  });
});

describe('main: the login window', () => {
  async function openLogin(url = KITE_LOGIN) {
    const booted = await boot('paper');
    const before = booted.fake.windows.length;
    const outcome = booted.invoke(IPC_OPEN_KITE_LOGIN, url) as Promise<BridgeResult>;
    await settle();
    const win = booted.fake.windows.length > before ? booted.fake.windows.at(-1) : undefined;
    return { ...booted, outcome, win };
  }

  it("opens Kite's login page in a locked-down window with no preload, on its own session", async () => {
    const { win } = await openLogin();
    if (win === undefined) throw new Error('no login window');
    expect(win.loadedUrls).toEqual([KITE_LOGIN]);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
      partition: LOGIN_PARTITION,
    });
    expect(win.options.webPreferences).not.toHaveProperty('preload');
    // Hardened like every webContents: no new windows.
    expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.com/' })).toEqual({ action: 'deny' });
  });

  it('catches the redirect with the token: exactly one RequestTokenMessage, the redirect cancelled, the window closed', async () => {
    const { win, outcome, toEngine, logs } = await openLogin();
    if (win === undefined) throw new Error('no login window');
    const redirect = navigationEvent(TOKEN_URL);
    win.webContents.emit('will-redirect', redirect);
    expect(redirect.defaultPrevented).toBe(true);
    expect(win.destroyed).toBe(true);
    expect(await outcome).toEqual({ ok: true });
    // Whatever Electron still reports afterwards adds nothing.
    win.webContents.emit('will-navigate', navigationEvent(TOKEN_URL));
    win.webContents.emit('did-navigate', {}, TOKEN_URL);
    expect(toEngine('request-token')).toEqual([{ type: 'request-token', requestToken: 'Tok3nABC123' }]);
    expect(logs.join('\n')).not.toContain('Tok3nABC123');
  });

  it('catches a script navigation to the redirect URL too', async () => {
    const { win, outcome, toEngine } = await openLogin();
    const navigation = navigationEvent(TOKEN_URL);
    win?.webContents.emit('will-navigate', navigation);
    expect(navigation.defaultPrevented).toBe(true);
    expect(await outcome).toEqual({ ok: true });
    expect(toEngine('request-token')).toHaveLength(1);
  });

  it("lets the page move within Kite's origin and refuses every other navigation", async () => {
    const { win, toEngine } = await openLogin();
    if (win === undefined) throw new Error('no login window');
    for (const kind of ['will-navigate', 'will-redirect']) {
      const inside = navigationEvent('https://kite.zerodha.com/connect/finish?sess_id=abc');
      win.webContents.emit(kind, inside);
      expect(inside.defaultPrevented, kind).toBe(false);
      for (const url of ['https://zerodha.com/open-account', 'app://terminal/', 'http://127.0.0.1:8080/x']) {
        const outside = navigationEvent(url);
        win.webContents.emit(kind, outside);
        expect(outside.defaultPrevented, `${kind} ${url}`).toBe(true);
      }
    }
    // A sub-frame sent to the redirect URL is refused, not taken for the login.
    const frame = { ...navigationEvent(TOKEN_URL), isMainFrame: false };
    win.webContents.emit('will-redirect', frame);
    expect(frame.defaultPrevented).toBe(true);
    expect(toEngine('request-token')).toEqual([]);
    expect(win.destroyed).toBe(false);
  });

  it('reports a refused login (status not success) and sends no token', async () => {
    const { win, outcome, toEngine } = await openLogin();
    win?.webContents.emit(
      'will-redirect',
      navigationEvent(`${REDIRECT}?status=cancelled&request_token=Tok3nABC123`),
    );
    expect(await outcome).toEqual({ ok: false, reason: 'Kite did not log you in (status: cancelled)' });
    expect(win?.destroyed).toBe(true);
    expect(toEngine('request-token')).toEqual([]);
  });

  it('settles with a reason when the user closes the window', async () => {
    const { win, outcome } = await openLogin();
    win?.close();
    expect(await outcome).toMatchObject({ ok: false, reason: expect.stringMatching(/closed/) });
  });

  it('refuses a login URL that is not Kite or loopback, opening nothing', async () => {
    for (const url of [
      'https://evil.com/connect/login',
      'https://kite.zerodha.com.evil.com/connect/login',
      42,
    ]) {
      const { win, outcome } = await openLogin(url as string);
      expect(win).toBeUndefined();
      expect(await outcome).toMatchObject({ ok: false });
    }
  });

  it("opens the local exchange's loopback login page and confines the window to its origin", async () => {
    const url = 'http://127.0.0.1:41234/connect/login?api_key=simkey123&v=3';
    const { win, outcome, toEngine } = await openLogin(url);
    if (win === undefined) throw new Error('no login window');
    expect(win.loadedUrls).toEqual([url]);
    const toKite = navigationEvent('https://kite.zerodha.com/connect/login');
    win.webContents.emit('will-navigate', toKite);
    expect(toKite.defaultPrevented).toBe(true);
    win.webContents.emit('will-redirect', navigationEvent(TOKEN_URL));
    expect(await outcome).toEqual({ ok: true });
    expect(toEngine('request-token')).toHaveLength(1);
  });

  it('focuses the open login window on a second request instead of opening another', async () => {
    const { win, invoke, fake, outcome } = await openLogin();
    const again = invoke(IPC_OPEN_KITE_LOGIN, KITE_LOGIN) as Promise<BridgeResult>;
    await settle();
    expect(fake.windows.filter((w) => w.loadedUrls.includes(KITE_LOGIN))).toHaveLength(1);
    expect(win?.focused).toBe(true);
    win?.webContents.emit('will-redirect', navigationEvent(TOKEN_URL));
    expect(await outcome).toEqual({ ok: true });
    expect(await again).toEqual({ ok: true });
  });

  it('leaves the terminal window confined to our own origin', async () => {
    const { terminal } = await openLogin();
    const toKite = navigationEvent('https://kite.zerodha.com/connect/login');
    terminal.webContents.emit('will-navigate', toKite);
    expect(toKite.defaultPrevented).toBe(true);
  });
});
