import type { Disposable } from '../disposable';

/**
 * One end of a two-way message pipe: the only thing the RPC layer needs from a transport.
 * Transports (MessagePort, child-process IPC, WebSocket, the in-memory pair) adapt to this.
 */
export interface Port {
  /**
   * How frames travel. 'json': as JSON text (WebSocket, the IPC connection mux), so the RPC layer
   * stringifies and parses; 'structured': as objects (MessagePort, structured clone).
   */
  readonly encoding: 'json' | 'structured';
  /** Sends one frame (a string for 'json' ports). Does nothing once closed. */
  send(data: unknown): void;
  /** Called for every frame received. */
  onMessage(listener: (data: unknown) => void): Disposable;
  /** Called once, when either side closes the port or the transport dies. */
  onClose(listener: (reason: string) => void): Disposable;
  /** Closes the port; both sides' onClose listeners run. */
  close(reason?: string): void;
  readonly isClosed: boolean;
}

/**
 * The transport-facing side of a Port: a transport calls `deliver` for each frame it receives and
 * `closed` when it dies. Building block for every transport.
 */
export interface PortController {
  readonly port: Port;
  deliver(data: unknown): void;
  closed(reason: string): void;
}

/**
 * Builds a Port around a transport's `send` and `close`. `close` is called at most once, when this
 * side closes the port (not when the transport reported the close itself).
 */
export function createPort(
  encoding: Port['encoding'],
  send: (data: unknown) => void,
  close: (reason: string) => void,
): PortController {
  const messageListeners = new Set<(data: unknown) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  let isClosed = false;

  const finish = (reason: string): void => {
    if (isClosed) return;
    isClosed = true;
    messageListeners.clear();
    for (const l of [...closeListeners]) l(reason);
    closeListeners.clear();
  };

  const port: Port = {
    encoding,
    get isClosed() {
      return isClosed;
    },
    send(data) {
      if (!isClosed) send(data);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return { dispose: () => messageListeners.delete(listener) };
    },
    onClose(listener) {
      if (isClosed) {
        listener('closed');
        return { dispose: () => undefined };
      }
      closeListeners.add(listener);
      return { dispose: () => closeListeners.delete(listener) };
    },
    close(reason = 'closed') {
      if (isClosed) return;
      finish(reason);
      close(reason);
    },
  };

  return {
    port,
    deliver(data) {
      if (isClosed) return;
      for (const l of [...messageListeners]) l(data);
    },
    closed: finish,
  };
}
