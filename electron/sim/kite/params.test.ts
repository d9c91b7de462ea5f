import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseGtt,
  parseHistorical,
  parseModifyOrder,
  parsePlaceOrder,
  parseQuoteKeys,
  rawParams,
} from './params';
import type { RawParams } from './params';

const form = (text: string): RawParams => rawParams(new URLSearchParams(text));
const base = 'exchange=NSE&tradingsymbol=INFY&transaction_type=BUY&quantity=10&product=CNC';

describe('parsePlaceOrder', () => {
  it('types a MARKET order, drops empty and unknown fields, defaults validity to DAY', () => {
    const parsed = parsePlaceOrder('regular', form(`${base}&order_type=MARKET&price=&variety=regular&foo=1`));
    expect(parsed).toEqual({
      ok: true,
      value: {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        quantity: 10,
        product: 'CNC',
        order_type: 'MARKET',
        validity: 'DAY',
      },
    });
  });

  it('keeps prices as the exact decimal text sent', () => {
    const parsed = parsePlaceOrder(
      'regular',
      form(`${base}&order_type=SL&price=1500.05&trigger_price=1499.1`),
    );
    expect(parsed).toMatchObject({ ok: true, value: { price: '1500.05', trigger_price: '1499.1' } });
  });

  it.each([
    ['order_type=LIMIT', 'Missing `price`.'],
    ['order_type=SL-M', 'Missing `trigger_price`.'],
    ['order_type=MARKET&validity=TTL', 'Missing `validity_ttl`.'],
    ['order_type=MARKET&exchange=NASDAQ', 'Invalid `exchange`.'],
    ['order_type=MARKET&tag=has space', 'Invalid `tag`.'],
    ['order_type=MARKET&tag=abcdefghijklmnopqrstu', 'Invalid `tag`.'],
    ['order_type=MARKET&market_protection=101', 'Invalid `market_protection`.'],
    ['order_type=MARKET&disclosed_quantity=11', 'Invalid `disclosed_quantity`.'],
    ['order_type=LIMIT&price=-1', 'Invalid `price`.'],
    ['order_type=LIMIT&price=1e3', 'Invalid `price`.'],
  ])('%s -> %s', (extra, message) => {
    // Later values of a repeated key are ignored, so put the override first.
    const parsed = parsePlaceOrder('regular', form(`${extra}&${base}`));
    expect(parsed).toEqual({ ok: false, error: { error_type: 'InputException', message } });
  });

  it('needs the legs of an iceberg order and the auction number of an auction order', () => {
    expect(parsePlaceOrder('iceberg', form(`${base}&order_type=MARKET&iceberg_legs=2`))).toMatchObject({
      ok: false,
      error: { message: 'Missing `iceberg_quantity`.' },
    });
    expect(
      parsePlaceOrder('iceberg', form(`${base}&order_type=MARKET&iceberg_legs=1&iceberg_quantity=5`)),
    ).toMatchObject({
      ok: false,
      error: { message: 'Invalid `iceberg_legs`.' },
    });
    expect(parsePlaceOrder('auction', form(`${base}&order_type=MARKET`))).toMatchObject({
      ok: false,
      error: { message: 'Missing `auction_number`.' },
    });
  });

  it('never throws, whatever the form holds', () => {
    const keys = fc.constantFrom(
      'exchange',
      'tradingsymbol',
      'transaction_type',
      'quantity',
      'product',
      'order_type',
      'price',
      'trigger_price',
      'validity',
      'validity_ttl',
      'tag',
      'market_protection',
      'autoslice',
      'x',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(keys, fc.string())), (pairs) => {
        const raw = rawParams(new URLSearchParams(pairs));
        const parsed = parsePlaceOrder('regular', raw);
        if (parsed.ok) expect(parsed.value.quantity).toBeGreaterThan(0);
        else expect(parsed.error.error_type).toBe('InputException');
      }),
    );
  });

  it('accepts every non-negative decimal price exactly as written', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 99 }), (whole, cents) => {
        const price = `${whole}.${String(cents).padStart(2, '0')}`;
        const parsed = parsePlaceOrder('regular', form(`${base}&order_type=LIMIT&price=${price}`));
        expect(parsed).toMatchObject({ ok: true, value: { price } });
      }),
    );
  });
});

describe('other parameters', () => {
  it('modify keeps only what is sent', () => {
    expect(parseModifyOrder(form('variety=regular&order_id=1&quantity=5&price=&trigger_price=10'))).toEqual({
      ok: true,
      value: { quantity: 5, trigger_price: '10' },
    });
  });

  it('quote keys: repeated i, de-duplicated, bounded', () => {
    const raw = rawParams(new URLSearchParams('i=NSE%3AINFY&i=BSE%3ASENSEX&i=NSE%3AINFY&i=408065'));
    expect(parseQuoteKeys(raw, 500)).toEqual({ ok: true, value: ['NSE:INFY', 'BSE:SENSEX', '408065'] });
    expect(parseQuoteKeys(raw, 2)).toMatchObject({ ok: false });
    expect(parseQuoteKeys(form('i=INFY'), 10)).toMatchObject({
      ok: false,
      error: { error_type: 'InputException' },
    });
  });

  it('historical: IST dates, flags, span limits', () => {
    const parsed = parseHistorical('256265', 'day', form('from=2026-01-01+00:00:00&to=2026-01-02&oi=1'));
    expect(parsed).toEqual({
      ok: true,
      value: {
        instrumentToken: 256265,
        interval: 'day',
        from: Date.UTC(2025, 11, 31, 18, 30),
        to: Date.UTC(2026, 0, 1, 18, 30),
        continuous: false,
        oi: true,
      },
    });
    expect(parseHistorical('256265', 'week', form('from=2026-01-01&to=2026-01-02'))).toMatchObject({
      ok: false,
    });
    expect(parseHistorical('256265', 'day', form('from=2026-02-30&to=2026-03-02'))).toMatchObject({
      ok: false,
    });
    expect(parseHistorical('256265', 'day', form('from=2026-03-02&to=2026-03-01'))).toMatchObject({
      ok: false,
    });
  });

  it('GTT: JSON-string condition and orders, legs matching the type', () => {
    const condition = JSON.stringify({
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      trigger_values: [1400],
      last_price: 1500,
    });
    const order = {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      product: 'CNC',
      quantity: 1,
      price: 1400,
    };
    const ok = parseGtt(
      rawParams(new URLSearchParams({ type: 'single', condition, orders: JSON.stringify([order]) })),
    );
    expect(ok).toMatchObject({ ok: true, value: { type: 'single', orders: [order] } });
    const twoLeg = parseGtt(
      rawParams(new URLSearchParams({ type: 'two-leg', condition, orders: JSON.stringify([order]) })),
    );
    expect(twoLeg).toMatchObject({ ok: false, error: { message: 'Invalid `trigger_values`.' } });
    expect(
      parseGtt(rawParams(new URLSearchParams({ type: 'single', condition: '{', orders: '[]' }))),
    ).toMatchObject({
      ok: false,
    });
  });
});
