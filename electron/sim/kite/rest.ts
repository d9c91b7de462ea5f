/**
 * Kite Connect v3 REST routes (kite-protocol.md section 4, mutual funds left out): from a decoded
 * request to a complete response. No sockets here: server.ts reads requests and writes what this
 * returns. Order of checks, as a client sees them: route (404/405), `X-Kite-Version`,
 * `Authorization`, rate limit (429), injected faults, parameters (400), then the venue.
 */
import { csv, failure, success, tooManyRequests } from './envelope';
import type { KiteResponse } from './envelope';
import { instrumentsCsv } from './csv';
import type { FaultInjector, LostAckMode } from './faults';
import {
  inputError,
  parseContractNoteOrders,
  parseConvertPosition,
  parseGtt,
  parseHistorical,
  parseMarginOrders,
  parseModifyOrder,
  parseOrderId,
  parseParentOrderId,
  parsePlaceOrder,
  parseQuoteKeys,
  parseTriggerId,
  parseVariety,
  QUOTE_LIMIT,
  rawParams,
} from './params';
import type { Parsed, RawParams } from './params';
import type { RateClass, RateLimiter } from './rateLimit';
import type { KiteSession } from './session';
import type { KiteError, KiteQuote, KiteResult, KiteVenue, VenueAnswer } from './venue';

/** A request as the HTTP layer decoded it. */
export interface KiteRequest {
  readonly method: string;
  readonly pathname: string;
  readonly query: URLSearchParams;
  readonly headers: {
    readonly authorization?: string | undefined;
    readonly kiteVersion?: string | undefined;
  };
  readonly body: string;
}

/** What to do with a request: answer it, or (a lost acknowledgement) never answer it. */
export type RestOutcome =
  | { readonly kind: 'respond'; readonly response: KiteResponse }
  | {
      readonly kind: 'lose';
      readonly mode: LostAckMode;
      /** The request's `tag` and the answer's `order_id`, for the log line. */
      readonly tag: string | undefined;
      readonly orderId: string | undefined;
    };

/** What the routes work with. */
export interface RestContext {
  readonly venue: KiteVenue;
  readonly session: KiteSession;
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly sleep: (ms: number) => Promise<void>;
}

type BodyKind = 'none' | 'form' | 'json';

/** The decoded inputs a route handler gets. */
interface RouteArgs {
  readonly path: Readonly<Record<string, string>>;
  /** Query + form body (path params are duplicated in there by the JS client; `path` wins). */
  readonly params: RawParams;
  /** The parsed JSON body of the three JSON endpoints. */
  readonly json: unknown;
}

interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly segments: readonly string[];
  /** Used by fault rules and logs. */
  readonly name: string;
  readonly rateClass: RateClass;
  /** `optional`: `/instruments` works without Authorization (gokiteconnect #106), not with a bad one. */
  readonly auth: 'required' | 'optional' | 'none';
  readonly body: BodyKind;
  handle(ctx: RestContext, args: RouteArgs): Promise<KiteResponse>;
}

const fromError = (error: KiteError): KiteResponse => failure(error);

/** Awaits a venue answer and wraps it in Kite's envelope. */
async function answer<T>(result: VenueAnswer<T>, map?: (data: T) => unknown): Promise<KiteResponse> {
  const r: KiteResult<T> = await result;
  if (!r.ok) return fromError(r.error);
  return success(map === undefined ? r.data : map(r.data));
}

/** Runs `then` with a parsed value, or answers the parse error. */
async function withParsed<T>(
  parsed: Parsed<T>,
  then: (value: T) => Promise<KiteResponse>,
): Promise<KiteResponse> {
  return parsed.ok ? then(parsed.value) : fromError(parsed.error);
}

function first(params: RawParams, key: string): string | undefined {
  return params.get(key)?.find((v) => v !== '');
}

function pathParam(args: RouteArgs, key: string): string {
  return args.path[key] ?? '';
}

const route = (
  method: Route['method'],
  pattern: string,
  name: string,
  rateClass: RateClass,
  handle: Route['handle'],
  options: { auth?: Route['auth']; body?: BodyKind } = {},
): Route => ({
  method,
  segments: pattern.split('/').filter((s) => s !== ''),
  name,
  rateClass,
  auth: options.auth ?? 'required',
  body: options.body ?? (method === 'POST' || method === 'PUT' ? 'form' : 'none'),
  handle,
});

function projectQuotes<T>(
  quotes: Readonly<Record<string, KiteQuote>>,
  map: (quote: KiteQuote) => T,
): Record<string, T> {
  return Object.fromEntries(Object.entries(quotes).map(([key, q]) => [key, map(q)]));
}

