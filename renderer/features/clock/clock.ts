import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Disposable } from '../../../shared/disposable';
import { realTimers } from '../../../shared/rpc/timers';
import { IST_OFFSET_MS } from '../../../shared/time/ist';
import type { Timers } from '../../../shared/rpc/timers';

export interface ClockState {
  /** The machine's clock (ms since the epoch, UTC), updated just after each whole second. */
  readonly nowMs: number;
}

/**
 * The IST midnight that began the current trading date, epoch ms: for what goes by the date (the
 * charge schedule), changing once a day where `nowMs` changes every second.
 */
export function selectIstDayStart(state: ClockState): number {
  const day = 86_400_000;
  return state.nowMs - ((((state.nowMs + IST_OFFSET_MS) % day) + day) % day);
}

/** A wall clock for the UI: one store, one timer, whatever number of clocks on screen. */
export interface Clock extends Disposable {
  readonly store: StoreApi<ClockState>;
}

/**
 * Timers may fire a little early; waking this long after the boundary makes sure the new second
 * has begun, so a displayed second is never skipped or shown twice.
 */
const WAKE_AFTER_BOUNDARY_MS = 5;

/** How long from `nowMs` until just after the next whole second. */
export function msUntilNextSecond(nowMs: number): number {
  const intoSecond = ((nowMs % 1000) + 1000) % 1000;
  return 1000 - intoSecond + WAKE_AFTER_BOUNDARY_MS;
}

/** Starts a clock that ticks on whole seconds (re-aligned every tick, so it never drifts). */
export function startClock(timers: Timers = realTimers): Clock {
  const store = createStore<ClockState>()(() => ({ nowMs: timers.now() }));
  let timer: unknown;
  let disposed = false;
  const tick = (): void => {
    if (disposed) return;
    const now = timers.now();
    store.setState({ nowMs: now });
    timer = timers.setTimeout(tick, msUntilNextSecond(now));
  };
  timer = timers.setTimeout(tick, msUntilNextSecond(timers.now()));
  return {
    store,
    dispose: () => {
      disposed = true;
      timers.clearTimeout(timer);
    },
  };
}
