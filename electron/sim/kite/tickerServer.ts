/**
 * The KiteTicker WebSocket side of the local exchange (the "stream" part of this adapter):
 * authenticates the upgrade from the query string, heartbeats every second, streams binary frames
 * conflated per connection, pushes order updates as text frames, and obeys the admin API's drops and
 * silent stalls.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Disposable } from '../../../shared/disposable';
import { TickFrameWriter } from '../../../shared/kite/tickPacket';
import type { TickSnapshot } from '../../../shared/kite/tickPacket';
import type { KiteSession } from './session';
import {
  errorFrame,
  MAX_INSTRUMENTS_PER_CONNECTION,
  PARSE_ERROR_FRAME,
  parseTickerCommand,
  Subscriptions,
} from './tickerProtocol';
import type { KiteOrder, KiteVenue } from './venue';

/** Connections one api_key may hold at once (Kite: 3). */
export const MAX_CONNECTIONS_PER_KEY = 3;

/** Largest client message accepted (a full 3000-token subscribe is ~30 kB). */
const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024;

export interface TickerServerOptions {
  readonly venue: KiteVenue;
  readonly session: KiteSession;
  /** Between heartbeats, ms (Kite: about 1 s; the JS client gives up after 5 s of silence). */
  readonly heartbeatMs?: number;
  readonly maxConnections?: number;
  readonly log: (line: string) => void;
}

const HEARTBEAT = Buffer.from([0]);

/** What the ticker has sent since it started, over every connection (heartbeats not counted). */
export interface TickerCounts {
  /** Binary tick frames. */
  frames: number;
  /** Instrument packets in them: one per instrument per frame, ticks being conflated. */
  packets: number;
}

/** One client connection. */
class TickerConnection {
  readonly subscriptions = new Subscriptions();
  /** Latest unsent snapshot per token: ticks are conflated, never queued. */
  private readonly pending = new Map<number, TickSnapshot>();
  private flushScheduled = false;
  /** Silent: nothing is sent, heartbeats included (an admin-injected fault). */
  stalled = false;

  constructor(
    readonly ws: WebSocket,
    private readonly writer: TickFrameWriter,
    private readonly counts: TickerCounts,
  ) {}

  /** Queues `snapshot` for the next frame (replacing an unsent older one). */
  push(snapshot: TickSnapshot): void {
    if (this.subscriptions.mode(snapshot.instrumentToken) === undefined) return;
    this.pending.set(snapshot.instrumentToken, snapshot);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flush();
    });
  }

  /** Sends every pending snapshot as one binary frame (kept back while stalled). */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.size === 0 || this.stalled || this.ws.readyState !== this.ws.OPEN) return;
    this.writer.begin();
    let packets = 0;
    for (const [token, snapshot] of this.pending) {
      const mode = this.subscriptions.mode(token);
      if (mode === undefined) continue;
      this.writer.add(snapshot, mode);
      packets++;
    }
    this.pending.clear();
    const frame = this.writer.finish();
    // The writer's buffer is reused by the next frame; ws may still hold this one, so copy it.
    if (frame.byteLength > 2) {
      this.ws.send(Buffer.from(frame), { binary: true });
      this.counts.frames++;
      this.counts.packets += packets;
    }
  }

  sendText(text: string): void {
    if (!this.stalled && this.ws.readyState === this.ws.OPEN) this.ws.send(text);
  }

  heartbeat(): void {
    if (this.stalled || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(HEARTBEAT, { binary: true });
    // Ticks held back by a stall go out with the first heartbeat after it.
    if (this.pending.size > 0) this.flush();
  }
}

/** Instruments watched at the venue, shared by every connection subscribed to them. */
interface Watch {
  readonly connections: Set<TickerConnection>;
  readonly subscription: Disposable | undefined;
}