/** Every route, in match order. */
export const ROUTES: readonly Route[] = [
  route(
    'POST',
    '/session/token',
    'session.token',
    'other',
    (ctx, { params }) => {
      const apiKey = first(params, 'api_key');
      const requestToken = first(params, 'request_token');
      const checksum = first(params, 'checksum');
      if (apiKey === undefined) return Promise.resolve(fromError(inputError('Missing `api_key`.')));
      if (requestToken === undefined)
        return Promise.resolve(fromError(inputError('Missing `request_token`.')));
      if (checksum === undefined) return Promise.resolve(fromError(inputError('Missing `checksum`.')));
      const r = ctx.session.exchangeRequestToken(apiKey, requestToken, checksum);
      return Promise.resolve(r.ok ? success(r.value) : fromError(r.error));
    },
    { auth: 'none' },
  ),
  route(
    'POST',
    '/session/refresh_token',
    'session.refresh',
    'other',
    (ctx, { params }) => {
      const apiKey = first(params, 'api_key');
      const refreshToken = first(params, 'refresh_token');
      const checksum = first(params, 'checksum');
      if (apiKey === undefined) return Promise.resolve(fromError(inputError('Missing `api_key`.')));
      if (refreshToken === undefined)
        return Promise.resolve(fromError(inputError('Missing `refresh_token`.')));
      if (checksum === undefined) return Promise.resolve(fromError(inputError('Missing `checksum`.')));
      const r = ctx.session.renew(apiKey, refreshToken, checksum);
      return Promise.resolve(r.ok ? success(r.value) : fromError(r.error));
    },
    { auth: 'none' },
  ),
  route(
    'DELETE',
    '/session/token',
    'session.logout',
    'other',
    (ctx, { params }) => {
      const apiKey = first(params, 'api_key');
      if (apiKey === undefined) return Promise.resolve(fromError(inputError('Missing `api_key`.')));
      const accessToken = first(params, 'access_token');
      const refreshToken = first(params, 'refresh_token');
      if (accessToken === undefined && refreshToken === undefined)
        return Promise.resolve(fromError(inputError('Missing `access_token` or `refresh_token`.')));
      const r = ctx.session.invalidate(apiKey, {
        ...(accessToken === undefined ? {} : { access_token: accessToken }),
        ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      });
      return Promise.resolve(r.ok ? success(r.value) : fromError(r.error));
    },
    { auth: 'none' },
  ),
  route('GET', '/user/profile', 'user.profile', 'other', (ctx) =>
    Promise.resolve(success(ctx.session.profile())),
  ),
  route('GET', '/user/margins', 'user.margins', 'other', (ctx) => answer(ctx.venue.margins())),
  route('GET', '/user/margins/:segment', 'user.margins', 'other', (ctx, args) => {
    const segment = pathParam(args, 'segment');
    if (segment !== 'equity' && segment !== 'commodity')
      return Promise.resolve(fromError(inputError('Invalid segment. Valid segments are equity, commodity.')));
    return answer(ctx.venue.margins(), (m) => m[segment]);
  }),

  route('POST', '/orders/:variety', 'orders.place', 'orders', (ctx, args) =>
    withParsed(parseVariety(pathParam(args, 'variety')), (variety) =>
      withParsed(parsePlaceOrder(variety, args.params), (p) => answer(ctx.venue.placeOrder(variety, p))),
    ),
  ),
  route('PUT', '/orders/:variety/:order_id', 'orders.modify', 'orders', (ctx, args) =>
    withParsed(parseVariety(pathParam(args, 'variety')), (variety) =>
      withParsed(parseOrderId(pathParam(args, 'order_id')), (orderId) =>
        withParsed(parseModifyOrder(args.params), (p) => answer(ctx.venue.modifyOrder(variety, orderId, p))),
      ),
    ),
  ),
  route('DELETE', '/orders/:variety/:order_id', 'orders.cancel', 'orders', (ctx, args) =>
    withParsed(parseVariety(pathParam(args, 'variety')), (variety) =>
      withParsed(parseOrderId(pathParam(args, 'order_id')), (orderId) =>
        withParsed(parseParentOrderId(args.params), (parent) =>
          answer(ctx.venue.cancelOrder(variety, orderId, parent)),
        ),
      ),
    ),
  ),
  route('GET', '/orders', 'orders.list', 'other', (ctx) => answer(ctx.venue.orders())),
  route('GET', '/orders/:order_id', 'orders.history', 'other', (ctx, args) =>
    withParsed(parseOrderId(pathParam(args, 'order_id')), (id) => answer(ctx.venue.orderHistory(id))),
  ),
  route('GET', '/trades', 'trades.list', 'other', (ctx) => answer(ctx.venue.trades())),
  route('GET', '/orders/:order_id/trades', 'orders.trades', 'other', (ctx, args) =>
    withParsed(parseOrderId(pathParam(args, 'order_id')), (id) => answer(ctx.venue.orderTrades(id))),
  ),

  route(
    'POST',
    '/margins/orders',
    'margins.orders',
    'other',
    (ctx, args) =>
      withParsed(parseMarginOrders(args.json), (orders) =>
        answer(ctx.venue.orderMargins(orders, first(args.params, 'mode') ?? 'regular')),
      ),
    { body: 'json' },
  ),
  route(
    'POST',
    '/margins/basket',
    'margins.basket',
    'other',
    (ctx, args) =>
      withParsed(parseMarginOrders(args.json), (orders) =>
        answer(
          ctx.venue.basketMargins(
            orders,
            first(args.params, 'consider_positions') !== 'false',
            first(args.params, 'mode') ?? 'regular',
          ),
        ),
      ),
    { body: 'json' },
  ),
  route(
    'POST',
    '/charges/orders',
    'charges.orders',
    'other',
    (ctx, args) =>
      withParsed(parseContractNoteOrders(args.json), (orders) => answer(ctx.venue.contractNote(orders))),
    { body: 'json' },
  ),

  route('GET', '/portfolio/holdings', 'portfolio.holdings', 'other', (ctx) => answer(ctx.venue.holdings())),
  route('GET', '/portfolio/holdings/auctions', 'portfolio.auctions', 'other', (ctx) =>
    answer(ctx.venue.auctionInstruments()),
  ),
  route('GET', '/portfolio/positions', 'portfolio.positions', 'other', (ctx) =>
    answer(ctx.venue.positions()),
  ),
  route('PUT', '/portfolio/positions', 'portfolio.convert', 'other', (ctx, args) =>
    withParsed(parseConvertPosition(args.params), (p) => answer(ctx.venue.convertPosition(p))),
  ),

  route(
    'GET',
    '/instruments',
    'instruments',
    'other',
    async (ctx) => {
      const r = await ctx.venue.instruments(undefined);
      return r.ok ? csv(instrumentsCsv(r.data)) : fromError(r.error);
    },
    { auth: 'optional' },
  ),
  route(
    'GET',
    '/instruments/:exchange',
    'instruments',
    'other',
    async (ctx, args) => {
      const exchange = pathParam(args, 'exchange');
      if (!/^[A-Z]{2,8}$/.test(exchange)) return fromError(inputError('Invalid `exchange`.'));
      const r = await ctx.venue.instruments(exchange);
      return r.ok ? csv(instrumentsCsv(r.data)) : fromError(r.error);
    },
    { auth: 'optional' },
  ),
  route('GET', '/quote', 'quote', 'quote', (ctx, args) =>
    withParsed(parseQuoteKeys(args.params, QUOTE_LIMIT.quote), (keys) => answer(ctx.venue.quotes(keys))),
  ),
  route('GET', '/quote/ohlc', 'quote.ohlc', 'quote', (ctx, args) =>
    withParsed(parseQuoteKeys(args.params, QUOTE_LIMIT.ohlc), (keys) =>
      answer(ctx.venue.quotes(keys), (quotes) =>
        projectQuotes(quotes, (q) => ({
          instrument_token: q.instrument_token,
          last_price: q.last_price,
          ohlc: q.ohlc,
        })),
      ),
    ),
  ),
  route('GET', '/quote/ltp', 'quote.ltp', 'quote', (ctx, args) =>
    withParsed(parseQuoteKeys(args.params, QUOTE_LIMIT.ltp), (keys) =>
      answer(ctx.venue.quotes(keys), (quotes) =>
        projectQuotes(quotes, (q) => ({ instrument_token: q.instrument_token, last_price: q.last_price })),
      ),
    ),
  ),
  route(
    'GET',
    '/instruments/historical/:instrument_token/:interval',
    'historical',
    'historical',
    (ctx, args) =>
      withParsed(
        parseHistorical(pathParam(args, 'instrument_token'), pathParam(args, 'interval'), args.params),
        (query) => answer(ctx.venue.historical(query)),
      ),
  ),

  route('GET', '/gtt/triggers', 'gtt.list', 'other', (ctx) => answer(ctx.venue.gtts())),
  route('GET', '/gtt/triggers/:trigger_id', 'gtt.get', 'other', (ctx, args) =>
    withParsed(parseTriggerId(pathParam(args, 'trigger_id')), (id) => answer(ctx.venue.gtt(id))),
  ),
  route('POST', '/gtt/triggers', 'gtt.place', 'other', (ctx, args) =>
    withParsed(parseGtt(args.params), (p) => answer(ctx.venue.placeGtt(p))),
  ),
  route('PUT', '/gtt/triggers/:trigger_id', 'gtt.modify', 'other', (ctx, args) =>
    withParsed(parseTriggerId(pathParam(args, 'trigger_id')), (id) =>
      withParsed(parseGtt(args.params), (p) => answer(ctx.venue.modifyGtt(id, p))),
    ),
  ),
  route('DELETE', '/gtt/triggers/:trigger_id', 'gtt.delete', 'other', (ctx, args) =>
    withParsed(parseTriggerId(pathParam(args, 'trigger_id')), (id) => answer(ctx.venue.deleteGtt(id))),
  ),
];

