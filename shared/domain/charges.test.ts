import { describe, expect, it } from 'vitest';
import { CHARGE_SCHEDULES, chargeScheduleAt, chargeSegment, orderCharges, sumCharges } from './charges';
import type { ChargeSegment, OrderCharges } from './charges';

// Worked by hand from Zerodha's published rates (zerodha.com/charges, from 1 October 2024), in paise,
// for trades on 15 October 2025 (that schedule's dates); Budget 2026's STT has its own block below.
const OCT_2025 = Date.parse('2025-10-15T10:00:00+05:30');

describe('Zerodha charges', () => {
  it('equity intraday round trip: 400 shares bought at 1000, sold at 1100 (Rs 199.63)', () => {
    const buy = orderCharges('equityIntraday', 'NSE', 'BUY', 400 * 1000_00, OCT_2025);
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
    const sell = orderCharges('equityIntraday', 'NSE', 'SELL', 400 * 1100_00, OCT_2025);
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
    expect(orderCharges('equityDelivery', 'NSE', 'BUY', 10 * 1540_80, OCT_2025)).toEqual({
      transactionTaxType: 'stt',
      brokerage: 0,
      transactionTax: 1500, // 0.1% = Rs 15.408 -> Rs 15
      exchangeTurnoverCharge: 46, // Rs 0.4576
      sebiTurnoverCharge: 2, // Rs 0.0154
      stampDuty: 231, // Rs 2.3112
      gst: 9, // 18% of Rs 0.48
      total: 1788,
    });
    expect(orderCharges('equityDelivery', 'BSE', 'SELL', 10 * 1540_80, OCT_2025)).toMatchObject({
      transactionTax: 1500,
      exchangeTurnoverCharge: 58, // BSE 0.00375%
      stampDuty: 0,
    });
  });

  it('options: flat Rs 20, STT 0.1% of the sold premium, NSE 0.03503%', () => {
    // One NIFTY lot (75) sold at a premium of Rs 100: premium turnover Rs 7,500.
    expect(orderCharges('options', 'NFO', 'SELL', 75 * 100_00, OCT_2025)).toEqual({
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
    const fut = orderCharges('futures', 'NFO', 'SELL', 75 * 26_000_00, OCT_2025);
    expect(fut).toMatchObject({
      brokerage: 2000,
      transactionTax: 39000, // 0.02% = Rs 390
      exchangeTurnoverCharge: 3374, // 0.00173% = Rs 33.735
      sebiTurnoverCharge: 195,
    });
    expect(orderCharges('futures', 'NFO', 'BUY', 75 * 26_000_00, OCT_2025).stampDuty).toBe(3900); // 0.002%
    // USDINR 1000 at 88.50 (Rs 88,500): 0.03% = Rs 26.55 -> capped at Rs 20; no STT.
    expect(orderCharges('currencyFutures', 'CDS', 'SELL', 1000 * 88_50, OCT_2025)).toMatchObject({
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 31, // 0.00035% = Rs 0.30975
    });
    // CRUDEOIL 100 at 5200 (Rs 5,20,000): CTT 0.01% on the sell = Rs 52.
    expect(orderCharges('commodityFutures', 'MCX', 'SELL', 100 * 5200_00, OCT_2025)).toMatchObject({
      transactionTaxType: 'ctt',
      transactionTax: 5200,
      exchangeTurnoverCharge: 1092, // 0.0021%
    });
    // A small intraday order pays 0.03%, under the cap: Rs 10,000 -> Rs 3.
    expect(orderCharges('equityIntraday', 'NSE', 'BUY', 10_000_00, OCT_2025).brokerage).toBe(300);
  });

  it('picks the column from exchange, instrument type and product', () => {
    expect(chargeSegment('NSE', 'EQ', 'CNC')).toBe('equityDelivery');
    expect(chargeSegment('BSE', 'EQ', 'MIS')).toBe('equityIntraday');
    expect(chargeSegment('NFO', 'FUT', 'NRML')).toBe('futures');
    expect(chargeSegment('NFO', 'CE', 'MIS')).toBe('options');
    expect(chargeSegment('CDS', 'FUT', 'NRML')).toBe('currencyFutures');
    expect(chargeSegment('MCX', 'FUT', 'NRML')).toBe('commodityFutures');
    expect(orderCharges('options', 'NFO', 'SELL', 75 * 100_00, OCT_2025)).toMatchObject({
      transactionTax: 800,
      transactionTaxType: 'stt',
      exchangeTurnoverCharge: 263,
      sebiTurnoverCharge: 1,
      brokerage: 2000,
      stampDuty: 0,
      gst: 408,
      total: 3472,
    });
    expect(() => orderCharges('futures', 'NFO', 'BUY', 1.5, OCT_2025)).toThrow(RangeError);
    expect(orderCharges('options', 'NFO', 'BUY', 0, OCT_2025).total).toBe(0);
  });
});

// Issue 6: one row per executed order, for every column of zerodha.com/charges (rates from 1 October
// 2024), on each exchange whose rates differ, buy and sell, one turnover under the Rs 20 brokerage cap
// (0.03% < Rs 20, i.e. under Rs 66,666.67) and one over it. `formula` is the column as Zerodha publishes
// it; every expected number is worked by hand beside it, not taken from the code. Rounding, as
// charges.ts documents: STT and CTT to the rupee, every other component to the paisa, both half up.
// "p" is paise; SEBI's Rs 10/crore is 0.0001% of the turnover.

const GST = 'GST: 18% on (brokerage + SEBI charges + transaction charges)';
const SEBI = 'SEBI charges: Rs 10 / crore';
const DELIVERY =
  'Brokerage: zero. STT: 0.1% on buy & sell. Transaction charges: NSE 0.00297%, BSE 0.00375%. ' +
  `${SEBI}. Stamp: 0.015% or Rs 1500 / crore on buy side. ${GST}`;
const INTRADAY =
  'Brokerage: 0.03% or Rs 20 / executed order whichever is lower. STT: 0.025% on the sell side. ' +
  `Transaction charges: NSE 0.00297%, BSE 0.00375%. ${SEBI}. Stamp: 0.003% or Rs 300 / crore on buy side. ${GST}`;
const FUTURES =
  'Brokerage: 0.03% or Rs 20 / executed order whichever is lower. STT: 0.02% on the sell side. ' +
  `Transaction charges: NSE 0.00173%, BSE 0. ${SEBI}. Stamp: 0.002% or Rs 200 / crore on buy side. ${GST}`;
const OPTIONS =
  'Brokerage: flat Rs 20 per executed order. STT: 0.1% on the sell side (on premium). ' +
  'Transaction charges: NSE 0.03503% (on premium), BSE 0.0325% (on premium). ' +
  `${SEBI}. Stamp: 0.003% or Rs 300 / crore on buy side. ${GST}`;
const CURRENCY_FUTURES =
  'Brokerage: 0.03% or Rs 20 / executed order whichever is lower. STT/CTT: no STT. ' +
  `Transaction charges: NSE 0.00035%, BSE 0.00045%. ${SEBI}. Stamp: 0.0001% or Rs 10 / crore on buy side. ${GST}`;
const CURRENCY_OPTIONS =
  'Brokerage: Rs 20 / executed order. STT/CTT: no STT. Transaction charges: NSE 0.0311%, BSE 0.001%. ' +
  `${SEBI}. Stamp: 0.0001% or Rs 10 / crore on buy side. ${GST}`;
const COMMODITY_FUTURES =
  'Brokerage: 0.03% or Rs 20 / executed order whichever is lower. CTT: 0.01% on sell side (non-agri). ' +
  `Transaction charges: MCX 0.0021%. ${SEBI}. Stamp: 0.002% or Rs 200 / crore on buy side. ${GST}`;
const COMMODITY_OPTIONS =
  'Brokerage: Rs 20 / executed order. CTT: 0.05% on sell side. Transaction charges: MCX 0.0418%. ' +
  `${SEBI}. Stamp: 0.003% or Rs 300 / crore on buy side. ${GST}`;

interface FormulaRow {
  readonly segment: ChargeSegment;
  readonly exchange: string;
  readonly side: 'BUY' | 'SELL';
  /** The order the turnover stands for (premium turnover for options). */
  readonly order: string;
  readonly turnoverPaise: number;
  /** Zerodha's published formula for the column. */
  readonly formula: string;
  readonly expected: OrderCharges;
}

const FORMULA_ROWS: readonly FormulaRow[] = [
  // ---- Equity delivery. Small: 37 at Rs 1,234.50 = Rs 45,676.50 = 45,67,650 p.
  {
    segment: 'equityDelivery',
    exchange: 'NSE',
    side: 'BUY',
    order: '37 at Rs 1,234.50 = Rs 45,676.50',
    turnoverPaise: 45_676_50,
    formula: DELIVERY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 0, // zero
      transactionTax: 4600, // 0.1% x Rs 45,676.50 = Rs 45.6765 -> Rs 46
      exchangeTurnoverCharge: 136, // 0.00297% x 45,67,650 p = 135.659205 p -> 136
      sebiTurnoverCharge: 5, // 0.0001% x 45,67,650 p = 4.56765 p -> 5
      stampDuty: 685, // 0.015% x 45,67,650 p = 685.1475 p -> 685
      gst: 25, // 18% x (0 + 136 + 5 = 141) = 25.38 p -> 25
      total: 5451, // 0 + 4600 + 136 + 5 + 685 + 25
    },
  },
  {
    segment: 'equityDelivery',
    exchange: 'NSE',
    side: 'SELL',
    order: '37 at Rs 1,234.50 = Rs 45,676.50',
    turnoverPaise: 45_676_50,
    formula: DELIVERY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 0,
      transactionTax: 4600, // 0.1% on the sell too: Rs 45.6765 -> Rs 46
      exchangeTurnoverCharge: 136, // as the buy: 135.659205 p -> 136
      sebiTurnoverCharge: 5, // 4.56765 p -> 5
      stampDuty: 0, // buy side only
      gst: 25, // 18% x 141 = 25.38 p -> 25
      total: 4766, // 4600 + 136 + 5 + 25
    },
  },
  {
    segment: 'equityDelivery',
    exchange: 'BSE',
    side: 'BUY',
    order: '37 at Rs 1,234.50 = Rs 45,676.50',
    turnoverPaise: 45_676_50,
    formula: DELIVERY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 0,
      transactionTax: 4600, // Rs 45.6765 -> Rs 46
      exchangeTurnoverCharge: 171, // 0.00375% x 45,67,650 p = 171.286875 p -> 171
      sebiTurnoverCharge: 5, // 4.56765 p -> 5
      stampDuty: 685, // 685.1475 p -> 685
      gst: 32, // 18% x (0 + 171 + 5 = 176) = 31.68 p -> 32
      total: 5493, // 4600 + 171 + 5 + 685 + 32
    },
  },
  {
    segment: 'equityDelivery',
    exchange: 'BSE',
    side: 'SELL',
    order: '37 at Rs 1,234.50 = Rs 45,676.50',
    turnoverPaise: 45_676_50,
    formula: DELIVERY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 0,
      transactionTax: 4600, // Rs 45.6765 -> Rs 46
      exchangeTurnoverCharge: 171, // 171.286875 p -> 171
      sebiTurnoverCharge: 5,
      stampDuty: 0, // buy side only
      gst: 32, // 18% x 176 = 31.68 p -> 32
      total: 4808, // 4600 + 171 + 5 + 32
    },
  },
  // ---- Equity delivery. Large: 400 at Rs 1,525.75 = Rs 6,10,300 = 6,10,30,000 p.
  {
    segment: 'equityDelivery',
    exchange: 'NSE',
    side: 'BUY',
    order: '400 at Rs 1,525.75 = Rs 6,10,300',
    turnoverPaise: 610_300_00,
    formula: DELIVERY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 0,
      transactionTax: 61000, // 0.1% x Rs 6,10,300 = Rs 610.30 -> Rs 610
      exchangeTurnoverCharge: 1813, // 0.00297% x 6,10,30,000 p = 1812.591 p -> 1813
      sebiTurnoverCharge: 61, // 0.0001% x 6,10,30,000 p = 61.03 p -> 61
      stampDuty: 9155, // 0.015% x 6,10,30,000 p = 9154.5 p -> 9155 (half up)
      gst: 337, // 18% x (0 + 1813 + 61 = 1874) = 337.32 p -> 337
      total: 72366, // 61000 + 1813 + 61 + 9155 + 337
    },
  },
  {
    segment: 'equityDelivery',
    exchange: 'NSE',
    side: 'SELL',
    order: '400 at Rs 1,525.75 = Rs 6,10,300',
    turnoverPaise: 610_300_00,
    formula: DELIVERY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 0,
      transactionTax: 61000, // Rs 610.30 -> Rs 610
      exchangeTurnoverCharge: 1813, // 1812.591 p -> 1813
      sebiTurnoverCharge: 61,
      stampDuty: 0, // buy side only
      gst: 337, // 18% x 1874 = 337.32 p -> 337
      total: 63211, // 61000 + 1813 + 61 + 337
    },
  },
  {
    segment: 'equityDelivery',
    exchange: 'BSE',
    side: 'BUY',
    order: '400 at Rs 1,525.75 = Rs 6,10,300',
    turnoverPaise: 610_300_00,
    formula: DELIVERY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 0,
      transactionTax: 61000, // Rs 610.30 -> Rs 610
      exchangeTurnoverCharge: 2289, // 0.00375% x 6,10,30,000 p = 2288.625 p -> 2289
      sebiTurnoverCharge: 61,
      stampDuty: 9155, // 9154.5 p -> 9155 (half up)
      gst: 423, // 18% x (0 + 2289 + 61 = 2350) = 423 p exactly
      total: 72928, // 61000 + 2289 + 61 + 9155 + 423
    },
  },
  {
    segment: 'equityDelivery',
    exchange: 'BSE',
    side: 'SELL',
    order: '400 at Rs 1,525.75 = Rs 6,10,300',
    turnoverPaise: 610_300_00,
    formula: DELIVERY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 0,
      transactionTax: 61000,
      exchangeTurnoverCharge: 2289, // 2288.625 p -> 2289
      sebiTurnoverCharge: 61,
      stampDuty: 0,
      gst: 423, // 18% x 2350 = 423 p
      total: 63773, // 61000 + 2289 + 61 + 423
    },
  },
  // ---- Equity intraday. Small (under the cap): Rs 45,676.50 = 45,67,650 p.
  {
    segment: 'equityIntraday',
    exchange: 'NSE',
    side: 'BUY',
    order: '37 at Rs 1,234.50 = Rs 45,676.50',
    turnoverPaise: 45_676_50,
    formula: INTRADAY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1370, // 0.03% x 45,67,650 p = 1370.295 p -> 1370 (Rs 13.70 < Rs 20)
      transactionTax: 0, // STT on the sell side only
      exchangeTurnoverCharge: 136, // 0.00297% x 45,67,650 p = 135.659205 p -> 136
      sebiTurnoverCharge: 5, // 4.56765 p -> 5
      stampDuty: 137, // 0.003% x 45,67,650 p = 137.0295 p -> 137
      gst: 272, // 18% x (1370 + 136 + 5 = 1511) = 271.98 p -> 272
      total: 1920, // 1370 + 0 + 136 + 5 + 137 + 272
    },
  },
  {
    segment: 'equityIntraday',
    exchange: 'NSE',
    side: 'SELL',
    order: '37 at Rs 1,234.50 = Rs 45,676.50',
    turnoverPaise: 45_676_50,
    formula: INTRADAY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1370, // 1370.295 p -> 1370
      transactionTax: 1100, // 0.025% x Rs 45,676.50 = Rs 11.419125 -> Rs 11
      exchangeTurnoverCharge: 136,
      sebiTurnoverCharge: 5,
      stampDuty: 0, // buy side only
      gst: 272, // 18% x 1511 = 271.98 p -> 272
      total: 2883, // 1370 + 1100 + 136 + 5 + 272
    },
  },
  {
    segment: 'equityIntraday',
    exchange: 'BSE',
    side: 'BUY',
    order: '37 at Rs 1,234.50 = Rs 45,676.50',
    turnoverPaise: 45_676_50,
    formula: INTRADAY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1370,
      transactionTax: 0,
      exchangeTurnoverCharge: 171, // 0.00375% x 45,67,650 p = 171.286875 p -> 171
      sebiTurnoverCharge: 5,
      stampDuty: 137, // 137.0295 p -> 137
      gst: 278, // 18% x (1370 + 171 + 5 = 1546) = 278.28 p -> 278
      total: 1961, // 1370 + 171 + 5 + 137 + 278
    },
  },
  {
    segment: 'equityIntraday',
    exchange: 'BSE',
    side: 'SELL',
    order: '37 at Rs 1,234.50 = Rs 45,676.50',
    turnoverPaise: 45_676_50,
    formula: INTRADAY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1370,
      transactionTax: 1100, // Rs 11.419125 -> Rs 11
      exchangeTurnoverCharge: 171,
      sebiTurnoverCharge: 5,
      stampDuty: 0,
      gst: 278, // 18% x 1546 = 278.28 p -> 278
      total: 2924, // 1370 + 1100 + 171 + 5 + 278
    },
  },
  // ---- Equity intraday. Large (over the cap): Rs 6,10,300 = 6,10,30,000 p.
  {
    segment: 'equityIntraday',
    exchange: 'NSE',
    side: 'BUY',
    order: '400 at Rs 1,525.75 = Rs 6,10,300',
    turnoverPaise: 610_300_00,
    formula: INTRADAY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000, // 0.03% x Rs 6,10,300 = Rs 183.09 > Rs 20 -> Rs 20
      transactionTax: 0,
      exchangeTurnoverCharge: 1813, // 0.00297% x 6,10,30,000 p = 1812.591 p -> 1813
      sebiTurnoverCharge: 61, // 61.03 p -> 61
      stampDuty: 1831, // 0.003% x 6,10,30,000 p = 1830.9 p -> 1831
      gst: 697, // 18% x (2000 + 1813 + 61 = 3874) = 697.32 p -> 697
      total: 6402, // 2000 + 1813 + 61 + 1831 + 697
    },
  },
  {
    segment: 'equityIntraday',
    exchange: 'NSE',
    side: 'SELL',
    order: '400 at Rs 1,525.75 = Rs 6,10,300',
    turnoverPaise: 610_300_00,
    formula: INTRADAY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 15300, // 0.025% x Rs 6,10,300 = Rs 152.575 -> Rs 153
      exchangeTurnoverCharge: 1813,
      sebiTurnoverCharge: 61,
      stampDuty: 0,
      gst: 697, // 18% x 3874 = 697.32 p -> 697
      total: 19871, // 2000 + 15300 + 1813 + 61 + 697
    },
  },
  {
    segment: 'equityIntraday',
    exchange: 'BSE',
    side: 'BUY',
    order: '400 at Rs 1,525.75 = Rs 6,10,300',
    turnoverPaise: 610_300_00,
    formula: INTRADAY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 2289, // 0.00375% x 6,10,30,000 p = 2288.625 p -> 2289
      sebiTurnoverCharge: 61,
      stampDuty: 1831, // 1830.9 p -> 1831
      gst: 783, // 18% x (2000 + 2289 + 61 = 4350) = 783 p exactly
      total: 6964, // 2000 + 2289 + 61 + 1831 + 783
    },
  },
  {
    segment: 'equityIntraday',
    exchange: 'BSE',
    side: 'SELL',
    order: '400 at Rs 1,525.75 = Rs 6,10,300',
    turnoverPaise: 610_300_00,
    formula: INTRADAY,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 15300, // Rs 152.575 -> Rs 153
      exchangeTurnoverCharge: 2289,
      sebiTurnoverCharge: 61,
      stampDuty: 0,
      gst: 783, // 18% x 4350 = 783 p
      total: 20433, // 2000 + 15300 + 2289 + 61 + 783
    },
  },
  // ---- Futures (NFO = NSE F&O, BFO = BSE F&O). Small (under the cap): 25 at Rs 2,097.50 = Rs 52,437.50
  // = 52,43,750 p. (Under the cap only as a formula check: a real futures lot is worth far more.)
  {
    segment: 'futures',
    exchange: 'NFO',
    side: 'BUY',
    order: '25 at Rs 2,097.50 = Rs 52,437.50',
    turnoverPaise: 52_437_50,
    formula: FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1573, // 0.03% x 52,43,750 p = 1573.125 p -> 1573 (< Rs 20)
      transactionTax: 0, // sell side only
      exchangeTurnoverCharge: 91, // 0.00173% x 52,43,750 p = 90.716875 p -> 91
      sebiTurnoverCharge: 5, // 5.24375 p -> 5
      stampDuty: 105, // 0.002% x 52,43,750 p = 104.875 p -> 105
      gst: 300, // 18% x (1573 + 91 + 5 = 1669) = 300.42 p -> 300
      total: 2074, // 1573 + 91 + 5 + 105 + 300
    },
  },
  {
    segment: 'futures',
    exchange: 'NFO',
    side: 'SELL',
    order: '25 at Rs 2,097.50 = Rs 52,437.50',
    turnoverPaise: 52_437_50,
    formula: FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1573,
      transactionTax: 1000, // 0.02% x Rs 52,437.50 = Rs 10.4875 -> Rs 10
      exchangeTurnoverCharge: 91,
      sebiTurnoverCharge: 5,
      stampDuty: 0,
      gst: 300, // 18% x 1669 = 300.42 p -> 300
      total: 2969, // 1573 + 1000 + 91 + 5 + 300
    },
  },
  {
    segment: 'futures',
    exchange: 'BFO',
    side: 'BUY',
    order: '25 at Rs 2,097.50 = Rs 52,437.50',
    turnoverPaise: 52_437_50,
    formula: FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1573,
      transactionTax: 0,
      exchangeTurnoverCharge: 0, // BSE futures: 0
      sebiTurnoverCharge: 5,
      stampDuty: 105,
      gst: 284, // 18% x (1573 + 0 + 5 = 1578) = 284.04 p -> 284
      total: 1967, // 1573 + 0 + 5 + 105 + 284
    },
  },
  {
    segment: 'futures',
    exchange: 'BFO',
    side: 'SELL',
    order: '25 at Rs 2,097.50 = Rs 52,437.50',
    turnoverPaise: 52_437_50,
    formula: FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1573,
      transactionTax: 1000, // Rs 10.4875 -> Rs 10
      exchangeTurnoverCharge: 0,
      sebiTurnoverCharge: 5,
      stampDuty: 0,
      gst: 284, // 18% x 1578 = 284.04 p -> 284
      total: 2862, // 1573 + 1000 + 5 + 284
    },
  },
  // ---- Futures. Large (over the cap): 75 at Rs 26,100 = Rs 19,57,500 = 19,57,50,000 p.
  {
    segment: 'futures',
    exchange: 'NFO',
    side: 'BUY',
    order: '75 at Rs 26,100 = Rs 19,57,500',
    turnoverPaise: 1_957_500_00,
    formula: FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000, // 0.03% = Rs 587.25 > Rs 20 -> Rs 20
      transactionTax: 0,
      exchangeTurnoverCharge: 3386, // 0.00173% x 19,57,50,000 p = 3386.475 p -> 3386
      sebiTurnoverCharge: 196, // 195.75 p -> 196
      stampDuty: 3915, // 0.002% x 19,57,50,000 p = 3915 p exactly
      gst: 1005, // 18% x (2000 + 3386 + 196 = 5582) = 1004.76 p -> 1005
      total: 10502, // 2000 + 3386 + 196 + 3915 + 1005
    },
  },
  {
    segment: 'futures',
    exchange: 'NFO',
    side: 'SELL',
    order: '75 at Rs 26,100 = Rs 19,57,500',
    turnoverPaise: 1_957_500_00,
    formula: FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 39200, // 0.02% x Rs 19,57,500 = Rs 391.50 -> Rs 392 (half up)
      exchangeTurnoverCharge: 3386,
      sebiTurnoverCharge: 196,
      stampDuty: 0,
      gst: 1005, // 18% x 5582 = 1004.76 p -> 1005
      total: 45787, // 2000 + 39200 + 3386 + 196 + 1005
    },
  },
  {
    segment: 'futures',
    exchange: 'BFO',
    side: 'BUY',
    order: '75 at Rs 26,100 = Rs 19,57,500',
    turnoverPaise: 1_957_500_00,
    formula: FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 0, // BSE futures: 0
      sebiTurnoverCharge: 196,
      stampDuty: 3915,
      gst: 395, // 18% x (2000 + 0 + 196 = 2196) = 395.28 p -> 395
      total: 6506, // 2000 + 196 + 3915 + 395
    },
  },
  {
    segment: 'futures',
    exchange: 'BFO',
    side: 'SELL',
    order: '75 at Rs 26,100 = Rs 19,57,500',
    turnoverPaise: 1_957_500_00,
    formula: FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 39200, // Rs 391.50 -> Rs 392
      exchangeTurnoverCharge: 0,
      sebiTurnoverCharge: 196,
      stampDuty: 0,
      gst: 395, // 18% x 2196 = 395.28 p -> 395
      total: 41791, // 2000 + 39200 + 196 + 395
    },
  },
  // ---- Options: flat Rs 20 at any size; rates on the premium. Small: 75 at a premium of Rs 24.70 =
  // Rs 1,852.50 = 1,85,250 p.
  {
    segment: 'options',
    exchange: 'NFO',
    side: 'BUY',
    order: '75 at a premium of Rs 24.70 = Rs 1,852.50',
    turnoverPaise: 1_852_50,
    formula: OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000, // flat Rs 20
      transactionTax: 0, // sell side only
      exchangeTurnoverCharge: 65, // 0.03503% x 1,85,250 p = 64.893075 p -> 65
      sebiTurnoverCharge: 0, // 0.18525 p -> 0
      stampDuty: 6, // 0.003% x 1,85,250 p = 5.5575 p -> 6
      gst: 372, // 18% x (2000 + 65 + 0 = 2065) = 371.7 p -> 372
      total: 2443, // 2000 + 65 + 0 + 6 + 372
    },
  },
  {
    segment: 'options',
    exchange: 'NFO',
    side: 'SELL',
    order: '75 at a premium of Rs 24.70 = Rs 1,852.50',
    turnoverPaise: 1_852_50,
    formula: OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 200, // 0.1% x Rs 1,852.50 = Rs 1.8525 -> Rs 2
      exchangeTurnoverCharge: 65,
      sebiTurnoverCharge: 0,
      stampDuty: 0,
      gst: 372, // 18% x 2065 = 371.7 p -> 372
      total: 2637, // 2000 + 200 + 65 + 372
    },
  },
  {
    segment: 'options',
    exchange: 'BFO',
    side: 'BUY',
    order: '75 at a premium of Rs 24.70 = Rs 1,852.50',
    turnoverPaise: 1_852_50,
    formula: OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 60, // 0.0325% x 1,85,250 p = 60.20625 p -> 60
      sebiTurnoverCharge: 0,
      stampDuty: 6, // 5.5575 p -> 6
      gst: 371, // 18% x (2000 + 60 + 0 = 2060) = 370.8 p -> 371
      total: 2437, // 2000 + 60 + 6 + 371
    },
  },
  {
    segment: 'options',
    exchange: 'BFO',
    side: 'SELL',
    order: '75 at a premium of Rs 24.70 = Rs 1,852.50',
    turnoverPaise: 1_852_50,
    formula: OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 200, // Rs 1.8525 -> Rs 2
      exchangeTurnoverCharge: 60,
      sebiTurnoverCharge: 0,
      stampDuty: 0,
      gst: 371, // 18% x 2060 = 370.8 p -> 371
      total: 2631, // 2000 + 200 + 60 + 371
    },
  },
  // ---- Options. Large (where 0.03% would pass Rs 20): 75 at a premium of Rs 1,203.40 = Rs 90,255
  // = 90,25,500 p.
  {
    segment: 'options',
    exchange: 'NFO',
    side: 'BUY',
    order: '75 at a premium of Rs 1,203.40 = Rs 90,255',
    turnoverPaise: 90_255_00,
    formula: OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000, // flat Rs 20
      transactionTax: 0,
      exchangeTurnoverCharge: 3162, // 0.03503% x 90,25,500 p = 3161.63265 p -> 3162
      sebiTurnoverCharge: 9, // 9.0255 p -> 9
      stampDuty: 271, // 0.003% x 90,25,500 p = 270.765 p -> 271
      gst: 931, // 18% x (2000 + 3162 + 9 = 5171) = 930.78 p -> 931
      total: 6373, // 2000 + 3162 + 9 + 271 + 931
    },
  },
  {
    segment: 'options',
    exchange: 'NFO',
    side: 'SELL',
    order: '75 at a premium of Rs 1,203.40 = Rs 90,255',
    turnoverPaise: 90_255_00,
    formula: OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 9000, // 0.1% x Rs 90,255 = Rs 90.255 -> Rs 90
      exchangeTurnoverCharge: 3162,
      sebiTurnoverCharge: 9,
      stampDuty: 0,
      gst: 931, // 18% x 5171 = 930.78 p -> 931
      total: 15102, // 2000 + 9000 + 3162 + 9 + 931
    },
  },
  {
    segment: 'options',
    exchange: 'BFO',
    side: 'BUY',
    order: '75 at a premium of Rs 1,203.40 = Rs 90,255',
    turnoverPaise: 90_255_00,
    formula: OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 2933, // 0.0325% x 90,25,500 p = 2933.2875 p -> 2933
      sebiTurnoverCharge: 9,
      stampDuty: 271,
      gst: 890, // 18% x (2000 + 2933 + 9 = 4942) = 889.56 p -> 890
      total: 6103, // 2000 + 2933 + 9 + 271 + 890
    },
  },
  {
    segment: 'options',
    exchange: 'BFO',
    side: 'SELL',
    order: '75 at a premium of Rs 1,203.40 = Rs 90,255',
    turnoverPaise: 90_255_00,
    formula: OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 9000, // Rs 90.255 -> Rs 90
      exchangeTurnoverCharge: 2933,
      sebiTurnoverCharge: 9,
      stampDuty: 0,
      gst: 890, // 18% x 4942 = 889.56 p -> 890
      total: 14832, // 2000 + 9000 + 2933 + 9 + 890
    },
  },
  // ---- Currency futures (CDS = NSE, BCD = BSE); no STT, so the sides differ only by stamp duty.
  // Small (under the cap): JPYINR, 1,000 at Rs 58.4725 = Rs 58,472.50 = 58,47,250 p.
  {
    segment: 'currencyFutures',
    exchange: 'CDS',
    side: 'BUY',
    order: '1,000 at Rs 58.4725 = Rs 58,472.50',
    turnoverPaise: 58_472_50,
    formula: CURRENCY_FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1754, // 0.03% x 58,47,250 p = 1754.175 p -> 1754 (< Rs 20)
      transactionTax: 0, // no STT
      exchangeTurnoverCharge: 20, // 0.00035% x 58,47,250 p = 20.465375 p -> 20
      sebiTurnoverCharge: 6, // 5.84725 p -> 6
      stampDuty: 6, // 0.0001% x 58,47,250 p = 5.84725 p -> 6
      gst: 320, // 18% x (1754 + 20 + 6 = 1780) = 320.4 p -> 320
      total: 2106, // 1754 + 20 + 6 + 6 + 320
    },
  },
  {
    segment: 'currencyFutures',
    exchange: 'CDS',
    side: 'SELL',
    order: '1,000 at Rs 58.4725 = Rs 58,472.50',
    turnoverPaise: 58_472_50,
    formula: CURRENCY_FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1754,
      transactionTax: 0,
      exchangeTurnoverCharge: 20,
      sebiTurnoverCharge: 6,
      stampDuty: 0,
      gst: 320, // 18% x 1780 = 320.4 p -> 320
      total: 2100, // 1754 + 20 + 6 + 320
    },
  },
  {
    segment: 'currencyFutures',
    exchange: 'BCD',
    side: 'BUY',
    order: '1,000 at Rs 58.4725 = Rs 58,472.50',
    turnoverPaise: 58_472_50,
    formula: CURRENCY_FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1754,
      transactionTax: 0,
      exchangeTurnoverCharge: 26, // 0.00045% x 58,47,250 p = 26.312625 p -> 26
      sebiTurnoverCharge: 6,
      stampDuty: 6,
      gst: 321, // 18% x (1754 + 26 + 6 = 1786) = 321.48 p -> 321
      total: 2113, // 1754 + 26 + 6 + 6 + 321
    },
  },
  {
    segment: 'currencyFutures',
    exchange: 'BCD',
    side: 'SELL',
    order: '1,000 at Rs 58.4725 = Rs 58,472.50',
    turnoverPaise: 58_472_50,
    formula: CURRENCY_FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 1754,
      transactionTax: 0,
      exchangeTurnoverCharge: 26,
      sebiTurnoverCharge: 6,
      stampDuty: 0,
      gst: 321, // 18% x 1786 = 321.48 p -> 321
      total: 2107, // 1754 + 26 + 6 + 321
    },
  },
  // ---- Currency futures. Large (over the cap): USDINR, 10,000 at Rs 88.4725 = Rs 8,84,725 = 8,84,72,500 p.
  {
    segment: 'currencyFutures',
    exchange: 'CDS',
    side: 'BUY',
    order: '10,000 at Rs 88.4725 = Rs 8,84,725',
    turnoverPaise: 884_725_00,
    formula: CURRENCY_FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000, // 0.03% = Rs 265.4175 > Rs 20 -> Rs 20
      transactionTax: 0,
      exchangeTurnoverCharge: 310, // 0.00035% x 8,84,72,500 p = 309.65375 p -> 310
      sebiTurnoverCharge: 88, // 88.4725 p -> 88
      stampDuty: 88, // 0.0001% x 8,84,72,500 p = 88.4725 p -> 88
      gst: 432, // 18% x (2000 + 310 + 88 = 2398) = 431.64 p -> 432
      total: 2918, // 2000 + 310 + 88 + 88 + 432
    },
  },
  {
    segment: 'currencyFutures',
    exchange: 'CDS',
    side: 'SELL',
    order: '10,000 at Rs 88.4725 = Rs 8,84,725',
    turnoverPaise: 884_725_00,
    formula: CURRENCY_FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 310,
      sebiTurnoverCharge: 88,
      stampDuty: 0,
      gst: 432, // 18% x 2398 = 431.64 p -> 432
      total: 2830, // 2000 + 310 + 88 + 432
    },
  },
  {
    segment: 'currencyFutures',
    exchange: 'BCD',
    side: 'BUY',
    order: '10,000 at Rs 88.4725 = Rs 8,84,725',
    turnoverPaise: 884_725_00,
    formula: CURRENCY_FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 398, // 0.00045% x 8,84,72,500 p = 398.12625 p -> 398
      sebiTurnoverCharge: 88,
      stampDuty: 88,
      gst: 447, // 18% x (2000 + 398 + 88 = 2486) = 447.48 p -> 447
      total: 3021, // 2000 + 398 + 88 + 88 + 447
    },
  },
  {
    segment: 'currencyFutures',
    exchange: 'BCD',
    side: 'SELL',
    order: '10,000 at Rs 88.4725 = Rs 8,84,725',
    turnoverPaise: 884_725_00,
    formula: CURRENCY_FUTURES,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 398,
      sebiTurnoverCharge: 88,
      stampDuty: 0,
      gst: 447, // 18% x 2486 = 447.48 p -> 447
      total: 2933, // 2000 + 398 + 88 + 447
    },
  },
  // ---- Currency options: flat Rs 20; rates on the premium. Small: USDINR, 40,000 at a premium of
  // Rs 0.2150 = Rs 8,600 = 8,60,000 p.
  {
    segment: 'currencyOptions',
    exchange: 'CDS',
    side: 'BUY',
    order: '40,000 at a premium of Rs 0.2150 = Rs 8,600',
    turnoverPaise: 8_600_00,
    formula: CURRENCY_OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000, // flat Rs 20
      transactionTax: 0, // no STT
      exchangeTurnoverCharge: 267, // 0.0311% x 8,60,000 p = 267.46 p -> 267
      sebiTurnoverCharge: 1, // 0.86 p -> 1
      stampDuty: 1, // 0.0001% x 8,60,000 p = 0.86 p -> 1
      gst: 408, // 18% x (2000 + 267 + 1 = 2268) = 408.24 p -> 408
      total: 2677, // 2000 + 267 + 1 + 1 + 408
    },
  },
  {
    segment: 'currencyOptions',
    exchange: 'CDS',
    side: 'SELL',
    order: '40,000 at a premium of Rs 0.2150 = Rs 8,600',
    turnoverPaise: 8_600_00,
    formula: CURRENCY_OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 267,
      sebiTurnoverCharge: 1,
      stampDuty: 0,
      gst: 408, // 18% x 2268 = 408.24 p -> 408
      total: 2676, // 2000 + 267 + 1 + 408
    },
  },
  {
    segment: 'currencyOptions',
    exchange: 'BCD',
    side: 'BUY',
    order: '40,000 at a premium of Rs 0.2150 = Rs 8,600',
    turnoverPaise: 8_600_00,
    formula: CURRENCY_OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 9, // 0.001% x 8,60,000 p = 8.6 p -> 9
      sebiTurnoverCharge: 1,
      stampDuty: 1,
      gst: 362, // 18% x (2000 + 9 + 1 = 2010) = 361.8 p -> 362
      total: 2373, // 2000 + 9 + 1 + 1 + 362
    },
  },
  {
    segment: 'currencyOptions',
    exchange: 'BCD',
    side: 'SELL',
    order: '40,000 at a premium of Rs 0.2150 = Rs 8,600',
    turnoverPaise: 8_600_00,
    formula: CURRENCY_OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 9,
      sebiTurnoverCharge: 1,
      stampDuty: 0,
      gst: 362, // 18% x 2010 = 361.8 p -> 362
      total: 2372, // 2000 + 9 + 1 + 362
    },
  },
  // ---- Currency options. Large: USDINR, 1,00,000 at a premium of Rs 0.7525 = Rs 75,250 = 75,25,000 p.
  {
    segment: 'currencyOptions',
    exchange: 'CDS',
    side: 'BUY',
    order: '1,00,000 at a premium of Rs 0.7525 = Rs 75,250',
    turnoverPaise: 75_250_00,
    formula: CURRENCY_OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 2340, // 0.0311% x 75,25,000 p = 2340.275 p -> 2340
      sebiTurnoverCharge: 8, // 7.525 p -> 8
      stampDuty: 8, // 0.0001% x 75,25,000 p = 7.525 p -> 8
      gst: 783, // 18% x (2000 + 2340 + 8 = 4348) = 782.64 p -> 783
      total: 5139, // 2000 + 2340 + 8 + 8 + 783
    },
  },
  {
    segment: 'currencyOptions',
    exchange: 'CDS',
    side: 'SELL',
    order: '1,00,000 at a premium of Rs 0.7525 = Rs 75,250',
    turnoverPaise: 75_250_00,
    formula: CURRENCY_OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 2340,
      sebiTurnoverCharge: 8,
      stampDuty: 0,
      gst: 783, // 18% x 4348 = 782.64 p -> 783
      total: 5131, // 2000 + 2340 + 8 + 783
    },
  },
  {
    segment: 'currencyOptions',
    exchange: 'BCD',
    side: 'BUY',
    order: '1,00,000 at a premium of Rs 0.7525 = Rs 75,250',
    turnoverPaise: 75_250_00,
    formula: CURRENCY_OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 75, // 0.001% x 75,25,000 p = 75.25 p -> 75
      sebiTurnoverCharge: 8,
      stampDuty: 8,
      gst: 375, // 18% x (2000 + 75 + 8 = 2083) = 374.94 p -> 375
      total: 2466, // 2000 + 75 + 8 + 8 + 375
    },
  },
  {
    segment: 'currencyOptions',
    exchange: 'BCD',
    side: 'SELL',
    order: '1,00,000 at a premium of Rs 0.7525 = Rs 75,250',
    turnoverPaise: 75_250_00,
    formula: CURRENCY_OPTIONS,
    expected: {
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 75,
      sebiTurnoverCharge: 8,
      stampDuty: 0,
      gst: 375, // 18% x 2083 = 374.94 p -> 375
      total: 2458, // 2000 + 75 + 8 + 375
    },
  },
  // ---- Commodity futures, MCX (the schedule has no other commodity exchange). Small (under the cap):
  // CRUDEOILM, 10 at Rs 5,243 = Rs 52,430 = 52,43,000 p.
  {
    segment: 'commodityFutures',
    exchange: 'MCX',
    side: 'BUY',
    order: '10 at Rs 5,243 = Rs 52,430',
    turnoverPaise: 52_430_00,
    formula: COMMODITY_FUTURES,
    expected: {
      transactionTaxType: 'ctt',
      brokerage: 1573, // 0.03% x 52,43,000 p = 1572.9 p -> 1573 (< Rs 20)
      transactionTax: 0, // CTT on the sell side only
      exchangeTurnoverCharge: 110, // 0.0021% x 52,43,000 p = 110.103 p -> 110
      sebiTurnoverCharge: 5, // 5.243 p -> 5
      stampDuty: 105, // 0.002% x 52,43,000 p = 104.86 p -> 105
      gst: 304, // 18% x (1573 + 110 + 5 = 1688) = 303.84 p -> 304
      total: 2097, // 1573 + 110 + 5 + 105 + 304
    },
  },
  {
    segment: 'commodityFutures',
    exchange: 'MCX',
    side: 'SELL',
    order: '10 at Rs 5,243 = Rs 52,430',
    turnoverPaise: 52_430_00,
    formula: COMMODITY_FUTURES,
    expected: {
      transactionTaxType: 'ctt',
      brokerage: 1573,
      transactionTax: 500, // 0.01% x Rs 52,430 = Rs 5.243 -> Rs 5
      exchangeTurnoverCharge: 110,
      sebiTurnoverCharge: 5,
      stampDuty: 0,
      gst: 304, // 18% x 1688 = 303.84 p -> 304
      total: 2492, // 1573 + 500 + 110 + 5 + 304
    },
  },
  // ---- Commodity futures. Large (over the cap): CRUDEOIL, 100 at Rs 5,287 = Rs 5,28,700 = 5,28,70,000 p.
  {
    segment: 'commodityFutures',
    exchange: 'MCX',
    side: 'BUY',
    order: '100 at Rs 5,287 = Rs 5,28,700',
    turnoverPaise: 528_700_00,
    formula: COMMODITY_FUTURES,
    expected: {
      transactionTaxType: 'ctt',
      brokerage: 2000, // 0.03% = Rs 158.61 > Rs 20 -> Rs 20
      transactionTax: 0,
      exchangeTurnoverCharge: 1110, // 0.0021% x 5,28,70,000 p = 1110.27 p -> 1110
      sebiTurnoverCharge: 53, // 52.87 p -> 53
      stampDuty: 1057, // 0.002% x 5,28,70,000 p = 1057.4 p -> 1057
      gst: 569, // 18% x (2000 + 1110 + 53 = 3163) = 569.34 p -> 569
      total: 4789, // 2000 + 1110 + 53 + 1057 + 569
    },
  },
  {
    segment: 'commodityFutures',
    exchange: 'MCX',
    side: 'SELL',
    order: '100 at Rs 5,287 = Rs 5,28,700',
    turnoverPaise: 528_700_00,
    formula: COMMODITY_FUTURES,
    expected: {
      transactionTaxType: 'ctt',
      brokerage: 2000,
      transactionTax: 5300, // 0.01% x Rs 5,28,700 = Rs 52.87 -> Rs 53
      exchangeTurnoverCharge: 1110,
      sebiTurnoverCharge: 53,
      stampDuty: 0,
      gst: 569, // 18% x 3163 = 569.34 p -> 569
      total: 9032, // 2000 + 5300 + 1110 + 53 + 569
    },
  },
  // ---- Commodity options, MCX: flat Rs 20; rates on the premium. Small: 100 at a premium of Rs 182.30
  // = Rs 18,230 = 18,23,000 p.
  {
    segment: 'commodityOptions',
    exchange: 'MCX',
    side: 'BUY',
    order: '100 at a premium of Rs 182.30 = Rs 18,230',
    turnoverPaise: 18_230_00,
    formula: COMMODITY_OPTIONS,
    expected: {
      transactionTaxType: 'ctt',
      brokerage: 2000, // flat Rs 20
      transactionTax: 0, // CTT on the sell side only
      exchangeTurnoverCharge: 762, // 0.0418% x 18,23,000 p = 762.014 p -> 762
      sebiTurnoverCharge: 2, // 1.823 p -> 2
      stampDuty: 55, // 0.003% x 18,23,000 p = 54.69 p -> 55
      gst: 498, // 18% x (2000 + 762 + 2 = 2764) = 497.52 p -> 498
      total: 3317, // 2000 + 762 + 2 + 55 + 498
    },
  },
  {
    segment: 'commodityOptions',
    exchange: 'MCX',
    side: 'SELL',
    order: '100 at a premium of Rs 182.30 = Rs 18,230',
    turnoverPaise: 18_230_00,
    formula: COMMODITY_OPTIONS,
    expected: {
      transactionTaxType: 'ctt',
      brokerage: 2000,
      transactionTax: 900, // 0.05% x Rs 18,230 = Rs 9.115 -> Rs 9
      exchangeTurnoverCharge: 762,
      sebiTurnoverCharge: 2,
      stampDuty: 0,
      gst: 498, // 18% x 2764 = 497.52 p -> 498
      total: 4162, // 2000 + 900 + 762 + 2 + 498
    },
  },
  // ---- Commodity options. Large: 500 at a premium of Rs 215.40 = Rs 1,07,700 = 1,07,70,000 p.
  {
    segment: 'commodityOptions',
    exchange: 'MCX',
    side: 'BUY',
    order: '500 at a premium of Rs 215.40 = Rs 1,07,700',
    turnoverPaise: 107_700_00,
    formula: COMMODITY_OPTIONS,
    expected: {
      transactionTaxType: 'ctt',
      brokerage: 2000,
      transactionTax: 0,
      exchangeTurnoverCharge: 4502, // 0.0418% x 1,07,70,000 p = 4501.86 p -> 4502
      sebiTurnoverCharge: 11, // 10.77 p -> 11
      stampDuty: 323, // 0.003% x 1,07,70,000 p = 323.1 p -> 323
      gst: 1172, // 18% x (2000 + 4502 + 11 = 6513) = 1172.34 p -> 1172
      total: 8008, // 2000 + 4502 + 11 + 323 + 1172
    },
  },
  {
    segment: 'commodityOptions',
    exchange: 'MCX',
    side: 'SELL',
    order: '500 at a premium of Rs 215.40 = Rs 1,07,700',
    turnoverPaise: 107_700_00,
    formula: COMMODITY_OPTIONS,
    expected: {
      transactionTaxType: 'ctt',
      brokerage: 2000,
      transactionTax: 5400, // 0.05% x Rs 1,07,700 = Rs 53.85 -> Rs 54
      exchangeTurnoverCharge: 4502,
      sebiTurnoverCharge: 11,
      stampDuty: 0,
      gst: 1172, // 18% x 6513 = 1172.34 p -> 1172
      total: 13085, // 2000 + 5400 + 4502 + 11 + 1172
    },
  },
];

