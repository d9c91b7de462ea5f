import type { Disposable } from '../../../shared/disposable';
import { ENGINE_PORT_MESSAGE } from '../../../shared/electronBridge';
import type { PreloadApi } from '../../../shared/electronBridge';
import type { Port } from '../../../shared/rpc/port';
import { realTimers } from '../../../shared/rpc/timers';
import type { Timers } from '../../../shared/rpc/timers';
import { fromDomMessagePort } from '../../../shared/rpc/transports/messagePort';
import type { DomMessagePortLike } from '../../../shared/rpc/transports/messagePort';

/** The parts of a window "message" event read here. */
export interface PortMessageEvent {
  readonly source: unknown;
  readonly data: unknown;
  readonly ports: readonly DomMessagePortLike[];
}

/** The parts of `window` used to receive the engine port. */
export interface PortWindow {
  addEventListener(type: 'message', listener: (event: PortMessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: PortMessageEvent) => void): void;
}

/** How long to wait for main to answer `requestEnginePort()` before the attempt counts as failed. */
export const PRELOAD_PORT_TIMEOUT_MS = 5_000;

/** True for the message with which the preload hands this page an engine port. */
export function isEnginePortMessage(event: PortMessageEvent, self: unknown): boolean {
  // Only the preload (same window) may hand us a port; a frame or another window may not.
  if (event.source !== self) return false;
  const data = event.data;
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === ENGINE_PORT_MESSAGE &&
    event.ports.length > 0
  );
}

export interface PreloadPortSourceOptions {
  readonly timeoutMs?: number;
  readonly timers?: Timers;
  /**
   * Main sends a new port unasked after the engine restarts. Called when one arrives while nobody
   * is waiting: the owner should drop its connection, and its next `next()` gets this port at once.
   */
  readonly onUnaskedPort?: () => void;
}

/**
 * Engine ports from the Electron preload, one per connection attempt: `next()` asks main for a
 * fresh MessagePort and resolves when it arrives as a window "message" event.
 */
export class PreloadPortSource implements Disposable {
  private waiter:
    { resolve: (port: Port) => void; reject: (error: Error) => void; timer: unknown } | undefined;
  private spare: DomMessagePortLike | undefined;
  private readonly timers: Timers;
  private readonly timeoutMs: number;
  private disposed = false;
  private readonly onMessage = (event: PortMessageEvent): void => {
    if (this.disposed || !isEnginePortMessage(event, this.win)) return;
    const raw = event.ports[0];
    if (raw === undefined) return;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      this.timers.clearTimeout(waiter.timer);
      waiter.resolve(fromDomMessagePort(raw));
      return;
    }
    // Kept unstarted: a MessagePort queues messages until start(), so nothing is lost meanwhile.
    this.spare?.close();
    this.spare = raw;
    this.options.onUnaskedPort?.();
  };

  constructor(
    private readonly win: PortWindow,
    private readonly api: Pick<PreloadApi, 'requestEnginePort'>,
    private readonly options: PreloadPortSourceOptions = {},
  ) {
    this.timers = options.timers ?? realTimers;
    this.timeoutMs = options.timeoutMs ?? PRELOAD_PORT_TIMEOUT_MS;
    win.addEventListener('message', this.onMessage);
  }

  /** The next engine port: a spare one main already sent, else a fresh one asked for now. */
  next(): Promise<Port> {
    if (this.disposed) return Promise.reject(new Error('engine port source disposed'));
    const spare = this.spare;
    if (spare !== undefined) {
      this.spare = undefined;
      return Promise.resolve(fromDomMessagePort(spare));
    }
    this.waiter?.reject(new Error('superseded by a newer request for an engine port'));
    this.timers.clearTimeout(this.waiter?.timer);
    return new Promise<Port>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        if (this.waiter?.timer !== timer) return;
        this.waiter = undefined;
        reject(new Error(`no engine port from the app within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiter = { resolve, reject, timer };
      this.api.requestEnginePort();
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.win.removeEventListener('message', this.onMessage);
    this.spare?.close();
    this.spare = undefined;
    if (this.waiter !== undefined) {
      this.timers.clearTimeout(this.waiter.timer);
      this.waiter.reject(new Error('engine port source disposed'));
      this.waiter = undefined;
    }
  }
}
