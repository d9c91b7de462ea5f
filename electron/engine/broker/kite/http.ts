/**
 * The Kite Connect REST adapter: the official `kiteconnect` client (5.3.0), wrapped against its
 * faults (kite-protocol.md section 9), behind typed methods that speak our domain (integer prices,
 * epoch-ms times, typed errors). The same code talks to api.kite.trade and to the local exchange;
 * only `root` differs.
 *
 * What the wrapper fixes, and how:
 * - The client mutates the params object it is given (adds `variety`, `order_id`): every call builds
 *   a fresh object, per attempt.
 * - It turns IST timestamps into Dates in the machine's zone, drops an OI of 0, returns the dump as
 *   a raw string when the Content-Type has a charset, and keeps instrument tokens as strings: its
 *   per-request response transformers are replaced (one request interceptor) by a plain JSON parse,
 *   and parse.ts reads every payload itself, IST explicitly.
 * - It resolves some failures instead of rejecting (a 2xx with an unknown content type) and rejects
 *   with plain objects that have lost the HTTP status: the interceptor's transformer records each
 *   answer's status, and every outcome becomes a resolved payload or a BrokerError.
 * - It substitutes path parameters without encoding: ids are checked before they reach a path.
 *
 * Retries happen only for idempotent requests (reads, and the margin and charges calculators),
 * with exponential backoff and full jitter, on network errors, timeouts, 429 and 5xx
 * NetworkException. Writes (place, modify, cancel, GTT writes, convert, login) are sent once; when
 * their outcome is unknown the BrokerError says so (`outcomeUnknown`). Every request is paced to
 * Kite's limits first (rateLimiter.ts).
 */
import { parseInstrumentsCsv } from '../../market/instrumentsCsv';
import type { ParsedInstruments } from '../../market/instrumentsCsv';
import { KiteConnect } from 'kiteconnect';
import { priceDivisor, segmentOfToken } from '../../../../shared/domain/money';
import { BrokerError, isBrokerError } from '../errors';
import type {
  AccountMargins,
  BrokerHolding,
  BrokerOrder,
  BrokerPositions,
  BrokerProfile,
  BrokerSession,
  BrokerTrade,
  Candle,
  CandleInterval,
  ContractNote,
  Exchange,
  Gtt,
  LtpQuote,
  OhlcQuote,
  OrderMargin,
  Product,
  Quote,
  SegmentMargins,
  Side,
  Variety,
} from '../types';
import {
  checkOrderId,
  chargesItem,
  errorTypeOfStatus,
  formatHistoricalTime,
  gttParams,
  kiteErrorKind,
  marginOrderItem,
  modifyOrderParams,
  parseCandles,
  parseContractNotes,
  parseGtt,
  parseGtts,
  parseHoldings,
  parseLtpQuotes,
  parseMargins,
  parseOhlcQuotes,
  parseOrderId,
  parseOrderMargins,
  parseOrders,
  parsePlaceOrderResult,
  parsePositions,
  parseProfile,
  parseQuotes,
  parseSegmentMargins,
  parseSession,
  parseTrades,
  parseTriggerId,
  placeOrderParams,
} from './parse';
import type {
  ChargesRequest,
  GttRequest,
  MarginOrderRequest,
  ModifyOrderRequest,
  PlaceOrderRequest,
  PlaceOrderResult,
} from './parse';
import { KiteOrderWire } from './orderWire';
import { RequestPacer, systemClock } from './rateLimiter';
import type { KiteRateClass, PacerClock } from './rateLimiter';

type Connect = InstanceType<typeof KiteConnect>;

// ------------------------------------------------------------------------------------------------
// Endpoints

/** How an endpoint is paced and whether it may be sent twice. */
interface EndpointSpec {
  readonly rateClass: KiteRateClass;
  /** Sending it twice changes nothing that sending it once did not: safe to retry. */
  readonly idempotent: boolean;
}

const read = (rateClass: KiteRateClass = 'other'): EndpointSpec => ({ rateClass, idempotent: true });
const write = (rateClass: KiteRateClass = 'other'): EndpointSpec => ({ rateClass, idempotent: false });

