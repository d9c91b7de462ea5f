import { describe, expect, it, vi } from 'vitest';
import { ENGINE_PORT_MESSAGE } from '../../../shared/electronBridge';
import type { Timers } from '../../../shared/rpc/timers';
import type { DomMessagePortLike } from '../../../shared/rpc/transports/messagePort';
import { PreloadPortSource, isEnginePortMessage } from './preloadPort';
import type { PortMessageEvent, PortWindow } from './preloadPort';
import { chooseTransport, createConnector } from './transport';
import { engineWebSocketUrl, openEngineWebSocket } from './webSocketPort';

const http = { protocol: 'http:', host: '127.0.0.1:5780' };

describe('chooseTransport', () => {
  it('uses the preload MessagePort when window.shrivenq is there (the app)', () => {
    const api = { requestEnginePort: vi.fn() };
    const appWindow = { location: { protocol: 'app:', host: 'terminal' }, shrivenq: api };
    const t = chooseTransport(appWindow, 'ignored');
    expect(t).toEqual({ kind: 'messagePort', api });
  });

  it('uses a WebSocket to /rpc on the same host with the token otherwise (web mode)', () => {
    expect(chooseTransport({ location: http }, 'abc')).toEqual({
      kind: 'webSocket',
      url: 'ws://127.0.0.1:5780/rpc?token=abc',
    });
  });

  it('ignores a window.shrivenq that is not the preload API', () => {
    for (const bogus of [undefined, null, 'x', {}, { requestEnginePort: 'no' }]) {
      const browserWindow = { location: http, shrivenq: bogus };
      const t = chooseTransport(browserWindow, 't');
      expect(t.kind).toBe('webSocket');
    }
  });
});

describe('engineWebSocketUrl', () => {
  it('uses wss for an https page, escapes the token, and works without one', () => {
    expect(engineWebSocketUrl({ protocol: 'https:', host: 'box:8443' }, 'a+b/=')).toBe(
      'wss://box:8443/rpc?token=a%2Bb%2F%3D',
    );
    expect(engineWebSocketUrl({ protocol: 'http:', host: '[::1]:5780' }, undefined)).toBe(
      'ws://[::1]:5780/rpc',
    );
  });
});

/** A window that delivers "message" events synchronously. */
function fakeWindow(): PortWindow & { post(event: Partial<PortMessageEvent>): void; listeners: number } {
  const listeners = new Set<(e: PortMessageEvent) => void>();
  const win = {
    addEventListener: (_type: 'message', l: (e: PortMessageEvent) => void) => listeners.add(l),
    removeEventListener: (_type: 'message', l: (e: PortMessageEvent) => void) => listeners.delete(l),
    post(event: Partial<PortMessageEvent>) {
      const full: PortMessageEvent = { source: win, data: undefined, ports: [], ...event };
      for (const l of [...listeners]) l(full);
    },
    get listeners() {
      return listeners.size;
    },
  };
  return win;
}

function fakeMessagePort(): DomMessagePortLike & { started: boolean; closed: boolean; sent: unknown[] } {
  return {
    started: false,
    closed: false,
    sent: [],
    postMessage(m: unknown) {
      this.sent.push(m);
    },
    addEventListener: () => undefined,
    start() {
      this.started = true;
    },
    close() {
      this.closed = true;
    },
  };
}

/** Timers whose timeouts run only when `fire()` is called. */
function manualTimers(): Timers & { fire(): void } {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    now: () => 0,
    setTimeout: (fn) => {
      pending.set(next, fn);
      return next++;
    },
    clearTimeout: (h) => {
      pending.delete(h as number);
    },
    queueMicrotask: (fn) => {
      queueMicrotask(fn);
    },
    fire() {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
    },
  };
}

describe('isEnginePortMessage', () => {
  const win = {};
  const port = fakeMessagePort();
  it('accepts only the preload message from this window carrying a port', () => {
    const ok = { source: win, data: { type: ENGINE_PORT_MESSAGE }, ports: [port] };
    expect(isEnginePortMessage(ok, win)).toBe(true);
    expect(isEnginePortMessage({ ...ok, source: {} }, win)).toBe(false);
    expect(isEnginePortMessage({ ...ok, source: null }, win)).toBe(false);
    expect(isEnginePortMessage({ ...ok, data: { type: 'other' } }, win)).toBe(false);
    expect(isEnginePortMessage({ ...ok, data: ENGINE_PORT_MESSAGE }, win)).toBe(false);
    expect(isEnginePortMessage({ ...ok, ports: [] }, win)).toBe(false);
  });
});

