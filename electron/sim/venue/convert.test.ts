import { describe, expect, it } from 'vitest';
import type { ExchangeOrder, Trade } from '../exchange';
import { ExchangeVenue } from './exchangeVenue';
import type { KiteCandle, KiteInterval } from '../kite';
import { orderCharges } from '../../../shared/domain/charges';
import {
  averageRupees,
  exchangeOrderId,
  kiteCharges,
  orderRow,
  toRupees,
  tradeRow,
  wireValueToPaise,
} from './convert';
import { positionPnl, positionRow } from './positions';

// 2026-11-24 09:30:05 IST.
const AT = Date.UTC(2026, 10, 24, 4, 0, 5);

const order: ExchangeOrder = {
  order_id: '2611240000000000007',
  parent_order_id: null,
  account: 'SIM001',
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  instrument_token: 408065,
  variety: 'regular',
  transaction_type: 'BUY',
  order_type: 'LIMIT',
  product: 'CNC',
  validity: 'DAY',
  validity_ttl: null,
  quantity: 12,
  price: 150_105,
  trigger_price: 0,
  disclosed_quantity: 0,
  filled_quantity: 12,
  pending_quantity: 0,
  cancelled_quantity: 0,
  filled_value: 10 * 150_000 + 2 * 150_100,
  status: 'COMPLETE',
  status_message: null,
  tag: 'abc',
  tags: ['abc'],
  market_protection: 0,
  meta: {},
  order_timestamp: AT,
  exchange_update_timestamp: AT + 2_000,
};

describe('wire units to Kite numbers', () => {
  it('prices, averages and values', () => {
    expect(toRupees(154_080, 100)).toBe(1540.8);
    expect(toRupees(885_025_000, 10_000_000)).toBe(88.5025);
    // (10 x 1500 + 2 x 1501) / 12 = 1500.1666.. -> four places.
    expect(averageRupees(order.filled_value, 12, 100)).toBe(1500.1667);
    expect(averageRupees(0, 0, 100)).toBe(0);
    expect(wireValueToPaise(1_234, 100)).toBe(1_234);
    // CDS: 1e-7 rupee units to paise, rounded half away from zero.
    expect(wireValueToPaise(885_025_000 * 3, 10_000_000)).toBe(26_551);
    expect(wireValueToPaise(-885_025_000 * 3, 10_000_000)).toBe(-26_551);
  });

  it('an order row: Kite fields, IST timestamps, no exchange fields before the exchange', () => {
    const row = orderRow(order, 100, { status: 'COMPLETE', atExchange: true }, false);
    expect(row).toMatchObject({
      order_id: order.order_id,
      exchange_order_id: exchangeOrderId(order.order_id),
      status: 'COMPLETE',
      order_timestamp: '2026-11-24 09:30:05',
      exchange_timestamp: '2026-11-24 09:30:05',
      exchange_update_timestamp: '2026-11-24 09:30:07',
      price: 1501.05,
      trigger_price: 0,
      average_price: 1500.1667,
      validity_ttl: 0,
      tags: ['abc'],
      guid: `sim${order.order_id}`,
    });
    expect(row.exchange_order_id).toMatch(/^\d{16}$/);
    const early = orderRow(order, 100, { status: 'PUT ORDER REQ RECEIVED', atExchange: false }, false);
    expect(early).toMatchObject({ exchange_order_id: null, exchange_timestamp: null });
  });

  it('a trade row: fill time in full, order time as the time of day', () => {
    const trade: Trade = {
      trade_id: '00000003',
      order_id: order.order_id,
      account: 'SIM001',
      instrument_token: 408065,
      transaction_type: 'BUY',
      product: 'CNC',
      price: 150_100,
      quantity: 2,
      maker: false,
      fill_timestamp: AT + 1_000,
    };
    expect(tradeRow(trade, order, 100)).toEqual({
      trade_id: '00000003',
      order_id: order.order_id,
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      instrument_token: 408065,
      product: 'CNC',
      average_price: 1501,
      quantity: 2,
      exchange_order_id: exchangeOrderId(order.order_id),
      transaction_type: 'BUY',
      fill_timestamp: '2026-11-24 09:30:06',
      order_timestamp: '09:30:05',
      exchange_timestamp: '2026-11-24 09:30:06',
    });
  });
});

