/**
 * The order endpoints' own transport: place (`POST /orders/:variety`), modify (`PUT
 * /orders/:variety/:order_id`) and cancel (`DELETE /orders/:variety/:order_id`) as HTTP/1.1 over
 * kept-alive sockets, written in the same turn as the call. Everything else goes through the
 * official client (http.ts).
 *
 * Why: ARCHITECTURE.md budgets "order accepted by OMS -> request bytes on the socket" at p99 100 us.
 * The official client (axios, its interceptors and adapters, a socket from Node's agent on a later
 * turn) takes 0.8-2 ms from `placeOrder` to the first write on this machine (`npm run bench`, suite
 * `oms`), before the OMS's own work. Here the request is formatted and handed to an idle socket
 * before the call returns.
 *
 * What it keeps of the client's behaviour, and of http.ts's wrapper:
 * - the same requests: the same params (placeOrderParams / modifyOrderParams), form-encoded, with
 *   `X-Kite-Version: 3` and `Authorization: token api_key:access_token`;
 * - pacing: the shared RequestPacer's `orders` class (a synchronous grant when one is free, else it
 *   waits like every other request);
 * - outcomes as BrokerErrors: an answer with Kite's `error_type` is a refusal (`outcomeUnknown`
 *   false) unless it is a 5xx; a timeout, a connection that breaks after the request was written,
 *   or an answer that cannot be read is `outcomeUnknown` (the OMS resolves the order by its tag and
 *   never sends it again). A request never written (no connection could be made) is not unknown.
 *   Nothing is retried;
 * - a TokenException calls `onTokenError`.
 *
 * Connections: `connections` sockets (default 2) are opened by `warm()` or the first request and kept; one carries one
 * request at a time (no pipelining). A socket idle for `idleMs` (default 4 s, under the usual
 * 5 s keep-alive of servers) is replaced by a fresh one before the server can close it under a
 * request. When none is idle, another is opened and the request waits for it.
 *
 * Single-threaded: the engine's kernel thread.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Disposable } from '../../../../shared/disposable';
import { BrokerError } from '../errors';
import type { Variety } from '../types';
import {
  checkOrderId,
  kiteErrorKind,
  modifyOrderParams,
  parseOrderId,
  parsePlaceOrderResult,
  placeOrderParams,
} from './parse';
import type { FormValue, ModifyOrderRequest, PlaceOrderRequest, PlaceOrderResult } from './parse';
import type { RequestPacer } from './rateLimiter';

export interface KiteOrderWireOptions {
  /** `https://api.kite.trade` or the local exchange's `http://127.0.0.1:port`. */
  readonly root: string;
  readonly apiKey: string;
  readonly accessToken: () => string | undefined;
  readonly pacer: RequestPacer;
  /** Per request, ms (default 7000). */
  readonly timeoutMs?: number;
  readonly connections?: number;
  readonly idleMs?: number;
  readonly onTokenError?: (error: BrokerError) => void;
  /** Called after every request's outcome, as KiteRest's `onAttempt`. */
  readonly onAttempt?: (event: {
    endpoint: Endpoint;
    attempt: 1;
    durationMs: number;
    error?: BrokerError;
  }) => void;
}

export type Endpoint = 'orders.place' | 'orders.modify' | 'orders.cancel';

interface Pending {
  readonly endpoint: Endpoint;
  readonly head: string;
  readonly body: string;
  readonly parse: (data: unknown) => unknown;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: BrokerError) => void;
  readonly startedAt: number;
  written: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** One kept-alive socket and the answer it is reading. */
class Connection {
  connected = false;
  closed = false;
  request: Pending | undefined;
  lastUsed = 0;
  private buffer: Buffer = Buffer.alloc(0);

