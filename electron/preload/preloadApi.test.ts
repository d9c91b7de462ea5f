import { describe, expect, it, vi } from 'vitest';
import {
  ENGINE_PORT_MESSAGE,
  IPC_ENGINE_PORT,
  IPC_REQUEST_ENGINE_PORT,
  PRELOAD_GLOBAL,
} from '../../shared/electronBridge';
import type { PreloadApi } from '../../shared/electronBridge';
import {
  IPC_KITE_CREDENTIALS_STATE,
  IPC_OPEN_KITE_LOGIN,
  IPC_POP_OUT,
  IPC_PROCESS_STATUS,
  IPC_SET_KITE_CREDENTIALS,
  PROCESS_STATUS_MESSAGE,
} from '../../shared/electronBridge';
import { exposePreloadApi } from './preloadApi';
import type { IpcRendererLike, PreloadProcessLike } from './preloadApi';

type Listener = Parameters<IpcRendererLike['on']>[1];

function setup(proc: Partial<PreloadProcessLike> = {}) {
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, Listener>();
  const sent: unknown[][] = [];
  const invoked: unknown[][] = [];
  const answers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const ipcRenderer = {
    send: (...args: unknown[]) => {
      sent.push(args);
    },
    invoke: (channel: string, ...args: unknown[]): Promise<unknown> => {
      invoked.push([channel, ...args]);
      const answer = answers.get(channel);
      return answer === undefined ? Promise.reject(new Error(`no handler for ${channel}`)) : answer(...args);
    },
    on(channel: string, listener: Listener) {
      listeners.set(channel, listener);
      return this;
    },
  };
  const page = { postMessage: vi.fn() };
  const api = exposePreloadApi(
    { exposeInMainWorld: (key, value) => exposed.set(key, value) },
    ipcRenderer,
    page,
    {
      argv: [
        '/opt/ShrivenQ/shrivenq',
        '--type=renderer',
        '--shrivenq-app-name=ShrivenQ',
        '--shrivenq-app-version=0.1.0',
      ],
      platform: 'linux',
      versions: { electron: '45.4.1', chrome: '142.0.0.0', node: '24.18.1' },
      ...proc,
    },
  );
  const emit = (channel: string, event: { ports: readonly MessagePort[] }, ...args: unknown[]) => {
    const listener = listeners.get(channel);
    if (listener === undefined) throw new Error(`nothing listens on ${channel}`);
    listener(event, ...args);
  };
  return { api, exposed, sent, invoked, answers, page, emit, listeners };
}

describe('exposePreloadApi', () => {
  it('exposes one frozen object under window.shrivenq with exactly the keys of PreloadApi', () => {
    const { api, exposed } = setup();
    expect([...exposed.keys()]).toEqual([PRELOAD_GLOBAL]);
    expect(exposed.get(PRELOAD_GLOBAL)).toBe(api);
    const keys: (keyof PreloadApi)[] = [
      'appInfo',
      'requestEnginePort',
      'setKiteCredentials',
      'kiteCredentialsState',
      'openKiteLogin',
      'popOut',
    ];
    expect(Object.keys(api).sort()).toEqual(keys.sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.appInfo)).toBe(true);
  });

  it('never hands out ipcRenderer: its only functions are the API methods', () => {
    const { api } = setup();
    const functions = Object.entries(api).filter(([, v]) => typeof v === 'function');
    expect(functions.map(([key]) => key).sort()).toEqual(
      ['kiteCredentialsState', 'openKiteLogin', 'popOut', 'requestEnginePort', 'setKiteCredentials'].sort(),
    );
    for (const v of Object.values(api.appInfo)) expect(typeof v).toBe('string');
  });

  it('reports app facts from process.versions and the flags main passes', () => {
    expect(setup().api.appInfo).toEqual({
      name: 'ShrivenQ',
      version: '0.1.0',
      platform: 'linux',
      electron: '45.4.1',
      chrome: '142.0.0.0',
      node: '24.18.1',
    });
    expect(setup({ argv: [], versions: {} }).api.appInfo).toMatchObject({
      version: 'unknown',
      electron: 'unknown',
    });
  });

  it('asks main for a port with no payload', () => {
    const { api, sent } = setup();
    api.requestEnginePort();
    expect(sent).toEqual([[IPC_REQUEST_ENGINE_PORT]]);
  });

  it('forwards the engine port into the page with window.postMessage, and not the ipc event', () => {
    const { page, emit } = setup();
    const { port1 } = new MessageChannel();
    const event = { ports: [port1], sender: { send: () => undefined }, senderId: 0 };
    emit(IPC_ENGINE_PORT, event);
    expect(page.postMessage).toHaveBeenCalledTimes(1);
    expect(page.postMessage).toHaveBeenCalledWith({ type: ENGINE_PORT_MESSAGE }, '*', [port1]);
    const [message, , transfer] = page.postMessage.mock.calls[0] ?? [];
    expect(message).not.toBe(event);
    expect(Object.keys(message as object)).toEqual(['type']);
    expect(transfer).toEqual([port1]);
    port1.close();
  });

  it('ignores an engine-port message that carries no port', () => {
    const { page, emit } = setup();
    emit(IPC_ENGINE_PORT, { ports: [] });
    expect(page.postMessage).not.toHaveBeenCalled();
  });

  it('forwards supervised-process status as plain data', () => {
    const { page, emit } = setup();
    const status = {
      name: 'engine',
      state: 'running',
      restarts: 0,
      lastExitCode: null,
      restartDelayMs: null,
    };
    emit(IPC_PROCESS_STATUS, { ports: [] }, status);
    expect(page.postMessage).toHaveBeenCalledWith({ type: PROCESS_STATUS_MESSAGE, status }, '*');
  });
});

