import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { AlgoSpec } from '../../../shared/services/algos';
import { MarketDataContext } from '../market';
import { fakeLink, fakeMarketData } from '../market/fakeMarket';
import { OrdersContext, createOrdersStore, startOrders } from '../orders';
import { fakeTrading, orderViewOf } from '../orders/fakeTrading';
import { AlgosContext } from './algosContext';
import { startAlgos } from './algosBridge';
import { createAlgosStore } from './algosStore';
import type { AlgosState } from './algosStore';
import { AlgosPanel } from './AlgosPanel';
import { algoViewOf, fakeAlgos, twapViewOf } from './fakeAlgos';

// Server-rendered markup of the algos panel for given stores (server rendering reads a store's
// initial state; the services are in-memory fakes).

function render(algos: ReturnType<typeof createAlgosStore>, orders = createOrdersStore()): string {
  const link = fakeLink(false);
  const ordersHandle = { ...startOrders(fakeTrading([]).orders, link, createOrdersStore()), store: orders };
  const algosHandle = { ...startAlgos(fakeAlgos().service, link, createAlgosStore()), store: algos };
  return renderToStaticMarkup(
    <MarketDataContext value={fakeMarketData().data}>
      <OrdersContext value={ordersHandle}>
        <AlgosContext value={algosHandle}>
          <AlgosPanel />
        </AlgosContext>
      </OrdersContext>
    </MarketDataContext>,
  );
}

const bracketSpec: AlgoSpec = {
  kind: 'bracket',
  instrumentToken: 408065,
  side: 'SELL',
  quantity: 5,
  product: 'MIS',
  entry: { orderType: 'MARKET' },
  target: { ticks: 40 },
  stop: { ticks: 20 },
};

/** A store that starts in `state` (server rendering reads only a store's initial state). */
function storeIn(base: ReturnType<typeof createAlgosStore>, state: Partial<AlgosState>) {
  return createStore<AlgosState>()(() => ({ ...base.getState(), ...state }));
}

/** The rows of the markup: algorithms and children, in order, as [kind of row, id]. */
function rowsOf(html: string): [string, string][] {
  return [
    ...html.matchAll(
      /<tr class="(alg-row|alg-child|alg-bench)"[^>]*?data-(?:algo|client-order|parent)-id="(\w+)"/g,
    ),
  ].map((m) => [m[1] ?? '', m[2] ?? '']);
}