  constructor(
    readonly socket: net.Socket,
    private readonly onAnswer: (c: Connection, status: number, body: string, close: boolean) => void,
    private readonly onBroken: (c: Connection, why: string) => void,
  ) {
    socket.setNoDelay(true);
    socket.unref();
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.read();
    });
    socket.on('error', (e) => {
      this.broken(e.message);
    });
    socket.on('close', () => {
      this.broken('the connection closed');
    });
  }

  private broken(why: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onBroken(this, why);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Parses one answer from the buffer when it is complete (Content-Length or chunked). */
  private read(): void {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffer.toString('latin1', 0, end);
    const lines = head.split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 'NaN');
    let length = -1;
    let chunked = false;
    let close = false;
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k] ?? '';
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.includes('chunked');
      else if (name === 'connection') close = value === 'close';
    }
    const start = end + 4;
    let body: Buffer;
    let consumed: number;
    if (chunked) {
      const parts: Buffer[] = [];
      let at = start;
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = parseInt(this.buffer.toString('latin1', at, lineEnd), 16);
        if (!Number.isFinite(size)) {
          this.broken('an unreadable chunked answer');
          return;
        }
        if (this.buffer.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          // No trailers are expected; the last chunk ends with an empty line.
          consumed = lineEnd + 4;
          break;
        }
        parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else if (length >= 0) {
      if (this.buffer.length < start + length) return;
      body = this.buffer.subarray(start, start + length);
      consumed = start + length;
    } else {
      // Neither: the body runs to the end of the connection (HTTP/1.0 style); not kept alive.
      return;
    }
    this.buffer = this.buffer.subarray(consumed);
    this.onAnswer(this, status, body.toString('utf8'), close || !Number.isFinite(status));
  }
}

export class KiteOrderWire implements Disposable {
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly size: number;
  private readonly idleMs: number;
  private readonly connections = new Set<Connection>();
  /** Requests waiting for a connection (none idle when they came). */
  private readonly waiting: Pending[] = [];
  private readonly sweep: ReturnType<typeof setInterval>;
  private disposed = false;

  constructor(private readonly o: KiteOrderWireOptions) {
    this.url = new URL(o.root);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:')
      throw new RangeError(`root ${o.root} is not http(s)`);
    this.timeoutMs = o.timeoutMs ?? 7_000;
    this.size = Math.max(1, o.connections ?? 2);
    this.idleMs = o.idleMs ?? 4_000;
    this.sweep = setInterval(
      () => {
        this.recycle();
      },
      Math.max(250, Math.floor(this.idleMs / 4)),
    );
    this.sweep.unref();
  }

  /** Opens the connections now, so that the first order finds one idle. */
  warm(): void {
    this.refill();
  }

  /** Places an order; the request is written before this returns when a connection is idle. */
  place(request: PlaceOrderRequest): Promise<PlaceOrderResult> {
    return this.send(
      'orders.place',
      'POST',
      `/orders/${request.variety}`,
      () => placeOrderParams(request),
      parsePlaceOrderResult,
    ) as Promise<PlaceOrderResult>;
  }

  modify(request: ModifyOrderRequest): Promise<string> {
    return this.send(
      'orders.modify',
      'PUT',
      `/orders/${request.variety}/${request.orderId}`,
      () => modifyOrderParams(request),
      (d) => parseOrderId(d, 'modifyOrder'),
    ) as Promise<string>;
  }

  cancel(variety: Variety, orderId: string): Promise<string> {
    return this.send(
      'orders.cancel',
      'DELETE',
      `/orders/${variety}/${orderId}`,
      () => {
        checkOrderId(orderId);
        return {};
      },
      (d) => parseOrderId(d, 'cancelOrder'),
    ) as Promise<string>;
  }