/** Route names as the local exchange's fault rules and logs name them. */
const ENDPOINTS = {
  'session.token': write(),
  'session.refresh': write(),
  'session.logout': write(),
  'user.profile': read(),
  'user.margins': read(),
  'orders.place': write('orders'),
  'orders.modify': write('orders'),
  'orders.cancel': write('orders'),
  'orders.list': read(),
  'orders.history': read(),
  'orders.trades': read(),
  'trades.list': read(),
  // POST, but they only compute: nothing changes at the broker, so a retry is harmless.
  'margins.orders': read(),
  'charges.orders': read(),
  'portfolio.holdings': read(),
  'portfolio.positions': read(),
  'portfolio.convert': write(),
  instruments: read(),
  quote: read('quote'),
  'quote.ohlc': read('quote'),
  'quote.ltp': read('quote'),
  historical: read('historical'),
  'gtt.list': read(),
  'gtt.get': read(),
  'gtt.place': write(),
  'gtt.modify': write(),
  'gtt.delete': write(),
} as const satisfies Record<string, EndpointSpec>;

/** A Kite REST endpoint, by the local exchange's route name. */
export type KiteEndpoint = keyof typeof ENDPOINTS;

/** Most instruments one quote request may ask for (kite-protocol.md section 6). */
const QUOTE_BATCH = { quote: 500, 'quote.ohlc': 1000, 'quote.ltp': 1000 } as const;

const INTERVALS: readonly CandleInterval[] = [
  'minute',
  '3minute',
  '5minute',
  '10minute',
  '15minute',
  '30minute',
  '60minute',
  'day',
];

// ------------------------------------------------------------------------------------------------
// The transport seam: what we touch inside the official client

/** The part of an axios request config the interceptor sets. */
interface RequestConfigLike {
  timeout?: number;
  transformResponse?: unknown;
}

