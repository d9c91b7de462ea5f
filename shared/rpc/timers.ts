/**
 * The clock and timers the RPC layer uses, injected so tests control time. shared/ has no DOM or
 * Node types, so the defaults are read off `globalThis`, which has them in every host we run in.
 */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  queueMicrotask(fn: () => void): void;
}

interface TimerGlobals {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  queueMicrotask(fn: () => void): void;
}

/** The host's real timers (looked up at call time so test fakes installed later still apply). */
export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => (globalThis as unknown as TimerGlobals).setTimeout(fn, ms),
  clearTimeout: (handle) => {
    (globalThis as unknown as TimerGlobals).clearTimeout(handle);
  },
  queueMicrotask: (fn) => {
    (globalThis as unknown as TimerGlobals).queueMicrotask(fn);
  },
};
