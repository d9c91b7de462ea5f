/**
 * Typed broker errors: the one error every venue adapter throws, so that the OMS, the session and
 * the UI branch on a closed `kind` rather than on a venue's strings.
 */

/**
 * Why a broker request failed.
 * - `token`: the session is gone (expired, logged out, logged in elsewhere): a new login is needed.
 * - `input`: the request was invalid (bad or missing parameters, freeze quantity exceeded).
 * - `order`: the OMS refused the order (its state does not allow it, it was not found).
 * - `margin`: insufficient funds.
 * - `holding`: insufficient holdings for a sell.
 * - `permission`: the account or the app may not do this (user, permission, 2FA errors).
 * - `network`: no usable answer (connection refused or reset, a gateway or OMS down).
 * - `rateLimited`: refused for the rate (HTTP 429), by the venue or by our own pacing.
 * - `timeout`: no answer in time.
 * - `data`: an answer we cannot read (malformed, unknown content type, a field out of range).
 * - `general`: anything else the venue reports.
 */
export type BrokerErrorKind =
  | 'token'
  | 'input'
  | 'order'
  | 'margin'
  | 'holding'
  | 'permission'
  | 'network'
  | 'rateLimited'
  | 'timeout'
  | 'data'
  | 'general';

/** Every kind, for exhaustive tables and tests. */
export const BROKER_ERROR_KINDS: readonly BrokerErrorKind[] = [
  'token',
  'input',
  'order',
  'margin',
  'holding',
  'permission',
  'network',
  'rateLimited',
  'timeout',
  'data',
  'general',
];

/** What a BrokerError carries besides its kind and message. */
export interface BrokerErrorDetails {
  /** The venue's own error name (Kite's `error_type`, e.g. `TokenException`), when it sent one. */
  readonly venueErrorType?: string;
  /** The HTTP status of the answer, when there was one. */
  readonly httpStatus?: number;
  /**
   * True when a request that changes state (place, modify, cancel, GTT writes, convert) may or may
   * not have taken effect: it timed out, the connection broke after it was sent, or a gateway
   * answered 5xx. The OMS resolves such an order from the order book by its tag and never re-sends
   * it blindly. Always false for reads, and for refusals the venue answered (4xx, 429).
   */
  readonly outcomeUnknown?: boolean;
  /** The endpoint, e.g. `orders.place` (for logs; never carries credentials). */
  readonly endpoint?: string;
  /** How many times the request was sent (retries of idempotent reads included). */
  readonly attempts?: number;
  readonly cause?: unknown;
}

/** A failed broker request. */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  readonly venueErrorType: string | undefined;
  readonly httpStatus: number | undefined;
  readonly outcomeUnknown: boolean;
  readonly endpoint: string | undefined;
  readonly attempts: number;

  constructor(
    readonly kind: BrokerErrorKind,
    message: string,
    details: BrokerErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.venueErrorType = details.venueErrorType;
    this.httpStatus = details.httpStatus;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.endpoint = details.endpoint;
    this.attempts = details.attempts ?? 1;
  }

  /** A copy with more context (the endpoint and attempt count are known only to the caller). */
  with(details: BrokerErrorDetails): BrokerError {
    return new BrokerError(this.kind, this.message, {
      ...this.details(),
      ...details,
    });
  }

  /** The details this error was made with. */
  details(): BrokerErrorDetails {
    return {
      ...(this.venueErrorType === undefined ? {} : { venueErrorType: this.venueErrorType }),
      ...(this.httpStatus === undefined ? {} : { httpStatus: this.httpStatus }),
      outcomeUnknown: this.outcomeUnknown,
      ...(this.endpoint === undefined ? {} : { endpoint: this.endpoint }),
      attempts: this.attempts,
      ...(this.cause === undefined ? {} : { cause: this.cause }),
    };
  }

  /** True when logging in again is the only cure. */
  get needsLogin(): boolean {
    return this.kind === 'token';
  }
}

/** Narrows an unknown thrown value. */
export function isBrokerError(value: unknown): value is BrokerError {
  return value instanceof BrokerError;
}
