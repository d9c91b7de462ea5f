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

/** The user's Kite Connect app: its API key and secret (main keeps the secret with safeStorage). */
export interface KiteCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** Host -> engine: the Kite app's credentials for paper and live mode (`null`: none set). */
export interface CredentialsMessage {
  readonly type: 'credentials';
  readonly credentials: KiteCredentials | null;
}

/** Host -> engine: a login's `request_token`, caught by the login window or web mode's callback. */
export interface RequestTokenMessage {
  readonly type: 'request-token';
  readonly requestToken: string;
}

const KITE_KEY = /^[A-Za-z0-9]{6,64}$/;

/** Whether `x` is shaped like a Kite API key, secret or request_token: 6-64 letters and digits. */
export function isKiteKey(x: unknown): x is string {
  return typeof x === 'string' && KITE_KEY.test(x);
}

/** Whether `x` is a `CredentialsMessage` with well-formed credentials (or null). */
export function isCredentialsMessage(x: unknown): x is CredentialsMessage {
  if (!isObject(x) || x['type'] !== 'credentials') return false;
  const c = x['credentials'];
  return (
    c === null ||
    (isObject(c) &&
      typeof c['apiKey'] === 'string' &&
      KITE_KEY.test(c['apiKey']) &&
      typeof c['apiSecret'] === 'string' &&
      KITE_KEY.test(c['apiSecret']))
  );
}

/** Whether `x` is a `RequestTokenMessage` with a well-formed token. */
export function isRequestTokenMessage(x: unknown): x is RequestTokenMessage {
  return (
    isObject(x) &&
    x['type'] === 'request-token' &&
    typeof x['requestToken'] === 'string' &&
    KITE_KEY.test(x['requestToken'])
  );
}
