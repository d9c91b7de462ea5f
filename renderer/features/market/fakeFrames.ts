import type { FrameScheduler } from './frameCoalescer';

/** Animation frames that run only when a test says so (`runFrame`). For tests. */
export function fakeFrames(): FrameScheduler & { runFrame(): void; readonly scheduled: number } {
  let next = 1;
  const callbacks = new Map<number, (time: number) => void>();
  return {
    requestAnimationFrame(cb) {
      const id = next++;
      callbacks.set(id, cb);
      return id;
    },
    cancelAnimationFrame(id) {
      callbacks.delete(id);
    },
    runFrame() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const cb of due) cb(0);
    },
    get scheduled() {
      return callbacks.size;
    },
  };
}
