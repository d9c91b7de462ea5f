import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { toPrice } from '../../../../shared/domain/money';
import type { Price } from '../../../../shared/domain/money';
import { formatIstDateTime } from '../../../../shared/time/ist';
import { BrokerError } from '../errors';
import {
  formatKitePrice,
  gttParams,
  kiteErrorKind,
  modifyOrderParams,
  parseCandles,
  parseGtts,
  parseIstDateTime,
  parseOffsetDateTime,
  parseOrders,
  parsePlaceOrderResult,
  parsePositions,
  parseQuotes,
  parseTrades,
  placeOrderParams,
} from './parse';

/** Runs `f` and returns what it threw (failing the test if it did not throw a BrokerError). */
function thrown(f: () => unknown): BrokerError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BrokerError);
    return e as BrokerError;
  }
  throw new Error('expected a BrokerError');
}

const p = (units: number): Price => units as Price;

// An order row as the local exchange and Kite send it (field list: kite-protocol.md 4.1).
const ORDER_ROW = {
  account_id: 'SIM001',
  placed_by: 'SIM001',
  order_id: '2612010000000000001',
  exchange_order_id: '1010000000000001',
  parent_order_id: null,
  status: 'OPEN',
  status_message: null,
  status_message_raw: null,
  order_timestamp: '2026-12-01 09:15:07',
  exchange_update_timestamp: '2026-12-01 09:15:08',
  exchange_timestamp: null,
  variety: 'regular',
  modified: false,
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  instrument_token: 408065,
  order_type: 'LIMIT',
  transaction_type: 'BUY',
  validity: 'DAY',
  validity_ttl: 0,
  product: 'CNC',
  quantity: 300,
  disclosed_quantity: 0,
  price: 1400.05,
  trigger_price: 0,
  average_price: 10.083333333333334,
  filled_quantity: 0,
  pending_quantity: 300,
  cancelled_quantity: 0,
  market_protection: 0,
  meta: {},
  tag: 'abc123',
  tags: ['abc123'],
  guid: 'sim1',
};

describe('IST times', () => {
  it('reads Kite wall-clock text as IST, whatever the machine zone', () => {
    expect(parseIstDateTime('2026-12-01 09:15:00')).toBe(Date.UTC(2026, 11, 1, 3, 45, 0));
    expect(parseIstDateTime('2027-01-01 00:00:00')).toBe(Date.UTC(2026, 11, 31, 18, 30, 0));
  });

  it('refuses text that is not a real IST date-time, naming the field', () => {
    for (const bad of [
      '2026-02-29 10:00:00',
      '2026-12-01 24:00:00',
      '2026-12-01 09:60:00',
      '2026-12-01T09:15:00',
      '2026-12-01',
      '09:16:39',
      '',
    ]) {
      const e = thrown(() => parseIstDateTime(bad, 'orders[0].order_timestamp'));
      expect(e.kind).toBe('data');
      expect(e.message).toContain('orders[0].order_timestamp');
    }
    expect(parseIstDateTime('2024-02-29 10:00:00')).toBe(Date.UTC(2024, 1, 29, 4, 30));
  });

  it('round-trips every second of two centuries through formatIstDateTime (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1971, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 }),
        (s) => {
          expect(parseIstDateTime(formatIstDateTime(s * 1000))).toBe(s * 1000);
        },
      ),
    );
  });

  it('never returns a non-finite time for any input (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)),
        (text) => {
          try {
            expect(Number.isFinite(parseIstDateTime(text))).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(BrokerError);
          }
        },
      ),
    );
  });

  it('reads candle times by their own offset', () => {
    const t = Date.UTC(2017, 11, 15, 3, 45, 0);
    expect(parseOffsetDateTime('2017-12-15T09:15:00+0530')).toBe(t);
    expect(parseOffsetDateTime('2017-12-15T09:15:00+05:30')).toBe(t);
    expect(parseOffsetDateTime('2017-12-15T03:45:00Z')).toBe(t);
    expect(parseOffsetDateTime('2017-12-14T22:15:00-0530')).toBe(t);
    expect(thrown(() => parseOffsetDateTime('2017-12-15T09:15:00')).kind).toBe('data');
    expect(thrown(() => parseOffsetDateTime('2017-12-15 09:15:00+0530')).kind).toBe('data');
  });

  it('reads any instant written at any offset back to the same instant (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1980, 0, 1) / 1000, max: Date.UTC(2090, 0, 1) / 1000 }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        fc.boolean(),
        (s, offset, colon) => {
          const wall = new Date(s * 1000 + offset * 60_000).toISOString().slice(0, 19);
          const a = Math.abs(offset);
          const hh = String(Math.floor(a / 60)).padStart(2, '0');
          const mm = String(a % 60).padStart(2, '0');
          const text = `${wall}${offset < 0 ? '-' : '+'}${hh}${colon ? ':' : ''}${mm}`;
          expect(parseOffsetDateTime(text)).toBe(s * 1000);
        },
      ),
    );
  });
});

