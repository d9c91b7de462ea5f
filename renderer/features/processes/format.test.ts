import { describe, expect, it } from 'vitest';
import type { SupervisedProcessStatus } from '../../../shared/electronBridge';
import { describeProcess, formatRestartDelay, formatRestarts } from './format';

const since = Date.parse('2026-11-24T03:45:07Z'); // 09:15:07 IST

function record(status: Partial<SupervisedProcessStatus>) {
  return {
    status: {
      name: 'engine',
      state: 'running',
      restarts: 0,
      lastExitCode: null,
      restartDelayMs: null,
      ...status,
    } satisfies SupervisedProcessStatus,
    since,
  };
}

describe('formatRestartDelay', () => {
  it('shows tenths of a second below ten seconds, whole seconds above', () => {
    expect(formatRestartDelay(0)).toBe('0.0 s');
    expect(formatRestartDelay(200)).toBe('0.2 s');
    expect(formatRestartDelay(400)).toBe('0.4 s');
    expect(formatRestartDelay(6_400)).toBe('6.4 s');
    expect(formatRestartDelay(9_960)).toBe('10 s');
    expect(formatRestartDelay(10_000)).toBe('10 s');
  });
});

describe('formatRestarts', () => {
  it('counts in words', () => {
    expect(formatRestarts(1)).toBe('1 restart');
    expect(formatRestarts(3)).toBe('3 restarts');
  });
});

describe('describeProcess', () => {
  it('says nothing about a process that runs and never crashed', () => {
    expect(describeProcess(record({}))).toBeUndefined();
    expect(describeProcess(record({ name: 'exchange' }))).toBeUndefined();
  });

  it('warns while a process waits to restart, with the backoff and the restarts so far', () => {
    const d = describeProcess(
      record({ state: 'restarting', restarts: 3, lastExitCode: 1, restartDelayMs: 400 }),
    );
    expect(d?.text).toBe('engine restarting in 0.4 s · 3 restarts');
    expect(d?.level).toBe('warn');
    expect(d?.title).toBe(
      [
        'Engine process: restarting since 09:15:07 IST',
        'Next start 0.4 s after the exit',
        'Restarts since the app started: 3',
        'Last exit code: 1',
      ].join('\n'),
    );
    expect(describeProcess(record({ state: 'restarting', lastExitCode: 1, restartDelayMs: 200 }))?.text).toBe(
      'engine restarting in 0.2 s',
    );
    expect(describeProcess(record({ state: 'restarting', restarts: 1 }))?.text).toBe(
      'engine restarting · 1 restart',
    );
  });

  it('warns about a stopped process, with its exit code when it has one', () => {
    const d = describeProcess(record({ name: 'exchange', state: 'stopped', restarts: 2, lastExitCode: 1 }));
    expect(d?.text).toBe('exchange stopped (exit 1)');
    expect(d?.level).toBe('warn');
    expect(d?.title).toContain('Local exchange process: stopped since 09:15:07 IST');
    expect(d?.title).toContain('Restarts since the app started: 2');
    expect(describeProcess(record({ name: 'exchange', state: 'stopped' }))?.text).toBe('exchange stopped');
  });

  it('is quiet about a first start, and warns about a start after a crash', () => {
    const first = describeProcess(record({ state: 'starting' }));
    expect(first?.text).toBe('engine starting…');
    expect(first?.level).toBe('quiet');
    const again = describeProcess(record({ state: 'starting', restarts: 3, lastExitCode: 1 }));
    expect(again?.text).toBe('engine starting… · 3 restarts');
    expect(again?.level).toBe('warn');
  });

  it('keeps a quiet mark on a process that runs again after crashing, the exit code in the tooltip', () => {
    const d = describeProcess(record({ restarts: 3, lastExitCode: 134 }));
    expect(d?.text).toBe('engine ↻3');
    expect(d?.level).toBe('quiet');
    expect(d?.title).toContain('Last exit code: 134');
    expect(describeProcess(record({ restarts: 0, lastExitCode: 0 }))).toBeUndefined();
  });

  it('says when no exit code is known yet', () => {
    expect(describeProcess(record({ state: 'starting' }))?.title).toContain('Last exit code: none yet');
  });
});
