import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient, toService } from '../../../shared/rpc/client';
import { createMemoryPortPair } from '../../../shared/rpc/transports/memory';
import { marketService } from '../../../shared/services/market';
import type { InstrumentInfo } from '../../../shared/services/market';
import { ordersService } from '../../../shared/services/orders';
import type { ReconciliationState } from '../../../shared/services/orders';
import { portfolioService } from '../../../shared/services/portfolio';
import { riskService } from '../../../shared/services/risk';
import { Engine } from '../engine';
import { startLocalExchange } from '../testing/localExchange';
import type { LocalExchange } from '../testing/localExchange';
import { until } from '../testing/until';

// Paper mode end to end: the engine logs in to "Kite" (the local exchange standing in for it, through
// Kite's login flow), takes its live market data, and routes orders to the paper broker, which fills
// them against the live book and keeps its book in the engine's database across a restart.

let exchange: LocalExchange;
let dir: string;

async function requestToken(venue: LocalExchange): Promise<string> {
  const form = await fetch(`${venue.rest}/connect/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: venue.apiKey, redirect_params: '' }).toString(),
    redirect: 'manual',
  });
  const token = /id="request_token">([A-Za-z0-9]+)</.exec(await form.text())?.[1];
  if (token === undefined) throw new Error('no request_token');
  return token;
}

/** A paper engine on `db`, logged in and reconciled (to `on`, by default the shared exchange). */
async function paperEngine(db: string, on?: LocalExchange) {
  const venue = on ?? exchange;
  const engine = new Engine({
    mode: 'paper',
    version: 'test',
    host: 'in-process',
    databaseFile: db,
    orderPollMs: 300,
    kiteRoots: { rest: venue.rest, ws: venue.ws, login: `${venue.rest}/connect/login` },
  });
  const [clientPort, enginePort] = createMemoryPortPair('structured');
  engine.connect(enginePort, 'paper');
  const client = new RpcClient(clientPort);
  const api = {
    market: toService(client, marketService),
    orders: toService(client, ordersService),
    portfolio: toService(client, portfolioService),
    risk: toService(client, riskService),
  };
  const recon: ReconciliationState[] = [];
  api.orders.onReconciliation((r) => recon.push(r));
  engine.setCredentials({ apiKey: venue.apiKey, apiSecret: venue.apiSecret });
  // A restart on the same day resumes with the cached token; the first start logs in.
  await new Promise((r) => setTimeout(r, 300));
  if (!recon.some((r) => r.state !== 'offline')) engine.loginWithRequestToken(await requestToken(venue));
  const ok = await until('reconciliation', () =>
    recon.find((r) => r.state === 'ok' || r.state === 'blocked'),
  );
  expect(ok.issues).toEqual([]);
  return { engine, api };
}

beforeAll(async () => {
  // Real time: the exchange's clock is compared with ours in paper mode (the clock-skew breaker).
  exchange = await startLocalExchange(['--seed', '8', '--always-open']);
  dir = mkdtempSync(path.join(tmpdir(), 'engine-paper-'));
}, 30_000);

afterAll(async () => {
  await exchange.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paper mode', () => {
  it('fills a market order from the live book, rests a limit, and keeps both across a restart', async () => {
    const db = path.join(dir, 'engine.sqlite');
    const first = await paperEngine(db);
    let infy: InstrumentInfo | undefined;
    let marketId = '';
    let limitId = '';
    try {
      const { api } = first;
      infy = (await api.market.lookup({ keys: ['NSE:INFY'] })).instruments[0];
      if (infy === undefined) throw new Error('no NSE:INFY');
      const token = infy.instrumentToken;
      await api.market.subscribe({ instrumentTokens: [token], mode: 'full' });
      const quote = await until('a quote with an offer', async () => {
        const q = (await api.market.quotes({ instrumentTokens: [token] })).quotes[0];
        return q !== undefined && q.askPrice > 0 && q.askQuantity >= 2 ? q : undefined;
      });
      const { order } = await api.orders.place({
        instrumentToken: token,
        side: 'BUY',
        quantity: 2,
        orderType: 'MARKET',
        product: 'MIS',
      });
      marketId = order.clientOrderId;
      // The paper broker's ids, not the exchange's: the order never left the engine.
      expect(order.brokerOrderId).toMatch(/^P\d+$/);
      // What the order was last seen as, for a failure's message.
      let seen = '';
      const done = await until(
        'COMPLETE',
        async () => {
          const o = (await api.orders.list()).orders.find((x) => x.clientOrderId === marketId);
          seen = JSON.stringify(o ?? null);
          return o?.state === 'COMPLETE' && o.filledQuantity === 2 ? o : undefined;
        },
        20_000,
        () => seen,
      );
      // Filled at the book's offers, within market protection of the last price.
      expect(done.averagePrice).toBeGreaterThanOrEqual(quote.askPrice - 100 * infy.tickSize);
      const position = await until('the position', async () =>
        (await api.portfolio.positions()).positions.find(
          (p) => p.instrumentToken === token && p.quantity === 2,
        ),
      );
      expect(position.charges).toBeGreaterThan(0);
      const price = Math.floor((quote.lastPrice * 0.97) / infy.tickSize) * infy.tickSize;
      const limit = await api.orders.place({
        instrumentToken: token,
        side: 'BUY',
        quantity: 1,
        orderType: 'LIMIT',
        product: 'MIS',
        price,
      });
      limitId = limit.order.clientOrderId;
      await until('OPEN', async () =>
        (await api.orders.list()).orders.find((x) => x.clientOrderId === limitId && x.state === 'OPEN'),
      );
    } finally {
      first.engine.dispose();
    }

    // A restart: the journal and the paper book agree; the resting order is still working.
    const second = await paperEngine(db);
    try {
      const list = (await second.api.orders.list()).orders;
      expect(list.find((o) => o.clientOrderId === marketId)?.state).toBe('COMPLETE');
      expect(list.find((o) => o.clientOrderId === limitId)?.state).toBe('OPEN');
      const cancelled = await second.api.orders.cancel({ clientOrderId: limitId });
      expect(['CANCEL_PENDING', 'CANCELLED']).toContain(cancelled.order.state);
      await until('CANCELLED', async () =>
        (await second.api.orders.list()).orders.find(
          (x) => x.clientOrderId === limitId && x.state === 'CANCELLED',
        ),
      );
      expect(second.engine.trading?.journal.check().ok).toBe(true);
    } finally {
      second.engine.dispose();
    }
  }, 90_000);

  it('an exchange clock running ahead of ours (an exchange at --speed 30) turns risk to REDUCING: clock skew', async () => {
    const fast = await startLocalExchange(['--seed', '9', '--always-open', '--speed', '30']);
    const engine = await paperEngine(path.join(dir, 'skew.sqlite'), fast);
    try {
      const { api } = engine;
      const infy = (await api.market.lookup({ keys: ['NSE:INFY'] })).instruments[0];
      if (infy === undefined) throw new Error('no NSE:INFY');
      // Full mode carries the exchange's timestamp.
      await api.market.subscribe({ instrumentTokens: [infy.instrumentToken], mode: 'full' });
      const status = await until('REDUCING', async () => {
        const s = await api.risk.status();
        return s.state === 'REDUCING' ? s : undefined;
      });
      expect(status.reason).toMatch(/^Clock skew: exchange time is .* ahead of this computer's clock/);
    } finally {
      engine.engine.dispose();
      await fast.close();
    }
  }, 60_000);
});
