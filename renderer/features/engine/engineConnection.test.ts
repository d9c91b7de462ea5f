import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../../shared/emitter';
import type { Port } from '../../../shared/rpc/port';
import { fromService, serveConnection } from '../../../shared/rpc/server';
import type { ServiceOf } from '../../../shared/rpc/service';
import { createMemoryPortPair } from '../../../shared/rpc/transports/memory';
import { systemService } from '../../../shared/services/system';
import type { SystemInfo, SystemStatus } from '../../../shared/services/system';
import { startEngineConnection } from './engineConnection';
import type { EngineConnection } from './engineConnection';
import { createEngineStore, selectIsLive, selectIsStatusLive } from './engineStore';

/** A fake engine process: serves `system` on every port it is handed until it is killed. */
class FakeEngine {
  readonly status = new Emitter<SystemStatus>();
  private readonly ports: Port[] = [];
  answersInfo = true;

  constructor(readonly info: SystemInfo) {}

  accept(port: Port): void {
    this.ports.push(port);
    const impl: ServiceOf<typeof systemService> = {
      info: () => (this.answersInfo ? Promise.resolve(this.info) : new Promise<never>(() => undefined)),
      ping: ({ nonce }) => Promise.resolve({ nonce, at: 0 }),
      memory: () => Promise.resolve({ at: 0, structures: [], totalBytes: 0 }),
      onStatus: (listener) => this.status.on(listener),
    };
    serveConnection(port, [fromService(systemService, impl)]);
  }

  sample(uptimeMs: number): SystemStatus {
    const s: SystemStatus = {
      at: this.info.startedAt + uptimeMs,
      uptimeMs,
      eventLoopLagP99Ms: 0.8,
      eventLoopLagMaxMs: 2.5,
      rssBytes: 90 * 1024 * 1024,
      heapUsedBytes: 30 * 1024 * 1024,
      connections: this.ports.filter((p) => !p.isClosed).length,
      health: 'ok',
      healthReasons: [],
    };
    this.status.fire(s);
    return s;
  }

  kill(): void {
    for (const p of this.ports) p.close('engine killed');
    this.status.clear();
  }
}

const info = (pid: number): SystemInfo => ({
  name: 'ShrivenQ',
  version: '0.1.0',
  mode: 'paper',
  startedAt: 1_790_000_000_000 + pid,
  pid,
  node: 'v20.20.2',
  host: 'node-child',
});

const fastBackoff = { initialDelayMs: 10, maxDelayMs: 20, resetAfterMs: 1000 };

let connection: EngineConnection | undefined;
afterEach(() => {
  connection?.dispose();
  connection = undefined;
});

/** An engine "host": connect() reaches whichever engine is running now, or fails like a refused socket. */
function host() {
  let engine: FakeEngine | undefined;
  const connect = (): Promise<Port> => {
    if (engine === undefined) return Promise.reject(new Error('socket closed before it opened (1006)'));
    const [client, server] = createMemoryPortPair('json');
    engine.accept(server);
    return Promise.resolve(client);
  };
  return {
    connect,
    start: (pid: number) => (engine = new FakeEngine(info(pid))),
    kill: () => {
      engine?.kill();
      engine = undefined;
    },
  };
}

describe('engine connection', () => {
  it('connects, fetches info in the handshake and follows the status stream', async () => {
    const h = host();
    const engine = h.start(100);
    const store = createEngineStore();
    connection = startEngineConnection({
      kind: 'webSocket',
      connect: h.connect,
      store,
      backoff: fastBackoff,
    });

    await vi.waitFor(() => {
      expect(selectIsLive(store.getState())).toBe(true);
    });
    expect(store.getState().transport).toBe('webSocket');
    expect(store.getState().info).toEqual(info(100));
    expect(selectIsStatusLive(store.getState())).toBe(false);

    // The stream is opened just after the connection counts as connected.
    await vi.waitFor(() => {
      expect(engine.status.size).toBe(1);
    });
    const sample = engine.sample(5000);
    await vi.waitFor(() => {
      expect(store.getState().status).toEqual(sample);
    });
    expect(selectIsStatusLive(store.getState())).toBe(true);
  });

  it('goes stale and reconnecting when the engine dies, and live again on the restarted engine', async () => {
    const h = host();
    const first = h.start(100);
    const store = createEngineStore();
    connection = startEngineConnection({
      kind: 'webSocket',
      connect: h.connect,
      store,
      backoff: fastBackoff,
    });
    await vi.waitFor(() => {
      expect(first.status.size).toBe(1);
    });
    const old = first.sample(1000);
    await vi.waitFor(() => {
      expect(selectIsStatusLive(store.getState())).toBe(true);
    });

    h.kill();
    await vi.waitFor(() => {
      expect(store.getState().connection.status).toBe('reconnecting');
    });
    // Several attempts fail while nothing listens; the count and the reason are kept for the tooltip.
    await vi.waitFor(() => {
      expect(store.getState().connection.attempt).toBeGreaterThanOrEqual(2);
    });
    expect(store.getState().connection.lastError).toContain('1006');
    expect(store.getState().status).toEqual(old);
    expect(selectIsStatusLive(store.getState())).toBe(false);

    const second = h.start(200);
    await vi.waitFor(() => {
      expect(selectIsLive(store.getState())).toBe(true);
    });
    expect(store.getState().info?.pid).toBe(200);
    expect(selectIsStatusLive(store.getState())).toBe(false);
    await vi.waitFor(() => {
      expect(second.status.size).toBe(1);
    });
    second.sample(10);
    await vi.waitFor(() => {
      expect(selectIsStatusLive(store.getState())).toBe(true);
    });
    expect(store.getState().status?.uptimeMs).toBe(10);
  });

  it('replaces a connection that goes silent (a frozen or vanished engine whose port never closes)', async () => {
    const h = host();
    const engine = h.start(100);
    const store = createEngineStore();
    const states: string[] = [];
    store.subscribe((s, prev) => {
      if (s.connection.status !== prev.connection.status) states.push(s.connection.status);
    });
    connection = startEngineConnection({
      kind: 'messagePort',
      connect: h.connect,
      store,
      backoff: fastBackoff,
      livenessMs: 150,
    });
    await vi.waitFor(() => {
      expect(engine.status.size).toBe(1);
    });
    // No samples: the liveness check drops the link and connects again.
    await vi.waitFor(
      () => {
        expect(states).toEqual(['connected', 'reconnecting', 'connected']);
      },
      { timeout: 2000 },
    );
  });

  it('does not count a connection whose handshake never answers', async () => {
    const h = host();
    const engine = h.start(100);
    engine.answersInfo = false;
    const store = createEngineStore();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      connection = startEngineConnection({
        kind: 'webSocket',
        connect: h.connect,
        store,
        backoff: fastBackoff,
      });
      await vi.advanceTimersByTimeAsync(3_100);
      expect(store.getState().connection.status).toBe('connecting');
      expect(store.getState().connection.lastError).toContain('system.info');
      expect(store.getState().info).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes and stops reconnecting when disposed', async () => {
    const h = host();
    h.start(100);
    let attempts = 0;
    const connect = (): Promise<Port> => {
      attempts++;
      return h.connect();
    };
    const store = createEngineStore();
    connection = startEngineConnection({ kind: 'webSocket', connect, store, backoff: fastBackoff });
    await vi.waitFor(() => {
      expect(selectIsLive(store.getState())).toBe(true);
    });
    connection.dispose();
    expect(store.getState().connection.status).toBe('closed');
    const before = attempts;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toBe(before);
  });
});
