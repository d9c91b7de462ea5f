import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient, toService } from '../../../shared/rpc/client';
import type { RpcError } from '../../../shared/rpc/errors';
import { createMemoryPortPair } from '../../../shared/rpc/transports/memory';
import { algosService } from '../../../shared/services/algos';
import type { AlgoView } from '../../../shared/services/algos';
import { marketService } from '../../../shared/services/market';
import type { InstrumentInfo } from '../../../shared/services/market';
import { ordersService } from '../../../shared/services/orders';
import type { OrderView, ReconciliationState } from '../../../shared/services/orders';
import { portfolioService } from '../../../shared/services/portfolio';
import { riskService } from '../../../shared/services/risk';
import { Engine } from '../engine';
import { morningOf, startLocalExchange } from '../testing/localExchange';
import type { LocalExchange } from '../testing/localExchange';
import { until } from '../testing/until';

// Algorithms end to end in sim mode: the contract's `algos` service -> the algorithm engine -> the
// OMS (risk, the SQLite journal) -> the official client's transport -> the local exchange (its own
// process, real sockets) -> order updates -> the algorithm's next step.

let exchange: LocalExchange;
let engine: Engine;
let dir: string;
let infy: InstrumentInfo;

function connect() {
  const [clientPort, enginePort] = createMemoryPortPair('structured');
  engine.connect(enginePort, 'test');
  const client = new RpcClient(clientPort);
  return {
    market: toService(client, marketService),
    orders: toService(client, ordersService),
    algos: toService(client, algosService),
    portfolio: toService(client, portfolioService),
    risk: toService(client, riskService),
  };
}
let api: ReturnType<typeof connect>;
const algoViews = new Map<string, AlgoView>();
const orderViews = new Map<string, OrderView>();

const lastPrice = () =>
  until('a last price', async () => {
    const q = (await api.market.quotes({ instrumentTokens: [infy.instrumentToken] })).quotes[0];
    return q !== undefined && q.lastPrice > 0 ? q.lastPrice : undefined;
  });
const toTick = (price: number) => price - (price % infy.tickSize);
const refusalOf = (p: Promise<unknown>): Promise<RpcError | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => e as RpcError,
  );
const position = async () =>
  (await api.portfolio.positions()).positions.find(
    (p) => p.instrumentToken === infy.instrumentToken && p.product === 'MIS',
  )?.quantity ?? 0;
const ended = (id: string) =>
  until(
    `algo ${id} ended`,
    () => {
      const a = algoViews.get(id);
      return a !== undefined && a.status !== 'WORKING' ? a : undefined;
    },
    20_000,
    () => JSON.stringify(algoViews.get(id)),
  );
/** Its children as the order stream has them (conflated: they may follow the algorithm's view). */
const children = (a: AlgoView) =>
  until(`children of ${a.algoId}`, () => {
    const out: OrderView[] = [];
    for (const c of a.children) {
      const o = orderViews.get(c);
      if (o === undefined || o.updatedAt < a.updatedAt - 5_000) return undefined;
      out.push(o);
    }
    return out;
  });

beforeAll(async () => {
  exchange = await startLocalExchange(['--seed', '11', '--always-open', '--speed', '30', ...morningOf()]);
  dir = mkdtempSync(path.join(tmpdir(), 'engine-algos-'));
  engine = new Engine({
    mode: 'sim',
    version: 'test',
    host: 'in-process',
    databaseFile: path.join(dir, 'engine.sqlite'),
    orderPollMs: 300,
    log: (line) => {
      const file = process.env['OMS_LOG'];
      if (file !== undefined) appendFileSync(file, `${line}\n`);
    },
  });
  api = connect();
  const recon: ReconciliationState[] = [];
  api.orders.onReconciliation((r) => recon.push(r));
  api.algos.onAlgos((a) => algoViews.set(a.algoId, a));
  api.orders.onOrders((o) => orderViews.set(o.clientOrderId, o));
  engine.setVenue({
    rest: exchange.rest,
    ws: exchange.ws,
    apiKey: exchange.apiKey,
    apiSecret: exchange.apiSecret,
    marketHours: false,
  });
  await until('reconciliation', () => recon.find((r) => r.state === 'ok'));
  const found = await api.market.lookup({ keys: ['NSE:INFY'] });
  const i = found.instruments[0];
  if (i === undefined) throw new Error('no NSE:INFY');
  infy = i;
  await api.market.subscribe({ instrumentTokens: [infy.instrumentToken], mode: 'quote' });
  await lastPrice();
}, 60_000);

