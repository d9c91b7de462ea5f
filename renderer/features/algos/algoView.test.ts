import { describe, expect, it } from 'vitest';
import { orderViewOf } from '../orders/fakeTrading';
import { algoRowText, algoStatusTone, canCancelAlgo, canEditExit, childRole, childRowText } from './algoView';
import { algoViewOf } from './fakeAlgos';

describe('how an algorithm reads', () => {
  it('colours its status and offers cancel only while it works', () => {
    expect(algoStatusTone('WORKING')).toBe('working');
    expect(algoStatusTone('COMPLETED')).toBe('done');
    expect(algoStatusTone('CANCELLED')).toBe('cancelled');
    expect(algoStatusTone('FAILED')).toBe('failed');
    expect(canCancelAlgo({ status: 'WORKING' })).toBe(true);
    expect(canCancelAlgo({ status: 'FAILED' })).toBe(false);
  });

  it('lets a working bracket’s known target and stop be moved, never an iceberg’s', () => {
    const bracket = algoViewOf('A1', { kind: 'bracket', targetPrice: 152_000, stopPrice: 0 });
    expect(canEditExit(bracket, 'targetPrice')).toBe(true);
    expect(canEditExit(bracket, 'stopPrice')).toBe(false);
    expect(canEditExit({ ...bracket, status: 'COMPLETED' }, 'targetPrice')).toBe(false);
    expect(canEditExit(algoViewOf('A2', { targetPrice: 152_000 }), 'targetPrice')).toBe(false);
  });

  it('writes an iceberg’s limit, its fills and dashes for what it has not', () => {
    const t = algoRowText(algoViewOf('A1', { filledQuantity: 3, quantity: 1200 }));
    expect(t).toMatchObject({
      kind: 'ICEBERG',
      quantity: '3/1,200',
      price: '1500.00',
      average: '—',
      target: '',
    });
  });

  it('names a child’s part in its algorithm', () => {
    const iceberg = { kind: 'iceberg' } as const;
    const bracket = { kind: 'bracket' } as const;
    expect(childRole(iceberg, { orderType: 'LIMIT' }, 2)).toBe('leg');
    expect(childRole(bracket, { orderType: 'SL' }, 0)).toBe('entry');
    expect(childRole(bracket, { orderType: 'LIMIT' }, 1)).toBe('target');
    expect(childRole(bracket, { orderType: 'SL-M' }, 2)).toBe('stop');
    expect(childRole(bracket, { orderType: 'MARKET' }, 3)).toBe('exit');
    const leg = childRowText(iceberg, orderViewOf('L', { state: 'REJECTED' }), 2);
    expect(leg).toMatchObject({ role: 'leg 3', price: '1500.00', state: 'REJECTED', tone: 'failed' });
  });
});
