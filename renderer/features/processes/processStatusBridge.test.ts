import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROCESS_STATUS_MESSAGE } from '../../../shared/electronBridge';
import type { SupervisedProcessStatus } from '../../../shared/electronBridge';
import { parseProcessStatusMessage, startProcessStatusBridge } from './processStatusBridge';
import type { StatusMessageEvent, StatusWindow } from './processStatusBridge';
import { createProcessStore } from './processStore';

const self = {};

const restarting: SupervisedProcessStatus = {
  name: 'engine',
  state: 'restarting',
  restarts: 3,
  lastExitCode: 1,
  restartDelayMs: 400,
};

function event(data: unknown): StatusMessageEvent {
  return { source: self, data };
}

function withStatus(status: unknown): StatusMessageEvent {
  return event({ type: PROCESS_STATUS_MESSAGE, status });
}

describe('parseProcessStatusMessage', () => {
  it('accepts the preload message from this window and returns a copy of the status', () => {
    const parsed = parseProcessStatusMessage(withStatus(restarting), self);
    expect(parsed).toEqual(restarting);
    expect(parsed).not.toBe(restarting);
    const stopped = {
      name: 'exchange',
      state: 'stopped',
      restarts: 0,
      lastExitCode: null,
      restartDelayMs: null,
    };
    expect(parseProcessStatusMessage(withStatus(stopped), self)).toEqual(stopped);
    const crashed = { ...restarting, lastExitCode: -1_073_741_819, restartDelayMs: 0 };
    expect(parseProcessStatusMessage(withStatus(crashed), self)).toEqual(crashed);
  });

  it('ignores a message from another window or frame', () => {
    const data = { type: PROCESS_STATUS_MESSAGE, status: restarting };
    for (const source of [{}, null, undefined, fakeWindow()]) {
      expect(parseProcessStatusMessage({ source, data }, self)).toBeUndefined();
    }
  });

  it('ignores messages of another type or shape', () => {
    for (const data of [
      undefined,
      null,
      PROCESS_STATUS_MESSAGE,
      [PROCESS_STATUS_MESSAGE, restarting],
      { type: 'shrivenq:engine-port' },
      { type: 'shrivenq:engine-port', status: restarting },
      { type: PROCESS_STATUS_MESSAGE },
      { type: PROCESS_STATUS_MESSAGE, status: restarting, extra: true },
      { status: restarting },
    ]) {
      expect(parseProcessStatusMessage(event(data), self)).toBeUndefined();
    }
  });

  it('ignores a malformed status: unknown name or state, bad counts, codes and delays, missing or extra keys', () => {
    const bad: unknown[] = [
      null,
      'running',
      [],
      { ...restarting, name: 'broker' },
      { ...restarting, name: 'Engine' },
      { ...restarting, state: 'crashed' },
      { ...restarting, restarts: -1 },
      { ...restarting, restarts: 1.5 },
      { ...restarting, restarts: Number.NaN },
      { ...restarting, restarts: Number.POSITIVE_INFINITY },
      { ...restarting, restarts: '3' },
      { ...restarting, lastExitCode: 1.5 },
      { ...restarting, lastExitCode: '1' },
      { ...restarting, lastExitCode: undefined },
      { ...restarting, restartDelayMs: -400 },
      { ...restarting, restartDelayMs: Number.NaN },
      { ...restarting, restartDelayMs: Number.POSITIVE_INFINITY },
      { ...restarting, restartDelayMs: '400' },
      { ...restarting, pid: 4242 },
      { name: 'engine', state: 'running', restarts: 0, lastExitCode: null },
    ];
    for (const status of bad) expect(parseProcessStatusMessage(withStatus(status), self)).toBeUndefined();
  });

  it('never throws, and whatever it accepts keeps to the contract', () => {
    const anyOf = (...values: string[]) => fc.oneof(...values.map((v) => fc.constant(v)), fc.anything());
    const status = fc.record(
      {
        name: anyOf('engine', 'exchange', 'broker'),
        state: anyOf('starting', 'running', 'restarting', 'stopped', 'crashed'),
        restarts: fc.oneof(fc.integer(), fc.double(), fc.anything()),
        lastExitCode: fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.anything()),
        restartDelayMs: fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.anything()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(status, (s) => {
        const parsed = parseProcessStatusMessage(withStatus(s), self);
        if (parsed === undefined) return;
        expect(['engine', 'exchange']).toContain(parsed.name);
        expect(['starting', 'running', 'restarting', 'stopped']).toContain(parsed.state);
        expect(Number.isSafeInteger(parsed.restarts) && parsed.restarts >= 0).toBe(true);
        expect(parsed.lastExitCode === null || Number.isSafeInteger(parsed.lastExitCode)).toBe(true);
        const delay = parsed.restartDelayMs;
        expect(delay === null || (Number.isFinite(delay) && delay >= 0)).toBe(true);
      }),
    );
  });
});

type FakeWindow = StatusWindow & { post(data: unknown, source?: unknown): void; readonly listeners: number };

/** A window that delivers "message" events synchronously. */
function fakeWindow(): FakeWindow {
  const listeners = new Set<(e: StatusMessageEvent) => void>();
  const win: FakeWindow = {
    addEventListener: (_type: 'message', l: (e: StatusMessageEvent) => void) => listeners.add(l),
    removeEventListener: (_type: 'message', l: (e: StatusMessageEvent) => void) => listeners.delete(l),
    post(data: unknown, source: unknown = win) {
      for (const l of [...listeners]) l({ source, data });
    },
    get listeners() {
      return listeners.size;
    },
  };
  return win;
}

describe('startProcessStatusBridge', () => {
  it('puts each valid status into the store, ignores the rest, and stops listening when disposed', () => {
    const win = fakeWindow();
    const store = createProcessStore({}, () => 1000);
    const bridge = startProcessStatusBridge(win, store);
    expect(win.listeners).toBe(1);

    win.post({ type: PROCESS_STATUS_MESSAGE, status: restarting }, {}); // another window
    win.post({ type: PROCESS_STATUS_MESSAGE, status: { ...restarting, restarts: -1 } });
    win.post({ type: PROCESS_STATUS_MESSAGE, status: { ...restarting, name: 'broker' } });
    win.post({ type: 'shrivenq:engine-port' });
    expect(store.getState().byName).toEqual({});

    win.post({ type: PROCESS_STATUS_MESSAGE, status: restarting });
    expect(store.getState().byName.engine).toEqual({ status: restarting, since: 1000 });
    expect(store.getState().byName.exchange).toBeUndefined();

    bridge.dispose();
    expect(win.listeners).toBe(0);
    win.post({ type: PROCESS_STATUS_MESSAGE, status: { ...restarting, state: 'running' } });
    expect(store.getState().byName.engine?.status.state).toBe('restarting');
  });
});
