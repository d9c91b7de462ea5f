import type { OrderVenue } from '../oms/venue';

/**
 * TEST SUPPORT. An order venue standing in for a broker where a test is about what leaves the OMS:
 * an empty book (no orders, trades or positions), margins unknown, nothing pushed; `place` refuses
 * unless the test gives it. `overrides` supply the calls the test cares about.
 */
export function stubVenue(overrides: Partial<OrderVenue> = {}): OrderVenue {
  return {
    kind: 'kite',
    place: () => Promise.reject(new Error('stubVenue: the test gave no place()')),
    modify: () => Promise.resolve(),
    cancel: () => Promise.resolve(),
    orders: () => Promise.resolve([]),
    trades: () => Promise.resolve([]),
    orderTrades: () => Promise.resolve([]),
    positions: () => Promise.resolve([]),
    margins: () => Promise.resolve({ equity: null, commodity: null }),
    orderMargin: () => Promise.resolve(0),
    onOrder: () => ({ dispose: () => undefined }),
    onTrade: () => ({ dispose: () => undefined }),
    dispose: () => undefined,
    ...overrides,
  };
}
