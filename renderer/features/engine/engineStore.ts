import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { ConnectionState } from '../../../shared/rpc/reconnect';
import type { SystemInfo, SystemStatus } from '../../../shared/services/system';

/** How this window reaches the engine: the preload's MessagePort (app) or a WebSocket (web mode). */
export type EngineTransportKind = 'messagePort' | 'webSocket';

/**
 * What the window knows about the engine. Values from the engine are kept when the link drops, so
 * the UI can show them dimmed as stale rather than blank; `isLive`/`isStatusLive` say whether to.
 */
export interface EngineState {
  readonly transport: EngineTransportKind | undefined;
  readonly connection: ConnectionState;
  /** From the handshake of the latest connection (a restarted engine has a new pid and start). */
  readonly info: SystemInfo | undefined;
  /** The latest status sample, from this connection or an earlier one (see `statusIsCurrent`). */
  readonly status: SystemStatus | undefined;
  /** True once a status sample has arrived on the current connection. */
  readonly statusIsCurrent: boolean;

  readonly transportChosen: (kind: EngineTransportKind) => void;
  readonly connectionChanged: (connection: ConnectionState) => void;
  readonly infoReceived: (info: SystemInfo) => void;
  readonly statusReceived: (status: SystemStatus) => void;
}

export type EngineStore = StoreApi<EngineState>;

/** The data part of EngineState, for a store's starting point (tests, server rendering). */
export type EngineSnapshot = Pick<
  EngineState,
  'transport' | 'connection' | 'info' | 'status' | 'statusIsCurrent'
>;

/** One store per window. `initial` overrides the starting values. */
export function createEngineStore(
  initial: Partial<EngineSnapshot> = {},
  now: () => number = Date.now,
): EngineStore {
  return createStore<EngineState>()((set) => ({
    transport: undefined,
    connection: { status: 'connecting', attempt: 0, since: now() },
    info: undefined,
    status: undefined,
    statusIsCurrent: false,
    ...initial,

    transportChosen: (transport) => {
      set({ transport });
    },
    connectionChanged: (connection) => {
      // A sample from before a reconnect says nothing about the engine now (it may be a new one).
      if (connection.status === 'connected') set({ connection });
      else set({ connection, statusIsCurrent: false });
    },
    infoReceived: (info) => {
      set({ info });
    },
    statusReceived: (status) => {
      set({ status, statusIsCurrent: true });
    },
  }));
}

/** True while the window has a working connection to the engine. */
export const selectIsLive = (s: EngineState): boolean => s.connection.status === 'connected';

/** True when the status values on screen are from the engine as it is now. */
export const selectIsStatusLive = (s: EngineState): boolean =>
  s.connection.status === 'connected' && s.statusIsCurrent && s.status !== undefined;
