import type { Port } from '../../../shared/rpc/port';
import { realTimers } from '../../../shared/rpc/timers';
import type { Timers } from '../../../shared/rpc/timers';
import { openWebSocketPort } from '../../../shared/rpc/transports/webSocket';
import type { WebSocketLike } from '../../../shared/rpc/transports/webSocket';

/** How long a WebSocket may take to open before the attempt counts as failed. */
export const WEBSOCKET_OPEN_TIMEOUT_MS = 5_000;

/** The parts of `location` that name the engine's WebSocket endpoint. */
export interface PageLocation {
  readonly protocol: string;
  readonly host: string;
}

/** The web-mode engine endpoint for the page at `location`: same host, `/rpc`, with the token. */
export function engineWebSocketUrl(location: PageLocation, token: string | undefined): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // Without a token the server's HttpOnly cookie (set on the first load) can still authorize.
  const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
  return `${scheme}://${location.host}/rpc${query}`;
}

/**
 * Opens a WebSocket made by `createSocket` and resolves with a Port once it is open; rejects if it
 * closes first or does not open within `timeoutMs` (then the socket is closed).
 */
export function openEngineWebSocket(
  createSocket: () => WebSocketLike,
  timeoutMs: number = WEBSOCKET_OPEN_TIMEOUT_MS,
  timers: Timers = realTimers,
): Promise<Port> {
  let ws: WebSocketLike;
  try {
    ws = createSocket();
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  return new Promise<Port>((resolve, reject) => {
    let settled = false;
    const timer = timers.setTimeout(() => {
      if (settled) return;
      settled = true;
      ws.close();
      reject(new Error(`engine socket did not open within ${timeoutMs} ms`));
    }, timeoutMs);
    openWebSocketPort(ws).then(
      (port) => {
        timers.clearTimeout(timer);
        if (settled) port.close('opened too late');
        else {
          settled = true;
          resolve(port);
        }
      },
      (e: unknown) => {
        timers.clearTimeout(timer);
        if (settled) return;
        settled = true;
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
