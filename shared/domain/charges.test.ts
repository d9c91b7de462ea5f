import { describe, expect, it } from 'vitest';
import { chargeSegment, orderCharges, sumCharges } from './charges';

// Worked by hand from Zerodha's published rates (zerodha.com/charges, from 1 October 2024), in paise.

describe('Zerodha charges', () => {
  it('equity intraday round trip: 400 shares bought at 1000, sold at 1100 (Rs 199.63)', () => {
    const buy = orderCharges('equityIntraday', 'NSE', 'BUY', 400 * 1000_00);
    expect(buy).toEqual({
      transactionTaxType: 'stt',
      brokerage: 2000, // min(0.03% of Rs 4,00,000 = Rs 120, Rs 20)
      transactionTax: 0, // STT on the sell side only
      exchangeTurnoverCharge: 1188, // 0.00297% = Rs 11.88
      sebiTurnoverCharge: 40, // Rs 10 per crore
      stampDuty: 1200, // 0.003% of the buy
      gst: 581, // 18% of (20 + 11.88 + 0.40) = Rs 5.8104
      total: 5009,
    });
    const sell = orderCharges('equityIntraday', 'NSE', 'SELL', 400 * 1100_00);
    expect(sell).toMatchObject({
      brokerage: 2000,
      transactionTax: 11000, // 0.025% of Rs 4,40,000 = Rs 110
      exchangeTurnoverCharge: 1307, // Rs 13.068
      sebiTurnoverCharge: 44,
      stampDuty: 0,
      gst: 603, // 18% of Rs 33.51
      total: 14954,
    });
    expect(sumCharges([buy, sell]).total).toBe(19963);
  });

  it('equity delivery: no brokerage, STT both sides rounded to the rupee, stamp 0.015%', () => {
    // 10 INFY at 1540.80: turnover Rs 15,408.
    expect(orderCharges('equityDelivery', 'NSE', 'BUY', 10 * 1540_80)).toEqual({
      transactionTaxType: 'stt',
      brokerage: 0,
      transactionTax: 1500, // 0.1% = Rs 15.408 -> Rs 15
      exchangeTurnoverCharge: 46, // Rs 0.4576
      sebiTurnoverCharge: 2, // Rs 0.0154
      stampDuty: 231, // Rs 2.3112
      gst: 9, // 18% of Rs 0.48
      total: 1788,
    });
    expect(orderCharges('equityDelivery', 'BSE', 'SELL', 10 * 1540_80)).toMatchObject({
      transactionTax: 1500,
      exchangeTurnoverCharge: 58, // BSE 0.00375%
      stampDuty: 0,
    });
  });

  it('options: flat Rs 20, STT 0.1% of the sold premium, NSE 0.03503%', () => {
    // One NIFTY lot (75) sold at a premium of Rs 100: premium turnover Rs 7,500.
    expect(orderCharges('options', 'NFO', 'SELL', 75 * 100_00)).toEqual({
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 800, // Rs 7.50 -> Rs 8
      exchangeTurnoverCharge: 263, // Rs 2.627
      sebiTurnoverCharge: 1,
      stampDuty: 0,
      gst: 408, // 18% of Rs 22.64
      total: 3472,
    });
  });

  it('futures, currency and commodity columns', () => {
    // NIFTY future, 75 at 26,000 (Rs 19,50,000): brokerage capped at Rs 20.
    const fut = orderCharges('futures', 'NFO', 'SELL', 75 * 26_000_00);
    expect(fut).toMatchObject({
      brokerage: 2000,
      transactionTax: 39000, // 0.02% = Rs 390
      exchangeTurnoverCharge: 3374, // 0.00173% = Rs 33.735
      sebiTurnoverCharge: 195,
    });
    expect(orderCharges('futures', 'NFO', 'BUY', 75 * 26_000_00).stampDuty).toBe(3900); // 0.002%
    // USDINR 1000 at 88.50 (Rs 88,500): 0.03% = Rs 26.55 -> capped at Rs 20; no STT.
    expect(orderCharges('currencyFutures', 'CDS', 'SELL', 1000 * 88_50)).toMatchObject({
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 31, // 0.00035% = Rs 0.30975
    });
    // CRUDEOIL 100 at 5200 (Rs 5,20,000): CTT 0.01% on the sell = Rs 52.
    expect(orderCharges('commodityFutures', 'MCX', 'SELL', 100 * 5200_00)).toMatchObject({
      transactionTaxType: 'ctt',
      transactionTax: 5200,
      exchangeTurnoverCharge: 1092, // 0.0021%
    });
    // A small intraday order pays 0.03%, under the cap: Rs 10,000 -> Rs 3.
    expect(orderCharges('equityIntraday', 'NSE', 'BUY', 10_000_00).brokerage).toBe(300);
  });

  it('picks the column from exchange, instrument type and product', () => {
    expect(chargeSegment('NSE', 'EQ', 'CNC')).toBe('equityDelivery');
    expect(chargeSegment('BSE', 'EQ', 'MIS')).toBe('equityIntraday');
    expect(chargeSegment('NFO', 'FUT', 'NRML')).toBe('futures');
    expect(chargeSegment('NFO', 'CE', 'MIS')).toBe('options');
    expect(chargeSegment('CDS', 'FUT', 'NRML')).toBe('currencyFutures');
    expect(chargeSegment('MCX', 'FUT', 'NRML')).toBe('commodityFutures');
    expect(orderCharges('options', 'NFO', 'SELL', 75 * 100_00)).toMatchObject({
      transactionTax: 800,
      transactionTaxType: 'stt',
      exchangeTurnoverCharge: 263,
      sebiTurnoverCharge: 1,
      brokerage: 2000,
      stampDuty: 0,
      gst: 408,
      total: 3472,
    });
    expect(() => orderCharges('futures', 'NFO', 'BUY', 1.5)).toThrow(RangeError);
    expect(orderCharges('options', 'NFO', 'BUY', 0).total).toBe(0);
  });
});
