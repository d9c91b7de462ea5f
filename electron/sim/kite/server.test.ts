import { KiteConnect } from 'kiteconnect';
import type { Connect } from 'kiteconnect';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { kiteChecksum } from './session';
import { startTestExchange } from './testing/harness';
import type { TestExchange } from './testing/harness';

// The official client (kiteconnect 5.3.0, unmodified) against the server over real sockets.

let ex: TestExchange;
let kc: Connect;

beforeAll(async () => {
  ex = await startTestExchange();
});
afterAll(async () => {
  await ex.close();
});
beforeEach(() => {
  // A fresh rate-limit window for every test; tests that want throttling stay within one instant.
  ex.advance(60_000);
  kc = new KiteConnect({ api_key: ex.apiKey, root: ex.server.restUrl });
  kc.setAccessToken(ex.server.session.accessToken ?? ex.accessToken);
});

/** Runs `calls` one second apart on the injected clock, so the 10/s and 1/s limits never bite. */
async function spaced<T>(call: () => Promise<T>): Promise<T> {
  ex.advance(1_001);
  return call();
}

async function login(): Promise<string> {
  const loginUrl = `${ex.server.restUrl}/connect/login?api_key=${ex.apiKey}&v=3`;
  const page = await fetch(loginUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBe('/connect/login');
  const submitted = await fetch(new URL(action ?? '', ex.server.restUrl), {
    method: 'POST',
    body: new URLSearchParams({ api_key: ex.apiKey, redirect_params: '' }),
    redirect: 'manual',
  });
  expect(submitted.status).toBe(302);
  const location = new URL(submitted.headers.get('location') ?? '');
  expect(location.origin + location.pathname).toBe('http://127.0.0.1:9/callback');
  expect(location.searchParams.get('app')).toBe('shrivenq');
  expect(location.searchParams.get('status')).toBe('success');
  expect(location.searchParams.get('action')).toBe('login');
  expect(location.searchParams.get('type')).toBe('login');
  const requestToken = location.searchParams.get('request_token');
  expect(requestToken).toMatch(/^\w+$/);
  return requestToken ?? '';
}

describe('login flow', () => {
  it('login page -> redirect with request_token -> generateSession -> the access token works', async () => {
    const requestToken = await login();
    const session = await spaced(() => kc.generateSession(requestToken, ex.apiSecret));
    expect(session).toMatchObject({ user_id: 'SIM001', api_key: ex.apiKey });
    expect(session.access_token).toMatch(/^\w{32}$/);
    expect(session.login_time).toBeInstanceOf(Date);
    const profile = await spaced(() => kc.getProfile());
    expect(profile.user_id).toBe('SIM001');
    expect(profile.exchanges).toContain('NSE');

    // The request_token is single-use.
    const again = await spaced(() => kc.generateSession(requestToken, ex.apiSecret)).catch((e: unknown) => e);
    expect(again).toMatchObject({
      error_type: 'TokenException',
      message: 'Token is invalid or has expired.',
    });

    // One active access token: the token issued at start no longer works.
    const old = new KiteConnect({ api_key: ex.apiKey, root: ex.server.restUrl });
    old.setAccessToken(ex.accessToken);
    await expect(spaced(() => old.getProfile())).rejects.toMatchObject({ error_type: 'TokenException' });
  });

  it('refuses a wrong checksum', async () => {
    const requestToken = await login();
    await expect(spaced(() => kc.generateSession(requestToken, 'wrongsecret'))).rejects.toMatchObject({
      error_type: 'TokenException',
    });
  });

  it('renews with the refresh token and logs out', async () => {
    const session = await spaced(async () => kc.generateSession(await login(), ex.apiSecret));
    const renewed = await spaced(() => kc.renewAccessToken(session.refresh_token, ex.apiSecret));
    expect(renewed.access_token).not.toBe(session.access_token);
    expect(await spaced(() => kc.getProfile())).toMatchObject({ user_id: 'SIM001' });
    expect(await spaced(() => kc.invalidateAccessToken())).toBe(true);
    await expect(spaced(() => kc.getProfile())).rejects.toMatchObject({ error_type: 'TokenException' });
    // A refresh token dies with its session.
    expect(await spaced(() => kc.invalidateRefreshToken(session.refresh_token))).toBe(true);
    await expect(
      spaced(() => kc.renewAccessToken(session.refresh_token, ex.apiSecret)),
    ).rejects.toMatchObject({
      error_type: 'TokenException',
    });
    // Back to a working session for the tests that follow.
    await spaced(async () => kc.generateSession(await login(), ex.apiSecret));
  });

  it('checks the checksum as SHA-256(api_key + request_token + api_secret)', async () => {
    const requestToken = await login();
    const response = await fetch(`${ex.server.restUrl}/session/token`, {
      method: 'POST',
      headers: { 'X-Kite-Version': '3', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: ex.apiKey,
        request_token: requestToken,
        checksum: kiteChecksum(ex.apiKey, requestToken, ex.apiSecret),
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ status: 'success', data: { user_id: 'SIM001' } });
  });
});

describe('REST methods of the official client return Kite-shaped data', () => {
  it('orders: place, modify, cancel, book, history, trades', async () => {
    const market = await spaced(() =>
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        quantity: 5,
        product: 'CNC',
        order_type: 'MARKET',
        tag: 'abc123',
      }),
    );
    expect(market.order_id).toMatch(/^\d+$/);
    const limit = await spaced(() =>
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'SELL',
        quantity: 2,
        product: 'CNC',
        order_type: 'LIMIT',
        price: 1600.05,
      }),
    );
    const modified = await spaced(() =>
      kc.modifyOrder('regular', limit.order_id, { price: 1601, quantity: 3 }),
    );
    expect(modified).toEqual({ order_id: limit.order_id });
    const orders = await spaced(() => kc.getOrders());
    const row = orders.find((o) => o.order_id === limit.order_id);
    expect(row).toMatchObject({ status: 'OPEN', price: 1601, quantity: 3, tradingsymbol: 'INFY' });
    // The client turns 19-character IST timestamps into Dates.
    expect(row?.order_timestamp).toBeInstanceOf(Date);
    const cancelled = await spaced(() => kc.cancelOrder('regular', limit.order_id));
    expect(cancelled).toEqual({ order_id: limit.order_id });
    const history = await spaced(() => kc.getOrderHistory(limit.order_id));
    expect(history.map((o) => o.status)).toEqual(['OPEN PENDING', 'OPEN', 'OPEN', 'CANCELLED']);
    const trades = await spaced(() => kc.getTrades());
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ order_id: market.order_id, quantity: 5, average_price: 1500.5 });
    const orderTrades = await spaced(() => kc.getOrderTrades(market.order_id));
    expect(orderTrades.map((t) => t.trade_id)).toEqual(trades.map((t) => t.trade_id));
    const exited = await spaced(() => kc.exitOrder('regular', market.order_id)).catch((e: unknown) => e);
    expect(exited).toMatchObject({ error_type: 'InputException' });
  });

  it('portfolio and margins', async () => {
    const positions = await spaced(() => kc.getPositions());
    expect(positions.net[0]).toMatchObject({ tradingsymbol: 'INFY', quantity: 5, product: 'CNC' });
    expect(positions.day).toHaveLength(positions.net.length);
    const holdings = await spaced(() => kc.getHoldings());
    expect(holdings[0]).toMatchObject({ tradingsymbol: 'INFY', isin: 'INE009A01021' });
    // In the client at run time, missing from its published types.
    const withAuctions = kc as unknown as { getAuctionInstruments(): Promise<unknown[]> };
    const auctions = await spaced(() => withAuctions.getAuctionInstruments());
    expect(auctions[0]).toMatchObject({ auction_number: '20' });
    const converted = await spaced(() =>
      kc.convertPosition({
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        position_type: 'day',
        quantity: 1,
        old_product: 'MIS',
        new_product: 'CNC',
      }),
    );
    expect(converted).toBe(true);
    const margins = await spaced(() => kc.getMargins());
    expect(margins).toMatchObject({ equity: { enabled: true }, commodity: { enabled: true } });
    const equity = await spaced(() => kc.getMargins('equity'));
    expect(equity).toMatchObject({ net: 1_000_000, available: { cash: 1_000_000 } });
    const order = {
      exchange: 'NSE' as const,
      tradingsymbol: 'INFY',
      transaction_type: 'BUY' as const,
      variety: 'regular' as const,
      product: 'CNC' as const,
      order_type: 'LIMIT' as const,
      quantity: 2,
      price: 1500,
      trigger_price: 0,
    };
    const orderMargins = await spaced(() => kc.orderMargins([order]));
    expect(orderMargins[0]).toMatchObject({ tradingsymbol: 'INFY', total: 3000 });
    const basket = await spaced(() => kc.orderBasketMargins([order, order]));
    expect(basket).toMatchObject({ orders: [{ total: 3000 }, { total: 3000 }], final: { total: 6000 } });
    const note = await spaced(() =>
      kc.getvirtualContractNote([
        {
          order_id: '1',
          exchange: 'NSE',
          tradingsymbol: 'INFY',
          transaction_type: 'BUY',
          variety: 'regular',
          product: 'CNC',
          order_type: 'MARKET',
          quantity: 1,
          average_price: 1500,
        },
      ]),
    );
    expect(note[0]).toMatchObject({ tradingsymbol: 'INFY', charges: { total: expect.any(Number) } });
  });

  it('quotes, OHLC and LTP keyed by EXCHANGE:TRADINGSYMBOL', async () => {
    const quote = await spaced(() => kc.getQuote(['NSE:INFY', 'NSE:NIFTY 50', 'NSE:UNKNOWN']));
    expect(Object.keys(quote).sort()).toEqual(['NSE:INFY', 'NSE:NIFTY 50']);
    expect(quote['NSE:INFY']).toMatchObject({
      instrument_token: 408065,
      last_price: 1500.5,
      ohlc: { close: 1490 },
      depth: { buy: [{ price: 1500.45, quantity: 100, orders: 2 }] },
    });
    expect(quote['NSE:INFY']?.timestamp).toBeInstanceOf(Date);
    const ohlc = await spaced(() => kc.getOHLC('NSE:INFY'));
    expect(ohlc['NSE:INFY']).toEqual({
      instrument_token: 408065,
      last_price: 1500.5,
      ohlc: { open: 1490, high: 1500.5, low: 1490, close: 1490 },
    });
    const ltp = await spaced(() => kc.getLTP(['NSE:NIFTY 50']));
    expect(ltp).toEqual({ 'NSE:NIFTY 50': { instrument_token: 256265, last_price: 24_500.25 } });
  });

  it('instruments CSV, parsed by the client', async () => {
    const all = await spaced(() => kc.getInstruments());
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({
      instrument_token: '408065',
      tradingsymbol: 'INFY',
      tick_size: 0.05,
      lot_size: 1,
      segment: 'NSE',
      exchange: 'NSE',
    });
    const nse = await spaced(() => kc.getInstruments('NSE'));
    expect(nse.map((i) => i.tradingsymbol)).toEqual(['INFY', 'NIFTY 50']);
    const raw = await fetch(`${ex.server.restUrl}/instruments`, { headers: { 'X-Kite-Version': '3' } });
    expect(raw.headers.get('content-type')).toBe('text/csv');
  });

  it('historical candles', async () => {
    const candles = await spaced(() =>
      kc.getHistoricalData(256265, 'minute', '2026-11-23 09:15:00', '2026-11-23 09:17:00', false, true),
    );
    expect(candles).toHaveLength(3);
    expect(candles[0]?.date.toISOString()).toBe('2026-11-23T03:45:00.000Z');
    expect(candles[0]).toMatchObject({ open: 24_400, volume: 1000, oi: 5000 });
    const tooLong = await spaced(() =>
      kc.getHistoricalData(256265, 'minute', '2026-01-01 09:15:00', '2026-11-23 09:17:00'),
    ).catch((e: unknown) => e);
    expect(tooLong).toMatchObject({
      error_type: 'InputException',
      message: 'interval exceeds max limit: 60 days',
    });
  });

  it('GTT: place, list, get, modify, delete', async () => {
    const params = {
      trigger_type: 'single' as const,
      tradingsymbol: 'INFY',
      exchange: 'NSE' as const,
      trigger_values: [1400],
      last_price: 1500.5,
      orders: [
        {
          transaction_type: 'BUY' as const,
          quantity: 1,
          product: 'CNC' as const,
          order_type: 'LIMIT' as const,
          price: 1400,
        },
      ],
    };
    const placed = await spaced(() => kc.placeGTT(params));
    expect(placed.trigger_id).toBeGreaterThan(0);
    const list = await spaced(() => kc.getGTTs());
    expect(list.map((g) => g.id)).toContain(placed.trigger_id);
    const one = await spaced(() => kc.getGTT(placed.trigger_id));
    expect(one).toMatchObject({
      type: 'single',
      condition: { trigger_values: [1400], instrument_token: 408065 },
    });
    const modified = await spaced(() =>
      kc.modifyGTT(placed.trigger_id, { ...params, trigger_values: [1450] }),
    );
    expect(modified.trigger_id).toBe(placed.trigger_id);
    const deleted = await spaced(() => kc.deleteGTT(placed.trigger_id));
    expect(deleted.trigger_id).toBe(placed.trigger_id);
  });
});