function matchSegments(
  segments: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const path: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i] ?? '';
    if (segment.startsWith(':')) path[segment.slice(1)] = part;
    else if (segment !== part) return undefined;
  }
  return path;
}

/** The route for a method and path: a match, `method` when only the method is wrong, or undefined. */
export function findRoute(
  method: string,
  pathname: string,
): { route: Route; path: Record<string, string> } | 'method' | undefined {
  let parts: string[];
  try {
    parts = pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  let methodMismatch = false;
  for (const r of ROUTES) {
    const path = matchSegments(r.segments, parts);
    if (path === undefined) continue;
    if (r.method === method) return { route: r, path };
    methodMismatch = true;
  }
  return methodMismatch ? 'method' : undefined;
}

function parseBody(kind: BodyKind, body: string): { params: URLSearchParams; json: unknown } | KiteError {
  if (kind === 'form') return { params: new URLSearchParams(body), json: undefined };
  if (kind === 'json') {
    try {
      return { params: new URLSearchParams(), json: JSON.parse(body) as unknown };
    } catch {
      return inputError('Invalid JSON body.');
    }
  }
  return { params: new URLSearchParams(), json: undefined };
}

const respond = (response: KiteResponse): RestOutcome => ({ kind: 'respond', response });

/** Handles one API request (everything but the login page and the admin API). */
export async function handleKiteRequest(ctx: RestContext, req: KiteRequest): Promise<RestOutcome> {
  const found = findRoute(req.method, req.pathname);
  if (found === undefined)
    return respond(failure({ error_type: 'GeneralException', message: 'Route not found' }, 404));
  if (found === 'method')
    return respond(failure({ error_type: 'GeneralException', message: 'Method not allowed' }, 405));
  const { route: r, path } = found;
  if (req.headers.kiteVersion !== '3')
    return respond(fromError(inputError('Invalid or missing `X-Kite-Version` header: expected 3.')));
  if (r.auth === 'required' || (r.auth === 'optional' && req.headers.authorization !== undefined)) {
    const auth = ctx.session.authorize(req.headers.authorization);
    if (!auth.ok) return respond(fromError(auth.error));
  }
  if (!ctx.limiter.admit(r.rateClass)) return respond(tooManyRequests());
  const fault = ctx.faults.decide(r.name);
  if (fault.delayMs > 0) await ctx.sleep(fault.delayMs);
  if (fault.tooManyRequests) return respond(tooManyRequests());
  if (fault.error !== undefined)
    return respond(
      failure(
        { error_type: fault.error.errorType, message: 'Injected fault (simulator).' },
        fault.error.status,
      ),
    );
  const body = parseBody(r.body, req.body);
  if ('error_type' in body) return respond(fromError(body));
  const args: RouteArgs = { path, params: rawParams(req.query, body.params), json: body.json };
  let response: KiteResponse;
  try {
    response = await r.handle(ctx, args);
  } catch (e) {
    response = failure({
      error_type: 'GeneralException',
      message: `Internal error: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  // A lost acknowledgement: the venue has done it (placed, modified, cancelled); the client never hears.
  if (fault.loseAck !== undefined && response.status === 200)
    return {
      kind: 'lose',
      mode: fault.loseAck,
      tag: first(args.params, 'tag'),
      orderId: answeredOrderId(response),
    };
  return respond(response);
}

/** The `data.order_id` of a success envelope, if it has one. */
function answeredOrderId(response: KiteResponse): string | undefined {
  try {
    const parsed = JSON.parse(response.body) as { data?: { order_id?: unknown } } | null;
    const id = parsed?.data?.order_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
