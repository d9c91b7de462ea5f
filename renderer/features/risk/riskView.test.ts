import { describe, expect, it } from 'vitest';
import { RiskLimitsSchema } from '../../../shared/services/risk';
import type { RiskStatus } from '../../../shared/services/risk';
import { limitForm, readLimitForm, riskUsage } from './riskView';

const limits = RiskLimitsSchema.parse({});
const status: RiskStatus = {
  state: 'ACTIVE',
  reason: '',
  since: 0,
  dayNetPaise: -2_000_050,
  dailyLossLimitPaise: 2_500_000,
  openOrders: 36,
  ordersLastSecond: 9,
  ordersLastMinute: 12,
  ordersToday: 100,
};

describe('the risk panel’s usage bars', () => {
  it('show each limit’s use, warning from 70% and alarming from 90%', () => {
    const bars = riskUsage(status, limits);
    expect(bars.map((b) => [b.id, b.text, b.level])).toEqual([
      ['open-orders', '36 of 50', 'warn'],
      ['day-loss', '₹20,000.50 of ₹25,000.00', 'warn'],
      ['orders-second', '9 of 10', 'alarm'],
      ['orders-minute', '12 of 400', 'ok'],
      ['orders-today', '100 of 5,000', 'ok'],
    ]);
    expect(bars[0]?.fraction).toBeCloseTo(0.72, 9);
  });

  it('say when there is no limit, and count a profit as no loss', () => {
    const bars = riskUsage({ ...status, dayNetPaise: 5_000, dailyLossLimitPaise: 0 }, undefined);
    expect(bars[0]).toMatchObject({ text: '36 · no limit', level: 'off', fraction: 0 });
    expect(bars[1]).toMatchObject({ text: '₹0.00 · no limit', level: 'off' });
    const over = riskUsage({ ...status, openOrders: 80 }, limits)[0];
    expect(over).toMatchObject({ fraction: 1, level: 'alarm' });
  });
});

describe('the limits form', () => {
  it('writes money in rupees and the fat-finger band in percent, and reads them back', () => {
    const form = limitForm({ ...limits, maxOrderQuantity: 500 });
    expect(form).toEqual({
      maxOrderValuePaise: '1000000',
      maxOrderQuantity: '500',
      maxPosition: '',
      maxOpenOrders: '50',
      dailyLossLimitPaise: '25000',
      fatFingerBasisPoints: '5',
      fatFingerMinTicks: '5',
      duplicateWindowMs: '1000',
    });
    expect(readLimitForm(form, { ...limits, maxOrderQuantity: 500 })).toEqual({ ok: true, patch: {} });
    const changed = readLimitForm(
      { ...form, maxOrderValuePaise: '2,50,000.5', fatFingerBasisPoints: '2.5', maxPosition: '1000' },
      { ...limits, maxOrderQuantity: 500 },
    );
    expect(changed).toEqual({
      ok: true,
      patch: { maxOrderValuePaise: 25_000_050, fatFingerBasisPoints: 250, maxPosition: 1000 },
    });
  });

  it('names the field that does not read', () => {
    const form = limitForm(limits);
    expect(readLimitForm({ ...form, maxOpenOrders: '1.5' }, limits)).toMatchObject({
      ok: false,
      key: 'maxOpenOrders',
    });
    expect(readLimitForm({ ...form, dailyLossLimitPaise: '12.345' }, limits)).toMatchObject({
      ok: false,
      key: 'dailyLossLimitPaise',
    });
    expect(readLimitForm({ ...form, fatFingerBasisPoints: '0' }, limits)).toMatchObject({
      ok: false,
      key: 'fatFingerBasisPoints',
    });
    expect(readLimitForm({ ...form, fatFingerMinTicks: '1001' }, limits)).toMatchObject({
      ok: false,
      key: 'fatFingerMinTicks',
    });
    expect(readLimitForm({ ...form, fatFingerMinTicks: '0' }, limits)).toEqual({
      ok: true,
      patch: { fatFingerMinTicks: 0 },
    });
    expect(readLimitForm({ ...form, maxOpenOrders: '' }, limits)).toMatchObject({
      ok: false,
      key: 'maxOpenOrders',
    });
    // An optional limit once set cannot be cleared by a patch (absent means unchanged).
    expect(
      readLimitForm({ ...form, maxOrderQuantity: '' }, { ...limits, maxOrderQuantity: 5 }),
    ).toMatchObject({
      ok: false,
      key: 'maxOrderQuantity',
    });
  });
});
