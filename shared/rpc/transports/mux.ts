import { createPort } from '../port';
import type { Port, PortController } from '../port';

/**
 * Many connections over one message pipe, as used between the web-mode host and the engine child
 * process (Node child-process IPC): the host accepts WebSockets and forwards each one's JSON text
 * tagged with a connection number; the engine sees one Port per connection.
 */
export type MuxMessage =
  | { readonly kind: 'open'; readonly conn: number }
  | { readonly kind: 'data'; readonly conn: number; readonly data: string }
  | { readonly kind: 'close'; readonly conn: number; readonly reason: string };

/** True when `value` has the shape of a MuxMessage (checked before use: it crossed a process). */
export function isMuxMessage(value: unknown): value is MuxMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.conn !== 'number' || !Number.isSafeInteger(m.conn)) return false;
  switch (m.kind) {
    case 'open':
      return true;
    case 'data':
      return typeof m.data === 'string';
    case 'close':
      return typeof m.reason === 'string';
    default:
      return false;
  }
}

/**
 * The engine's side of the mux. `receive` takes each message from the pipe; `onConnection` is
 * called with a Port for each connection the host opens. `send` writes to the pipe.
 */
export class MuxServer {
  private readonly connections = new Map<number, PortController>();

  constructor(
    private readonly send: (message: MuxMessage) => void,
    private readonly onConnection: (port: Port, conn: number) => void,
  ) {}

  get size(): number {
    return this.connections.size;
  }

  receive(message: MuxMessage): void {
    const existing = this.connections.get(message.conn);
    switch (message.kind) {
      case 'open': {
        if (existing !== undefined) return;
        const conn = message.conn;
        const controller = createPort(
          'json',
          (data) => {
            if (typeof data === 'string') this.send({ kind: 'data', conn, data });
          },
          (reason) => {
            this.connections.delete(conn);
            this.send({ kind: 'close', conn, reason });
          },
        );
        this.connections.set(conn, controller);
        controller.port.onClose(() => this.connections.delete(conn));
        this.onConnection(controller.port, conn);
        return;
      }
      case 'data':
        existing?.deliver(message.data);
        return;
      case 'close':
        this.connections.delete(message.conn);
        existing?.closed(message.reason);
        return;
    }
  }

  /** The pipe itself closed (the host went away): every connection closes. */
  closeAll(reason: string): void {
    const all = [...this.connections.values()];
    this.connections.clear();
    for (const c of all) c.closed(reason);
  }
}

/** Sent once by the engine child over the pipe when it accepts connections. */
export interface ChildReadyMessage {
  readonly kind: 'ready';
  readonly pid: number;
}

export function isChildReadyMessage(value: unknown): value is ChildReadyMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'ready' &&
    typeof (value as { pid?: unknown }).pid === 'number'
  );
}
