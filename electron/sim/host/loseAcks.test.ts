import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { KiteConnect, KiteTicker } from 'kiteconnect';
import type { Connect, KiteTickerParams } from 'kiteconnect';
import { afterEach, describe, expect, it } from 'vitest';

// `--lose-acks P`: the exchange process as `npm run sim` runs it, the official client over real
// sockets. A lost answer must not mean a lost (or doubled) action: the order is there, found by its
// tag, and its updates still arrive on the ticker.

const entry = path.join(__dirname, 'main.ts');

interface Exchange {
  readonly child: ChildProcess;
  readonly rest: string;
  readonly ws: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly accessToken: string;
  /** What the process wrote on stderr so far. */
  stderr(): string;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function start(args: readonly string[]): Promise<Exchange> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', entry, '--port', '0', '--seed', '5', '--always-open', '--activity', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const ready = JSON.parse(line) as Omit<Exchange, 'child' | 'stderr'>;
      resolve({ ...ready, child, stderr: () => stderr });
    });
    child.once('exit', (code) => {
      reject(new Error(`exited with ${String(code)} before ready\n${stderr}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
}

function client(ex: Exchange, timeout?: number): Connect {
  const kc = new KiteConnect({
    api_key: ex.apiKey,
    root: ex.rest,
    ...(timeout === undefined ? {} : { timeout }),
  });
  kc.setAccessToken(ex.accessToken);
  return kc;
}

function until<T>(what: string, find: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const found = find();
      if (found !== undefined) {
        clearInterval(poll);
        resolve(found);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 10);
  });
}

const lostLines = (ex: Exchange): string[] => ex.stderr().match(/lost ack: .*/g) ?? [];

const buy = (tag: string) =>
  ({
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    transaction_type: 'BUY',
    quantity: 2,
    product: 'CNC',
    order_type: 'LIMIT',
    price: 1500,
    tag,
  }) as const;

describe('--lose-acks', () => {
  it('at 1 (reset): place, modify and cancel are carried out, their answers lost, nothing twice', async () => {
    const ex = await start(['--lose-acks', '1']);
    expect(ex.stderr()).toContain('losing order acknowledgements: probability 1, mode reset');
    const kc = client(ex);
    // KiteTicker keeps module-level state: this file's only ticker.
    const params = { api_key: ex.apiKey, access_token: ex.accessToken, root: ex.ws, reconnect: false };
    const typed: KiteTickerParams = params;
    const ticker = new KiteTicker(typed);
    const updates: Record<string, unknown>[] = [];
    ticker.on('order_update', (order: Record<string, unknown>) => {
      updates.push(order);
    });
    const connected = new Promise<void>((resolve) => {
      ticker.on('connect', () => {
        resolve();
      });
    });
    ticker.connect();
    await connected;
    try {
      // Place: the client sees the connection reset; the order exists once, found by its tag.
      const placed = await kc.placeOrder('regular', buy('lost1')).catch((e: unknown) => e);
      expect(placed).toMatchObject({ error_type: 'NetworkException' });
      const mine = (await kc.getOrders()).filter((o) => o.tag === 'lost1');
      expect(mine).toHaveLength(1);
      const order = mine[0]!;
      expect(order).toMatchObject({ status: 'OPEN', price: 1500, quantity: 2, pending_quantity: 2 });
      const id = order.order_id;
      await until('the OPEN update', () =>
        updates.find((u) => u['order_id'] === id && u['status'] === 'OPEN'),
      );
      expect(lostLines(ex)).toEqual([
        `lost ack: POST /orders/regular tag=lost1 order_id=${id} (reset; 1 lost so far)`,
      ]);

      // Modify: lost answer, the new price and quantity in the book, and on the ticker.
      const modified = await kc
        .modifyOrder('regular', id, { price: 1490, quantity: 4, order_type: 'LIMIT' })
        .catch((e: unknown) => e);
      expect(modified).toMatchObject({ error_type: 'NetworkException' });
      const afterModify = (await kc.getOrders()).filter((o) => o.tag === 'lost1');
      expect(afterModify).toHaveLength(1);
      expect(afterModify[0]).toMatchObject({ order_id: id, status: 'OPEN', price: 1490, quantity: 4 });
      await until('the modified update', () =>
        updates.find((u) => u['order_id'] === id && u['price'] === 1490),
      );

      // Cancel: lost answer, the order cancelled, and on the ticker.
      const cancelled = await kc.cancelOrder('regular', id).catch((e: unknown) => e);
      expect(cancelled).toMatchObject({ error_type: 'NetworkException' });
      const afterCancel = (await kc.getOrders()).filter((o) => o.tag === 'lost1');
      expect(afterCancel).toHaveLength(1);
      expect(afterCancel[0]).toMatchObject({ order_id: id, status: 'CANCELLED' });
      await until('the CANCELLED update', () =>
        updates.find((u) => u['order_id'] === id && u['status'] === 'CANCELLED'),
      );

      expect(lostLines(ex)).toEqual([
        `lost ack: POST /orders/regular tag=lost1 order_id=${id} (reset; 1 lost so far)`,
        `lost ack: PUT /orders/regular/${id} tag=- order_id=${id} (reset; 2 lost so far)`,
        `lost ack: DELETE /orders/regular/${id} tag=- order_id=${id} (reset; 3 lost so far)`,
      ]);
      // Reads are answered; a refused order-changing request is answered too (there is no action to hide).
      await expect(kc.cancelOrder('regular', id)).rejects.toMatchObject({ error_type: 'OrderException' });
      expect(lostLines(ex)).toHaveLength(3);
      // The same count, observable through the admin API.
      const status = await fetch(`${ex.rest}/__sim/status`, { headers: { 'X-Sim-Secret': ex.apiSecret } });
      expect(await status.json()).toMatchObject({ status: 'success', data: { lostAcks: 3 } });
    } finally {
      ticker.disconnect();
    }
  }, 30_000);

  it('in hang mode the answer never comes: the client times out, the order is there once', async () => {
    const ex = await start(['--lose-acks=1', '--lose-acks-mode', 'hang']);
    const kc = client(ex, 500);
    const started = Date.now();
    const placed = await kc.placeOrder('regular', buy('hung1')).catch((e: unknown) => e);
    expect(placed).toMatchObject({ error_type: 'NetworkException' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    const mine = (await kc.getOrders()).filter((o) => o.tag === 'hung1');
    expect(mine).toHaveLength(1);
    expect(lostLines(ex)).toEqual([
      `lost ack: POST /orders/regular tag=hung1 order_id=${mine[0]!.order_id} (hang; 1 lost so far)`,
    ]);
  }, 30_000);

  it('at 0 (the default) every answer arrives and nothing is logged as lost', async () => {
    const ex = await start([]);
    const kc = client(ex);
    const { order_id: id } = await kc.placeOrder('regular', buy('kept1'));
    await expect(kc.modifyOrder('regular', id, { price: 1490, order_type: 'LIMIT' })).resolves.toEqual({
      order_id: id,
    });
    await expect(kc.cancelOrder('regular', id)).resolves.toEqual({ order_id: id });
    const mine = (await kc.getOrders()).filter((o) => o.tag === 'kept1');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ order_id: id, status: 'CANCELLED', price: 1490 });
    expect(lostLines(ex)).toEqual([]);
    expect(ex.stderr()).not.toContain('losing order acknowledgements');
  }, 30_000);

  it.each([['2'], ['-0.5'], ['NaN'], ['half']])(
    'refuses --lose-acks %s: exit 2 with the reason',
    async (p) => {
      const child = spawn(process.execPath, ['--import', 'tsx', entry, '--lose-acks', p], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
      });
      expect(await exitOf(child)).toBe(2);
      expect(stderr).toContain(`--lose-acks must be a probability in [0, 1] (0: no lost answers) (got ${p})`);
    },
  );

  it('refuses an unknown --lose-acks-mode', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--lose-acks-mode', 'drop'], {
      stdio: 'ignore',
    });
    children.push(child);
    expect(await exitOf(child)).toBe(2);
  });
});
