import { describe, expect, it } from 'vitest';
import type { SupervisedProcessStatus } from '../../../shared/electronBridge';
import { createProcessStore } from './processStore';

const running: SupervisedProcessStatus = {
  name: 'engine',
  state: 'running',
  restarts: 0,
  lastExitCode: null,
  restartDelayMs: null,
};
const exchange: SupervisedProcessStatus = { ...running, name: 'exchange' };

/** A clock the test moves by hand. */
function manualNow(start: number): { now: () => number; set: (t: number) => void } {
  let t = start;
  return {
    now: () => t,
    set: (next) => {
      t = next;
    },
  };
}

describe('process store', () => {
  it('starts empty: nothing known about any process', () => {
    expect(createProcessStore().getState().byName).toEqual({});
  });

  it('keeps the latest status per process, with when its state last changed', () => {
    const clock = manualNow(1000);
    const store = createProcessStore({}, clock.now);
    const { statusReceived } = store.getState();
    statusReceived(running);
    statusReceived(exchange);
    expect(store.getState().byName).toEqual({
      engine: { status: running, since: 1000 },
      exchange: { status: exchange, since: 1000 },
    });

    clock.set(2000);
    const crashed = { ...running, state: 'restarting', lastExitCode: 1, restartDelayMs: 200 } as const;
    statusReceived(crashed);
    expect(store.getState().byName.engine).toEqual({ status: crashed, since: 2000 });

    // Same state, other details (a longer backoff after a failed start): the state's start time stays.
    clock.set(2500);
    const longer = { ...crashed, restartDelayMs: 400, restarts: 1 };
    statusReceived(longer);
    expect(store.getState().byName.engine).toEqual({ status: longer, since: 2000 });

    clock.set(3000);
    const back = { ...running, restarts: 2, lastExitCode: 1 };
    statusReceived(back);
    expect(store.getState().byName.engine).toEqual({ status: back, since: 3000 });
  });

  it('ignores a repeat of the status it has (main resends all of them with every engine port)', () => {
    const store = createProcessStore();
    store.getState().statusReceived(running);
    let notified = 0;
    store.subscribe(() => {
      notified += 1;
    });
    store.getState().statusReceived({ ...running });
    expect(notified).toBe(0);
  });

  it("leaves the other process's record as it was (atomic selectors stay stable)", () => {
    const store = createProcessStore();
    store.getState().statusReceived(exchange);
    const before = store.getState().byName.exchange;
    store.getState().statusReceived({ ...running, state: 'stopped', lastExitCode: 1 });
    expect(store.getState().byName.exchange).toBe(before);
  });

  it('takes starting records', () => {
    const store = createProcessStore({ exchange: { status: exchange, since: 5 } });
    expect(store.getState().byName.exchange?.since).toBe(5);
    expect(store.getState().byName.engine).toBeUndefined();
  });
});
