import type { EngineConnectMessage } from '../../../shared/electronBridge';
import { fromMessagePortMain } from '../../../shared/rpc/transports/messagePort';
import type { MessagePortMainLike } from '../../../shared/rpc/transports/messagePort';
import { isMuxMessage, MuxServer } from '../../../shared/rpc/transports/mux';
import type { ChildReadyMessage, MuxMessage } from '../../../shared/rpc/transports/mux';
import type { Port } from '../../../shared/rpc/port';
import type { SystemInfo } from '../../../shared/services/system';
import { isCredentialsMessage, isRequestTokenMessage, isVenueMessage } from '../../../shared/venue';
import type { KiteCredentials, VenueEndpoint } from '../../../shared/venue';

/** How the engine process is hosted, and how it receives client connections. */
export interface Hosting {
  readonly kind: SystemInfo['host'];
  /**
   * Starts delivering connections; `onGone` runs when the parent goes away; `onVenue` whenever the
   * host says where the local exchange is (sim mode), or that it is gone (null).
   */
  start(onConnection: (port: Port, client: string) => void, onGone: () => void, control: HostControl): void;
}

/** What the host tells the engine besides connections (sim venue, Kite credentials, login tokens). */
export interface HostControl {
  /** Where the local exchange is (sim mode), or that it is gone (null). */
  venue(endpoint: VenueEndpoint | null): void;
  /** The Kite app's credentials (paper and live), or none (null). */
  credentials(credentials: KiteCredentials | null): void;
  /** A login's request_token, caught by the host (the login window, web mode's callback). */
  requestToken(token: string): void;
}

/** Routes a host message to `control`; false when it is not one. */
function dispatchControl(message: unknown, control: HostControl): boolean {
  if (isVenueMessage(message)) control.venue(message.endpoint);
  else if (isCredentialsMessage(message)) control.credentials(message.credentials);
  else if (isRequestTokenMessage(message)) control.requestToken(message.requestToken);
  else return false;
  return true;
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
    start(onConnection, _onGone, control) {
      parentPort.on('message', (event) => {
        if (dispatchControl(event.data, control)) return;
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
    start(onConnection, onGone, control) {
      const mux = new MuxServer(send, (port, conn) => {
        onConnection(port, `ws:${conn}`);
      });
      process.on('message', (message: unknown) => {
        if (isMuxMessage(message)) mux.receive(message);
        else dispatchControl(message, control);
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