describe('Zerodha charges: the published formula per column', () => {
  it.each(FORMULA_ROWS)('$segment on $exchange, $side $order', (row) => {
    expect(
      orderCharges(row.segment, row.exchange, row.side, row.turnoverPaise, OCT_2025),
      row.formula,
    ).toEqual(row.expected);
  });

  it('covers every column, each exchange in the schedule, both sides and both sizes', () => {
    for (const [segment, rule] of Object.entries(CHARGE_SCHEDULES[0]?.rules ?? {})) {
      for (const exchange of Object.keys(rule.exchangeCharge)) {
        const rows = FORMULA_ROWS.filter((r) => r.segment === segment && r.exchange === exchange);
        expect(new Set(rows.map((r) => r.side)), `${segment} on ${exchange}`).toEqual(
          new Set(['BUY', 'SELL']),
        );
        expect(new Set(rows.map((r) => r.turnoverPaise)).size, `${segment} on ${exchange}`).toBe(2);
      }
    }
  });
});

// Union Budget 2026 (Finance Act 2026), from 1 April 2026: STT on futures 0.02% -> 0.05% of the sold
// turnover, on options 0.1% -> 0.15% of the sold premium. Nothing else in the schedule changed.
describe('Zerodha charges: the schedule of the trade date', () => {
  const DEC_2026 = Date.parse('2026-12-02T10:00:00+05:30');
  const LAST_OLD = Date.parse('2026-04-01T00:00:00+05:30') - 1; // 31 March 2026, 23:59:59.999 IST
  const FIRST_NEW = LAST_OLD + 1;

  it('futures sold from 1 April 2026 pay 0.05% STT, by the IST date', () => {
    // NIFTY future, 75 at 26,000: Rs 19,50,000 sold.
    expect(orderCharges('futures', 'NFO', 'SELL', 75 * 26_000_00, LAST_OLD).transactionTax).toBe(39000); // 0.02% = Rs 390
    expect(orderCharges('futures', 'NFO', 'SELL', 75 * 26_000_00, FIRST_NEW).transactionTax).toBe(97500); // 0.05% = Rs 975
    // 1 April 00:30 IST is still 31 March in UTC: the IST date decides.
    expect(
      orderCharges('futures', 'NFO', 'SELL', 75 * 26_000_00, Date.parse('2026-03-31T19:00:00Z'))
        .transactionTax,
    ).toBe(97500);
    // The buy side pays no STT under either schedule; its stamp duty is unchanged.
    expect(orderCharges('futures', 'NFO', 'BUY', 75 * 26_000_00, DEC_2026)).toMatchObject({
      transactionTax: 0,
      stampDuty: 3900,
    });
  });

  it('options sold from 1 April 2026 pay 0.15% of the premium', () => {
    // One NIFTY lot (75) sold at a premium of Rs 100: Rs 7,500.
    expect(orderCharges('options', 'NFO', 'SELL', 75 * 100_00, DEC_2026)).toEqual({
      transactionTaxType: 'stt',
      brokerage: 2000,
      transactionTax: 1100, // 0.15% = Rs 11.25 -> Rs 11
      exchangeTurnoverCharge: 263, // 0.03503% = Rs 2.627, unchanged
      sebiTurnoverCharge: 1,
      stampDuty: 0,
      gst: 408, // 18% of Rs 22.64, unchanged: STT carries no GST
      total: 3772,
    });
    expect(orderCharges('options', 'BFO', 'SELL', 75 * 100_00, LAST_OLD).transactionTax).toBe(800); // 0.1%
  });

  it('changes only the STT of futures and options; equity, currency and commodity are as before', () => {
    const [old, budget] = CHARGE_SCHEDULES;
    if (old === undefined || budget === undefined) throw new Error('two schedules expected');
    expect(budget.from).toBe('2026-04-01');
    for (const segment of Object.keys(old.rules) as ChargeSegment[]) {
      const before = old.rules[segment];
      const after = budget.rules[segment];
      if (segment === 'futures' || segment === 'options') {
        expect({ ...after, transactionTaxSell: before.transactionTaxSell }, segment).toEqual(before);
        expect(after.transactionTaxSell, segment).not.toEqual(before.transactionTaxSell);
      } else {
        expect(after, segment).toEqual(before);
      }
    }
    // An equity intraday sell costs the same on either side of the date.
    expect(orderCharges('equityIntraday', 'NSE', 'SELL', 400 * 1100_00, DEC_2026)).toEqual(
      orderCharges('equityIntraday', 'NSE', 'SELL', 400 * 1100_00, OCT_2025),
    );
  });

  it('a trade before the oldest schedule gets the oldest; a time that is not a number is refused', () => {
    expect(chargeScheduleAt(Date.parse('2023-06-01T10:00:00+05:30')).from).toBe('2024-10-01');
    expect(chargeScheduleAt(OCT_2025).from).toBe('2024-10-01');
    expect(chargeScheduleAt(DEC_2026).from).toBe('2026-04-01');
    expect(() => orderCharges('futures', 'NFO', 'SELL', 100, Number.NaN)).toThrow(RangeError);
    // Oldest first, so the search can stop at the first later date.
    const starts = CHARGE_SCHEDULES.map((s) => s.from);
    expect([...starts].sort()).toEqual(starts);
  });
});
