import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../../shared/services/orders';
import { orderViewOf } from '../orders/fakeTrading';
import { priceStyleOf } from '../market';
import { algoViewOf } from '../algos/fakeAlgos';
import {
  bracketMove,
  bracketRole,
  chartPriceToUnits,
  lineNear,
  orderLines,
  positionLines,
} from './chartLines';

const nse = priceStyleOf({ tickSize: 5, priceDivisor: 100 });

/** An open INFY limit buy of 10 at 1530.00 (MIS), changed by `over`. */
const order = (over: Partial<OrderView>): OrderView =>
  orderViewOf(over.clientOrderId ?? 'SQ1', {
    product: 'MIS',
    price: 153_000,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  });

describe('order lines', () => {
  it('draws working orders of the instrument with side, what is left and the price', () => {
    const lines = orderLines(
      [
        order({ clientOrderId: 'A' }),
        order({
          clientOrderId: 'B',
          side: 'SELL',
          orderType: 'SL-M',
          price: 0,
          triggerPrice: 151_000,
          quantity: 5,
        }),
        order({
          clientOrderId: 'C',
          quantity: 10,
          filledQuantity: 3,
          state: 'MODIFY_PENDING',
          price: 152_500,
        }),
        order({ clientOrderId: 'D', state: 'COMPLETE' }),
        order({ clientOrderId: 'E', orderType: 'MARKET', price: 0 }),
        order({ clientOrderId: 'F', instrumentToken: 1 }),
      ],
      408065,
      nse,
    );
    expect(lines).toEqual([
      {
        id: 'order:A',
        kind: 'order',
        tone: 'buy',
        price: 153_000,
        label: 'BUY 10 @ 1530.00',
        draggable: true,
        clientOrderId: 'A',
      },
      {
        id: 'order:B',
        kind: 'order',
        tone: 'sell',
        price: 151_000,
        label: 'SELL SL-M 5 @ 1510.00',
        draggable: true,
        clientOrderId: 'B',
      },
      {
        id: 'order:C',
        kind: 'order',
        tone: 'buy',
        price: 152_500,
        label: 'BUY 7 @ 1525.00',
        draggable: false,
        clientOrderId: 'C',
      },
    ]);
  });

  it('draws open positions at their average, naming the product only when there are several', () => {
    const one = positionLines(
      [
        { instrumentToken: 408065, product: 'MIS', quantity: 2, averagePrice: 152_910 },
        { instrumentToken: 408065, product: 'CNC', quantity: 0, averagePrice: 0 },
      ],
      408065,
      nse,
    );
    expect(one).toEqual([
      {
        id: 'position:MIS',
        kind: 'position',
        tone: 'long',
        price: 152_910,
        label: 'POS +2 @ 1529.10',
        draggable: false,
      },
    ]);
    const two = positionLines(
      [
        { instrumentToken: 408065, product: 'MIS', quantity: -3, averagePrice: 152_910 },
        { instrumentToken: 408065, product: 'CNC', quantity: 4, averagePrice: 150_000 },
      ],
      408065,
      nse,
    );
    expect(two.map((l) => [l.tone, l.label])).toEqual([
      ['short', 'POS -3 @ 1529.10 MIS'],
      ['long', 'POS +4 @ 1500.00 CNC'],
    ]);
  });
});

describe('dragging an order line', () => {
  const lines = orderLines(
    [order({ clientOrderId: 'A', price: 153_000 }), order({ clientOrderId: 'B', price: 152_000 })],
    408065,
    nse,
  );
  const yOf = (price: number) => (160_000 - price) / 10; // 1 px = 10 units
  it('picks the nearest draggable line within the tolerance', () => {
    expect(lineNear(lines, 700, yOf)?.clientOrderId).toBe('A');
    expect(lineNear(lines, 796, yOf)?.clientOrderId).toBe('B');
    expect(lineNear(lines, 750, yOf)).toBeUndefined();
    expect(lineNear(lines, 700, () => null)).toBeUndefined();
  });
  it('reads the drop price onto the tick grid', () => {
    expect(chartPriceToUnits(1530.0249, 100, 5)).toBe(153_000);
    expect(chartPriceToUnits(1530.03, 100, 5)).toBe(153_005);
    expect(chartPriceToUnits(83.2512, 10_000_000, 25_000)).toBe(832_500_000);
    expect(chartPriceToUnits(-5, 100, 5)).toBe(5);
    expect(chartPriceToUnits(Number.NaN, 100, 5)).toBeUndefined();
  });
});

describe('a bracket’s lines', () => {
  const bracket = algoViewOf('BK1', { kind: 'bracket', side: 'BUY', status: 'WORKING' });
  const parentOf = (id: string) => (id === 'BK1' ? bracket : undefined);
  const target = order({
    clientOrderId: 'T',
    side: 'SELL',
    orderType: 'LIMIT',
    price: 154_000,
    parentId: 'BK1',
  });
  const stop = order({
    clientOrderId: 'S',
    side: 'SELL',
    orderType: 'SL-M',
    price: 0,
    triggerPrice: 152_000,
    parentId: 'BK1',
  });
  const entry = order({ clientOrderId: 'E', side: 'BUY', price: 153_000, parentId: 'BK1' });

  it('names the role of each of its orders: the LIMIT exit the target, the stop order the stop, its side the entry', () => {
    expect(bracketRole(target, bracket)).toBe('target');
    expect(bracketRole(stop, bracket)).toBe('stop');
    expect(bracketRole({ ...stop, orderType: 'SL' }, bracket)).toBe('stop');
    expect(bracketRole(entry, bracket)).toBe('entry');
    // Not a working bracket's: moved as an order.
    expect(bracketRole(target, { ...bracket, status: 'COMPLETED' })).toBeUndefined();
    expect(bracketRole(target, { ...bracket, kind: 'iceberg' })).toBeUndefined();
    expect(bracketRole(target, undefined)).toBeUndefined();
    expect(bracketRole({ ...target, parentId: 'OTHER' }, bracket)).toBeUndefined();
  });

  it('tags its lines BKT T / BKT S / BKT E and carries the bracket for the drag', () => {
    const lines = orderLines([target, stop, entry, order({ clientOrderId: 'P' })], 408065, nse, parentOf);
    expect(lines.map((l) => l.label)).toEqual([
      'BKT T SELL 10 @ 1540.00',
      'BKT S SELL SL-M 10 @ 1520.00',
      'BKT E BUY 10 @ 1530.00',
      'BUY 10 @ 1530.00',
    ]);
    expect(lines.map((l) => l.bracket)).toEqual([
      { algoId: 'BK1', role: 'target' },
      { algoId: 'BK1', role: 'stop' },
      { algoId: 'BK1', role: 'entry' },
      undefined,
    ]);
    // Without the algorithms known, they are plain orders.
    expect(orderLines([target], 408065, nse)[0]?.label).toBe('SELL 10 @ 1540.00');
  });

  it('moves the bracket: the target line its targetPrice, the stop line its stopPrice, the entry its price', () => {
    expect(bracketMove({ algoId: 'BK1', role: 'target' }, 154_500)).toEqual({
      algoId: 'BK1',
      targetPrice: 154_500,
    });
    expect(bracketMove({ algoId: 'BK1', role: 'stop' }, 151_500)).toEqual({
      algoId: 'BK1',
      stopPrice: 151_500,
    });
    expect(bracketMove({ algoId: 'BK1', role: 'entry' }, 152_900)).toEqual({ algoId: 'BK1', price: 152_900 });
  });
});