describe('the algos panel', () => {
  it('says what to do when there are none, and when the engine has no algos service', () => {
    expect(render(storeIn(createAlgosStore(), { served: 'yes' }))).toContain(
      'No algorithms today (bracket, iceberg, TWAP, VWAP). Start one from the order ticket or the ladder.',
    );
    expect(render(createAlgosStore())).toContain('Waiting for the engine…');
    expect(render(storeIn(createAlgosStore(), { served: 'no' }))).toContain('no algos service');
  });

  it('shows each algorithm newest first with its child orders indented under it', () => {
    const store = createAlgosStore([
      algoViewOf('AOLD', {
        status: 'COMPLETED',
        phase: '',
        reason: 'filled 10 in 4 legs',
        filledQuantity: 10,
        averagePrice: 150_000,
        children: ['L1', 'L2'],
        createdAt: 1,
        updatedAt: 9,
      }),
      algoViewOf('ANEW', {
        kind: 'bracket',
        side: 'SELL',
        quantity: 5,
        filledQuantity: 5,
        averagePrice: 154_000,
        targetPrice: 152_000,
        stopPrice: 155_000,
        phase: 'exits working (target 1520.00, stop 1550.00)',
        spec: bracketSpec,
        children: ['E1', 'T1', 'S1'],
        createdAt: 5,
        updatedAt: 6,
      }),
    ]);
    const orders = createOrdersStore([
      orderViewOf('L1', { parentId: 'AOLD', quantity: 3, filledQuantity: 3, state: 'COMPLETE' }),
      orderViewOf('L2', { parentId: 'AOLD', quantity: 7, filledQuantity: 7, state: 'COMPLETE' }),
      orderViewOf('E1', {
        parentId: 'ANEW',
        side: 'SELL',
        orderType: 'MARKET',
        quantity: 5,
        filledQuantity: 5,
        averagePrice: 154_000,
        state: 'COMPLETE',
      }),
      orderViewOf('T1', { parentId: 'ANEW', side: 'BUY', orderType: 'LIMIT', quantity: 5, price: 152_000 }),
      orderViewOf('S1', {
        parentId: 'ANEW',
        side: 'BUY',
        orderType: 'SL-M',
        quantity: 5,
        price: 0,
        triggerPrice: 155_000,
        state: 'TRIGGER_PENDING',
      }),
    ]);
    const html = render(store, orders);
    expect(rowsOf(html)).toEqual([
      ['alg-row', 'ANEW'],
      ['alg-child', 'E1'],
      ['alg-child', 'T1'],
      ['alg-child', 'S1'],
      ['alg-row', 'AOLD'],
      ['alg-child', 'L1'],
      ['alg-child', 'L2'],
    ]);
    const rows = html.split(/<tr class="alg-/).slice(1);
    const [bracket, entry, target, stop, iceberg, leg1] = rows;
    // The bracket: working, its side in the sell colour, target and stop editable, cancellable.
    expect(bracket).toContain('data-status="WORKING"');
    expect(bracket).toContain('BRACKET');
    expect(bracket).toMatch(/class="alg-side" data-side="SELL"/);
    expect(bracket).toMatch(/data-field="quantity">5\/5</);
    expect(bracket).toMatch(/data-field="price"[^>]*>MKT</);
    expect(bracket).toMatch(/data-testid="algo-target-modify"[^>]*>1520\.00</);
    expect(bracket).toMatch(/data-testid="algo-stop-modify"[^>]*>1550\.00</);
    expect(bracket).toContain('data-testid="algo-cancel"');
    expect(bracket).toMatch(/data-tone="working"/);
    expect(bracket).toContain('exits working (target 1520.00, stop 1550.00)');
    // Its children: the entry, then the target's limit under Target, the stop's trigger under Stop.
    expect(entry).toMatch(/data-field="role">.*entry</);
    expect(entry).toMatch(/data-field="price">MKT</);
    expect(target).toMatch(/data-field="role">.*target</);
    expect(target).toMatch(/data-field="target">1520\.00</);
    expect(stop).toMatch(/data-field="stop">1550\.00</);
    expect(stop).toContain('TRIG PENDING');
    // The iceberg has ended: no cancel, its reason, completed in the done colour; its legs numbered.
    expect(iceberg).toContain('data-status="COMPLETED"');
    expect(iceberg).not.toContain('algo-cancel');
    expect(iceberg).not.toContain('algo-target-modify');
    expect(iceberg).toMatch(/data-tone="done"/);
    expect(iceberg).toContain('filled 10 in 4 legs');
    expect(iceberg).toMatch(/data-field="price"[^>]*>1500\.00</);
    expect(leg1).toMatch(/data-field="role">.*leg 1</);
    expect(html).toContain('data-testid="algos-count">1 working · 2<');
  });

  it('shows a child the order stream has not brought yet, and a bracket’s exits in ticks before its fill', () => {
    const store = createAlgosStore([
      algoViewOf('AB', { kind: 'bracket', spec: bracketSpec, children: ['E1'], phase: 'entry working' }),
    ]);
    const html = render(store);
    expect(rowsOf(html)).toEqual([
      ['alg-row', 'AB'],
      ['alg-child', 'E1'],
    ]);
    expect(html).toMatch(/data-field="target">40 tk</);
    expect(html).toMatch(/data-field="stop">20 tk</);
    expect(html).not.toContain('algo-target-modify');
  });

  it('shows a refused request over the grid', () => {
    const store = storeIn(createAlgosStore([algoViewOf('A1')]), {
      notice: {
        action: 'Cancel A1',
        refusal: { code: 'ALGO_ENDED', message: 'It has ended.', suggestion: '', uncertain: false },
      },
    });
    const html = render(store);
    expect(html).toMatch(/data-testid="algos-notice" role="alert"[^>]*>Cancel A1: It has ended\.</);
  });

  it('shows a TWAP with its benchmarks on a line under it, then its slices; an expired one in the warning tone', () => {
    const store = createAlgosStore([
      twapViewOf('AEXP', {
        status: 'EXPIRED',
        phase: '',
        reason: 'the window ended: 7 of 10 filled, the rest cancelled',
        filledQuantity: 7,
        createdAt: 1,
        updatedAt: 2,
      }),
      twapViewOf('ATW', { children: ['S1', 'S2'], createdAt: 5, updatedAt: 6 }),
    ]);
    const orders = createOrdersStore([
      orderViewOf('S1', { parentId: 'ATW', quantity: 2, filledQuantity: 2, state: 'COMPLETE' }),
      orderViewOf('S2', { parentId: 'ATW', quantity: 2, filledQuantity: 2, state: 'COMPLETE' }),
    ]);
    const html = render(store, orders);
    expect(rowsOf(html)).toEqual([
      ['alg-row', 'ATW'],
      ['alg-bench', 'ATW'],
      ['alg-child', 'S1'],
      ['alg-child', 'S2'],
      ['alg-row', 'AEXP'],
      ['alg-bench', 'AEXP'],
    ]);
    const rows = html.split(/<tr class="alg-/).slice(1);
    const [twap, bench, slice1, , expired, expiredBench] = rows;
    expect(twap).toMatch(/data-field="kind">TWAP</);
    expect(twap).toMatch(/data-field="price"[^>]*>TOUCH</);
    expect(twap).toMatch(/data-field="quantity">4\/10</);
    // No target or stop to edit.
    expect(twap).not.toContain('algo-target-modify');
    expect(twap).toMatch(/data-field="target"><\/td>/);
    expect(twap).toContain('data-testid="algo-cancel"');
    // The benchmarks: 2 behind its schedule (warned), arrival, interval VWAP, slippage worse than both, the end.
    expect(bench).toMatch(/data-field="schedule" data-tone="behind"/);
    expect(bench).toMatch(/<span class="num">4\/6<\/span>/);
    expect(bench).toContain('2 behind');
    expect(bench).toMatch(/data-field="arrival"[^>]*>.*?<span class="num">1500\.00</);
    expect(bench).toMatch(/data-field="interval-vwap"[^>]*>.*?<span class="num">1500\.85</);
    expect(bench).toMatch(/data-field="slip-arrival" data-tone="worse"[^>]*>.*?>\+8\.0</);
    expect(bench).toMatch(/data-field="slip-vwap" data-tone="worse"[^>]*>.*?>\+2\.3</);
    expect(bench).toMatch(/data-field="ends"[^>]*>.*?Ends<.*?>09:30:00</);
    expect(slice1).toMatch(/data-field="role">.*slice 1</);
    expect(expired).toContain('data-status="EXPIRED"');
    expect(expired).toMatch(/class="alg-status" data-tone="expired"/);
    expect(expired).toMatch(/data-testid="algo-reason" data-tone="expired">the window ended/);
    expect(expired).not.toContain('algo-cancel');
    expect(expiredBench).toMatch(/data-field="ends"[^>]*>.*?End<.*?>09:30:00</);
    expect(html).toContain('data-testid="algos-count">1 working · 2<');
  });

  it('gives a TWAP’s slice its number before the order stream has brought it', () => {
    const html = render(createAlgosStore([twapViewOf('ATW', { children: ['S1', 'S2'] })]));
    expect(html).toMatch(/data-client-order-id="S2"[^>]*>.*?<td class="alg-child__role">slice 2</);
  });
});
