import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RestartPolicy } from '../../shared/supervision';
import type { ForkOptionsLike, UtilityProcessLike } from './electronLike';
import type { SupervisedProcessStatus } from '../../shared/electronBridge';
import { superviseUtilityProcess } from './supervisor';
import { FakeUtilityProcess } from './testing/fakeElectron';

const spec = {
  name: 'engine',
  modulePath: '/b/engine.js',
  args: ['--mode', 'sim'],
  serviceName: 'E',
} as const;

function setup(policy = new RestartPolicy({ initialDelayMs: 100, maxDelayMs: 1_000, resetAfterMs: 10_000 })) {
  const forks: FakeUtilityProcess[] = [];
  const statuses: SupervisedProcessStatus[] = [];
  const started: UtilityProcessLike[] = [];
  const supervisor = superviseUtilityProcess(spec, {
    fork: (path: string, args: string[], options: ForkOptionsLike) => {
      const child = new FakeUtilityProcess(path, args, options);
      forks.push(child);
      return child;
    },
    policy,
    onStatus: (s) => statuses.push(s),
    onStarted: (child) => started.push(child),
    log: () => undefined,
  });
  const last = (): FakeUtilityProcess => {
    const child = forks.at(-1);
    if (child === undefined) throw new Error('nothing forked');
    return child;
  };
  return { supervisor, forks, statuses, started, last };
}

describe('ProcessSupervisor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forks the entry with its args, service name and inherited stdio; running after spawn', () => {
    const { supervisor, forks, last, started } = setup();
    supervisor.start();
    expect(forks).toHaveLength(1);
    expect(last()).toMatchObject({ modulePath: '/b/engine.js', args: ['--mode', 'sim'] });
    expect(last().options).toEqual({ serviceName: 'E', stdio: 'inherit' });
    expect(started).toEqual([last()]);
    expect(supervisor.status.state).toBe('starting');
    last().emit('spawn');
    expect(supervisor.status.state).toBe('running');
    expect(supervisor.child).toBe(last());
  });

  it('restarts after an unexpected exit with exponential backoff', () => {
    const { supervisor, forks, last } = setup();
    supervisor.start();
    last().emit('spawn');
    last().emit('exit', 1);
    expect(supervisor.status).toEqual({
      name: 'engine',
      state: 'restarting',
      restarts: 0,
      lastExitCode: 1,
      restartDelayMs: 100,
    });
    expect(supervisor.child).toBeUndefined();
    vi.advanceTimersByTime(99);
    expect(forks).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(forks).toHaveLength(2);
    expect(supervisor.status).toMatchObject({ state: 'starting', restarts: 1, restartDelayMs: null });

    last().emit('exit', 0); // even a clean exit we did not ask for is a crash
    expect(supervisor.status.restartDelayMs).toBe(200);
    vi.advanceTimersByTime(200);
    expect(forks).toHaveLength(3);
    last().emit('exit', 3);
    expect(supervisor.status.restartDelayMs).toBe(400);
  });

  it('starts the backoff over after a long healthy run', () => {
    const { supervisor, last } = setup();
    supervisor.start();
    last().emit('exit', 1);
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(10_000); // the second child stays up past resetAfterMs
    last().emit('exit', 1);
    expect(supervisor.status.restartDelayMs).toBe(100);
  });

  it('does not restart after stop(): kills the child and ignores its exit', () => {
    const { supervisor, forks, last, statuses } = setup();
    supervisor.start();
    last().emit('spawn');
    supervisor.stop();
    expect(last().killed).toBe(true);
    expect(supervisor.status.state).toBe('stopped');
    last().emit('exit', 0);
    vi.advanceTimersByTime(60_000);
    expect(forks).toHaveLength(1);
    expect(statuses.at(-1)?.state).toBe('stopped');
  });

  it('cancels a pending restart on stop()', () => {
    const { supervisor, forks, last } = setup();
    supervisor.start();
    last().emit('exit', 1);
    supervisor.stop();
    vi.advanceTimersByTime(60_000);
    expect(forks).toHaveLength(1);
    expect(supervisor.status.state).toBe('stopped');
  });

  it('treats a fork that throws as a crash and retries', () => {
    let attempts = 0;
    const statuses: SupervisedProcessStatus[] = [];
    const supervisor = superviseUtilityProcess(spec, {
      fork: (path: string, args: string[], options: ForkOptionsLike) => {
        attempts += 1;
        if (attempts === 1) throw new Error('boom');
        return new FakeUtilityProcess(path, args, options);
      },
      policy: new RestartPolicy({ initialDelayMs: 50, maxDelayMs: 50, resetAfterMs: 1_000 }),
      onStatus: (s) => statuses.push(s),
      log: () => undefined,
    });
    supervisor.start();
    expect(supervisor.status.state).toBe('restarting');
    vi.advanceTimersByTime(50);
    expect(attempts).toBe(2);
    expect(supervisor.status.state).toBe('starting');
  });
});
