import type { Disposable } from '../disposable';
import type { Conflation } from './service';
import type { Timers } from './timers';

/**
 * Collects a stream's events and hands them to `flush` in batches. Without conflation, every event
 * is kept and the events of one synchronous burst go out together. With conflation, only the latest
 * event per key is kept and a batch goes out at most once per interval (the first after a quiet
 * spell goes at once).
 */
export class StreamOutbox implements Disposable {
  private readonly latest = new Map<string, unknown>();
  private queue: unknown[] = [];
  private timer: unknown = undefined;
  private microtaskPending = false;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private disposed = false;

  constructor(
    private readonly flush: (events: readonly unknown[]) => void,
    private readonly timers: Timers,
    private readonly conflation?: Conflation<unknown>,
  ) {}

  push(event: unknown): void {
    if (this.disposed) return;
    if (this.conflation === undefined) {
      this.queue.push(event);
      if (!this.microtaskPending) {
        this.microtaskPending = true;
        this.timers.queueMicrotask(() => {
          this.microtaskPending = false;
          this.drainQueue();
        });
      }
      return;
    }
    this.latest.set(this.conflation.key(event), event);
    if (this.timer === undefined) {
      const wait = Math.max(0, this.lastFlushAt + this.conflation.intervalMs - this.timers.now());
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        this.drainLatest();
      }, wait);
    }
  }

  /** Number of events waiting to be sent. */
  get pending(): number {
    return this.conflation === undefined ? this.queue.length : this.latest.size;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.latest.clear();
    this.queue = [];
  }

  private drainQueue(): void {
    if (this.disposed || this.queue.length === 0) return;
    const events = this.queue;
    this.queue = [];
    this.flush(events);
  }

  private drainLatest(): void {
    if (this.disposed || this.latest.size === 0) return;
    const events = [...this.latest.values()];
    this.latest.clear();
    this.lastFlushAt = this.timers.now();
    this.flush(events);
  }
}
