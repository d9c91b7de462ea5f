import type { Disposable } from '../../../shared/disposable';

/** The part of `window` that schedules paint work (tests pass a fake). */
export interface FrameScheduler {
  requestAnimationFrame(callback: (time: number) => void): number;
  cancelAnimationFrame(handle: number): void;
}

/** Keeps the latest value per key and hands them over once per animation frame. */
export interface FrameCoalescer<K, V> extends Disposable {
  /** Replaces the pending value of `key`; schedules a frame if none is pending. Main thread only. */
  push(key: K, value: V): void;
  /** Drops whatever is pending for `key` (its row went away). */
  forget(key: K): void;
  /** How many keys wait for the next frame. */
  readonly pending: number;
}

/**
 * The per-frame bridge between a stream and the DOM (STYLE.md: ticks never pass through React
 * state). However many events arrive between two frames, `flush` runs once per frame with the
 * latest value of each key, in the order the keys first arrived in that frame. A hidden window gets
 * no frames: values keep replacing each other and nothing queues up.
 *
 * Allocates one Map per flushed frame (the batch handed to `flush`, which may keep it).
 */
export function createFrameCoalescer<K, V>(
  frames: FrameScheduler,
  flush: (batch: ReadonlyMap<K, V>) => void,
): FrameCoalescer<K, V> {
  let batch = new Map<K, V>();
  let handle: number | undefined;
  let disposed = false;

  const run = (): void => {
    handle = undefined;
    if (disposed || batch.size === 0) return;
    const ready = batch;
    batch = new Map<K, V>();
    flush(ready);
  };

  return {
    push(key, value) {
      if (disposed) return;
      batch.set(key, value);
      handle ??= frames.requestAnimationFrame(run);
    },
    forget(key) {
      batch.delete(key);
    },
    get pending() {
      return batch.size;
    },
    dispose() {
      disposed = true;
      batch.clear();
      if (handle !== undefined) frames.cancelAnimationFrame(handle);
      handle = undefined;
    },
  };
}
