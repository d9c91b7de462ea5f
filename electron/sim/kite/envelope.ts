/**
 * Kite's response envelopes and the error_type <-> HTTP status table (kite-protocol.md section 3).
 * Pure: builds the status, headers and body bytes of a response; the HTTP layer writes them.
 */
import type { KiteError, KiteErrorType } from './venue';

/** The HTTP status the real service sends with each error_type (3.1; OrderException as 400). */
export const ERROR_STATUS: Readonly<Record<KiteErrorType, number>> = {
  TokenException: 403,
  InputException: 400,
  OrderException: 400,
  MarginException: 400,
  HoldingException: 400,
  UserException: 403,
  PermissionException: 403,
  TwoFAException: 403,
  NetworkException: 503,
  DataException: 502,
  GeneralException: 500,
};

/** A complete response, ready to write. */
export interface KiteResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The JSON Content-Type the JS client checks with `includes('application/json')`. */
export const JSON_TYPE = 'application/json';
/** Exactly `text/csv`: with a charset the JS client returns the raw string instead of rows (3.2). */
export const CSV_TYPE = 'text/csv';

/** `{"status":"success","data":...}` with HTTP 200. */
export function success(data: unknown): KiteResponse {
  return {
    status: 200,
    headers: { 'Content-Type': JSON_TYPE },
    body: JSON.stringify({ status: 'success', data }),
  };
}

/** `{"status":"error","message","data":null,"error_type"}` with the type's status (or `status`). */
export function failure(error: KiteError, status = ERROR_STATUS[error.error_type]): KiteResponse {
  return {
    status,
    headers: { 'Content-Type': JSON_TYPE },
    body: JSON.stringify({
      status: 'error',
      message: error.message,
      data: null,
      error_type: error.error_type,
    }),
  };
}

/** A 429: Kite throttles with error_type NetworkException. */
export function tooManyRequests(): KiteResponse {
  return failure({ error_type: 'NetworkException', message: 'Too many requests' }, 429);
}

/** The message Kite sends for a bad or missing `Authorization`. */
export const BAD_TOKEN_MESSAGE = 'Incorrect `api_key` or `access_token`.';

/** A text/csv 200. */
export function csv(body: string): KiteResponse {
  return { status: 200, headers: { 'Content-Type': CSV_TYPE }, body };
}