describe('the machine time zone changes nothing', () => {
  const original = process.env['TZ'];
  afterEach(() => {
    if (original === undefined) delete process.env['TZ'];
    else process.env['TZ'] = original;
  });

  const parseAll = (): unknown => ({
    orders: parseOrders([ORDER_ROW]),
    candles: parseCandles({ candles: [['2026-12-01T09:15:00+0530', 1, 2, 0.5, 1.5, 10, 0]] }, 100, true),
    // The edge of New York's spring-forward gap: 02:30 local does not exist there.
    dst: parseIstDateTime('2026-03-08 02:30:00'),
  });

  it('parses identically under America/New_York and Asia/Kolkata', () => {
    process.env['TZ'] = 'America/New_York';
    // Node applies a TZ assignment at once; prove the zone really changed before trusting the result.
    expect(new Date(2026, 0, 15).getTimezoneOffset()).toBe(300);
    const newYork = parseAll();
    process.env['TZ'] = 'Asia/Kolkata';
    expect(new Date(2026, 0, 15).getTimezoneOffset()).toBe(-330);
    const kolkata = parseAll();
    expect(newYork).toEqual(kolkata);
    expect((kolkata as { orders: { orderTime: number }[] }).orders[0]?.orderTime).toBe(
      Date.UTC(2026, 11, 1, 3, 45, 7),
    );
  });
});

describe('orders and trades', () => {
  it('converts an order row into integer prices and epoch ms', () => {
    const [o] = parseOrders([ORDER_ROW]);
    expect(o).toMatchObject({
      orderId: '2612010000000000001',
      side: 'BUY',
      price: 140005,
      triggerPrice: 0,
      averagePrice: 1008,
      orderTime: Date.UTC(2026, 11, 1, 3, 45, 7),
      exchangeUpdateTime: Date.UTC(2026, 11, 1, 3, 45, 8),
      exchangeTime: null,
      tag: 'abc123',
      tags: ['abc123'],
      parentOrderId: null,
    });
  });

  it('prices a CDS order in units of 1e-7 rupee', () => {
    const [o] = parseOrders([
      { ...ORDER_ROW, exchange: 'CDS', instrument_token: 281859, price: 88.5025, average_price: 88.5025 },
    ]);
    expect(o?.price).toBe(885_025_000);
  });

  it('refuses float noise or an off-unit price on an exact field, naming it', () => {
    const noise = thrown(() => parseOrders([ORDER_ROW, { ...ORDER_ROW, price: 0.1 + 0.2 }]));
    expect(noise.kind).toBe('data');
    expect(noise.message).toContain('orders[1].price');
    expect(thrown(() => parseOrders([{ ...ORDER_ROW, trigger_price: 1400.001 }])).message).toContain(
      'trigger_price',
    );
    expect(thrown(() => parseOrders([{ ...ORDER_ROW, price: Number.NaN }])).kind).toBe('data');
    expect(thrown(() => parseOrders([{ ...ORDER_ROW, average_price: Infinity }])).kind).toBe('data');
    expect(thrown(() => parseOrders([{ ...ORDER_ROW, variety: 'bo' }])).message).toContain('variety');
    expect(thrown(() => parseOrders([{ ...ORDER_ROW, order_timestamp: '09:15:07' }])).message).toContain(
      'order_timestamp',
    );
    expect(thrown(() => parseOrders({})).kind).toBe('data');
  });

  it('reads a trade at its exact price and fill time, ignoring the bare HH:MM:SS order_timestamp', () => {
    const [t] = parseTrades([
      {
        trade_id: '00000001',
        order_id: '2612010000000000004',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        instrument_token: 408065,
        product: 'CNC',
        average_price: 1500,
        quantity: 2,
        exchange_order_id: '1010000000000004',
        transaction_type: 'BUY',
        fill_timestamp: '2026-12-02 03:06:30',
        order_timestamp: '03:06:30',
        exchange_timestamp: '2026-12-02 03:06:30',
      },
    ]);
    expect(t).toMatchObject({ price: 150000, quantity: 2, fillTime: Date.UTC(2026, 11, 1, 21, 36, 30) });
  });

  it('reads autoslice children, a refused child as a typed error', () => {
    const r = parsePlaceOrderResult({
      order_id: '1',
      children: [
        { order_id: '2' },
        { error: { code: 400, error_type: 'MarginException', message: 'Insufficient funds', data: null } },
      ],
    });
    expect(r.orderId).toBe('1');
    expect(r.children?.[0]).toEqual({ orderId: '2' });
    const child = r.children?.[1];
    expect(child !== undefined && 'error' in child && child.error.kind).toBe('margin');
    expect(parsePlaceOrderResult({ order_id: '9' })).toEqual({ orderId: '9' });
  });
});