/** Serves KiteTicker connections; attach to an HTTP server's `upgrade` through `handleUpgrade`. */
export class TickerServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  private readonly connections = new Set<TickerConnection>();
  private readonly watches = new Map<number, Watch>();
  private readonly writer = new TickFrameWriter();
  private readonly heartbeatTimer: NodeJS.Timeout;
  private readonly orderUpdates: Disposable;
  private readonly stallTimers = new Set<NodeJS.Timeout>();
  private readonly counts: TickerCounts = { frames: 0, packets: 0 };

  constructor(private readonly options: TickerServerOptions) {
    this.heartbeatTimer = setInterval(() => {
      for (const c of this.connections) c.heartbeat();
    }, options.heartbeatMs ?? 1000);
    this.orderUpdates = options.venue.onOrderUpdate((order) => {
      this.broadcastOrder(order);
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Tick frames and packets sent so far (a copy). */
  get sent(): TickerCounts {
    return { ...this.counts };
  }

  /** Completes or refuses a WebSocket upgrade (credentials in the query string, as KiteTicker sends them). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const apiKey = url.searchParams.get('api_key') ?? '';
    const accessToken = url.searchParams.get('access_token') ?? '';
    if (!this.options.session.check(apiKey, accessToken)) {
      refuse(403, 'Forbidden');
      return;
    }
    if (this.connections.size >= (this.options.maxConnections ?? MAX_CONNECTIONS_PER_KEY)) {
      refuse(429, 'Too Many Requests');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.accept(ws);
    });
  }

  /** Drops every connection without a closing handshake (a network failure, as the client sees it). */
  dropAll(): number {
    const count = this.connections.size;
    for (const c of [...this.connections]) c.ws.terminate();
    return count;
  }

  /**
   * Stops sending anything (heartbeats, ticks, order updates) on every open connection for `ms` of
   * wall-clock time; the socket stays open. Ticks come back conflated afterwards; order updates sent
   * during the stall are lost, as a client of a silently dead feed would lose them.
   */
  stallAll(ms: number): number {
    const stalled = [...this.connections];
    for (const c of stalled) c.stalled = true;
    const timer = setTimeout(() => {
      this.stallTimers.delete(timer);
      for (const c of stalled) c.stalled = false;
    }, ms);
    this.stallTimers.add(timer);
    return stalled.length;
  }

  /** Closes every connection and stops. */
  close(): void {
    clearInterval(this.heartbeatTimer);
    for (const t of this.stallTimers) clearTimeout(t);
    this.stallTimers.clear();
    this.orderUpdates.dispose();
    for (const c of [...this.connections]) c.ws.terminate();
    for (const w of this.watches.values()) w.subscription?.dispose();
    this.watches.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    const connection = new TickerConnection(ws, this.writer, this.counts);
    this.connections.add(connection);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        connection.sendText(PARSE_ERROR_FRAME);
        return;
      }
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.from(data).toString('utf8');
      this.onCommand(connection, text);
    });
    ws.on('close', () => {
      this.release(connection);
    });
    ws.on('error', (error) => {
      this.options.log(`ticker: ${error.message}`);
    });
  }

  private onCommand(connection: TickerConnection, text: string): void {
    const command = parseTickerCommand(text);
    if (command === undefined) {
      connection.sendText(PARSE_ERROR_FRAME);
      return;
    }
    const change = connection.subscriptions.apply(command);
    for (const token of change.added) this.watch(token, connection);
    for (const token of change.removed) this.unwatch(token, connection);
    // Kite sends the instrument's current state on subscribe and on a mode change.
    for (const token of [...change.added, ...change.moded]) {
      const snapshot = this.options.venue.snapshot(token);
      if (snapshot !== undefined) connection.push(snapshot);
    }
    if (change.refused.length > 0)
      connection.sendText(
        errorFrame(
          `Maximum of ${MAX_INSTRUMENTS_PER_CONNECTION} instruments per connection reached; ${change.refused.length} not subscribed.`,
        ),
      );
  }

  private watch(token: number, connection: TickerConnection): void {
    const existing = this.watches.get(token);
    if (existing !== undefined) {
      existing.connections.add(connection);
      return;
    }
    const connections = new Set([connection]);
    const subscription = this.options.venue.watchInstrument(token, (snapshot) => {
      for (const c of connections) c.push(snapshot);
    });
    this.watches.set(token, { connections, subscription });
  }

  private unwatch(token: number, connection: TickerConnection): void {
    const w = this.watches.get(token);
    if (w === undefined) return;
    w.connections.delete(connection);
    if (w.connections.size > 0) return;
    w.subscription?.dispose();
    this.watches.delete(token);
  }

  private release(connection: TickerConnection): void {
    if (!this.connections.delete(connection)) return;
    for (const token of [...connection.subscriptions.tokens()]) this.unwatch(token, connection);
  }

  private broadcastOrder(order: KiteOrder): void {
    if (this.connections.size === 0) return;
    const text = JSON.stringify({ type: 'order', data: orderUpdatePayload(order, this.options.session) });
    for (const c of this.connections) c.sendText(text);
  }
}

/**
 * The order-update payload (postback.json): the order row plus `user_id`, `unfilled_quantity`,
 * `app_id` and `checksum = SHA-256(order_id + order_timestamp + api_secret)`.
 */
export function orderUpdatePayload(order: KiteOrder, session: KiteSession): Record<string, unknown> {
  return {
    ...order,
    user_id: session.user.user_id,
    unfilled_quantity: order.pending_quantity,
    app_id: 0,
    checksum: session.postbackChecksum(order.order_id, order.order_timestamp),
  };
}