describe('exposePreloadApi: Kite credentials and login', () => {
  it('sends the credentials to main field by field, nothing else the page put on the object', async () => {
    const { api, invoked, answers } = setup();
    answers.set(IPC_SET_KITE_CREDENTIALS, () => Promise.resolve({ ok: true, extra: 'x' }));
    const input = { apiKey: 'abcdef12', apiSecret: 'secret123456', sneaky: 'x' };
    expect(await api.setKiteCredentials(input)).toEqual({ ok: true });
    expect(
      await api.setKiteCredentials({ ...input, redirectUrl: 'http://127.0.0.1/cb', allowPlainText: true }),
    ).toEqual({ ok: true });
    expect(invoked).toEqual([
      [IPC_SET_KITE_CREDENTIALS, { apiKey: 'abcdef12', apiSecret: 'secret123456' }],
      [
        IPC_SET_KITE_CREDENTIALS,
        {
          apiKey: 'abcdef12',
          apiSecret: 'secret123456',
          redirectUrl: 'http://127.0.0.1/cb',
          allowPlainText: true,
        },
      ],
    ]);
  });

  it('turns a refusal or a rejected invoke (refused sender) into {ok:false, reason}', async () => {
    const { api, answers } = setup();
    answers.set(IPC_SET_KITE_CREDENTIALS, () => Promise.resolve({ ok: false, reason: 'bad key' }));
    expect(await api.setKiteCredentials({ apiKey: 'k', apiSecret: 's' })).toEqual({
      ok: false,
      reason: 'bad key',
    });
    answers.set(IPC_OPEN_KITE_LOGIN, () =>
      Promise.reject(new Error('ipc kite:open-login refused: subframe')),
    );
    expect(await api.openKiteLogin('https://kite.zerodha.com/connect/login')).toEqual({
      ok: false,
      reason: 'ipc kite:open-login refused: subframe',
    });
    answers.set(IPC_OPEN_KITE_LOGIN, () => Promise.resolve('yes'));
    expect(await api.openKiteLogin('x')).toMatchObject({ ok: false });
  });

  it('passes the credentials state through by known fields only: a secret main carried never reaches the page', async () => {
    const { api, answers } = setup();
    answers.set(IPC_KITE_CREDENTIALS_STATE, () =>
      Promise.resolve({
        apiKey: 'abcdef12',
        apiSecret: 'secret123456',
        backend: 'gnome_libsecret',
        plainTextAllowed: false,
        redirectUrl: 'http://127.0.0.1/shrivenq/kite',
        problem: null,
      }),
    );
    const state = await api.kiteCredentialsState();
    expect(state).toEqual({
      apiKey: 'abcdef12',
      backend: 'gnome_libsecret',
      plainTextAllowed: false,
      redirectUrl: 'http://127.0.0.1/shrivenq/kite',
      problem: null,
    });
    expect(JSON.stringify(state)).not.toContain('secret123456');
  });

  it('asks main to open the login window with the URL as a string', async () => {
    const { api, invoked, answers } = setup();
    answers.set(IPC_OPEN_KITE_LOGIN, () => Promise.resolve({ ok: true }));
    expect(await api.openKiteLogin('https://kite.zerodha.com/connect/login?api_key=abcdef12&v=3')).toEqual({
      ok: true,
    });
    expect(invoked).toEqual([
      [IPC_OPEN_KITE_LOGIN, 'https://kite.zerodha.com/connect/login?api_key=abcdef12&v=3'],
    ]);
  });
});

describe('exposePreloadApi: pop-out windows', () => {
  it('asks main for a window of the panel, the request copied field by field', async () => {
    const { api, invoked, answers } = setup();
    answers.set(IPC_POP_OUT, () => Promise.resolve({ ok: true }));
    const sneaky = { panel: 'ladder', instrumentToken: 408065, url: 'https://evil.com/' };
    expect(await api.popOut(sneaky)).toEqual({ ok: true });
    expect(await api.popOut({ panel: 'chart' })).toEqual({ ok: true });
    expect(invoked).toEqual([
      [IPC_POP_OUT, { panel: 'ladder', instrumentToken: 408065 }],
      [IPC_POP_OUT, { panel: 'chart' }],
    ]);
    answers.set(IPC_POP_OUT, () => Promise.resolve({ ok: false, reason: 'Not a panel id' }));
    expect(await api.popOut({ panel: '../x' })).toEqual({ ok: false, reason: 'Not a panel id' });
  });
});
