import { createPort } from '../port';
import type { Port } from '../port';

/**
 * The parts of a WebSocket used here: the browser's WebSocket and the `ws` package's both match.
 * Frames are JSON text, one frame per message (shared/rpc/PROTOCOL.md).
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(
    type: 'close',
    listener: (event: { readonly code: number; readonly reason: string }) => void,
  ): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

/** WebSocket readyState values (the same in browsers and `ws`). */
export const WS_OPEN = 1;
const WS_CONNECTING = 0;

/** Close code sent when a side closes normally. */
const NORMAL_CLOSURE = 1000;

/** A Port over an open (or opening) WebSocket. Sends made before it opens are dropped. */
export function fromWebSocket(ws: WebSocketLike): Port {
  const controller = createPort(
    'json',
    (data) => {
      if (ws.readyState === WS_OPEN && typeof data === 'string') ws.send(data);
    },
    (reason) => {
      ws.close(NORMAL_CLOSURE, reason.slice(0, 120));
    },
  );
  ws.addEventListener('message', (event) => {
    controller.deliver(event.data);
  });
  // A transport error (e.g. an oversized message) is followed by 'close'; listening here keeps an
  // EventEmitter-based socket from throwing it as an unhandled 'error'.
  ws.addEventListener('error', () => undefined);
  ws.addEventListener('close', (event) => {
    controller.closed(`socket closed (${event.code}${event.reason === '' ? '' : `: ${event.reason}`})`);
  });
  return controller.port;
}

/**
 * Resolves with a Port once `ws` is open; rejects if it closes or fails first. The caller makes the
 * socket (`new WebSocket(url)`), so this works with any WebSocket implementation.
 */
export function openWebSocketPort(ws: WebSocketLike): Promise<Port> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === WS_OPEN) {
      resolve(fromWebSocket(ws));
      return;
    }
    if (ws.readyState !== WS_CONNECTING) {
      reject(new Error('socket already closed'));
      return;
    }
    let settled = false;
    // Failures (refused upgrade, DNS, reset) arrive as 'error' then 'close'; 'close' settles.
    ws.addEventListener('error', () => undefined);
    ws.addEventListener('open', () => {
      if (settled) return;
      settled = true;
      resolve(fromWebSocket(ws));
    });
    ws.addEventListener('close', (event) => {
      if (settled) return;
      settled = true;
      reject(new Error(`socket closed before it opened (${event.code})`));
    });
  });
}
