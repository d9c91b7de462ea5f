import { toDisposable } from '../disposable';
import type { Disposable } from '../disposable';
import { RpcError } from './errors';
import { encodeFrame, parseServerFrame } from './frames';
import type { ClientFrame } from './frames';
import type { Port } from './port';
import { wireStreamName } from './service';
import type { ServiceDef, ServiceOf } from './service';
import { realTimers } from './timers';
import type { Timers } from './timers';

export interface ClientOptions {
  /** How long a request waits for its answer unless its definition says otherwise. */
  readonly defaultTimeoutMs?: number;
  readonly timers?: Timers;
}

interface PendingRequest {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: RpcError) => void;
  readonly timer: unknown;
}

interface OpenStream {
  readonly listener: (event: unknown) => void;
  readonly onEnd: ((error: RpcError | undefined) => void) | undefined;
}

/**
 * The calling side of one connection. Requests fail with DISCONNECTED when the port closes and
 * with TIMEOUT when no answer comes in time; they are never re-sent.
 */
export class RpcClient implements Disposable {
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly streams = new Map<number, OpenStream>();
  private readonly timers: Timers;
  private readonly defaultTimeoutMs: number;
  private readonly subscriptions: Disposable[];
  private lastFrameAt: number;

  constructor(
    private readonly port: Port,
    options: ClientOptions = {},
  ) {
    this.timers = options.timers ?? realTimers;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 15_000;
    this.lastFrameAt = this.timers.now();
    this.subscriptions = [
      port.onMessage((data) => {
        this.receive(data);
      }),
      port.onClose((reason) => {
        this.failAll(reason);
      }),
    ];
  }

  get isClosed(): boolean {
    return this.port.isClosed;
  }

  /** When the last frame arrived (for liveness checks). */
  get lastActivityAt(): number {
    return this.lastFrameAt;
  }

  onClose(listener: (reason: string) => void): Disposable {
    return this.port.onClose(listener);
  }

  /** Calls `method` (`service.method`). Rejects with an RpcError. */
  request(method: string, params: unknown, timeoutMs = this.defaultTimeoutMs): Promise<unknown> {
    if (this.port.isClosed)
      return Promise.reject(new RpcError('DISCONNECTED', 'not connected to the engine'));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcError('TIMEOUT', `${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.sendFrame(
        params === undefined ? { type: 'request', id, method } : { type: 'request', id, method, params },
      );
    });
  }

  /**
   * Opens `stream` (`service.stream`). `onEnd` is called once if the engine refuses or ends the
   * stream or the connection closes; not when the caller disposes.
   */
  subscribe(
    stream: string,
    params: unknown,
    listener: (event: unknown) => void,
    onEnd?: (error: RpcError | undefined) => void,
  ): Disposable {
    if (this.port.isClosed) {
      onEnd?.(new RpcError('DISCONNECTED', 'not connected to the engine'));
      return toDisposable(() => undefined);
    }
    const id = this.nextId++;
    this.streams.set(id, { listener, onEnd });
    this.sendFrame(
      params === undefined ? { type: 'subscribe', id, stream } : { type: 'subscribe', id, stream, params },
    );
    return toDisposable(() => {
      if (this.streams.delete(id)) this.sendFrame({ type: 'unsubscribe', id });
    });
  }

  /** Closes the connection; pending requests fail with DISCONNECTED, saying `reason`. */
  dispose(reason = 'client disposed'): void {
    this.port.close(reason);
    this.failAll(reason);
    for (const s of this.subscriptions) s.dispose();
  }

  private sendFrame(frame: ClientFrame): void {
    this.port.send(encodeFrame(this.port, frame));
  }

  private receive(data: unknown): void {
    this.lastFrameAt = this.timers.now();
    let frame;
    try {
      frame = parseServerFrame(data);
    } catch {
      return; // Not ours to answer; the engine's frames are tested, a stray one is dropped.
    }
    switch (frame.type) {
      case 'result':
      case 'error': {
        if (frame.id === null) return;
        const p = this.pending.get(frame.id);
        if (p === undefined) return;
        this.pending.delete(frame.id);
        this.timers.clearTimeout(p.timer);
        if (frame.type === 'result') p.resolve(frame.result);
        else p.reject(RpcError.fromData(frame.error));
        return;
      }
      case 'events': {
        const s = this.streams.get(frame.id);
        if (s !== undefined) for (const e of frame.events) s.listener(e);
        return;
      }
      case 'end': {
        const s = this.streams.get(frame.id);
        this.streams.delete(frame.id);
        s?.onEnd?.(frame.error === undefined ? undefined : RpcError.fromData(frame.error));
        return;
      }
    }
  }

  private failAll(reason: string): void {
    const error = new RpcError('DISCONNECTED', `connection to the engine closed: ${reason}`);
    for (const p of this.pending.values()) {
      this.timers.clearTimeout(p.timer);
      p.reject(error);
    }
    this.pending.clear();
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const s of streams) s.onEnd?.(error);
  }
}

/**
 * The caller's proxy of a service over a client: each request method sends a request, each `onXxx`
 * member opens a stream. Typed by the service definition.
 */
export function toService<D extends ServiceDef>(
  client: Pick<RpcClient, 'request' | 'subscribe'>,
  def: D,
): ServiceOf<D> {
  const proxy: Record<string, unknown> = {};
  for (const [member, requestDef] of Object.entries(def.requests)) {
    const method = `${def.name}.${member}`;
    proxy[member] = (params?: unknown) => client.request(method, params, requestDef.timeoutMs);
  }
  for (const member of Object.keys(def.streams)) {
    const stream = `${def.name}.${wireStreamName(member)}`;
    proxy[member] = (listener: (event: unknown) => void, params?: unknown) =>
      client.subscribe(stream, params, listener);
  }
  return Object.freeze(proxy) as ServiceOf<D>;
}
