/**
 * The KiteTicker WebSocket protocol's client messages and per-connection subscriptions
 * (kite-protocol.md section 7). Pure: parses text frames and tracks modes; tickerServer.ts does I/O.
 */
import type { TickMode } from '../../../shared/kite/tickPacket';

/** Instruments one connection may subscribe to. */
export const MAX_INSTRUMENTS_PER_CONNECTION = 3000;

/** A client request, decoded. */
export type TickerCommand =
  | { readonly a: 'subscribe'; readonly tokens: readonly number[] }
  | { readonly a: 'unsubscribe'; readonly tokens: readonly number[] }
  | { readonly a: 'mode'; readonly mode: TickMode; readonly tokens: readonly number[] };

/** The text frame Kite sends for a request it cannot parse; the connection stays open. */
export const PARSE_ERROR_FRAME = JSON.stringify({ type: 'error', data: 'error parsing request' });

/** A Kite `error` text frame with `message`. */
export function errorFrame(message: string): string {
  return JSON.stringify({ type: 'error', data: message });
}

const isToken = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= 0xffffffff;

/**
 * Parses a client text frame. Tokens must be JSON numbers: like the real server, strings and other
 * values inside the list are ignored, but a list that is not a list is an error.
 */
export function parseTickerCommand(text: string): TickerCommand | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { a, v } = message as { a?: unknown; v?: unknown };
  if ((a === 'subscribe' || a === 'unsubscribe') && Array.isArray(v)) return { a, tokens: v.filter(isToken) };
  if (a === 'mode' && Array.isArray(v)) {
    const [mode, tokens] = v as unknown[];
    if ((mode === 'ltp' || mode === 'quote' || mode === 'full') && Array.isArray(tokens))
      return { a, mode, tokens: tokens.filter(isToken) };
  }
  return undefined;
}

/** What applying a command changed, for the server to act on. */
export interface SubscriptionChange {
  /** Newly subscribed tokens (now in quote mode). */
  readonly added: readonly number[];
  readonly removed: readonly number[];
  /** Subscribed tokens whose mode was set. */
  readonly moded: readonly number[];
  /** Tokens refused because the connection is full. */
  readonly refused: readonly number[];
}

/** One connection's subscriptions: token -> mode. */
export class Subscriptions {
  private readonly modes = new Map<number, TickMode>();

  constructor(private readonly limit = MAX_INSTRUMENTS_PER_CONNECTION) {}

  /** Applies a command. New subscriptions stream in quote mode until a `mode` message. */
  apply(command: TickerCommand): SubscriptionChange {
    const added: number[] = [];
    const removed: number[] = [];
    const moded: number[] = [];
    const refused: number[] = [];
    for (const token of new Set(command.tokens)) {
      if (command.a === 'subscribe') {
        if (this.modes.has(token)) continue;
        if (this.modes.size >= this.limit) refused.push(token);
        else {
          this.modes.set(token, 'quote');
          added.push(token);
        }
      } else if (command.a === 'unsubscribe') {
        if (this.modes.delete(token)) removed.push(token);
      } else if (this.modes.has(token)) {
        this.modes.set(token, command.mode);
        moded.push(token);
      }
    }
    return { added, removed, moded, refused };
  }

  mode(token: number): TickMode | undefined {
    return this.modes.get(token);
  }

  tokens(): IterableIterator<number> {
    return this.modes.keys();
  }

  get size(): number {
    return this.modes.size;
  }
}