  private send(
    endpoint: Endpoint,
    method: string,
    path: string,
    params: () => Record<string, FormValue>,
    parse: (data: unknown) => unknown,
  ): Promise<unknown> {
    let body: string;
    try {
      body = formEncode(params());
    } catch (e) {
      return Promise.reject(
        e instanceof BrokerError
          ? e.with({ endpoint })
          : new BrokerError('input', e instanceof Error ? e.message : String(e), { endpoint }),
      );
    }
    if (this.disposed)
      return Promise.reject(new BrokerError('network', `${endpoint}: the transport is closed`, { endpoint }));
    const token = this.o.accessToken();
    const auth = token === undefined ? '' : `Authorization: token ${this.o.apiKey}:${token}\r\n`;
    const head =
      `${method} ${this.url.pathname.replace(/\/$/, '')}${path} HTTP/1.1\r\n` +
      `Host: ${this.url.host}\r\n` +
      'X-Kite-Version: 3\r\n' +
      'User-Agent: shrivenq\r\n' +
      auth +
      'Content-Type: application/x-www-form-urlencoded\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: keep-alive\r\n\r\n';
    return new Promise((resolve, reject) => {
      const startedAt = performance.now();
      const report = (error?: BrokerError): void => {
        this.o.onAttempt?.({
          endpoint,
          attempt: 1,
          durationMs: performance.now() - startedAt,
          ...(error === undefined ? {} : { error }),
        });
      };
      const p: Pending = {
        endpoint,
        head,
        body,
        parse,
        resolve: (v) => {
          report();
          resolve(v);
        },
        reject: (e) => {
          report(e);
          reject(e);
        },
        startedAt,
        written: false,
        timer: undefined,
      };
      if (this.o.pacer.tryAcquire('orders')) {
        this.dispatch(p);
        return;
      }
      this.o.pacer.acquire('orders').then(
        () => {
          this.dispatch(p);
        },
        (e: unknown) => {
          reject(
            e instanceof BrokerError
              ? e.with({ endpoint })
              : new BrokerError('general', String(e), { endpoint }),
          );
        },
      );
    });
  }

  /** Writes `p` on an idle connection, or queues it for the next one to connect. */
  private dispatch(p: Pending): void {
    for (const c of this.connections) {
      if (c.connected && !c.closed && c.request === undefined) {
        this.write(c, p);
        return;
      }
    }
    this.waiting.push(p);
    this.refill();
    // Another connection only when those not carrying a request (open or still connecting) are fewer
    // than the requests waiting for one.
    let free = 0;
    for (const c of this.connections) if (!c.closed && c.request === undefined) free++;
    for (let k = free; k < this.waiting.length; k++) this.open();
  }

  private write(c: Connection, p: Pending): void {
    c.request = p;
    c.lastUsed = Date.now();
    p.written = true;
    c.socket.write(p.head + p.body);
    p.timer = setTimeout(() => {
      if (c.request !== p) return;
      c.request = undefined;
      c.close();
      this.connections.delete(c);
      p.reject(
        new BrokerError('timeout', `${p.endpoint}: no answer within ${this.timeoutMs} ms`, {
          endpoint: p.endpoint,
          outcomeUnknown: true,
        }),
      );
      this.refill();
    }, this.timeoutMs);
    p.timer.unref();
  }

