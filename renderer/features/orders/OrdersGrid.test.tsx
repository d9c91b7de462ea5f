import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { ReconciliationState } from '../../../shared/services/orders';
import { MarketDataContext } from '../market';
import { fakeLink, fakeMarketData } from '../market/fakeMarket';
import { fakeTrading, orderViewOf } from './fakeTrading';
import { startOrders } from './ordersBridge';
import { OrdersContext } from './ordersContext';
import { createOrdersStore } from './ordersStore';
import type { OrdersState } from './ordersStore';
import { OrdersGrid } from './OrdersGrid';
import { ReconciliationNotice } from './ReconciliationNotice';

// Server-rendered markup of the orders grid and the reconciliation line for given stores (the
// service is the in-memory fake of fakeTrading.ts; server rendering reads a store's initial state).

function render(store: ReturnType<typeof createOrdersStore>, node: ReactNode): string {
  const handle = { ...startOrders(fakeTrading([]).orders, fakeLink(false), createOrdersStore()), store };
  return renderToStaticMarkup(
    <MarketDataContext value={fakeMarketData().data}>
      <OrdersContext value={handle}>{node}</OrdersContext>
    </MarketDataContext>,
  );
}

describe('the orders grid', () => {
  it('offers cancel and price edit on working orders only, and shows why one was rejected', () => {
    const store = createOrdersStore([
      orderViewOf('W1', { state: 'OPEN', createdAt: 3, updatedAt: 3 }),
      orderViewOf('D1', { state: 'COMPLETE', filledQuantity: 10, averagePrice: 150_010, updatedAt: 2 }),
      orderViewOf('R1', { state: 'REJECTED', reason: 'Insufficient funds', updatedAt: 1 }),
    ]);
    const html = render(store, <OrdersGrid />);
    const rows = html.split('<tr class="ord-row"').slice(1);
    expect(rows.map((r) => /data-client-order-id="(\w+)"/.exec(r)?.[1])).toEqual(['W1', 'D1', 'R1']);
    expect(rows[0]).toContain('data-testid="order-cancel"');
    expect(rows[0]).toContain('data-testid="order-modify"');
    expect(rows[1]).not.toContain('order-cancel');
    expect(rows[1]).toContain('10/10');
    expect(rows[2]).toContain('REJECTED');
    expect(rows[2]).toContain('Insufficient funds');
    expect(html).toContain('data-testid="orders-count">1 open · 3<');
  });

  it('names the algorithm a child order belongs to in the Parent column, and nothing for an order of its own', () => {
    const store = createOrdersStore([
      orderViewOf('C1', { parentId: 'Aq0k3x9ab1f2', createdAt: 2, updatedAt: 2 }),
      orderViewOf('M1', { createdAt: 1, updatedAt: 1 }),
    ]);
    const html = render(store, <OrdersGrid />);
    expect(html).toContain('<th>Parent</th>');
    const rows = html.split('<tr class="ord-row"').slice(1);
    expect(rows[0]).toMatch(/data-field="parent"[^>]*>Aq0k3x9ab1f2</);
    expect(rows[1]).toMatch(/data-field="parent"[^>]*><\/td>/);
  });

  it('marks the legs of a routed order SOR, each on its exchange, with the route in the title', () => {
    const legs = [
      orderViewOf('R1', { exchange: 'NSE', quantity: 60, state: 'COMPLETE', createdAt: 4, updatedAt: 4 }),
      orderViewOf('R2', {
        exchange: 'BSE',
        instrumentToken: 5_000_209,
        quantity: 40,
        state: 'COMPLETE',
        createdAt: 3,
        updatedAt: 3,
      }),
    ];
    const live = createOrdersStore([orderViewOf('M1', { state: 'COMPLETE', createdAt: 1, updatedAt: 1 })]);
    live.getState().routedPlaced(legs, {
      legs: 'NSE 60 · BSE 40',
      reason: 'Split: 60 on NSE, 40 on BSE: neither book shows 100.',
    });
    expect(live.getState().rows.map((o) => o.clientOrderId)).toEqual(['R1', 'R2', 'M1']);
    expect([...live.getState().routed.keys()]).toEqual(['R1', 'R2']);
    // Server rendering reads a store's initial state: one that starts as the live one is now.
    const store = createStore<OrdersState>()(() => live.getState());
    const html = render(store, <OrdersGrid />);
    const rows = html.split('<tr class="ord-row"').slice(1);
    expect(rows[0]).toMatch(/data-exchange="NSE" data-routed="true"/);
    expect(rows[1]).toMatch(/data-exchange="BSE" data-routed="true"/);
    expect(rows[1]).toMatch(/data-field="exchange">BSE</);
    expect(rows[1]).toContain(
      'title="A leg of a routed order (NSE 60 · BSE 40), on BSE: Split: 60 on NSE, 40 on BSE: neither book shows 100."',
    );
    expect(rows[1]).toMatch(/data-field="parent"[^>]*>SOR</);
    expect(rows[2]).toMatch(/data-routed="false"/);
    expect(rows[2]).toMatch(/data-field="parent"[^>]*><\/td>/);
  });
});

describe('the reconciliation line', () => {
  const state = (s: Partial<ReconciliationState>): ReconciliationState => ({
    state: 'ok',
    at: 0,
    summary: '',
    issues: [],
    ...s,
  });

  it('says nothing when the journal agrees with the broker', () => {
    expect(render(createOrdersStore([], state({})), <ReconciliationNotice />)).toBe('');
  });

  it('says so while reconciling', () => {
    const html = render(createOrdersStore([], state({ state: 'reconciling' })), <ReconciliationNotice />);
    expect(html).toContain('Reconciling with the broker…');
  });

  it('lists what it cannot explain, each with an Accept button', () => {
    const html = render(
      createOrdersStore(
        [],
        state({
          state: 'blocked',
          issues: [
            {
              id: 'i1',
              kind: 'position-mismatch',
              message: 'INFY CNC: the broker has 10, the journal 5',
              clientOrderId: null,
              instrumentToken: 408065,
            },
            {
              id: 'i2',
              kind: 'unresolved-unknown',
              message: 'Order SQ12 is UNKNOWN and the broker has no order with its tag',
              clientOrderId: 'SQ12',
              instrumentToken: null,
            },
          ],
        }),
      ),
      <ReconciliationNotice />,
    );
    expect(html).toContain('2 issues it cannot');
    expect(html).toContain('INFY CNC: the broker has 10, the journal 5');
    expect(html.match(/data-testid="reconciliation-accept"/g)).toHaveLength(2);
  });
});
