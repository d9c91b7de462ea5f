import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RpcClient, toService } from './client';
import { RpcError } from './errors';
import { MAX_FRAME_CHARS } from './frames';
import type { Port } from './port';
import { fromService, serveConnection } from './server';
import { createEchoService, echoService } from './testService';
import { createMemoryPortPair } from './transports/memory';

function setup(encoding: Port['encoding'] = 'json', options: Parameters<typeof serveConnection>[2] = {}) {
  const [clientPort, serverPort] = createMemoryPortPair(encoding);
  const impl = createEchoService();
  const served = serveConnection(serverPort, [fromService(echoService, impl)], options);
  const client = new RpcClient(clientPort);
  return { client, echo: toService(client, echoService), impl, clientPort, serverPort, served };
}

/** Sends raw data from the client side and collects what the server answers. */
function rawExchange(port: Port) {
  const received: unknown[] = [];
  port.onMessage((d) => received.push(typeof d === 'string' ? JSON.parse(d) : d));
  return received;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe.each(['json', 'structured'] as const)('contract over the in-memory pair (%s)', (encoding) => {
  it('answers requests with typed results', async () => {
    const { echo } = setup(encoding);
    await expect(echo.echo({ text: 'नमस्ते' })).resolves.toEqual({ text: 'नमस्ते' });
    await expect(echo.add({ a: 2, b: 40 })).resolves.toBe(42);
  });

  it('refuses invalid params with INVALID_PARAMS naming the field, and calls nothing', async () => {
    const { echo, impl } = setup(encoding);
    const spy = vi.spyOn(impl, 'add');
    const error = await echo.add({ a: 1.5, b: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'INVALID_PARAMS' });
    expect(JSON.stringify((error as RpcError).details)).toContain('"a"');
    // An unknown extra field is refused too (schemas are strict).
    await expect(
      (echo.echo as (p: unknown) => Promise<unknown>)({ text: 'x', extra: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('carries service errors across typed: REJECTED passes through, a crash becomes INTERNAL', async () => {
    const { echo } = setup(encoding);
    await expect(echo.refuse()).rejects.toMatchObject({
      code: 'REJECTED',
      message: 'refused on purpose',
      details: { reason: 'test' },
    });
    await expect(echo.crash()).rejects.toMatchObject({ code: 'INTERNAL', message: 'boom' });
  });

  it('answers an unknown method or service with UNKNOWN_METHOD', async () => {
    const { client } = setup(encoding);
    await expect(client.request('echo.nope', undefined)).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
    await expect(client.request('nope.echo', undefined)).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
    // Inherited members of the definition object are not methods.
    await expect(client.request('echo.toString', undefined)).rejects.toMatchObject({
      code: 'UNKNOWN_METHOD',
    });
    await expect(client.request('echo.constructor', undefined)).rejects.toMatchObject({
      code: 'UNKNOWN_METHOD',
    });
  });

  it('times out a request that gets no answer, using the method timeout', async () => {
    const { echo } = setup(encoding);
    const started = Date.now();
    await expect(echo.hang()).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails pending requests with DISCONNECTED when the port closes', async () => {
    const { echo, serverPort } = setup(encoding);
    const pending = echo.hang();
    const other = echo.hang();
    serverPort.close('engine died');
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(other).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(echo.add({ a: 1, b: 1 })).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });

  it('streams events, filtered by params, until unsubscribed', async () => {
    const { echo, impl } = setup(encoding);
    const all: unknown[] = [];
    const infy: unknown[] = [];
    const sub = echo.onTicks((e) => all.push(e));
    echo.onTicks((e) => infy.push(e), { symbol: 'INFY' });
    await tick();
    impl.ticks.fire({ symbol: 'INFY', price: 1500 });
    impl.ticks.fire({ symbol: 'TCS', price: 3900 });
    await tick();
    await tick();
    expect(all).toEqual([
      { symbol: 'INFY', price: 1500 },
      { symbol: 'TCS', price: 3900 },
    ]);
    expect(infy).toEqual([{ symbol: 'INFY', price: 1500 }]);
    sub.dispose();
    await tick();
    impl.ticks.fire({ symbol: 'INFY', price: 1501 });
    await tick();
    await tick();
    expect(all).toHaveLength(2);
    expect(impl.ticks.size).toBe(1);
  });

  it('ends streams and disposes the source when the port closes', async () => {
    const { echo, impl, clientPort } = setup(encoding);
    echo.onTicks(() => undefined);
    await tick();
    expect(impl.ticks.size).toBe(1);
    clientPort.close();
    await tick();
    expect(impl.ticks.size).toBe(0);
  });

  it('refuses a stream with bad params with an end frame carrying INVALID_PARAMS', async () => {
    const { client } = setup(encoding);
    const ended = new Promise<RpcError | undefined>((resolve) => {
      client.subscribe('echo.ticks', { symbol: 42 }, () => undefined, resolve);
    });
    await expect(ended).resolves.toMatchObject({ code: 'INVALID_PARAMS' });
  });
});

describe('conflated streams', () => {
  it('send only the latest event per key, at most once per interval', async () => {
    vi.useFakeTimers();
    const { echo, impl } = setup('json');
    const batches: unknown[][] = [];
    let current: unknown[] = [];
    echo.onQuotes((q) => current.push(q));
    await vi.advanceTimersByTimeAsync(0);
    const flushBatch = () => {
      if (current.length > 0) batches.push(current);
      current = [];
    };
    for (let i = 0; i < 50; i++) impl.ticks.fire({ symbol: i % 2 === 0 ? 'INFY' : 'TCS', price: i });
    await vi.advanceTimersByTimeAsync(1);
    flushBatch();
    // The first batch after a quiet spell goes at once, with the latest of each key.
    expect(batches).toEqual([
      [
        { symbol: 'INFY', price: 48 },
        { symbol: 'TCS', price: 49 },
      ],
    ]);
    for (let i = 50; i < 100; i++) impl.ticks.fire({ symbol: 'INFY', price: i });
    await vi.advanceTimersByTimeAsync(50);
    flushBatch();
    expect(batches).toHaveLength(1); // still inside the 100 ms interval
    await vi.advanceTimersByTimeAsync(60);
    flushBatch();
    expect(batches[1]).toEqual([{ symbol: 'INFY', price: 99 }]);
  });
});

describe('bad frames', () => {
  it('get typed errors and the connection keeps serving', async () => {
    const [clientPort, serverPort] = createMemoryPortPair('json');
    const impl = createEchoService();
    serveConnection(serverPort, [fromService(echoService, impl)]);
    const received = rawExchange(clientPort);
    const frames = [
      'not json',
      '[]',
      'null',
      '42',
      '{"type":"request"}',
      '{"type":"request","id":1.5,"method":"echo.echo"}',
      '{"type":"request","id":-1,"method":"echo.echo"}',
      '{"type":"request","id":7,"method":"echo"}',
      '{"type":"request","id":8,"method":"echo.echo","params":{"text":"x"},"extra":true}',
      '{"type":"launch","id":9}',
      '{"type":"request","id":10,"method":"echo.echo","params":{"text":"' + 'x'.repeat(2000) + '"}}',
      'x'.repeat(MAX_FRAME_CHARS + 1),
    ];
    for (const f of frames) clientPort.send(f);
    clientPort.send('{"type":"request","id":99,"method":"echo.add","params":{"a":1,"b":2}}');
    await tick();
    await tick();
    await tick();
    const codes = received.map((r) => (r as { error?: { code: string } }).error?.code ?? 'ok');
    expect(codes.filter((c) => c === 'BAD_FRAME')).toHaveLength(10);
    expect(codes.filter((c) => c === 'FRAME_TOO_LARGE')).toHaveLength(1);
    // Errors are addressed to the frame's id when it could be read, else to null.
    expect(received).toContainEqual(expect.objectContaining({ type: 'error', id: 7 }));
    expect(received).toContainEqual(
      expect.objectContaining({
        type: 'error',
        id: 10,
        error: expect.objectContaining({ code: 'INVALID_PARAMS' }),
      }),
    );
    expect(received[0]).toMatchObject({ type: 'error', id: null });
    expect(received.at(-1)).toEqual({ type: 'result', id: 99, result: 3 });
  });

  it('never crash the server, whatever JSON arrives (property)', async () => {
    const [clientPort, serverPort] = createMemoryPortPair('json');
    const impl = createEchoService();
    serveConnection(serverPort, [fromService(echoService, impl)]);
    const received = rawExchange(clientPort);
    const frame = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          type: fc.constantFrom('request', 'subscribe', 'unsubscribe', 'x'),
          id: fc.oneof(fc.integer(), fc.double(), fc.string()),
          method: fc.constantFrom(
            'echo.echo',
            'echo.add',
            'echo.crash',
            'echo.refuse',
            'a.b',
            'echo.__proto__',
          ),
          stream: fc.constantFrom('echo.ticks', 'echo.quotes', 'echo.none'),
          params: fc.jsonValue(),
        },
        { requiredKeys: ['type'] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(frame, async (f) => {
        clientPort.send(JSON.stringify(f));
        await tick();
      }),
      { numRuns: 300 },
    );
    clientPort.send('{"type":"request","id":424242,"method":"echo.add","params":{"a":40,"b":2}}');
    await tick();
    await tick();
    expect(received.at(-1)).toEqual({ type: 'result', id: 424242, result: 42 });
  });

  it('limits open streams per connection', async () => {
    const { client } = setup('json', { maxSubscriptions: 2 });
    const ends: (RpcError | undefined)[] = [];
    for (let i = 0; i < 3; i++)
      client.subscribe(
        'echo.ticks',
        undefined,
        () => undefined,
        (e) => ends.push(e),
      );
    await tick();
    await tick();
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });

  it('reports a result that cannot be encoded as INTERNAL instead of dropping it', async () => {
    const [clientPort, serverPort] = createMemoryPortPair('json');
    const impl = { ...createEchoService(), add: () => Promise.resolve(BigInt(1) as unknown as number) };
    serveConnection(serverPort, [fromService(echoService, impl)]);
    const echo = toService(new RpcClient(clientPort), echoService);
    await expect(echo.add({ a: 1, b: 2 })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
