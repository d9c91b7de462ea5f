import { toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { ConnectionState } from '../../../shared/rpc/reconnect';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { marketService } from '../../../shared/services/market';
import type { FrameScheduler } from './frameCoalescer';

/** The engine's market service, as the renderer calls it. */
export type MarketService = ServiceOf<typeof marketService>;

/**
 * When the window's link to the engine is up. Requests fail while it is down (they are never
 * queued), so whatever a feature fetches once (a snapshot, history, the first-start seed) it fetches
 * again on each connection.
 */
export interface EngineLink {
  readonly isConnected: () => boolean;
  /** Calls `listener` on every new connection (not now, if already connected). */
  readonly onConnected: (listener: () => void) => Disposable;
}

/** What the market-data panels share: the service, the link, and the window's frames. */
export interface MarketData {
  readonly market: MarketService;
  readonly link: EngineLink;
  readonly frames: FrameScheduler;
}

/** An EngineLink over a ReconnectingClient's state. */
export function engineLinkOf(client: {
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState) => void): Disposable;
}): EngineLink {
  return {
    isConnected: () => client.state.status === 'connected',
    onConnected: (listener) => {
      let wasConnected = client.state.status === 'connected';
      const sub = client.onState((state) => {
        const connected = state.status === 'connected';
        if (connected && !wasConnected) listener();
        wasConnected = connected;
      });
      return toDisposable(() => {
        sub.dispose();
      });
    },
  };
}
