import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { RpcClient } from '../../../shared/rpc/client';
import { toService } from '../../../shared/rpc/client';
import type { Port } from '../../../shared/rpc/port';
import { ReconnectingClient } from '../../../shared/rpc/reconnect';
import type { RestartPolicyOptions } from '../../../shared/supervision';
import type { Timers } from '../../../shared/rpc/timers';
import { systemService } from '../../../shared/services/system';
import type { EngineStore, EngineTransportKind } from './engineStore';

/**
 * A connection with no frame for this long is presumed dead and replaced. The status stream sends a
 * sample every second, so 3.5 s is three missed samples: quick to notice a killed engine, and
 * forgiving of one slow second.
 */
export const ENGINE_LIVENESS_MS = 3_500;

/** How long the handshake (`system.info`) may take before the attempt counts as failed. */
export const HANDSHAKE_TIMEOUT_MS = 3_000;

export interface EngineConnectionOptions {
  readonly kind: EngineTransportKind;
  /** Opens a new Port to the engine (a WebSocket, or a MessagePort from the preload). */
  readonly connect: () => Promise<Port>;
  readonly store: EngineStore;
  readonly livenessMs?: number;
  readonly backoff?: RestartPolicyOptions;
  readonly timers?: Timers;
}

/** This window's live link to the engine. Owns its ReconnectingClient; dispose to close it. */
export interface EngineConnection extends Disposable {
  /** For features that call the engine (their streams survive reconnects). */
  readonly client: ReconnectingClient;
}

/** `system.info` with the handshake's own time limit. */
function handshakeService(rpc: RpcClient) {
  return toService(
    {
      request: (method, params) => rpc.request(method, params, HANDSHAKE_TIMEOUT_MS),
      subscribe: (stream, params, listener, onEnd) => rpc.subscribe(stream, params, listener, onEnd),
    },
    systemService,
  );
}

/**
 * Connects to the engine and keeps `store` up to date: the link's state, the engine's info (fetched
 * by the handshake of every connection, so a restarted engine's new pid shows at once) and its 1 Hz
 * status. The status stream doubles as the heartbeat that liveness watches.
 */
export function startEngineConnection(options: EngineConnectionOptions): EngineConnection {
  const { store } = options;
  const owned = new DisposableStore();
  store.getState().transportChosen(options.kind);

  const client = new ReconnectingClient({
    connect: options.connect,
    handshake: async (rpc) => {
      const info = await handshakeService(rpc).info();
      store.getState().infoReceived(info);
    },
    livenessMs: options.livenessMs ?? ENGINE_LIVENESS_MS,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  // The store disposes newest first: the client closes (and reports 'closed') before we stop listening.
  owned.add(
    client.onState((state) => {
      store.getState().connectionChanged(state);
    }),
  );
  owned.add(
    client.service(systemService).onStatus((status) => {
      store.getState().statusReceived(status);
    }),
  );
  owned.add(client);

  return {
    client,
    dispose: () => {
      owned.dispose();
    },
  };
}
