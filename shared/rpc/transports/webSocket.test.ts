// The contract over a real WebSocket (the `ws` package, real sockets on loopback).
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { RpcClient, toService } from '../client';
import { fromService, serveConnection } from '../server';
import { createEchoService, echoService } from '../testService';
import { fromWebSocket, openWebSocketPort } from './webSocket';

let server: WebSocketServer | undefined;

afterEach(async () => {
  if (server !== undefined) {
    for (const c of server.clients) c.terminate();
    await new Promise((r) => server?.close(r));
  }
  server = undefined;
});

async function startServer(maxPayload = 1 << 20) {
  const impl = createEchoService();
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload });
  server.on('connection', (ws) => {
    serveConnection(fromWebSocket(ws), [fromService(echoService, impl)]);
  });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}`, impl };
}

async function connect(url: string) {
  const client = new RpcClient(await openWebSocketPort(new WebSocket(url)));
  return { client, echo: toService(client, echoService) };
}

describe('contract over a real WebSocket', () => {
  it('answers requests and streams events', async () => {
    const { url, impl } = await startServer();
    const { echo } = await connect(url);
    await expect(echo.add({ a: 20, b: 22 })).resolves.toBe(42);
    const got: unknown[] = [];
    echo.onTicks((t) => got.push(t));
    await expect(echo.echo({ text: 'sync' })).resolves.toEqual({ text: 'sync' }); // subscription is in place
    impl.ticks.fire({ symbol: 'RELIANCE', price: 2950.05 });
    await expect.poll(() => got).toEqual([{ symbol: 'RELIANCE', price: 2950.05 }]);
  });

  it('keeps serving other clients while one sends garbage, wrong types and a 10 MB payload', async () => {
    const { url } = await startServer();
    const good = await connect(url);

    const bad = new WebSocket(url);
    await once(bad, 'open');
    const answers: unknown[] = [];
    bad.on('message', (d) => answers.push(JSON.parse((d as Buffer).toString('utf8'))));
    bad.send('{"type":"request","id":1,');
    bad.send(JSON.stringify({ type: 'request', id: 2, method: 'echo.add', params: { a: 'one', b: [] } }));
    bad.send(JSON.stringify({ type: 'request', id: 3, method: 'orders.placeEverything' }));
    await expect.poll(() => answers.length).toBe(3);
    expect(answers).toContainEqual(
      expect.objectContaining({ id: null, error: expect.objectContaining({ code: 'BAD_FRAME' }) }),
    );
    expect(answers).toContainEqual(
      expect.objectContaining({ id: 2, error: expect.objectContaining({ code: 'INVALID_PARAMS' }) }),
    );
    expect(answers).toContainEqual(
      expect.objectContaining({ id: 3, error: expect.objectContaining({ code: 'UNKNOWN_METHOD' }) }),
    );

    // 10 MB in one message: the transport closes that socket (1009, message too big).
    const closed = once(bad, 'close');
    bad.send('x'.repeat(10 * 1024 * 1024));
    const [code] = (await closed) as [number];
    expect(code).toBe(1009);

    await expect(good.echo.add({ a: 1, b: 2 })).resolves.toBe(3);
  });

  it('fails pending requests with DISCONNECTED when the server drops the socket', async () => {
    const { url } = await startServer();
    const { echo, client } = await connect(url);
    const pending = client.request('echo.hang', undefined, 60_000).catch((e: unknown) => e);
    for (const c of server?.clients ?? []) c.terminate();
    const error = await pending;
    expect(error).toMatchObject({ code: 'DISCONNECTED' });
    await expect.poll(() => client.isClosed).toBe(true);
    await expect(echo.add({ a: 1, b: 1 })).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});
