import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KiteConnect } from 'kiteconnect';
import { afterAll, describe, expect, it } from 'vitest';
import { RpcClient, toService } from '../../../shared/rpc/client';
import { RpcError } from '../../../shared/rpc/errors';
import { createMemoryPortPair } from '../../../shared/rpc/transports/memory';
import { marketService } from '../../../shared/services/market';
import { ordersService } from '../../../shared/services/orders';
import type { ReconciliationState } from '../../../shared/services/orders';
import { Engine } from '../engine';
import { localExchangeRequestToken } from '../session/brokerSession';
import { startLocalExchange } from '../testing/localExchange';
import type { LocalExchange } from '../testing/localExchange';
import { until } from '../testing/until';

// Reconciliation against the broker's truth, with the real local exchange:
// - an order placed outside ShrivenQ (another app on the same account) is imported as external;
// - an order the journal has but the broker does not (here: the exchange came back without its
//   book) cannot be explained: new orders are refused until the user accepts it.

const KEY = ['--api-key', 'reconcilekey1', '--api-secret', 'reconcilesecret1'];
let exchange: LocalExchange | undefined;
let engine: Engine | undefined;
let dir: string | undefined;

afterAll(async () => {
  engine?.dispose();
  await exchange?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const endpointOf = (ex: LocalExchange) => ({
  rest: ex.rest,
  ws: ex.ws,
  apiKey: ex.apiKey,
  apiSecret: ex.apiSecret,
  marketHours: false,
});

describe('reconciliation with the broker', () => {
  it('imports an external order, and blocks on an order the broker does not have until accepted', async () => {
    const first = await startLocalExchange(['--seed', '9', '--always-open', '--activity', '0', ...KEY]);
    exchange = first;
    dir = mkdtempSync(path.join(tmpdir(), 'engine-reconcile-'));
    const db = path.join(dir, 'engine.sqlite');

    // Another app on the same account places an order before ShrivenQ starts.
    const other = new KiteConnect({ api_key: first.apiKey, root: first.rest });
    const session = await other.generateSession(
      await localExchangeRequestToken(endpointOf(first)),
      first.apiSecret,
    );
    other.setAccessToken(session.access_token);
    const placed = (await other.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY',
      quantity: 3,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 900,
      tag: 'otherapp',
    })) as { order_id: string };

    engine = new Engine({
      mode: 'sim',
      version: 'test',
      host: 'in-process',
      databaseFile: db,
      orderPollMs: 300,
    });
    const [clientPort, enginePort] = createMemoryPortPair('structured');
    engine.connect(enginePort, 'test');
    const client = new RpcClient(clientPort);
    const orders = toService(client, ordersService);
    const market = toService(client, marketService);
    const recon: ReconciliationState[] = [];
    orders.onReconciliation((r) => recon.push(r));
    engine.setVenue(endpointOf(first));
    await until('reconciled', () => recon.find((r) => r.state === 'ok'));
    const external = (await orders.list()).orders.find((o) => o.brokerOrderId === placed.order_id);
    expect(external).toMatchObject({ source: 'external', state: 'OPEN', quantity: 3, tradingsymbol: 'SBIN' });

    // One of ours rests at the exchange.
    const [infy] = (await market.lookup({ keys: ['NSE:INFY'] })).instruments;
    if (infy === undefined) throw new Error('no NSE:INFY');
    await market.subscribe({ instrumentTokens: [infy.instrumentToken], mode: 'quote' });
    const ltp = await until('a last price', async () => {
      const q = (await market.quotes({ instrumentTokens: [infy.instrumentToken] })).quotes[0];
      return q !== undefined && q.lastPrice > 0 ? q.lastPrice : undefined;
    });
    const { order } = await orders.place({
      instrumentToken: infy.instrumentToken,
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      product: 'MIS',
      price: Math.floor((ltp * 0.98) / infy.tickSize) * infy.tickSize,
    });
    await until('OPEN', async () =>
      (await orders.list()).orders.find((o) => o.clientOrderId === order.clientOrderId && o.state === 'OPEN'),
    );

    // The exchange goes away and comes back with an empty book (no `--state`), same account.
    engine.setVenue(null);
    await first.close();
    const second = await startLocalExchange(['--seed', '10', '--always-open', '--activity', '0', ...KEY]);
    exchange = second;
    recon.length = 0;
    engine.setVenue(endpointOf(second));
    const blocked = await until('blocked', () => recon.find((r) => r.state === 'blocked'));
    const ids = blocked.issues.map((i) => i.clientOrderId);
    expect(ids).toContain(order.clientOrderId);
    expect(blocked.issues.every((i) => i.kind === 'missing-order')).toBe(true);

    // New orders are refused meanwhile, with nothing journaled.
    const refused = await orders
      .place({
        instrumentToken: infy.instrumentToken,
        side: 'BUY',
        quantity: 1,
        orderType: 'MARKET',
        product: 'MIS',
      })
      .then(
        () => undefined,
        (e: unknown) => e as RpcError,
      );
    expect(refused).toBeInstanceOf(RpcError);
    expect((refused?.details as { code: string }).code).toBe('UNEXPLAINED');

    // The user looks and accepts each; then orders flow again.
    let state = blocked;
    for (const issue of blocked.issues) state = await orders.acceptIssue({ id: issue.id });
    expect(state.state).toBe('ok');
    // The order the broker does not have is closed, with why.
    const gone = (await orders.list()).orders.find((o) => o.clientOrderId === order.clientOrderId);
    expect(gone).toMatchObject({ state: 'CANCELLED' });
    expect(gone?.reason).toMatch(/not in the broker's order book/);
    await until('a last price again', async () => {
      const q = (await market.quotes({ instrumentTokens: [infy.instrumentToken] })).quotes[0];
      return q !== undefined && q.lastPrice > 0 ? q.lastPrice : undefined;
    });
    const next = await orders.place({
      instrumentToken: infy.instrumentToken,
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      product: 'MIS',
      price: Math.floor((ltp * 0.98) / infy.tickSize) * infy.tickSize + infy.tickSize,
    });
    expect(next.order.brokerOrderId, JSON.stringify(next.order)).not.toBeNull();
  }, 90_000);
});
