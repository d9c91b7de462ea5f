/**
 * Errors that cross the wire. Every failure a caller can see has a `code` from this list, a message
 * for a person, and optional plain-data `details` (for INVALID_PARAMS: the schema issues).
 */
export const RPC_ERROR_CODES = [
  /** The frame could not be read: not JSON, not an object, or missing fields. */
  'BAD_FRAME',
  /** The frame was larger than the transport allows. */
  'FRAME_TOO_LARGE',
  /** No such service, method or stream. */
  'UNKNOWN_METHOD',
  /** The params did not match the method's schema. Nothing was changed. */
  'INVALID_PARAMS',
  /** The port closed before the answer came. The request may or may not have been carried out. */
  'DISCONNECTED',
  /** No answer within the request's time limit. The request may or may not have been carried out. */
  'TIMEOUT',
  /** Too many open subscriptions or pending requests on one connection. */
  'LIMIT_EXCEEDED',
  /** The service refused the request for a reason of its own (see message and details). */
  'REJECTED',
  /** The service failed unexpectedly. Its state is unchanged unless the message says otherwise. */
  'INTERNAL',
] as const;

export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

/** The plain-data form of an error, as sent on the wire. */
export interface RpcErrorData {
  readonly code: RpcErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

/** An Error with a wire code; what a rejected request's promise rejects with. */
export class RpcError extends Error implements RpcErrorData {
  override readonly name = 'RpcError';

  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The plain-data form, for the wire. */
  toData(): RpcErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an RpcError from wire data; anything unrecognised becomes INTERNAL. */
  static fromData(data: unknown): RpcError {
    if (typeof data === 'object' && data !== null) {
      const { code, message, details } = data as Record<string, unknown>;
      if (isRpcErrorCode(code) && typeof message === 'string') return new RpcError(code, message, details);
    }
    return new RpcError('INTERNAL', 'malformed error from the other side', data);
  }

  /** Wraps anything thrown by a service: RpcErrors pass through, the rest become INTERNAL. */
  static from(thrown: unknown): RpcError {
    if (thrown instanceof RpcError) return thrown;
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return new RpcError('INTERNAL', message);
  }
}

/** True when `value` is one of RPC_ERROR_CODES. */
export function isRpcErrorCode(value: unknown): value is RpcErrorCode {
  return typeof value === 'string' && (RPC_ERROR_CODES as readonly string[]).includes(value);
}
