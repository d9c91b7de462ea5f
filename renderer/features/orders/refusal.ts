import { RpcError } from '../../../shared/rpc/errors';
import { ORDER_REFUSAL_CODES } from '../../../shared/services/orders';

/**
 * Why an order request did not go through, as the trader reads it: the engine's own message, what
 * would pass (the engine's suggestion), and whether the outcome is unknown (a lost answer: the order
 * may have been placed, so look in the orders grid before trying again, never re-send blindly).
 */
export interface Refusal {
  /**
   * An OrderRefusalCode (shared/services/orders.ts), an RPC error code (INVALID_PARAMS, TIMEOUT…),
   * or LOCAL for a refusal made before sending.
   */
  readonly code: string;
  readonly message: string;
  /** '' when the engine gave none. */
  readonly suggestion: string;
  /** True when the request may or may not have been carried out (TIMEOUT, DISCONNECTED). */
  readonly uncertain: boolean;
}

const REFUSAL_CODES: ReadonlySet<string> = new Set(ORDER_REFUSAL_CODES);

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

const FIELD_NAMES: Readonly<Record<string, string>> = {
  quantity: 'Quantity',
  price: 'Price',
  triggerPrice: 'Trigger',
  instrumentToken: 'Instrument',
  orderType: 'Order type',
  product: 'Product',
  validity: 'Validity',
};

/** INVALID_PARAMS' issues as one line: `Quantity: Too small: expected number to be >0`. */
function issuesText(details: unknown): string {
  const issues = field(details, 'issues');
  if (!Array.isArray(issues)) return '';
  return issues
    .map((issue) => {
      const path = field(issue, 'path');
      const message = field(issue, 'message');
      const first = Array.isArray(path) && typeof path[0] === 'string' ? path[0] : '';
      const name = FIELD_NAMES[first] ?? first;
      return `${name === '' ? '' : `${name}: `}${typeof message === 'string' ? message : 'invalid'}`;
    })
    .join('; ');
}

/** A refusal made here, before anything was sent (an unreadable price, no instrument). */
export function localRefusal(message: string): Refusal {
  return { code: 'LOCAL', message, suggestion: '', uncertain: false };
}

/** What a failed place, modify, cancel or exit request says. */
export function refusalOf(error: unknown): Refusal {
  if (!(error instanceof RpcError)) {
    return {
      code: 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
      suggestion: '',
      uncertain: false,
    };
  }
  switch (error.code) {
    case 'REJECTED': {
      const code = field(error.details, 'code');
      const suggestion = field(error.details, 'suggestion');
      return {
        code: typeof code === 'string' && REFUSAL_CODES.has(code) ? code : 'REJECTED',
        message: error.message,
        suggestion: typeof suggestion === 'string' ? suggestion : '',
        uncertain: false,
      };
    }
    case 'INVALID_PARAMS': {
      const issues = issuesText(error.details);
      return {
        code: 'INVALID_PARAMS',
        message: issues === '' ? error.message : `Not a valid order. ${issues}`,
        suggestion: '',
        uncertain: false,
      };
    }
    case 'TIMEOUT':
    case 'DISCONNECTED':
      return {
        code: error.code,
        message: `No answer from the engine (${error.message}). The request may have gone through.`,
        suggestion: 'Check the orders grid before trying again.',
        uncertain: true,
      };
    case 'UNKNOWN_METHOD':
      return {
        code: error.code,
        message: 'This engine does not take orders yet.',
        suggestion: '',
        uncertain: false,
      };
    default:
      return { code: error.code, message: error.message, suggestion: '', uncertain: false };
  }
}
