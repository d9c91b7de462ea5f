import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../shared/rpc/errors';
import { fakeLink, settle } from '../market/fakeMarket';
import { algoRefusalOf, routeRefusalOf, startAlgos } from './algosBridge';
import type { AlgosService } from './algosBridge';
import { createAlgosStore } from './algosStore';
import { FAKE_LISTINGS, algoViewOf, fakeAlgos } from './fakeAlgos';

// The algos feed and commands against an in-memory fake of the engine's algos service (fakeAlgos.ts).

function setup() {
  const fake = fakeAlgos();
  const link = fakeLink();
  const store = createAlgosStore();
  const handle = startAlgos(fake.service, link, store);
  return { fake, link, store, handle };
}

const bracket = {
  kind: 'bracket',
  instrumentToken: 408065,
  side: 'BUY',
  quantity: 5,
  product: 'MIS',
  entry: { orderType: 'LIMIT', price: 150_000 },
  target: { price: 153_000 },
  stop: { price: 148_500 },
} as const;

describe('the algos feed', () => {
  it('lists the algorithms on connecting and follows the stream', async () => {
    const { handle, store, fake } = setup();
    await settle();
    expect(store.getState().served).toBe('yes');
    expect(store.getState().rows).toEqual([]);
    const started = await handle.actions.start(bracket);
    expect(started).toMatchObject({
      ok: true,
      algo: { kind: 'bracket', status: 'WORKING', targetPrice: 153_000 },
    });
    const id = started.ok ? started.algo.algoId : '';
    expect(store.getState().rows.map((a) => a.algoId)).toEqual([id]);
    // The engine moves it on (a fill of the entry): the stream brings it.
    const now = store.getState().rows[0];
    if (now === undefined) throw new Error('no row');
    fake.emit({ ...now, filledQuantity: 5, averagePrice: 150_000, updatedAt: now.updatedAt + 1 });
    expect(store.getState().rows[0]?.filledQuantity).toBe(5);
  });

  it('returns a refused start with its code (and does not put it over the grid)', async () => {
    const { handle, store } = setup();
    const wrong = await handle.actions.start({ ...bracket, stop: { price: 154_000 } });
    expect(wrong).toMatchObject({ ok: false, refusal: { code: 'INVALID_ALGO', uncertain: false } });
    expect(store.getState().notice).toBeUndefined();
    expect(store.getState().rows).toEqual([]);
  });

  it('modifies a bracket’s target and stop; marks it busy while asked', async () => {
    const { handle, store, fake } = setup();
    const started = await handle.actions.start(bracket);
    const id = started.ok ? started.algo.algoId : '';
    const modifying = handle.actions.modify({ algoId: id, targetPrice: 153_500, stopPrice: 149_000 });
    expect(store.getState().busy.has(id)).toBe(true);
    expect(await modifying).toMatchObject({ ok: true, algo: { targetPrice: 153_500, stopPrice: 149_000 } });
    expect(store.getState().busy.has(id)).toBe(false);
    expect(store.getState().rows[0]).toMatchObject({ targetPrice: 153_500, stopPrice: 149_000 });
    expect(fake.calls.map((c) => c.method)).toEqual(['algos.list', 'algos.start', 'algos.modify']);
  });

  it('cancels an algorithm; a refused cancel becomes the grid notice, the next success clears it', async () => {
    const { handle, store } = setup();
    const started = await handle.actions.start(bracket);
    const id = started.ok ? started.algo.algoId : '';
    expect(await handle.actions.cancel(id)).toMatchObject({ ok: true, algo: { status: 'CANCELLED' } });
    expect(store.getState().rows[0]?.status).toBe('CANCELLED');
    expect(store.getState().workingCount).toBe(0);

    expect(await handle.actions.cancel(id)).toMatchObject({ ok: false, refusal: { code: 'ALGO_ENDED' } });
    expect(store.getState().notice).toMatchObject({
      action: `Cancel ${id}`,
      refusal: { code: 'ALGO_ENDED' },
    });
    expect(await handle.actions.modify({ algoId: 'nope', stopPrice: 1 })).toMatchObject({
      ok: false,
      refusal: { code: 'UNKNOWN_ALGO' },
    });
    expect(store.getState().notice?.action).toBe('Modify nope');
    const other = await handle.actions.start(bracket);
    expect(await handle.actions.cancel(other.ok ? other.algo.algoId : '')).toMatchObject({ ok: true });
    expect(store.getState().notice).toBeUndefined();
  });

  it('fetches again on every connection; not while down', async () => {
    const { link, fake } = setup();
    await settle();
    const lists = () => fake.calls.filter((c) => c.method === 'algos.list').length;
    expect(lists()).toBe(1);
    link.drop();
    link.connect();
    await settle();
    expect(lists()).toBe(2);
    const down = fakeLink(false);
    const other = fakeAlgos();
    startAlgos(other.service, down, createAlgosStore());
    await settle();
    expect(other.calls).toEqual([]);
  });

  it('says the engine does not run algorithms when it answers UNKNOWN_METHOD', async () => {
    const missing = () => Promise.reject(new RpcError('UNKNOWN_METHOD', 'no service algos'));
    const service = {
      start: missing,
      modify: missing,
      cancel: missing,
      route: missing,
      placeRouted: missing,
      list: missing,
      onAlgos: () => ({ dispose: () => undefined }),
    } as AlgosService;
    const store = createAlgosStore();
    const handle = startAlgos(service, fakeLink(), store);
    await settle();
    expect(store.getState().served).toBe('no');
    const outcome = await handle.actions.start(bracket);
    expect(outcome).toMatchObject({ ok: false, refusal: { code: 'UNKNOWN_METHOD' } });
    expect(outcome.ok ? '' : outcome.refusal.message).toMatch(/does not run algorithms/);
    handle.dispose();
  });

  it('closes its stream when disposed', () => {
    const { handle, fake } = setup();
    expect(fake.listeners()).toBe(1);
    handle.dispose();
    expect(fake.listeners()).toBe(0);
  });
});

