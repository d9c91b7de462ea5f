import type { EngineConnectMessage } from '../../../shared/electronBridge';
import { fromMessagePortMain } from '../../../shared/rpc/transports/messagePort';
import type { MessagePortMainLike } from '../../../shared/rpc/transports/messagePort';
import { isMuxMessage, MuxServer } from '../../../shared/rpc/transports/mux';
import type { ChildReadyMessage, MuxMessage } from '../../../shared/rpc/transports/mux';
import type { Port } from '../../../shared/rpc/port';
import type { SystemInfo } from '../../../shared/services/system';
import { isVenueMessage } from '../../../shared/venue';
import type { VenueEndpoint } from '../../../shared/venue';

/** How the engine process is hosted, and how it receives client connections. */
export interface Hosting {
  readonly kind: SystemInfo['host'];
  /**
   * Starts delivering connections; `onGone` runs when the parent goes away; `onVenue` whenever the
   * host says where the local exchange is (sim mode), or that it is gone (null).
   */
  start(
    onConnection: (port: Port, client: string) => void,
    onGone: () => void,
    onVenue: (endpoint: VenueEndpoint | null) => void,
  ): void;
}

/** The parts of Electron's `process.parentPort` in a utility process used here. */
interface ParentPortLike {
  on(
    event: 'message',
    listener: (event: { readonly data: unknown; readonly ports: readonly MessagePortMainLike[] }) => void,
  ): unknown;
}

function isConnectMessage(data: unknown): data is EngineConnectMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === 'connect' &&
    typeof (data as { client?: unknown }).client === 'string'
  );
}

/** Under Electron: main posts `{type:'connect'}` with one MessagePortMain per window. */
function electronUtility(parentPort: ParentPortLike): Hosting {
  return {
    kind: 'electron-utility',
    start(onConnection, _onGone, onVenue) {
      parentPort.on('message', (event) => {
        if (isVenueMessage(event.data)) {
          onVenue(event.data.endpoint);
          return;
        }
        const port = event.ports[0];
        if (!isConnectMessage(event.data) || port === undefined) return;
        onConnection(fromMessagePortMain(port), event.data.client);
      });
    },
  };
}

/** Under plain Node (web mode): the parent multiplexes WebSocket connections over fork IPC. */
function nodeChild(send: (message: MuxMessage) => void): Hosting {
  return {
    kind: 'node-child',
    start(onConnection, onGone, onVenue) {
      const mux = new MuxServer(send, (port, conn) => {
        onConnection(port, `ws:${conn}`);
      });
      process.on('message', (message: unknown) => {
        if (isMuxMessage(message)) mux.receive(message);
        else if (isVenueMessage(message)) onVenue(message.endpoint);
      });
      process.on('disconnect', () => {
        mux.closeAll('host disconnected');
        onGone();
      });
      const ready: ChildReadyMessage = { kind: 'ready', pid: process.pid };
      process.send?.(ready);
    },
  };
}

/** Picks the hosting from what the process was given: Electron's parentPort, or Node's IPC channel. */
export function detectHosting(): Hosting | undefined {
  const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort !== undefined) return electronUtility(parentPort);
  const send = process.send?.bind(process);
  if (send !== undefined) {
    return nodeChild((message) => {
      if (process.connected) send(message);
    });
  }
  return undefined;
}