describe('positions, quotes, candles, GTTs', () => {
  it('rounds derived money to paise and keeps quantities', () => {
    const row = {
      tradingsymbol: 'INFY',
      exchange: 'NSE',
      instrument_token: 408065,
      product: 'MIS',
      quantity: -3,
      overnight_quantity: 0,
      multiplier: 1,
      average_price: 1500.0333333,
      close_price: 1540.8,
      last_price: 1500,
      value: 4500.1,
      pnl: -0.005,
      m2m: 0.3 - 0.1,
      unrealised: 0,
      realised: 0,
      buy_quantity: 0,
      buy_value: 0,
      sell_quantity: 3,
      sell_value: 4500.1,
    };
    const { net, day } = parsePositions({ net: [row], day: [] });
    expect(day).toEqual([]);
    expect(net[0]).toMatchObject({ quantity: -3, averagePrice: 150003, value: 450010, pnl: -1, m2m: 20 });
  });

  it('reads a quote in its segment unit, depth included, times as IST', () => {
    const level = (price: number, quantity: number) => ({ price, quantity, orders: 1 });
    const quotes = parseQuotes({
      'CDS:USDINR26DECFUT': {
        instrument_token: 281859,
        timestamp: '2026-12-01 09:15:00',
        last_trade_time: null,
        last_price: 88.5025,
        volume: 10,
        average_price: 88.50123456,
        ohlc: { open: 88.5, high: 88.51, low: 88.49, close: 88.5 },
        lower_circuit_limit: 80,
        upper_circuit_limit: 97,
        depth: { buy: [level(88.5, 5)], sell: [level(88.505, 7)] },
      },
    });
    const q = quotes.get('CDS:USDINR26DECFUT');
    expect(q?.lastPrice).toBe(885_025_000);
    expect(q?.averagePrice).toBe(885_012_346);
    expect(q?.depth.sell[0]).toEqual({ price: 885_050_000, quantity: 7, orders: 1 });
    expect(q?.time).toBe(Date.UTC(2026, 11, 1, 3, 45));
    expect(q?.lastTradeTime).toBeNull();
  });

  it('keeps an OI of 0 (the official client drops it) and leaves OI out when not asked', () => {
    const data = { candles: [['2026-12-01T00:00:00+0530', 1594.9, 1601.7, 1539.95, 1540.8, 190850, 0]] };
    expect(parseCandles(data, 100, true)).toEqual([
      {
        time: Date.UTC(2026, 10, 30, 18, 30),
        open: 159490,
        high: 160170,
        low: 153995,
        close: 154080,
        volume: 190850,
        oi: 0,
      },
    ]);
    expect(parseCandles(data, 100, false)[0]?.oi).toBeNull();
    expect(thrown(() => parseCandles({ candles: [['x', 1, 1, 1, 1, 1]] }, 100, false)).message).toContain(
      'candles[0][0]',
    );
  });

  it('reads a GTT with its triggers in price units', () => {
    const [g] = parseGtts([
      {
        id: 1,
        type: 'two-leg',
        status: 'active',
        created_at: '2026-12-02 03:06:31',
        updated_at: '2026-12-02 03:06:31',
        expires_at: '2027-12-02 03:06:31',
        condition: {
          exchange: 'NSE',
          tradingsymbol: 'INFY',
          trigger_values: [1300, 1700.5],
          last_price: 1540.8,
          instrument_token: 408065,
        },
        orders: [
          {
            exchange: 'NSE',
            tradingsymbol: 'INFY',
            transaction_type: 'SELL',
            order_type: 'LIMIT',
            product: 'CNC',
            quantity: 1,
            price: 1299,
            result: null,
          },
          {
            exchange: 'NSE',
            tradingsymbol: 'INFY',
            transaction_type: 'SELL',
            order_type: 'LIMIT',
            product: 'CNC',
            quantity: 1,
            price: 1701,
            result: { order_result: { status: 'success', order_id: '42', rejection_reason: '' } },
          },
        ],
        meta: {},
      },
    ]);
    expect(g?.triggerValues).toEqual([130000, 170050]);
    expect(g?.createdAt).toBe(Date.UTC(2026, 11, 1, 21, 36, 31));
    expect(g?.orders[0]?.result).toBeNull();
    expect(g?.orders[1]?.result).toEqual({ orderId: '42', status: 'success', rejectionReason: null });
  });
});

