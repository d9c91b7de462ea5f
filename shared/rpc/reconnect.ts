import { toDisposable } from '../disposable';
import type { Disposable } from '../disposable';
import { RestartPolicy } from '../supervision';
import type { RestartPolicyOptions } from '../supervision';
import { RpcClient, toService } from './client';
import { RpcError } from './errors';
import type { Port } from './port';
import type { ServiceDef, ServiceOf } from './service';
import { realTimers } from './timers';
import type { Timers } from './timers';

/** What a window shows about its link to the engine. */
export interface ConnectionState {
  readonly status: 'connecting' | 'connected' | 'reconnecting' | 'closed';
  /** Failed attempts since the last good connection. */
  readonly attempt: number;
  /** Why the last connection ended or the last attempt failed. */
  readonly lastError?: string;
  /** When this state began (ms since epoch). */
  readonly since: number;
}

export interface ReconnectingClientOptions {
  /** Opens a new connection (a WebSocket, or asks the preload for a MessagePort). */
  readonly connect: () => Promise<Port>;
  /** Runs on each new connection before it counts as connected (e.g. fetch system.info). */
  readonly handshake?: (client: RpcClient) => Promise<void>;
  /** Delays between attempts. */
  readonly backoff?: RestartPolicyOptions;
  /** A connection with no frame for this long is presumed dead and replaced. 0 turns it off. */
  readonly livenessMs?: number;
  readonly defaultTimeoutMs?: number;
  readonly timers?: Timers;
}

const RECONNECT_BACKOFF: RestartPolicyOptions = {
  initialDelayMs: 100,
  maxDelayMs: 2_000,
  resetAfterMs: 5_000,
};

interface StreamRegistration {
  readonly stream: string;
  readonly params: unknown;
  readonly listener: (event: unknown) => void;
  current: Disposable | undefined;
}

/**
 * A connection to the engine that comes back by itself. Streams opened through it are re-opened on
 * every new connection. Requests are never queued or re-sent: while disconnected they fail at once
 * with DISCONNECTED, because re-sending an order after a lost answer could place it twice.
 */
export class ReconnectingClient implements Disposable {
  private client: RpcClient | undefined;
  private stateValue: ConnectionState;
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly streams = new Set<StreamRegistration>();
  private readonly policy: RestartPolicy;
  private readonly timers: Timers;
  private retryTimer: unknown = undefined;
  private livenessTimer: unknown = undefined;
  private connectedAt = 0;
  private everConnected = false;
  private disposed = false;

  constructor(private readonly options: ReconnectingClientOptions) {
    this.timers = options.timers ?? realTimers;
    this.policy = new RestartPolicy(options.backoff ?? RECONNECT_BACKOFF);
    this.stateValue = { status: 'connecting', attempt: 0, since: this.timers.now() };
    void this.attempt();
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Calls `listener` now and on every change of state. */
  onState(listener: (state: ConnectionState) => void): Disposable {
    this.stateListeners.add(listener);
    listener(this.stateValue);
    return toDisposable(() => this.stateListeners.delete(listener));
  }

  /** A typed proxy of `def` whose streams survive reconnects. */
  service<D extends ServiceDef>(def: D): ServiceOf<D> {
    return toService(this, def);
  }

  request(method: string, params: unknown, timeoutMs?: number): Promise<unknown> {
    const client = this.stateValue.status === 'connected' ? this.client : undefined;
    if (client === undefined) {
      return Promise.reject(
        new RpcError('DISCONNECTED', `not connected to the engine (${this.stateValue.status})`),
      );
    }
    return client.request(method, params, timeoutMs);
  }

  subscribe(stream: string, params: unknown, listener: (event: unknown) => void): Disposable {
    const reg: StreamRegistration = { stream, params, listener, current: undefined };
    this.streams.add(reg);
    if (this.stateValue.status === 'connected' && this.client !== undefined) this.open(reg, this.client);
    return toDisposable(() => {
      this.streams.delete(reg);
      reg.current?.dispose();
      reg.current = undefined;
    });
  }

  /** Drops the current connection (if any) and connects again now. */
  reconnect(reason: string): void {
    if (this.disposed) return;
    if (this.client !== undefined && !this.client.isClosed) this.client.dispose(reason);
    else this.scheduleRetry(reason, 0);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.timers.clearTimeout(this.retryTimer);
    this.timers.clearTimeout(this.livenessTimer);
    this.client?.dispose();
    this.client = undefined;
    this.setState({ status: 'closed', attempt: 0, since: this.timers.now() });
  }

  private open(reg: StreamRegistration, client: RpcClient): void {
    reg.current = client.subscribe(reg.stream, reg.params, reg.listener);
  }

  private setState(state: ConnectionState): void {
    this.stateValue = state;
    for (const l of [...this.stateListeners]) l(state);
  }

  /** A call, not the field: `disposed` changes while attempt() awaits, which narrowing can't see. */
  private isDisposed(): boolean {
    return this.disposed;
  }

  private async attempt(): Promise<void> {
    if (this.isDisposed()) return;
    let client: RpcClient | undefined;
    try {
      const port = await this.options.connect();
      if (this.isDisposed()) {
        port.close('client disposed');
        return;
      }
      client = new RpcClient(port, {
        timers: this.timers,
        ...(this.options.defaultTimeoutMs === undefined
          ? {}
          : { defaultTimeoutMs: this.options.defaultTimeoutMs }),
      });
      await this.options.handshake?.(client);
      if (client.isClosed) throw new RpcError('DISCONNECTED', 'closed during handshake');
    } catch (e) {
      client?.dispose();
      this.scheduleRetry(e instanceof Error ? e.message : String(e));
      return;
    }
    if (this.isDisposed()) {
      client.dispose();
      return;
    }
    this.client = client;
    this.everConnected = true;
    this.connectedAt = this.timers.now();
    const live = client;
    client.onClose((reason) => {
      if (this.client !== live) return;
      this.client = undefined;
      for (const reg of this.streams) reg.current = undefined;
      this.timers.clearTimeout(this.livenessTimer);
      this.scheduleRetry(reason, this.policy.nextDelay(this.timers.now() - this.connectedAt));
    });
    for (const reg of this.streams) this.open(reg, client);
    this.setState({ status: 'connected', attempt: 0, since: this.timers.now() });
    this.watchLiveness(client);
  }

  private scheduleRetry(reason: string, delay?: number): void {
    if (this.disposed) return;
    const wait = delay ?? this.policy.nextDelay(0);
    const attempt = this.stateValue.status === 'connected' ? 0 : this.stateValue.attempt + 1;
    const status = this.everConnected ? 'reconnecting' : 'connecting';
    this.setState({ status, attempt, lastError: reason, since: this.timers.now() });
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.attempt();
    }, wait);
  }

  private watchLiveness(client: RpcClient): void {
    const limit = this.options.livenessMs ?? 0;
    if (limit <= 0) return;
    const check = (): void => {
      if (this.client !== client || client.isClosed) return;
      if (this.timers.now() - client.lastActivityAt > limit) {
        client.dispose(`no frame from the engine for ${limit} ms`); // onClose above schedules the reconnect
        return;
      }
      this.livenessTimer = this.timers.setTimeout(check, Math.max(50, limit / 4));
    };
    this.livenessTimer = this.timers.setTimeout(check, Math.max(50, limit / 4));
  }
}
