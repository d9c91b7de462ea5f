// The MessagePort transports over real MessageChannels (Node's worker_threads ports carry objects by
// structured clone, like Electron's MessagePortMain and the renderer's DOM MessagePort).
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort as NodeMessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { RpcClient, toService } from '../client';
import { fromService, serveConnection } from '../server';
import { createEchoService, echoService } from '../testService';
import { fromDomMessagePort, fromMessagePortMain } from './messagePort';
import type { DomMessagePortLike, MessagePortMainLike } from './messagePort';

/** Node's MessagePort has both the EventEmitter (`on`) and EventTarget (`addEventListener`) APIs. */
const asMain = (p: NodeMessagePort): MessagePortMainLike => ({
  postMessage: (m) => {
    p.postMessage(m);
  },
  on: (event: 'message' | 'close', listener: (e: { data: unknown }) => void) =>
    event === 'message'
      ? p.on('message', (data: unknown) => {
          listener({ data });
        })
      : p.on('close', () => {
          listener({ data: null });
        }),
  start: () => {
    p.start();
  },
  close: () => {
    p.close();
  },
});
const asDom = (p: NodeMessagePort): DomMessagePortLike => p as unknown as DomMessagePortLike;

describe('MessagePort transports', () => {
  it('carry requests and streams between a MessagePortMain-style and a DOM-style end', async () => {
    const { port1, port2 } = new MessageChannel();
    const impl = createEchoService();
    serveConnection(fromMessagePortMain(asMain(port1)), [fromService(echoService, impl)]);
    const client = new RpcClient(fromDomMessagePort(asDom(port2)));
    const echo = toService(client, echoService);
    await expect(echo.add({ a: 2, b: 3 })).resolves.toBe(5);
    await expect(echo.add({ a: 2, b: 'x' } as unknown as { a: number; b: number })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    const got: unknown[] = [];
    echo.onTicks((t) => got.push(t));
    await echo.echo({ text: 'barrier' });
    impl.ticks.fire({ symbol: 'HDFCBANK', price: 1712.4 });
    await expect.poll(() => got).toEqual([{ symbol: 'HDFCBANK', price: 1712.4 }]);
    client.dispose();
  });

  it('fail pending requests when the other end closes', async () => {
    const { port1, port2 } = new MessageChannel();
    const server = fromMessagePortMain(asMain(port1));
    serveConnection(server, [fromService(echoService, createEchoService())]);
    const client = new RpcClient(fromDomMessagePort(asDom(port2)));
    const pending = client.request('echo.hang', undefined, 60_000);
    await new Promise((r) => setTimeout(r, 10));
    server.close('engine gone');
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});