afterAll(async () => {
  engine.dispose();
  await exchange.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('algorithms against the local exchange', () => {
  it('an iceberg shows one leg at a time and fills exactly its total', async () => {
    const before = await position();
    const ltp = await lastPrice();
    // A limit 1% through the market: each leg takes the book at once.
    const { algo } = await api.algos.start({
      kind: 'iceberg',
      instrumentToken: infy.instrumentToken,
      side: 'BUY',
      quantity: 10,
      product: 'MIS',
      price: toTick(Math.round(ltp * 1.01)),
      legQuantity: 3,
    });
    expect(algo.status).toBe('WORKING');
    const done = await ended(algo.algoId);
    expect(done).toMatchObject({ status: 'COMPLETED', filledQuantity: 10 });
    const legs = await children(done);
    expect(legs.map((o) => o.quantity)).toEqual([3, 3, 3, 1]);
    expect(legs.every((o) => o.state === 'COMPLETE' && o.parentId === algo.algoId)).toBe(true);
    // One leg at a time: each was placed after the one before it had filled.
    for (let k = 1; k < legs.length; k++)
      expect(legs[k]!.createdAt).toBeGreaterThanOrEqual(legs[k - 1]!.updatedAt - 1_000);
    await until('position', async () => ((await position()) === before + 10 ? true : undefined));
    await api.orders.exit({ instrumentToken: infy.instrumentToken, product: 'MIS' });
  }, 30_000);

  it('a bracket enters, exits at its target or its stop, and cancels the other', async () => {
    await until('flat', async () => ((await position()) === 0 ? true : undefined));
    // One tick either side: the market's next move closes it one way or the other.
    const { algo } = await api.algos.start({
      kind: 'bracket',
      instrumentToken: infy.instrumentToken,
      side: 'BUY',
      quantity: 5,
      product: 'MIS',
      entry: { orderType: 'MARKET' },
      target: { ticks: 2 },
      stop: { ticks: 2 },
    });
    const done = await ended(algo.algoId);
    expect(done, done.reason).toMatchObject({ status: 'COMPLETED', filledQuantity: 5, exitedQuantity: 5 });
    const kids = await children(done);
    const exits = kids.filter((o) => o.side === 'SELL');
    // Exactly one exit filled the 5; the other was cancelled (by the bracket, not left working).
    expect(exits.filter((o) => o.filledQuantity > 0).reduce((n, o) => n + o.filledQuantity, 0)).toBe(5);
    expect(exits.every((o) => o.state === 'COMPLETE' || o.state === 'CANCELLED')).toBe(true);
    expect(done.targetPrice - done.stopPrice).toBe(4 * infy.tickSize);
    await until('flat again', async () => ((await position()) === 0 ? true : undefined));
  }, 30_000);

  it("the kill switch cancels a bracket's orders and ends it; it places nothing more", async () => {
    const ltp = await lastPrice();
    const { algo } = await api.algos.start({
      kind: 'bracket',
      instrumentToken: infy.instrumentToken,
      side: 'BUY',
      quantity: 2,
      product: 'MIS',
      entry: { orderType: 'LIMIT', price: toTick(Math.round(ltp * 0.97)) },
      target: { ticks: 40 },
      stop: { ticks: 40 },
    });
    await until('entry open', () => {
      const entry = algoViews.get(algo.algoId)?.children[0];
      return entry !== undefined && orderViews.get(entry)?.state === 'OPEN' ? true : undefined;
    });
    await api.risk.killSwitch({ reason: 'test' });
    const done = await ended(algo.algoId);
    expect(done.status).toBe('CANCELLED');
    expect(done.reason).toMatch(/cancelled outside the bracket/);
    expect(await children(done)).toHaveLength(1);
    await api.risk.reset();
  }, 30_000);

  it('bad input gets a typed error and records nothing', async () => {
    const count = (await api.algos.list()).algos.length;
    const unknown = await refusalOf(
      api.algos.start({
        kind: 'iceberg',
        instrumentToken: 12_345,
        side: 'BUY',
        quantity: 10,
        product: 'MIS',
        price: 100_000,
        legs: 2,
      }),
    );
    expect(unknown?.details).toMatchObject({ code: 'UNKNOWN_INSTRUMENT' });
    const negative = await refusalOf(
      api.algos.start({
        kind: 'iceberg',
        instrumentToken: infy.instrumentToken,
        side: 'BUY',
        quantity: -5,
        product: 'MIS',
        price: 100_000,
        legs: 2,
      }),
    );
    expect(negative?.code).toBe('INVALID_PARAMS');
    const offTick = await refusalOf(
      api.algos.start({
        kind: 'iceberg',
        instrumentToken: infy.instrumentToken,
        side: 'BUY',
        quantity: 10,
        product: 'MIS',
        price: infy.tickSize * 1000 + 1,
        legs: 2,
      }),
    );
    expect(offTick?.details).toMatchObject({ code: 'INVALID_ALGO' });
    expect((await api.algos.list()).algos).toHaveLength(count);
  });
});