describe('errors', () => {
  it('a wrong token gets 403 TokenException and calls the session-expiry hook', async () => {
    const bad = new KiteConnect({ api_key: ex.apiKey, root: ex.server.restUrl });
    bad.setAccessToken('not-the-token');
    let expired = 0;
    bad.setSessionExpiryHook(() => {
      expired++;
    });
    await expect(spaced(() => bad.getOrders())).rejects.toEqual({
      status: 'error',
      message: 'Incorrect `api_key` or `access_token`.',
      data: null,
      error_type: 'TokenException',
    });
    expect(expired).toBe(1);
    const missing = await fetch(`${ex.server.restUrl}/orders`, { headers: { 'X-Kite-Version': '3' } });
    expect(missing.status).toBe(403);
  });

  it('a bad parameter gets 400 InputException', async () => {
    const response = await spaced(() =>
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        quantity: -3,
        product: 'CNC',
        order_type: 'MARKET',
      }),
    ).catch((e: unknown) => e);
    expect(response).toMatchObject({ error_type: 'InputException', message: 'Invalid `quantity`.' });
    const noPrice = await spaced(() =>
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        quantity: 1,
        product: 'CNC',
        order_type: 'LIMIT',
      }),
    ).catch((e: unknown) => e);
    expect(noPrice).toMatchObject({ error_type: 'InputException', message: 'Missing `price`.' });
    const raw = await fetch(`${ex.server.restUrl}/orders/regular`, {
      method: 'POST',
      headers: {
        'X-Kite-Version': '3',
        Authorization: `token ${ex.apiKey}:${ex.server.session.accessToken ?? ''}`,
      },
      body: 'exchange=NSE',
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      status: 'error',
      message: 'Missing `tradingsymbol`.',
      data: null,
      error_type: 'InputException',
    });
  });

  it('the 11th order inside a second gets 429 NetworkException', async () => {
    const place = (): Promise<unknown> =>
      kc.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        quantity: 1,
        product: 'MIS',
        order_type: 'LIMIT',
        price: 1400,
      });
    for (let i = 0; i < 10; i++)
      await expect(place()).resolves.toMatchObject({ order_id: expect.any(String) });
    await expect(place()).rejects.toMatchObject({ error_type: 'NetworkException', data: null });
    ex.advance(1_000);
    await expect(place()).resolves.toMatchObject({ order_id: expect.any(String) });
  });

  it('quotes are limited to one a second', async () => {
    ex.advance(2_000);
    await expect(kc.getLTP('NSE:INFY')).resolves.toBeDefined();
    await expect(kc.getLTP('NSE:INFY')).rejects.toMatchObject({ error_type: 'NetworkException' });
  });

  it('needs X-Kite-Version: 3 and answers unknown routes with 404', async () => {
    const auth = { Authorization: `token ${ex.apiKey}:${ex.server.session.accessToken ?? ''}` };
    const noVersion = await fetch(`${ex.server.restUrl}/user/profile`, { headers: auth });
    expect(noVersion.status).toBe(400);
    ex.advance(1_001);
    const unknown = await fetch(`${ex.server.restUrl}/nowhere`, {
      headers: { ...auth, 'X-Kite-Version': '3' },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error_type: 'GeneralException' });
  });
});