/** The part of the client's axios instance we use. */
interface AxiosInstanceLike {
  readonly interceptors: {
    readonly request: {
      use(
        onFulfilled: (config: RequestConfigLike) => RequestConfigLike,
        onRejected: null,
        options: { synchronous: boolean },
      ): number;
    };
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function axiosOf(kite: Connect): AxiosInstanceLike {
  const instance: unknown = (kite as unknown as Record<string, unknown>)['requestInstance'];
  // An axios instance is a callable function with properties.
  const interceptors =
    typeof instance === 'function' || isRecord(instance)
      ? (instance as unknown as Record<string, unknown>)['interceptors']
      : undefined;
  const request = isRecord(interceptors) ? interceptors['request'] : undefined;
  if (!isRecord(request) || typeof request['use'] !== 'function')
    throw new Error('kiteconnect has no axios requestInstance: the wrapper is written against 5.3.0');
  return instance as AxiosInstanceLike;
}

/** The HTTP status of each answer body the client rejects with (it drops the status itself). */
const ANSWER_STATUS = new WeakMap<object, number>();

function errorEnvelope(errorType: string, message: string, httpStatus: number): Record<string, unknown> {
  const body = { status: 'error', error_type: errorType, message, data: null };
  ANSWER_STATUS.set(body, httpStatus);
  return body;
}

function headerOf(headers: unknown, name: string): string {
  if (!isRecord(headers)) return '';
  const get = headers['get'];
  const value: unknown =
    typeof get === 'function' ? (get as (n: string) => unknown).call(headers, name) : headers[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Replaces the client's response transformers (which parse IST in the machine's zone, among other
 * things). Axios calls it with the raw body, the headers and the status, before the client's
 * interceptors: a success comes out as Kite's `{status:'success', data}` (which the client strips
 * to `data`) or the CSV text; everything else as an error envelope with `error_type`, which the
 * client then rejects with, and whose status we remember.
 */
function normalizeAnswer(data: unknown, headers: unknown, status: number | undefined): unknown {
  const httpStatus = status ?? 0;
  const ok = httpStatus >= 200 && httpStatus < 300;
  const text =
    typeof data === 'string' ? data : data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : '';
  const contentType = headerOf(headers, 'content-type').toLowerCase();
  if (contentType.includes('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return errorEnvelope('DataException', `malformed JSON answer (HTTP ${httpStatus})`, httpStatus);
    }
    if (isRecord(body) && typeof body['error_type'] === 'string') {
      ANSWER_STATUS.set(body, httpStatus);
      return body;
    }
    const message =
      isRecord(body) && typeof body['message'] === 'string' ? body['message'] : `HTTP ${httpStatus}`;
    if (!ok) return errorEnvelope(errorTypeOfStatus(httpStatus), message, httpStatus);
    if (isRecord(body) && body['status'] === 'success' && 'data' in body) return body;
    return errorEnvelope('DataException', `not a Kite envelope (HTTP ${httpStatus})`, httpStatus);
  }
  if (!ok) {
    const message = text.trim().slice(0, 200);
    return errorEnvelope(
      errorTypeOfStatus(httpStatus),
      message === '' ? `HTTP ${httpStatus}` : message,
      httpStatus,
    );
  }
  // 2xx CSV: the client passes the text through. 2xx of any other type: the client resolves with a
  // DataException object, which `call` turns into a rejection.
  return text;
}

// Connection errors after which a request certainly never reached the server.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_INVALID_URL',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

function errorCodeOf(value: Record<string, unknown>): string | undefined {
  if (typeof value['code'] === 'string') return value['code'];
  const message = value['message'];
  // The client reports "no response" as this sentence, with axios's code at the end.
  const m = typeof message === 'string' ? /error code: ([A-Z_]+)\s*$/.exec(message) : null;
  return m?.[1];
}

/** Whatever the client rejected (or resolved as an error) with, as a BrokerError. */
function toBrokerError(failure: unknown, endpoint: KiteEndpoint, resolved: boolean): BrokerError {
  if (isBrokerError(failure)) return failure;
  const { idempotent } = ENDPOINTS[endpoint];
  if (isRecord(failure) && typeof failure['error_type'] === 'string') {
    const errorType = failure['error_type'];
    const message = typeof failure['message'] === 'string' ? failure['message'] : errorType;
    const httpStatus = ANSWER_STATUS.get(failure);
    if (httpStatus !== undefined || resolved) {
      const kind = resolved ? 'data' : kiteErrorKind(errorType, httpStatus);
      return new BrokerError(kind, message, {
        venueErrorType: errorType,
        ...(httpStatus === undefined ? {} : { httpStatus }),
        // A write that got a gateway's 5xx, or a 2xx we cannot read, may have been carried out.
        outcomeUnknown: !idempotent && (resolved || (httpStatus !== undefined && httpStatus >= 500)),
        endpoint,
      });
    }
    // No HTTP answer: the client's "No response from server with error code: X".
    return connectionError(errorCodeOf(failure), message, endpoint, failure);
  }
  if (isRecord(failure) || failure instanceof Error) {
    const record = failure as unknown as Record<string, unknown>;
    const message =
      failure instanceof Error
        ? failure.message
        : typeof record['message'] === 'string'
          ? record['message']
          : 'request failed';
    return connectionError(errorCodeOf(record), message, endpoint, failure);
  }
  return new BrokerError('general', String(failure), {
    outcomeUnknown: !idempotent,
    endpoint,
    cause: failure,
  });
}

function connectionError(
  code: string | undefined,
  message: string,
  endpoint: KiteEndpoint,
  cause: unknown,
): BrokerError {
  const { idempotent } = ENDPOINTS[endpoint];
  const timedOut = code !== undefined && TIMEOUT_CODES.has(code);
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  return new BrokerError(timedOut ? 'timeout' : 'network', `${endpoint}: ${message}`, {
    // Sent and then no answer (a timeout, a reset): a write may or may not have been carried out.
    outcomeUnknown: !idempotent && !notSent,
    endpoint,
    cause,
  });
}

/** Runs `build`, turning a synchronous throw (a request we refused to send) into a rejection. */
function rejectThrown<T>(build: () => Promise<T>): Promise<T> {
  try {
    return build();
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/** Worth sending an idempotent request again: the failure was in transit or the venue was busy. */
function isTransient(e: BrokerError): boolean {
  if (e.kind === 'network' || e.kind === 'timeout' || e.kind === 'rateLimited') return true;
  return e.httpStatus !== undefined && e.httpStatus >= 500 && e.venueErrorType === 'NetworkException';
}

// ------------------------------------------------------------------------------------------------
// Login helpers

/** Kite's login page. The official client's `getLoginURL()` ignores its `login_uri`, so we build it. */
export const KITE_LOGIN_URL = 'https://kite.zerodha.com/connect/login';

/**
 * The URL a user logs in at: Kite's (default), or the local exchange's (`${rest}/connect/login`).
 * `redirectParams` come back on the redirect beside the request_token.
 */
export function kiteLoginUrl(
  apiKey: string,
  options: { readonly loginUrl?: string; readonly redirectParams?: Readonly<Record<string, string>> } = {},
): string {
  const url = new URL(options.loginUrl ?? KITE_LOGIN_URL);
  url.searchParams.set('api_key', apiKey);
  url.searchParams.set('v', '3');
  if (options.redirectParams !== undefined)
    url.searchParams.set('redirect_params', new URLSearchParams(options.redirectParams).toString());
  return url.toString();
}

/**
 * The request_token from the redirect after a login (`...?action=login&status=success&request_token=..`),
 * or undefined when the redirect is not a successful login.
 */
export function requestTokenFromRedirect(redirectUrl: string): string | undefined {
  if (!URL.canParse(redirectUrl)) return undefined;
  const q = new URL(redirectUrl).searchParams;
  const token = q.get('request_token');
  return q.get('status') === 'success' && token !== null && /^[A-Za-z0-9]+$/.test(token) ? token : undefined;
}

// ------------------------------------------------------------------------------------------------
// The adapter

/** Retries of idempotent requests: exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Sends at most this many times (1 = no retry). */
  readonly maxAttempts: number;
  /** The first retry waits up to this, the next up to twice as long, ... */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** One sent request, for logs and metrics. */
export interface AttemptEvent {
  readonly endpoint: KiteEndpoint;
  /** 1 for the first send. */
  readonly attempt: number;
  readonly durationMs: number;
  readonly error?: BrokerError;
}

/** How to reach Kite (or the local exchange). */
export interface KiteRestOptions {
  readonly apiKey: string;
  /** The day's token, when one is cached; otherwise log in with `generateSession`. */
  readonly accessToken?: string;
  /** `https://api.kite.trade` (default), or the local exchange's `rest` URL. */
  readonly root?: string;
  /** Per request, ms (default 7000, as the official client). */
  readonly timeoutMs?: number;
  /** For the instrument dump, which is large (default 60 s). */
  readonly instrumentsTimeoutMs?: number;
  /** Pacing and retry waits run on it (default: the wall clock). */
  readonly clock?: PacerClock;
  /** Share one pacer between every client of one API key (the limits are per key). */
  readonly pacer?: RequestPacer;
  readonly retry?: Partial<RetryPolicy>;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Called after every send. */
  readonly onAttempt?: (event: AttemptEvent) => void;
  /** Called when Kite says the session is gone (TokenException): a new login is needed. */
  readonly onTokenError?: (error: BrokerError) => void;
  /**
   * Place, modify and cancel over ShrivenQ's own kept-alive HTTP/1.1 transport (`wire`, the
   * default: orderWire.ts, written in the caller's turn) or through the official client.
   */
  readonly orderTransport?: 'wire' | 'kiteconnect';
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 3_000 };

/** Options of a historical candle request. */
export interface HistoricalOptions {
  /** Continuous data for expired futures (day candles only, at Kite). */
  readonly continuous?: boolean;
  /** Add open interest to every candle. */
  readonly oi?: boolean;
}

/** The Kite REST API as typed methods. One instance per session; not for renderers (Node only). */
export class KiteRest {
  private readonly kite: Connect;
  private readonly apiKey: string;
  private readonly clock: PacerClock;
  private readonly pacer: RequestPacer;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly instrumentsTimeoutMs: number;
  /**
   * The timeout of the request being built right now. The interceptor is registered synchronous,
   * so axios runs it inside the client's `request()` call that `call` makes: no other request can
   * be built in between.
   */
  private buildingTimeoutMs: number | undefined;
  private accessToken: string | undefined;
  private wireValue: KiteOrderWire | undefined;

  constructor(private readonly options: KiteRestOptions) {
    this.accessToken = options.accessToken;
    this.apiKey = options.apiKey;
    this.clock = options.clock ?? systemClock;
    this.pacer = options.pacer ?? new RequestPacer(this.clock);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 7_000;
    this.instrumentsTimeoutMs = options.instrumentsTimeoutMs ?? 60_000;
    this.kite = new KiteConnect({
      api_key: options.apiKey,
      ...(options.accessToken === undefined ? {} : { access_token: options.accessToken }),
      ...(options.root === undefined ? {} : { root: options.root }),
      timeout: this.timeoutMs,
    });
    axiosOf(this.kite).interceptors.request.use(
      (config) => {
        config.transformResponse = [normalizeAnswer];
        if (this.buildingTimeoutMs !== undefined) config.timeout = this.buildingTimeoutMs;
        return config;
      },
      null,
      { synchronous: true },
    );
  }

  /** Uses a new access token (a cached one, or after a login elsewhere). */
  setAccessToken(accessToken: string): void {
    this.accessToken = accessToken;
    this.kite.setAccessToken(accessToken);
  }

  /**
   * Sends one request through pacing and (for idempotent endpoints) retries, and parses the answer.
   * `send` is called once per attempt and must build its params afresh (the client mutates them).
   */
  private async call<T>(
    endpoint: KiteEndpoint,
    send: (kite: Connect) => Promise<unknown>,
    parse: (data: unknown) => T,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const spec: EndpointSpec = ENDPOINTS[endpoint];
    const maxAttempts = spec.idempotent ? Math.max(1, this.retry.maxAttempts) : 1;
    for (let attempt = 1; ; attempt++) {
      await this.pacer.acquire(spec.rateClass).catch((e: unknown) => {
        throw isBrokerError(e) ? e.with({ endpoint }) : e;
      });
      const started = this.clock.now();
      let data: unknown;
      let error: BrokerError | undefined;
      let pending: Promise<unknown>;
      try {
        this.buildingTimeoutMs = timeoutMs;
        pending = send(this.kite);
      } catch (e) {
        // The client threw before sending (its own argument checks): nothing reached Kite.
        throw new BrokerError('input', e instanceof Error ? e.message : String(e), { endpoint, cause: e });
      } finally {
        this.buildingTimeoutMs = undefined;
      }
      try {
        data = await pending;
        if (isRecord(data) && typeof data['error_type'] === 'string')
          error = toBrokerError(data, endpoint, true);
      } catch (e) {
        error = toBrokerError(e, endpoint, false);
      }
      if (error !== undefined) error = error.with({ endpoint, attempts: attempt });
      this.options.onAttempt?.({
        endpoint,
        attempt,
        durationMs: this.clock.now() - started,
        ...(error === undefined ? {} : { error }),
      });
      if (error === undefined) {
        try {
          return parse(data);
        } catch (e) {
          const parsed = toBrokerError(e, endpoint, false);
          // A write whose answer we cannot read was still carried out (or not): we cannot tell.
          throw parsed.with({ endpoint, attempts: attempt, outcomeUnknown: !spec.idempotent });
        }
      }
      if (error.kind === 'token') this.options.onTokenError?.(error);
      if (attempt >= maxAttempts || !isTransient(error)) throw error;
      const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
      await this.clock.sleep(Math.floor(this.random() * ceiling));
    }
  }

  // --- session ---------------------------------------------------------------------------------

  /**
   * Exchanges a login's request_token for a session (`checksum = SHA-256(api_key + request_token +
   * api_secret)`, computed by the client) and uses its access token from now on.
   */
  async generateSession(requestToken: string, apiSecret: string): Promise<BrokerSession> {
    let session: BrokerSession;
    for (let attempt = 1; ; attempt++) {
      try {
        session = await this.call(
          'session.token',
          (k) => k.generateSession(requestToken, apiSecret),
          parseSession,
        );
        break;
      } catch (e) {
        // A 429 is refused before anything is done (the request_token is not spent): ask again,
        // a little later, as another client of the key may be busy.
        if (!(isBrokerError(e) && e.kind === 'rateLimited') || attempt >= 4) throw e;
        await this.clock.sleep(500 * attempt + Math.floor(this.random() * 250));
      }
    }
    // The client keeps the token it was given; the order transport reads it from here.
    this.accessToken = session.accessToken;
    return session;
  }

  /** Renews the session with a refresh token (only apps that get one) and uses the new token. */
  async renewAccessToken(refreshToken: string, apiSecret: string): Promise<BrokerSession> {
    const session = await this.call(
      'session.refresh',
      (k) => k.renewAccessToken(refreshToken, apiSecret),
      parseSession,
    );
    this.accessToken = session.accessToken;
    return session;
  }

  /** Logs out: the access token stops working. */
  async invalidateAccessToken(): Promise<void> {
    await this.call(
      'session.logout',
      (k) => k.invalidateAccessToken(),
      () => undefined,
    );
  }

  // --- user ------------------------------------------------------------------------------------

  /** The logged-in user. */
  profile(): Promise<BrokerProfile> {
    return this.call('user.profile', (k) => k.getProfile(), parseProfile);
  }

  /** Funds and margins of both segments. */
  margins(): Promise<AccountMargins> {
    return this.call('user.margins', (k) => k.getMargins(), parseMargins);
  }

  /** Funds and margins of one segment. */
  segmentMargins(segment: 'equity' | 'commodity'): Promise<SegmentMargins> {
    return this.call(
      'user.margins',
      (k) => k.getMargins(segment),
      (d) => parseSegmentMargins(d, segment),
    );
  }

  // --- orders ----------------------------------------------------------------------------------

  /**
   * Places an order; resolves with Kite's order id (the OMS accepted it; a rejection arrives later
   * as a REJECTED row). Never retried. On `outcomeUnknown` find the order by its tag in `orders()`.
   */
  placeOrder(request: PlaceOrderRequest): Promise<PlaceOrderResult> {
    const wire = this.wire();
    if (wire !== undefined) return wire.place(request);
    return rejectThrown(() => {
      const params = placeOrderParams(request);
      return this.call(
        'orders.place',
        (k) =>
          k.placeOrder(request.variety, { ...params } as unknown as Parameters<Connect['placeOrder']>[1]),
        parsePlaceOrderResult,
      );
    });
  }

  /** Modifies an open order; resolves with its id. Never retried. */
  modifyOrder(request: ModifyOrderRequest): Promise<string> {
    const wire = this.wire();
    if (wire !== undefined) return wire.modify(request);
    return rejectThrown(() => {
      const params = modifyOrderParams(request);
      return this.call(
        'orders.modify',
        (k) => k.modifyOrder(request.variety, request.orderId, { ...params }),
        (d) => parseOrderId(d, 'modifyOrder'),
      );
    });
  }

  /** Cancels an order (or exits a cover order's second leg with `parentOrderId`). Never retried. */
  cancelOrder(variety: Variety, orderId: string, parentOrderId?: string): Promise<string> {
    const wire = parentOrderId === undefined ? this.wire() : undefined;
    if (wire !== undefined) return wire.cancel(variety, orderId);
    return rejectThrown(() => {
      checkOrderId(orderId);
      if (parentOrderId !== undefined) checkOrderId(parentOrderId, 'parent_order_id');
      return this.call(
        'orders.cancel',
        (k) =>
          k.cancelOrder(
            variety,
            orderId,
            (parentOrderId === undefined ? {} : { parent_order_id: parentOrderId }) as Parameters<
              Connect['cancelOrder']
            >[2],
          ),
        (d) => parseOrderId(d, 'cancelOrder'),
      );
    });
  }

  /** The order transport (made on first use), or undefined when orders go through the official client. */
  private wire(): KiteOrderWire | undefined {
    if (this.options.orderTransport === 'kiteconnect') return undefined;
    this.wireValue ??= new KiteOrderWire({
      root: this.options.root ?? 'https://api.kite.trade',
      apiKey: this.apiKey,
      accessToken: () => this.accessToken,
      pacer: this.pacer,
      timeoutMs: this.timeoutMs,
      ...(this.options.onTokenError === undefined ? {} : { onTokenError: this.options.onTokenError }),
      ...(this.options.onAttempt === undefined ? {} : { onAttempt: this.options.onAttempt }),
    });
    return this.wireValue;
  }

  /** Opens the order transport's connections ahead of the first order. */
  warmOrders(): void {
    this.wire()?.warm();
  }

  /** Closes the order transport's connections. */
  dispose(): void {
    this.wireValue?.dispose();
    this.wireValue = undefined;
  }

  /** Today's order book: the latest state of every order. */
  orders(): Promise<BrokerOrder[]> {
    return this.call(
      'orders.list',
      (k) => k.getOrders(),
      (d) => parseOrders(d),
    );
  }

  /** Every state an order went through, oldest first; the last row is its state now. */
  orderHistory(orderId: string): Promise<BrokerOrder[]> {
    return rejectThrown(() => {
      checkOrderId(orderId);
      return this.call(
        'orders.history',
        (k) => k.getOrderHistory(orderId),
        (d) => parseOrders(d, 'orderHistory'),
      );
    });
  }

  /** Today's fills. */
  trades(): Promise<BrokerTrade[]> {
    return this.call(
      'trades.list',
      (k) => k.getTrades(),
      (d) => parseTrades(d),
    );
  }

  /** The fills of one order. */
  orderTrades(orderId: string): Promise<BrokerTrade[]> {
    return rejectThrown(() => {
      checkOrderId(orderId);
      return this.call(
        'orders.trades',
        (k) => k.getOrderTrades(orderId),
        (d) => parseTrades(d, 'orderTrades'),
      );
    });
  }

  /** The margin each order would need (a calculation: nothing is placed). */
  orderMargins(orders: readonly MarginOrderRequest[]): Promise<OrderMargin[]> {
    return rejectThrown(() => {
      const items = orders.map(marginOrderItem);
      return this.call(
        'margins.orders',
        (k) =>
          k.orderMargins(items.map((i) => ({ ...i })) as unknown as Parameters<Connect['orderMargins']>[0]),
        parseOrderMargins,
      );
    });
  }

  /** The charges of executed orders (the virtual contract note; a calculation). */
  charges(orders: readonly ChargesRequest[]): Promise<ContractNote[]> {
    return rejectThrown(() => {
      const items = orders.map(chargesItem);
      return this.call(
        'charges.orders',
        (k) =>
          k.getvirtualContractNote(
            items.map((i) => ({ ...i })) as unknown as Parameters<Connect['getvirtualContractNote']>[0],
          ),
        parseContractNotes,
      );
    });
  }

  // --- portfolio -------------------------------------------------------------------------------

  /** Open positions: `net` (overnight + today) and `day`. */
  positions(): Promise<BrokerPositions> {
    return this.call('portfolio.positions', (k) => k.getPositions(), parsePositions);
  }

  /** Demat holdings. */
  holdings(): Promise<BrokerHolding[]> {
    return this.call('portfolio.holdings', (k) => k.getHoldings(), parseHoldings);
  }

  /** Moves a position between products (e.g. MIS to CNC). Never retried. */
  async convertPosition(request: {
    readonly exchange: Exchange;
    readonly tradingsymbol: string;
    readonly side: Side;
    readonly positionType: 'day' | 'overnight';
    readonly quantity: number;
    readonly oldProduct: Product;
    readonly newProduct: Product;
  }): Promise<void> {
    if (!Number.isSafeInteger(request.quantity) || request.quantity <= 0)
      throw new BrokerError('input', `quantity ${request.quantity} is not a positive whole number`);
    await this.call(
      'portfolio.convert',
      (k) =>
        k.convertPosition({
          exchange: request.exchange,
          tradingsymbol: request.tradingsymbol,
          transaction_type: request.side,
          position_type: request.positionType,
          quantity: request.quantity,
          old_product: request.oldProduct,
          new_product: request.newProduct,
        } as unknown as Parameters<Connect['convertPosition']>[0]),
      () => undefined,
    );
  }

  // --- market data -----------------------------------------------------------------------------

  private batched<T>(
    endpoint: 'quote' | 'quote.ohlc' | 'quote.ltp',
    keys: readonly string[],
    send: (k: Connect, batch: string[]) => Promise<unknown>,
    parse: (data: unknown) => Map<string, T>,
  ): Promise<Map<string, T>> {
    for (const key of keys)
      if (key === '' || key.length > 100)
        return Promise.reject(new BrokerError('input', `"${key}" is not an instrument key`));
    return this.batches(endpoint, keys, send, parse);
  }

  private async batches<T>(
    endpoint: 'quote' | 'quote.ohlc' | 'quote.ltp',
    keys: readonly string[],
    send: (k: Connect, batch: string[]) => Promise<unknown>,
    parse: (data: unknown) => Map<string, T>,
  ): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    const size = QUOTE_BATCH[endpoint];
    for (let i = 0; i < keys.length; i += size) {
      const batch = keys.slice(i, i + size);
      // One after another: the quote limit is 1 request/s, so parallel batches would only queue.
      const part = await this.call(endpoint, (k) => send(k, [...batch]), parse);
      for (const [key, value] of part) out.set(key, value);
    }
    return out;
  }

  /**
   * Full quotes keyed by `EXCHANGE:TRADINGSYMBOL` as asked (instruments Kite does not know are
   * absent). More than 500 keys go as several requests, paced at 1/s.
   */
  quote(keys: readonly string[]): Promise<Map<string, Quote>> {
    return this.batched('quote', keys, (k, b) => k.getQuote(b), parseQuotes);
  }

  /** Last price and OHLC, up to 1000 keys per request. */
  ohlc(keys: readonly string[]): Promise<Map<string, OhlcQuote>> {
    return this.batched('quote.ohlc', keys, (k, b) => k.getOHLC(b), parseOhlcQuotes);
  }

  /** Last prices, up to 1000 keys per request. */
  ltp(keys: readonly string[]): Promise<Map<string, LtpQuote>> {
    return this.batched('quote.ltp', keys, (k, b) => k.getLTP(b), parseLtpQuotes);
  }

  /** The day's instrument dump, all exchanges or one, parsed (rows that do not read are listed). */
  /** `freezeQuantity` fills each row's freeze quantity, which the dump lacks (see `parseInstrumentsCsv`). */
  instruments(
    exchange?: Exchange,
    freezeQuantity?: Parameters<typeof parseInstrumentsCsv>[1],
  ): Promise<ParsedInstruments> {
    return this.call(
      'instruments',
      (k) =>
        exchange === undefined
          ? k.getInstruments()
          : k.getInstruments(exchange as Parameters<Connect['getInstruments']>[0]),
      (d) => {
        if (typeof d !== 'string') throw new BrokerError('data', 'instruments: the dump is not CSV text');
        // The engine's one parser of the dump (market/instrumentsCsv.ts), which the store uses too.
        try {
          return parseInstrumentsCsv(d, freezeQuantity);
        } catch (e) {
          throw new BrokerError('data', `instruments: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
      this.instrumentsTimeoutMs,
    );
  }

  /**
   * Candles of one instrument from `fromMs` to `toMs` (both inclusive, sent as IST). Kite caps the
   * span per request by interval (minute: 60 days, ..., day: 2000 days); chunking is the caller's.
   */
  historical(
    instrumentToken: number,
    interval: CandleInterval,
    fromMs: number,
    toMs: number,
    options: HistoricalOptions = {},
  ): Promise<Candle[]> {
    let divisor: number;
    try {
      divisor = priceDivisor(segmentOfToken(instrumentToken));
    } catch (e) {
      return Promise.reject(new BrokerError('input', e instanceof Error ? e.message : String(e)));
    }
    if (!INTERVALS.includes(interval))
      return Promise.reject(new BrokerError('input', `"${interval}" is not a candle interval`));
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs > toMs)
      return Promise.reject(new BrokerError('input', `from ${fromMs} to ${toMs} is not a time range`));
    // Strings, not Dates: the client formats a Date from the machine's local clock fields.
    const from = formatHistoricalTime(fromMs);
    const to = formatHistoricalTime(toMs);
    const oi = options.oi ?? false;
    return this.call(
      'historical',
      (k) => k.getHistoricalData(instrumentToken, interval, from, to, options.continuous ?? false, oi),
      (d) => parseCandles(d, divisor, oi),
    );
  }

  // --- GTT -------------------------------------------------------------------------------------

  /** Every GTT of the account. */
  gtts(): Promise<Gtt[]> {
    return this.call('gtt.list', (k) => k.getGTTs(), parseGtts);
  }

  /** One GTT. */
  gtt(triggerId: number): Promise<Gtt> {
    return this.withTriggerId(triggerId, () => this.call('gtt.get', (k) => k.getGTT(triggerId), parseGtt));
  }

  /** Sets a GTT; resolves with its id. Never retried. */
  placeGtt(request: GttRequest): Promise<number> {
    return rejectThrown(() => {
      const params = gttParams(request);
      return this.call(
        'gtt.place',
        (k) => k.placeGTT(structuredClone(params) as unknown as Parameters<Connect['placeGTT']>[0]),
        (d) => parseTriggerId(d, 'placeGtt'),
      );
    });
  }

  /** Replaces a GTT's condition and orders. Never retried. */
  modifyGtt(triggerId: number, request: GttRequest): Promise<number> {
    return rejectThrown(() => {
      const params = gttParams(request);
      return this.withTriggerId(triggerId, () =>
        this.call(
          'gtt.modify',
          (k) =>
            k.modifyGTT(triggerId, structuredClone(params) as unknown as Parameters<Connect['modifyGTT']>[1]),
          (d) => parseTriggerId(d, 'modifyGtt'),
        ),
      );
    });
  }

  /** Deletes a GTT. Never retried. */
  deleteGtt(triggerId: number): Promise<number> {
    return this.withTriggerId(triggerId, () =>
      this.call(
        'gtt.delete',
        (k) => k.deleteGTT(triggerId),
        (d) => parseTriggerId(d, 'deleteGtt'),
      ),
    );
  }

  private withTriggerId<T>(triggerId: number, then: () => Promise<T>): Promise<T> {
    if (!Number.isSafeInteger(triggerId) || triggerId <= 0)
      return Promise.reject(
        new BrokerError('input', `trigger id ${triggerId} is not a positive whole number`),
      );
    return then();
  }

  /** The API key this client speaks for (not secret). */
  get key(): string {
    return this.apiKey;
  }
}
