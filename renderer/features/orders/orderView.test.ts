import { describe, expect, it } from 'vitest';
import { orderViewOf as order } from './fakeTrading';
import {
  canCancel,
  canModify,
  compareOrders,
  editedField,
  isWorking,
  orderPriceStyle,
  orderRowText,
} from './orderView';

describe('an order in the grid', () => {
  it('reads as the trader expects: IST time, filled/total, dashes for no trigger or fill, MKT for a market order', () => {
    expect(orderRowText(order('A', { filledQuantity: 4, averagePrice: 149_995 }))).toEqual({
      time: '09:15:07',
      quantity: '4/10',
      price: '1500.00',
      trigger: '—',
      average: '1499.95',
      state: 'OPEN',
    });
    const market = orderRowText(
      order('B', { orderType: 'MARKET', price: 0, quantity: 1200, state: 'COMPLETE' }),
    );
    expect(market.price).toBe('MKT');
    expect(market.quantity).toBe('0/1,200');
    expect(orderRowText(order('C', { state: 'TRIGGER_PENDING' })).state).toBe('TRIGGER PENDING');
  });

  it('writes currency prices with four decimals', () => {
    expect(orderPriceStyle(10_000_000)).toEqual({ divisor: 10_000_000, decimals: 4 });
    expect(orderRowText(order('D', { priceDivisor: 10_000_000, price: 832_525_000 })).price).toBe('83.2525');
  });

  it('offers cancel and modify only where the exchange takes them', () => {
    expect(canCancel('OPEN') && canModify('OPEN')).toBe(true);
    expect(canCancel('TRIGGER_PENDING') && canModify('TRIGGER_PENDING')).toBe(true);
    expect(canCancel('CANCEL_PENDING')).toBe(false);
    expect(canCancel('SENT') || canModify('SENT')).toBe(false);
    expect(canCancel('COMPLETE') || canModify('REJECTED')).toBe(false);
    expect(isWorking('UNKNOWN')).toBe(true);
    expect(isWorking('CANCELLED')).toBe(false);
    expect(editedField({ orderType: 'LIMIT' })).toBe('price');
    expect(editedField({ orderType: 'SL-M' })).toBe('triggerPrice');
    expect(editedField({ orderType: 'MARKET' })).toBeUndefined();
  });

  it('sorts working orders first (newest first), then finished ones by when they finished', () => {
    const rows = [
      order('old-open', { createdAt: 1, updatedAt: 1 }),
      order('done-late', { state: 'COMPLETE', createdAt: 2, updatedAt: 9 }),
      order('new-open', { createdAt: 5, updatedAt: 5 }),
      order('done-early', { state: 'REJECTED', createdAt: 3, updatedAt: 4 }),
    ].sort(compareOrders);
    expect(rows.map((o) => o.clientOrderId)).toEqual(['new-open', 'old-open', 'done-late', 'done-early']);
  });
});