describe('requests', () => {
  it('formats wire-unit prices as the exact decimal, and back (property)', () => {
    fc.assert(
      fc.property(
        // Up to about 7e13 units: beyond any price, within what a double's shortest decimal keeps exact.
        fc.integer({ min: 0, max: 2 ** 46 }),
        fc.constantFrom(100, 10_000, 10_000_000),
        (units, divisor) => {
          expect(toPrice(formatKitePrice(p(units), divisor), divisor)).toBe(units);
          // The JSON bodies carry the number form; JS prints it back as the same decimal (below
          // 1e-6 it would switch to exponent form, far under any tick).
          const n = Number(formatKitePrice(p(units), divisor));
          if (n === 0 || n >= 1e-6) expect(toPrice(n, divisor)).toBe(units);
        },
      ),
    );
    expect(formatKitePrice(p(140005), 100)).toBe('1400.05');
    expect(formatKitePrice(p(150000), 100)).toBe('1500');
    expect(formatKitePrice(p(885_025_000), 10_000_000)).toBe('88.5025');
    expect(thrown(() => formatKitePrice(p(1.5), 100)).kind).toBe('input');
  });

  it('builds place-order params from a domain order, refusing what Kite would refuse', () => {
    expect(
      placeOrderParams({
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        side: 'BUY',
        orderType: 'LIMIT',
        quantity: 5,
        product: 'CNC',
        price: p(140005),
        tag: 'oms42',
        marketProtection: -1,
      }),
    ).toEqual({
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      quantity: 5,
      product: 'CNC',
      validity: 'DAY',
      price: '1400.05',
      tag: 'oms42',
      market_protection: -1,
    });
    const base = {
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 5,
      product: 'CNC',
    } as const;
    expect(thrown(() => placeOrderParams({ ...base, tag: 'not-alnum' })).kind).toBe('input');
    expect(thrown(() => placeOrderParams({ ...base, tag: 'x'.repeat(21) })).kind).toBe('input');
    expect(thrown(() => placeOrderParams({ ...base, orderType: 'LIMIT' })).message).toContain('price');
    expect(thrown(() => placeOrderParams({ ...base, orderType: 'SL-M' })).message).toContain('trigger');
    expect(thrown(() => placeOrderParams({ ...base, quantity: 0 })).kind).toBe('input');
    expect(thrown(() => placeOrderParams({ ...base, marketProtection: 0 })).kind).toBe('input');
    expect(thrown(() => placeOrderParams({ ...base, tradingsymbol: 'A&B' })).kind).toBe('input');
  });

  it('refuses an order id that would change the URL path (the client does not encode it)', () => {
    const e = thrown(() =>
      modifyOrderParams({ variety: 'regular', orderId: '../../user/margins', exchange: 'NSE', quantity: 1 }),
    );
    expect(e.kind).toBe('input');
    expect(
      modifyOrderParams({ variety: 'regular', orderId: '12', exchange: 'CDS', price: p(885_025_000) }),
    ).toEqual({ price: '88.5025' });
  });

  it('builds GTT params with the trigger count the type needs', () => {
    const request = {
      type: 'single',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      triggerValues: [p(130000)],
      lastPrice: p(154080),
      orders: [{ side: 'BUY', orderType: 'LIMIT', product: 'CNC', quantity: 1, price: p(130005) }],
    } as const;
    expect(gttParams(request)).toMatchObject({ trigger_values: [1300], last_price: 1540.8 });
    expect(gttParams(request).orders[0]?.price).toBe(1300.05);
    expect(thrown(() => gttParams({ ...request, type: 'two-leg' })).kind).toBe('input');
  });
});

describe('error kinds', () => {
  it('maps Kite error types, and any 429, onto our kinds', () => {
    expect(kiteErrorKind('TokenException', 403)).toBe('token');
    expect(kiteErrorKind('InputException', 400)).toBe('input');
    expect(kiteErrorKind('OrderException', 400)).toBe('order');
    expect(kiteErrorKind('MarginException', 400)).toBe('margin');
    expect(kiteErrorKind('HoldingException', 400)).toBe('holding');
    expect(kiteErrorKind('PermissionException', 403)).toBe('permission');
    expect(kiteErrorKind('UserException', 403)).toBe('permission');
    expect(kiteErrorKind('TwoFAException', 403)).toBe('permission');
    expect(kiteErrorKind('NetworkException', 503)).toBe('network');
    expect(kiteErrorKind('NetworkException', 429)).toBe('rateLimited');
    expect(kiteErrorKind('DataException', 502)).toBe('data');
    expect(kiteErrorKind('GeneralException', 500)).toBe('general');
    expect(kiteErrorKind('SomethingNew', 418)).toBe('general');
  });
});
