import { describe, expect, it } from 'vitest';
import type { Port } from './port';
import { ReconnectingClient } from './reconnect';
import type { ConnectionState } from './reconnect';
import { fromService, serveConnection } from './server';
import { createEchoService, echoService } from './testService';
import { createMemoryPortPair } from './transports/memory';

/** An "engine" that can be killed and restarted; each connect() makes a fresh in-memory pair. */
function fakeEngine() {
  let up = true;
  let impl = createEchoService();
  const serverPorts: Port[] = [];
  let connects = 0;
  return {
    get impl() {
      return impl;
    },
    get connects() {
      return connects;
    },
    connect(): Promise<Port> {
      connects++;
      if (!up) return Promise.reject(new Error('engine down'));
      const [client, server] = createMemoryPortPair('json');
      serverPorts.push(server);
      serveConnection(server, [fromService(echoService, impl)]);
      return Promise.resolve(client);
    },
    kill() {
      up = false;
      for (const p of serverPorts.splice(0)) p.close('engine killed');
    },
    restart() {
      impl = createEchoService();
      up = true;
    },
  };
}

const fast = { initialDelayMs: 10, maxDelayMs: 40, resetAfterMs: 1000 };

function statuses(client: ReconnectingClient): ConnectionState['status'][] {
  const seen: ConnectionState['status'][] = [];
  client.onState((s) => {
    if (seen.at(-1) !== s.status) seen.push(s.status);
  });
  return seen;
}

describe('ReconnectingClient', () => {
  it('connects, comes back after the engine restarts, and re-opens its streams', async () => {
    const engine = fakeEngine();
    const client = new ReconnectingClient({ connect: () => engine.connect(), backoff: fast });
    const seen = statuses(client);
    const echo = client.service(echoService);
    const ticks: unknown[] = [];
    echo.onTicks((t) => ticks.push(t));
    await expect.poll(() => client.state.status).toBe('connected');
    await expect(echo.add({ a: 1, b: 2 })).resolves.toBe(3);
    engine.impl.ticks.fire({ symbol: 'SBIN', price: 800 });
    await expect.poll(() => ticks.length).toBe(1);

    engine.kill();
    await expect.poll(() => client.state.status).toBe('reconnecting');
    // While down, requests fail at once and are never queued for later.
    await expect(echo.add({ a: 1, b: 2 })).rejects.toMatchObject({ code: 'DISCONNECTED' });
    const attemptsWhileDown = engine.connects;
    await expect.poll(() => engine.connects).toBeGreaterThan(attemptsWhileDown + 1);

    engine.restart();
    await expect.poll(() => client.state.status).toBe('connected');
    expect(engine.impl.ticks.size).toBe(1); // the stream was re-opened on the new engine
    engine.impl.ticks.fire({ symbol: 'SBIN', price: 801 });
    await expect
      .poll(() => ticks)
      .toEqual([
        { symbol: 'SBIN', price: 800 },
        { symbol: 'SBIN', price: 801 },
      ]);
    expect(seen).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    client.dispose();
    expect(client.state.status).toBe('closed');
  });

  it('stays "connecting" until the first connection succeeds, counting attempts', async () => {
    const engine = fakeEngine();
    engine.kill();
    const client = new ReconnectingClient({ connect: () => engine.connect(), backoff: fast });
    await expect.poll(() => client.state.attempt).toBeGreaterThan(2);
    expect(client.state.status).toBe('connecting');
    expect(client.state.lastError).toBe('engine down');
    engine.restart();
    await expect.poll(() => client.state.status).toBe('connected');
    expect(client.state.attempt).toBe(0);
    client.dispose();
  });

  it('replaces a connection that went silent for longer than livenessMs', async () => {
    const engine = fakeEngine();
    const client = new ReconnectingClient({
      connect: () => engine.connect(),
      backoff: fast,
      livenessMs: 100,
    });
    const errors: string[] = [];
    client.onState((s) => {
      if (s.lastError !== undefined) errors.push(s.lastError);
    });
    await expect.poll(() => client.state.status).toBe('connected');
    const first = engine.connects;
    // Nothing arrives on the connection: the client presumes it dead and connects again.
    await expect.poll(() => engine.connects, { timeout: 3000 }).toBeGreaterThan(first);
    expect(errors[0]).toContain('no frame from the engine for 100 ms');
    client.dispose();
  });

  it('does not count a connection whose handshake fails', async () => {
    const engine = fakeEngine();
    let fail = true;
    const client = new ReconnectingClient({
      connect: () => engine.connect(),
      backoff: fast,
      handshake: async (c) => {
        await c.request('echo.add', { a: 1, b: 1 });
        if (fail) throw new Error('handshake refused');
      },
    });
    await expect.poll(() => client.state.attempt).toBeGreaterThan(1);
    expect(client.state.status).toBe('connecting');
    fail = false;
    await expect.poll(() => client.state.status).toBe('connected');
    client.dispose();
  });
});