describe('routing between NSE and BSE', () => {
  const infy = { instrumentToken: 408065, side: 'BUY', product: 'MIS', orderType: 'MARKET' } as const;

  it('says where an order would go and places nothing', async () => {
    const { handle, fake } = setup();
    const small = await handle.actions.route({ ...infy, quantity: 10 });
    expect(small).toMatchObject({
      ok: true,
      decision: { legs: [{ exchange: 'BSE', quantity: 10 }], listedOn: ['NSE', 'BSE'], fallback: false },
    });
    expect(small.ok ? small.decision.reason : '').toMatch(/^BSE: Rs 0\.50 cheaper for 10/);
    const split = await handle.actions.route({ ...infy, quantity: 100 });
    expect(split.ok ? split.decision.legs.map((l) => `${l.exchange} ${l.quantity}`) : []).toEqual([
      'NSE 60',
      'BSE 40',
    ]);
    const one = await handle.actions.route({ ...infy, instrumentToken: 356865, quantity: 5 });
    expect(one.ok ? one.decision.reason : '').toBe('NSE: HINDUNILVR is not listed on BSE.');
    expect(fake.calls.map((c) => c.method)).toEqual([
      'algos.list',
      'algos.route',
      'algos.route',
      'algos.route',
    ]);
  });

  it('refuses what the contract refuses, the same way every time', async () => {
    const { handle } = setup();
    const limit = await handle.actions.route({ ...infy, orderType: 'LIMIT', quantity: 1 });
    expect(limit).toMatchObject({ ok: false, refusal: { code: 'INVALID_ORDER' } });
    const zero = await handle.actions.route({ ...infy, quantity: 0 });
    expect(zero).toMatchObject({ ok: false, refusal: { code: 'INVALID_PARAMS', uncertain: false } });
    expect(zero.ok ? '' : zero.refusal.message).toMatch(/^Not a valid order\. Quantity:/);
    const unknown = await handle.actions.route({ ...infy, instrumentToken: 1, quantity: 1 });
    expect(unknown).toMatchObject({ ok: false, refusal: { code: 'UNKNOWN_INSTRUMENT' } });
  });

  it('places the legs as orders; a later leg refused is listed, the first refused places nothing', async () => {
    const fake = fakeAlgos({ refuseLegs: ['BSE'] });
    const handle = startAlgos(fake.service, fakeLink(), createAlgosStore());
    const split = await handle.actions.placeRouted({ ...infy, quantity: 100 });
    expect(split).toMatchObject({
      ok: true,
      orders: [{ exchange: 'NSE', quantity: 60, state: 'COMPLETE' }],
      refused: [{ exchange: 'BSE', quantity: 40, message: 'BSE is not taking orders (fake).' }],
    });
    const small = await handle.actions.placeRouted({ ...infy, quantity: 10 });
    expect(small).toMatchObject({ ok: false, refusal: { code: 'NOT_TRADABLE' } });
    const fine = await startAlgos(fakeAlgos().service, fakeLink(), createAlgosStore()).actions.placeRouted({
      ...infy,
      quantity: 10,
    });
    expect(fine).toMatchObject({
      ok: true,
      orders: [{ exchange: 'BSE', instrumentToken: FAKE_LISTINGS[0]?.bse, quantity: 10 }],
      refused: [],
    });
  });

  it('says an engine without routing does not route, and a lost placement may have placed legs', () => {
    expect(routeRefusalOf(new RpcError('UNKNOWN_METHOD', 'no method'), false).message).toMatch(
      /does not route orders between NSE and BSE/,
    );
    expect(routeRefusalOf(new RpcError('TIMEOUT', 'timed out'), true)).toMatchObject({
      uncertain: true,
      suggestion: 'Check the orders grid (NSE and BSE) before trying again.',
    });
    expect(routeRefusalOf(new RpcError('TIMEOUT', 'timed out'), false)).toMatchObject({
      uncertain: false,
      suggestion: 'Nothing was placed.',
    });
  });
});