describe('positions from fills (paise)', () => {
  const fills = {
    instrumentToken: 408065,
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    product: 'MIS' as const,
    buyQuantity: 10,
    buyValuePaise: 10 * 150_000,
    sellQuantity: 4,
    sellValuePaise: 4 * 151_000,
    lastPricePaise: 151_000,
    closePricePaise: 154_080,
  };

  it('P&L = sells - buys + open quantity at the last price; realised on the closed part', () => {
    expect(positionPnl(fills)).toEqual({ quantity: 6, pnl: 10_000, realised: 4_000, unrealised: 6_000 });
    expect(positionRow(fills)).toMatchObject({
      quantity: 6,
      average_price: 1500,
      last_price: 1510,
      close_price: 1540.8,
      pnl: 100,
      m2m: 100,
      realised: 40,
      unrealised: 60,
      value: -8_960,
      buy_quantity: 10,
      buy_price: 1500,
      buy_value: 15_000,
      sell_quantity: 4,
      sell_price: 1510,
      sell_value: 6_040,
      day_buy_quantity: 10,
      day_sell_value: 6_040,
      overnight_quantity: 0,
      multiplier: 1,
    });
  });

  it('a short position averages its sells', () => {
    const short = {
      ...fills,
      buyQuantity: 0,
      buyValuePaise: 0,
      sellQuantity: 3,
      sellValuePaise: 3 * 151_000,
    };
    expect(positionRow(short)).toMatchObject({ quantity: -3, average_price: 1510, pnl: 0 });
  });
});

describe('history with no market attached (the fair-value process alone)', () => {
  const venue = new ExchangeVenue({ now: () => AT, seed: 7 });
  const from = Date.UTC(2026, 10, 16, 3, 45); // Monday 16 Nov 09:15 IST
  // The trading day itself: the model's minutes before the venue started (09:15-09:30), none after.
  const to = Date.UTC(2026, 10, 24, 10, 0);
  const candles = (interval: KiteInterval, oi = false): readonly KiteCandle[] => {
    const r = venue.historical({ instrumentToken: 408065, interval, from, to, continuous: false, oi });
    if (!r.ok) throw new Error(r.error.message);
    return r.data.candles;
  };

  it('is deterministic, on the tick, ends at the previous close, and agrees across intervals', () => {
    const days = candles('day');
    expect(days.map((c) => c[0])).toEqual([
      '2026-11-16T00:00:00+0530',
      '2026-11-17T00:00:00+0530',
      '2026-11-18T00:00:00+0530',
      '2026-11-19T00:00:00+0530',
      '2026-11-20T00:00:00+0530',
      '2026-11-23T00:00:00+0530',
      '2026-11-24T00:00:00+0530',
    ]);
    expect(days.at(-2)?.[4]).toBe(1540.8);
    expect(days.at(-1)?.[1]).toBe(1540.8);
    expect(candles('day')).toEqual(days);
    const minutes = candles('minute');
    expect(minutes).toHaveLength(6 * 375 + 15);
    expect(minutes.at(-1)?.[0]).toBe('2026-11-24T09:29:00+0530');
    const hours = candles('60minute');
    expect(hours[0]?.[0]).toBe('2026-11-16T09:15:00+0530');
    for (const c of minutes) {
      expect(Math.round(c[1] * 100) % 5).toBe(0);
      expect(c[2]).toBeGreaterThanOrEqual(Math.max(c[1], c[4]));
      expect(c[3]).toBeLessThanOrEqual(Math.min(c[1], c[4]));
    }
    // The day's close is its last minute's close; the day's high is the highest minute high.
    const last = minutes.filter((c) => c[0].startsWith('2026-11-23'));
    expect(last.at(-1)?.[4]).toBe(days.at(-2)?.[4]);
    expect(Math.max(...last.map((c) => c[2]))).toBe(days.at(-2)?.[2]);
    expect(candles('day', true)[0]).toHaveLength(7);
  });
});

describe("Kite's charges object", () => {
  it('writes the charges of an order in rupees, GST as IGST', () => {
    // Sold on 15 October 2025: STT 0.1% of the premium (charges.test.ts has the later rates).
    const at = Date.parse('2025-10-15T10:00:00+05:30');
    expect(kiteCharges(orderCharges('options', 'NFO', 'SELL', 75 * 100_00, at))).toEqual({
      transaction_tax: 8,
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 2.63,
      sebi_turnover_charge: 0.01,
      brokerage: 20,
      stamp_duty: 0,
      gst: { igst: 4.08, cgst: 0, sgst: 0, total: 4.08 },
      total: 34.72,
    });
  });
});
