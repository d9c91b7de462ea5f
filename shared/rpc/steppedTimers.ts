import { realTimers } from './timers';
import type { Timers } from './timers';

/**
 * TEST SUPPORT. Timers on a clock that moves only when the test calls `advance(ms)`, which then
 * runs every timeout that has come due, in the order they were set. Microtasks are the host's.
 */
export function steppedTimers(start = 0): Timers & { advance(ms: number): void; readonly pending: number } {
  let now = start;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => {
      due.delete(id as number);
    },
    queueMicrotask: (fn) => {
      realTimers.queueMicrotask(fn);
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...due]) {
        if (t.at <= now) {
          due.delete(id);
          t.fn();
        }
      }
    },
    get pending() {
      return due.size;
    },
  };
}