describe('PreloadPortSource', () => {
  it('asks the preload for a port and resolves with it when the window message arrives', async () => {
    const win = fakeWindow();
    const api = { requestEnginePort: vi.fn() };
    const source = new PreloadPortSource(win, api);
    const next = source.next();
    expect(api.requestEnginePort).toHaveBeenCalledTimes(1);

    const mp = fakeMessagePort();
    win.post({ source: {}, data: { type: ENGINE_PORT_MESSAGE }, ports: [fakeMessagePort()] }); // another window
    win.post({ data: { type: ENGINE_PORT_MESSAGE }, ports: [mp] });
    const port = await next;
    expect(port.encoding).toBe('structured');
    expect(mp.started).toBe(true);
    port.send({ hello: 1 });
    expect(mp.sent).toEqual([{ hello: 1 }]);
    source.dispose();
    expect(win.listeners).toBe(0);
  });

  it('fails the attempt when no port comes in time', async () => {
    const timers = manualTimers();
    const source = new PreloadPortSource(
      fakeWindow(),
      { requestEnginePort: vi.fn() },
      { timers, timeoutMs: 5000 },
    );
    const next = source.next();
    timers.fire();
    await expect(next).rejects.toThrow('no engine port from the app within 5000 ms');
  });

  it('keeps a port main sends unasked (engine restarted), says so, and hands it out next without asking', async () => {
    const win = fakeWindow();
    const api = { requestEnginePort: vi.fn() };
    const onUnaskedPort = vi.fn();
    const source = new PreloadPortSource(win, api, { onUnaskedPort });
    const first = fakeMessagePort();
    const second = fakeMessagePort();
    win.post({ data: { type: ENGINE_PORT_MESSAGE }, ports: [first] });
    win.post({ data: { type: ENGINE_PORT_MESSAGE }, ports: [second] });
    expect(onUnaskedPort).toHaveBeenCalledTimes(2);
    expect(first.closed).toBe(true); // only the newest is kept
    expect(second.started).toBe(false); // not started until used, so no message is lost
    await source.next();
    expect(api.requestEnginePort).not.toHaveBeenCalled();
    expect(second.started).toBe(true);
  });
});

/** A WebSocket that opens or closes when told. */
function fakeSocket() {
  const listeners: Record<string, ((e: never) => void)[]> = {};
  const ws = {
    readyState: 0,
    closedWith: undefined as number | undefined,
    send: vi.fn(),
    close(code?: number) {
      this.closedWith = code ?? 1005;
      this.emit('close', { code: 1006, reason: '' });
    },
    addEventListener(type: string, l: (e: never) => void) {
      (listeners[type] ??= []).push(l);
    },
    emit(type: string, event: unknown) {
      if (type === 'open') this.readyState = 1;
      if (type === 'close') this.readyState = 3;
      for (const l of listeners[type] ?? []) l(event as never);
    },
  };
  return ws;
}

describe('openEngineWebSocket', () => {
  it('resolves with a json Port once the socket opens', async () => {
    const ws = fakeSocket();
    const opening = openEngineWebSocket(() => ws);
    ws.emit('open', {});
    const port = await opening;
    expect(port.encoding).toBe('json');
    port.send('{"type":"request"}');
    expect(ws.send).toHaveBeenCalledWith('{"type":"request"}');
  });

  it('rejects when the server refuses the upgrade', async () => {
    const ws = fakeSocket();
    const opening = openEngineWebSocket(() => ws);
    ws.emit('close', { code: 1006, reason: '' });
    await expect(opening).rejects.toThrow('socket closed before it opened (1006)');
  });

  it('gives up and closes the socket when it does not open in time', async () => {
    const ws = fakeSocket();
    const timers = manualTimers();
    const opening = openEngineWebSocket(() => ws, 5000, timers);
    timers.fire();
    await expect(opening).rejects.toThrow('did not open within 5000 ms');
    expect(ws.closedWith).toBeDefined();
  });

  it('rejects when the socket cannot even be made (bad URL)', async () => {
    await expect(
      openEngineWebSocket(() => {
        throw new SyntaxError('bad url');
      }),
    ).rejects.toThrow('bad url');
  });
});

describe('createConnector', () => {
  it('connects web mode through a WebSocket made for the chosen URL', async () => {
    const ws = fakeSocket();
    const urls: string[] = [];
    const connector = createConnector(chooseTransport({ location: http }, 'tok'), {
      win: fakeWindow(),
      createWebSocket: (url) => {
        urls.push(url);
        queueMicrotask(() => {
          ws.emit('open', {});
        });
        return ws;
      },
    });
    expect(connector.kind).toBe('webSocket');
    await connector.connect();
    expect(urls).toEqual(['ws://127.0.0.1:5780/rpc?token=tok']);
  });

  it('connects the app through the preload, never a WebSocket', async () => {
    const win = fakeWindow();
    const createWebSocket = vi.fn();
    const api = {
      requestEnginePort: () => {
        win.post({ data: { type: ENGINE_PORT_MESSAGE }, ports: [fakeMessagePort()] });
      },
    };
    const appWindow = { location: http, shrivenq: api };
    const connector = createConnector(chooseTransport(appWindow, 't'), {
      win,
      createWebSocket,
    });
    expect(connector.kind).toBe('messagePort');
    const port = await connector.connect();
    expect(port.encoding).toBe('structured');
    expect(createWebSocket).not.toHaveBeenCalled();
    connector.dispose();
  });
});
