import type { Disposable } from '../../../shared/disposable';
import { PRELOAD_GLOBAL } from '../../../shared/electronBridge';
import type { PreloadApi } from '../../../shared/electronBridge';
import type { Port } from '../../../shared/rpc/port';
import type { WebSocketLike } from '../../../shared/rpc/transports/webSocket';
import type { EngineTransportKind } from './engineStore';
import { PreloadPortSource } from './preloadPort';
import type { PortWindow } from './preloadPort';
import { engineWebSocketUrl, openEngineWebSocket } from './webSocketPort';
import type { PageLocation } from './webSocketPort';

/** How this window will reach the engine, decided once at start. */
export type EngineTransport =
  | { readonly kind: 'messagePort'; readonly api: Pick<PreloadApi, 'requestEnginePort'> }
  | { readonly kind: 'webSocket'; readonly url: string };

/** The parts of `window` that decide the transport. */
export interface TransportWindow {
  readonly location: PageLocation;
}

/** True when `value` looks like the preload's API (the app), as opposed to a plain browser. */
export function isPreloadApi(value: unknown): value is Pick<PreloadApi, 'requestEnginePort'> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { requestEnginePort?: unknown }).requestEnginePort === 'function'
  );
}

/**
 * In the app the preload puts its API on `window.shrivenq`: use its MessagePort. Otherwise this is
 * web mode: a WebSocket to `/rpc` on the page's own host, with the token.
 */
export function chooseTransport(win: TransportWindow, token: string | undefined): EngineTransport {
  const api = (win as unknown as Record<string, unknown>)[PRELOAD_GLOBAL];
  if (isPreloadApi(api)) return { kind: 'messagePort', api };
  return { kind: 'webSocket', url: engineWebSocketUrl(win.location, token) };
}

/** Opens connections over a chosen transport; what ReconnectingClient's `connect` calls. */
export interface EngineConnector extends Disposable {
  readonly kind: EngineTransportKind;
  connect(): Promise<Port>;
}

export interface ConnectorEnvironment {
  /** Receives the preload's port messages (the app only). */
  readonly win: PortWindow;
  /** Makes a WebSocket (web mode only): `(url) => new WebSocket(url)` in a page. */
  readonly createWebSocket: (url: string) => WebSocketLike;
  /** Called when main sends a new engine port unasked (see PreloadPortSource). */
  readonly onUnaskedPort?: () => void;
}

/** A connector for `transport`. */
export function createConnector(transport: EngineTransport, env: ConnectorEnvironment): EngineConnector {
  if (transport.kind === 'messagePort') {
    const source = new PreloadPortSource(
      env.win,
      transport.api,
      env.onUnaskedPort === undefined ? {} : { onUnaskedPort: env.onUnaskedPort },
    );
    return {
      kind: 'messagePort',
      connect: () => source.next(),
      dispose: () => {
        source.dispose();
      },
    };
  }
  const { url } = transport;
  return {
    kind: 'webSocket',
    connect: () => openEngineWebSocket(() => env.createWebSocket(url)),
    dispose: () => undefined,
  };
}