  private open(): void {
    if (this.disposed) return;
    const port = Number(this.url.port || (this.url.protocol === 'https:' ? 443 : 80));
    const host = this.url.hostname;
    const socket =
      this.url.protocol === 'https:'
        ? tls.connect({ host, port, servername: host, ALPNProtocols: ['http/1.1'] })
        : net.connect({ host, port });
    const c = new Connection(
      socket,
      (conn, status, body, close) => {
        this.answered(conn, status, body, close);
      },
      (conn, why) => {
        this.broken(conn, why);
      },
    );
    socket.once(this.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      c.connected = true;
      c.lastUsed = Date.now();
      this.drain();
    });
    this.connections.add(c);
  }

  /** Hands waiting requests to idle connections. */
  private drain(): void {
    for (const c of this.connections) {
      if (this.waiting.length === 0) return;
      if (c.connected && !c.closed && c.request === undefined) {
        const p = this.waiting.shift();
        if (p !== undefined) this.write(c, p);
      }
    }
  }

  private refill(): void {
    if (this.disposed) return;
    let live = 0;
    for (const c of this.connections) if (!c.closed) live++;
    for (let k = live; k < this.size; k++) this.open();
  }

  /** Replaces idle connections before the server's keep-alive closes them (once warm). */
  private recycle(): void {
    if (this.connections.size === 0) return;
    const now = Date.now();
    for (const c of [...this.connections]) {
      if (c.connected && c.request === undefined && now - c.lastUsed >= this.idleMs) {
        this.connections.delete(c);
        c.close();
      }
    }
    this.refill();
  }

  private answered(c: Connection, status: number, text: string, close: boolean): void {
    const p = c.request;
    c.request = undefined;
    c.lastUsed = Date.now();
    if (close) {
      this.connections.delete(c);
      c.close();
      this.refill();
    }
    if (p !== undefined) {
      if (p.timer !== undefined) clearTimeout(p.timer);
      this.settle(p, status, text);
    }
    this.drain();
  }

  private settle(p: Pending, status: number, text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const envelope = isRecord(json) ? json : undefined;
    const errorType = typeof envelope?.['error_type'] === 'string' ? envelope['error_type'] : undefined;
    if (status >= 200 && status < 300 && envelope !== undefined && errorType === undefined) {
      try {
        p.resolve(p.parse(envelope['data']));
      } catch (e) {
        p.reject(
          new BrokerError('data', `${p.endpoint}: ${e instanceof Error ? e.message : String(e)}`, {
            endpoint: p.endpoint,
            httpStatus: status,
            outcomeUnknown: true,
            cause: e,
          }),
        );
      }
      return;
    }
    const message =
      typeof envelope?.['message'] === 'string' ? envelope['message'] : `HTTP ${status} from the broker`;
    const readable = !(status >= 200 && status < 300);
    // A 2xx that is not Kite's success envelope: something answered that we cannot read.
    const error = new BrokerError(readable ? kiteErrorKind(errorType, status) : 'data', message, {
      ...(errorType === undefined ? {} : { venueErrorType: errorType }),
      httpStatus: status,
      // A 4xx is a refusal; a gateway's 5xx, or a 2xx we cannot read, may have been carried out.
      outcomeUnknown: !(status >= 400 && status < 500),
      endpoint: p.endpoint,
    });
    if (error.kind === 'token') this.o.onTokenError?.(error);
    p.reject(error);
  }

  private broken(c: Connection, why: string): void {
    this.connections.delete(c);
    const p = c.request;
    c.request = undefined;
    if (p !== undefined) {
      if (p.timer !== undefined) clearTimeout(p.timer);
      // Written, then the connection went: it may or may not have been carried out.
      p.reject(
        new BrokerError('network', `${p.endpoint}: ${why}`, {
          endpoint: p.endpoint,
          outcomeUnknown: p.written,
        }),
      );
    }
    if (!c.connected && this.waiting.length > 0 && ![...this.connections].some((x) => !x.closed)) {
      // Nothing could connect: the waiting requests were never written.
      for (const w of this.waiting.splice(0))
        w.reject(
          new BrokerError('network', `${w.endpoint}: cannot connect (${why})`, { endpoint: w.endpoint }),
        );
    }
    // A kept connection the server closed is replaced at once; one that never connected is not
    // retried until a request needs it (an unreachable broker is not dialled in a loop).
    if (!this.disposed && c.connected)
      setTimeout(() => {
        this.refill();
      }, 0).unref();
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.sweep);
    for (const c of this.connections) c.close();
    this.connections.clear();
    for (const w of this.waiting.splice(0))
      w.reject(
        new BrokerError('network', `${w.endpoint}: the transport was closed`, { endpoint: w.endpoint }),
      );
  }
}

function formEncode(params: Record<string, FormValue>): string {
  let out = '';
  for (const key of Object.keys(params)) {
    const v = params[key];
    if (v === undefined) continue;
    out += `${out === '' ? '' : '&'}${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`;
  }
  return out;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
