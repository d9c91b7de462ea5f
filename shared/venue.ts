/**
 * Where the engine finds its venue. In sim mode the host (Electron main, or web mode's Node host)
 * supervises the local exchange, reads its ready line and forwards it to the engine as a
 * `VenueMessage`, again after every restart of either process; the engine logs in to it through the
 * same Kite code as live (login page, request_token, session).
 */

/** The local exchange's ready line, as `npm run sim` prints it. */
export interface VenueEndpoint {
  /** Kite REST root, e.g. `http://127.0.0.1:41234`. */
  readonly rest: string;
  /** Kite ticker root, e.g. `ws://127.0.0.1:41234/`. */
  readonly ws: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** NSE hours (09:15-15:30 IST), or open all day (`--always-open`): the session bars follow. */
  readonly marketHours: boolean;
}

/** Host -> engine: the venue to use (`null`: the venue is gone, e.g. the exchange is restarting). */
export interface VenueMessage {
  readonly type: 'venue';
  readonly endpoint: VenueEndpoint | null;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Whether `x` is the local exchange's ready line (`{event:'ready', rest, ws, apiKey, apiSecret}`). */
export function isVenueReadyLine(
  x: unknown,
): x is Omit<VenueEndpoint, 'marketHours'> & { readonly event: 'ready'; readonly marketHours?: unknown } {
  return (
    isObject(x) &&
    x['event'] === 'ready' &&
    typeof x['rest'] === 'string' &&
    typeof x['ws'] === 'string' &&
    typeof x['apiKey'] === 'string' &&
    typeof x['apiSecret'] === 'string'
  );
}

/** The endpoint part of a ready line (drops whatever else it carries). */
export function venueEndpointOf(
  line: Omit<VenueEndpoint, 'marketHours'> & { readonly marketHours?: unknown },
): VenueEndpoint {
  return {
    rest: line.rest,
    ws: line.ws,
    apiKey: line.apiKey,
    apiSecret: line.apiSecret,
    marketHours: line.marketHours !== false,
  };
}

/** Whether `x` is a `VenueMessage`. */
export function isVenueMessage(x: unknown): x is VenueMessage {
  if (!isObject(x) || x['type'] !== 'venue') return false;
  const e = x['endpoint'];
  return e === null || (isObject(e) && isVenueReadyLine({ ...e, event: 'ready' }));
}
