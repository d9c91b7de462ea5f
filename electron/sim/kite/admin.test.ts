import { KiteConnect } from 'kiteconnect';
import type { Connect } from 'kiteconnect';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestExchange } from './testing/harness';
import type { TestExchange } from './testing/harness';

// Fault injection through /__sim/, seen by the official client.

let ex: TestExchange;
let kc: Connect;

beforeAll(async () => {
  ex = await startTestExchange();
});
afterAll(async () => {
  await ex.close();
});
beforeEach(async () => {
  ex.advance(60_000);
  kc = new KiteConnect({ api_key: ex.apiKey, root: ex.server.restUrl, timeout: 400 });
  kc.setAccessToken(ex.accessToken);
  expect((await admin('DELETE', 'faults')).status).toBe(200);
});

function admin(method: string, path: string, body?: unknown, secret = ex.apiSecret): Promise<Response> {
  return fetch(`${ex.server.restUrl}/__sim/${path}`, {
    method,
    headers: { 'X-Sim-Secret': secret, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const order = {
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  transaction_type: 'BUY',
  quantity: 1,
  product: 'CNC',
  order_type: 'LIMIT',
  price: 1400,
  tag: 'lostack1',
} as const;

describe('admin API', () => {
  it('needs the api_secret', async () => {
    expect((await admin('GET', 'faults', undefined, 'wrong')).status).toBe(403);
    expect((await admin('GET', 'status')).status).toBe(200);
    const bad = await admin('PUT', 'faults', { endpoints: { quote: { errorRate: 2 } } });
    expect(bad.status).toBe(400);
  });

  it('injects latency and errors per endpoint', async () => {
    await admin('PUT', 'faults', {
      endpoints: {
        'orders.list': { latencyMs: 150 },
        'portfolio.holdings': { errorRate: 1, errorType: 'DataException' },
      },
    });
    const started = Date.now();
    await expect(kc.getOrders()).resolves.toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect(kc.getHoldings()).rejects.toMatchObject({ error_type: 'DataException' });
  });

  it('bursts 429s', async () => {
    await admin('PUT', 'faults', { burst429: 2 });
    await expect(kc.getProfile()).rejects.toMatchObject({ error_type: 'NetworkException' });
    await expect(kc.getMargins()).rejects.toMatchObject({ error_type: 'NetworkException' });
    await expect(kc.getProfile()).resolves.toMatchObject({ user_id: 'SIM001' });
  });

  it('loses acknowledgements: the order is placed, the response never arrives', async () => {
    await admin('PUT', 'faults', { lostAcks: 1 });
    const lost = await kc.placeOrder('regular', { ...order }).catch((e: unknown) => e);
    expect(lost).toMatchObject({ error_type: 'NetworkException' });
    const book = await kc.getOrders();
    expect(book.filter((o) => o.tag === 'lostack1')).toHaveLength(1);

    await admin('PUT', 'faults', { lostAcks: 1, lostAckMode: 'reset' });
    const reset = await kc.placeOrder('regular', { ...order, tag: 'lostack2' }).catch((e: unknown) => e);
    expect(reset).toMatchObject({ error_type: 'NetworkException' });
    ex.advance(1_001);
    expect((await kc.getOrders()).filter((o) => o.tag === 'lostack2')).toHaveLength(1);
  });
});
