/**
 * TEST SUPPORT. The local exchange's own order book, read by a test with a session of its own (as
 * the crash tests do while the engine is down: the exchange, like Kite, keeps one session, so a login
 * ends the previous one). A killed engine's requests still count in the key's 10/s window: a 429 is
 * waited out.
 */
import { KiteConnect } from 'kiteconnect';
import type { VenueEndpoint } from '../../../shared/venue';
import { localExchangeRequestToken } from '../session/brokerSession';
import type { LocalExchange } from './localExchange';

/** An order as the exchange's `GET /orders` has it (the fields the tests compare). */
export interface ExchangeOrder {
  readonly order_id: string;
  readonly tag: string | null;
  readonly status: string;
  readonly filled_quantity: number;
  readonly quantity: number;
  readonly price: number;
}

/** Where the engine finds `ex` (sim mode, no market hours). */
export function endpointOf(ex: LocalExchange): VenueEndpoint {
  return { rest: ex.rest, ws: ex.ws, apiKey: ex.apiKey, apiSecret: ex.apiSecret, marketHours: false };
}

export async function readExchangeOrders(ex: LocalExchange): Promise<ExchangeOrder[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      const kite = new KiteConnect({ api_key: ex.apiKey, root: ex.rest });
      const session = await kite.generateSession(
        await localExchangeRequestToken(endpointOf(ex)),
        ex.apiSecret,
      );
      kite.setAccessToken(session.access_token);
      const rows: unknown = await kite.getOrders();
      return rows as ExchangeOrder[];
    } catch (e) {
      if (attempt >= 5 || !/too many requests/i.test(String((e as { message?: unknown }).message))) throw e;
      await new Promise((r) => setTimeout(r, 400));
    }
  }
}