describe('an algorithm refusal', () => {
  it('keeps the algorithm codes and the order codes of a refused first child', () => {
    expect(algoRefusalOf(new RpcError('REJECTED', 'ended', { code: 'ALGO_ENDED' })).code).toBe('ALGO_ENDED');
    expect(
      algoRefusalOf(new RpcError('REJECTED', 'off tick', { code: 'TICK_SIZE', suggestion: 'Use 1.05' })),
    ).toEqual({
      code: 'TICK_SIZE',
      message: 'off tick',
      suggestion: 'Use 1.05',
      uncertain: false,
    });
    expect(algoRefusalOf(new RpcError('REJECTED', 'odd', { code: 'WHAT' })).code).toBe('REJECTED');
  });

  it('says a lost answer may have started it, and where to look', () => {
    const r = algoRefusalOf(new RpcError('TIMEOUT', 'algos.start timed out'));
    expect(r).toMatchObject({
      code: 'TIMEOUT',
      uncertain: true,
      suggestion: 'Check the algos panel before trying again.',
    });
  });

  it('reads bad parameters as a bad algorithm', () => {
    const r = algoRefusalOf(
      new RpcError('INVALID_PARAMS', 'invalid params for algos.start', {
        issues: [{ path: ['quantity'], message: 'Too small: expected number to be >0' }],
      }),
    );
    expect(r.message).toBe('Not a valid algorithm. Quantity: Too small: expected number to be >0');
  });
});

it('algoViewOf makes a working iceberg by default', () => {
  expect(algoViewOf('A1')).toMatchObject({ kind: 'iceberg', status: 'WORKING', spec: { kind: 'iceberg' } });
});
