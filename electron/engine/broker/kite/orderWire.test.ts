import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Price } from '../../../../shared/domain/money';
import { BrokerError } from '../errors';
import { KiteOrderWire } from './orderWire';
import { RequestPacer } from './rateLimiter';

// The order transport on real sockets against a raw in-test HTTP server that answers as told (chunked,
// closing, silent, 5xx), so each fault is a real one on the wire. The happy path against the local
// exchange is in http.test.ts and the OMS exchange tests.

type Reply = (request: string, socket: net.Socket) => void;

const servers: net.Server[] = [];
const wires: KiteOrderWire[] = [];
afterEach(() => {
  for (const w of wires.splice(0)) w.dispose();
  for (const s of servers.splice(0)) s.close();
});

function serve(reply: Reply): Promise<{ root: string; requests: string[]; connections: () => number }> {
  const requests: string[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0);
      if (buffer.length < end + 4 + length) return;
      const request = buffer.slice(0, end + 4 + length);
      buffer = buffer.slice(end + 4 + length);
      requests.push(request);
      reply(request, socket);
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as net.AddressInfo;
      resolve({ root: `http://127.0.0.1:${a.port}`, requests, connections: () => connections });
    });
  });
}

function json(socket: net.Socket, status: number, body: unknown, extra = ''): void {
  const text = JSON.stringify(body);
  socket.write(
    `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}\r\n${text}`,
  );
}

function wire(root: string, timeoutMs = 2_000): KiteOrderWire {
  const w = new KiteOrderWire({
    root,
    apiKey: 'key',
    accessToken: () => 'tok',
    pacer: new RequestPacer(),
    timeoutMs,
  });
  wires.push(w);
  return w;
}

const ORDER = {
  variety: 'regular',
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 2,
  product: 'CNC',
  price: 150_005 as Price,
  tag: 'T1',
} as const;

async function failure(p: Promise<unknown>): Promise<BrokerError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BrokerError) return e;
    throw e;
  }
  throw new Error('resolved');
}

describe('Kite order transport', () => {
  it('sends the official client’s request and reads the order id; reuses one kept-alive socket', async () => {
    let n = 0;
    const s = await serve((r, socket) => {
      const cancelled = /^DELETE \/orders\/regular\/(\d+) /.exec(r)?.[1];
      json(socket, 200, { status: 'success', data: { order_id: cancelled ?? `2512${++n}` } });
    });
    const w = wire(s.root);
    expect(await w.place(ORDER)).toEqual({ orderId: '25121' });
    expect(await w.place({ ...ORDER, tag: 'T2' })).toEqual({ orderId: '25122' });
    const [first] = s.requests;
    expect(first).toMatch(/^POST \/orders\/regular HTTP\/1\.1\r\n/);
    expect(first).toContain('X-Kite-Version: 3\r\n');
    expect(first).toContain('Authorization: token key:tok\r\n');
    expect(first).toContain('Content-Type: application/x-www-form-urlencoded\r\n');
    const body = new URLSearchParams(first?.split('\r\n\r\n')[1]);
    expect(Object.fromEntries(body)).toMatchObject({
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      quantity: '2',
      product: 'CNC',
      price: '1500.05',
      tag: 'T1',
    });
    expect(s.connections()).toBeLessThanOrEqual(2);
    expect(await w.cancel('regular', '25121')).toBe('25121');
    expect(s.requests[2]).toMatch(/^DELETE \/orders\/regular\/25121 HTTP\/1\.1\r\n/);
  });

  it('reads a chunked answer', async () => {
    const s = await serve((_r, socket) => {
      const text = JSON.stringify({ status: 'success', data: { order_id: '999' } });
      const a = text.slice(0, 7);
      const b = text.slice(7);
      socket.write(
        `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${a.length.toString(16)}\r\n${a}\r\n${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`,
      );
    });
    expect(await wire(s.root).place(ORDER)).toEqual({ orderId: '999' });
  });

  it('a Kite refusal is known (not sent twice); a 5xx, a broken connection or silence is outcome unknown', async () => {
    const refusals = await serve((_r, socket) => {
      json(socket, 400, { status: 'error', error_type: 'InputException', message: 'Invalid price' });
    });
    const refused = await failure(wire(refusals.root).place(ORDER));
    expect(refused).toMatchObject({
      kind: 'input',
      outcomeUnknown: false,
      httpStatus: 400,
      message: 'Invalid price',
    });
    expect(refusals.requests).toHaveLength(1);

    const gateway = await serve((_r, socket) => {
      json(socket, 503, { status: 'error', error_type: 'NetworkException', message: 'upstream' });
    });
    expect(await failure(wire(gateway.root).place(ORDER))).toMatchObject({
      outcomeUnknown: true,
      httpStatus: 503,
    });

    const reset = await serve((_r, socket) => {
      socket.destroy();
    });
    expect(await failure(wire(reset.root).place(ORDER))).toMatchObject({
      kind: 'network',
      outcomeUnknown: true,
    });

    const silent = await serve(() => undefined);
    const started = Date.now();
    expect(await failure(wire(silent.root, 300).place(ORDER))).toMatchObject({
      kind: 'timeout',
      outcomeUnknown: true,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(silent.requests).toHaveLength(1);
  });

  it('a broker that cannot be reached: the order was never written, so it is not unknown', async () => {
    const s = await serve(() => undefined);
    const port = Number(new URL(s.root).port);
    await new Promise<void>((r) =>
      servers.splice(0)[0]?.close(() => {
        r();
      }),
    );
    const e = await failure(wire(`http://127.0.0.1:${port}`).place(ORDER));
    expect(e).toMatchObject({ kind: 'network', outcomeUnknown: false });
  });

  it('a server that closes after answering: the next order goes on a fresh connection', async () => {
    let n = 0;
    const s = await serve((_r, socket) => {
      json(socket, 200, { status: 'success', data: { order_id: String(++n) } }, 'Connection: close\r\n');
      socket.end();
    });
    const w = wire(s.root);
    expect(await w.place(ORDER)).toEqual({ orderId: '1' });
    expect(await w.place(ORDER)).toEqual({ orderId: '2' });
    expect(s.connections()).toBeGreaterThanOrEqual(2);
  });
});
