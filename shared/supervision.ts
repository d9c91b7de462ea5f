import { realTimers } from './rpc/timers';
import type { Timers } from './rpc/timers';

/**
 * Restart policy for a supervised process (the engine, the local exchange): exponential backoff
 * with a cap, reset after the process has stayed up for a while. Pure: the host owns the process
 * and the timers; this only decides how long to wait.
 */
export interface RestartPolicyOptions {
  /** First delay after a crash, ms. */
  readonly initialDelayMs: number;
  /** Longest delay, ms. */
  readonly maxDelayMs: number;
  /** A process that ran this long before crashing counts as healthy: the next delay starts over. */
  readonly resetAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 200,
  maxDelayMs: 10_000,
  resetAfterMs: 30_000,
};

/** The state a supervised process is in, as shown in the UI. */
export type SupervisedState = 'starting' | 'running' | 'restarting' | 'stopped';

export class RestartPolicy {
  private failures = 0;

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** How long to wait before restarting a process that exited after running `uptimeMs`. */
  nextDelay(uptimeMs: number): number {
    if (uptimeMs >= this.options.resetAfterMs) this.failures = 0;
    const delay = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    return delay;
  }

  /** Consecutive crashes counted so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }
}

/** What the UI shows about a supervised process. Plain data. */
export interface ProcessStatus<N extends string = string> {
  readonly name: N;
  readonly state: SupervisedState;
  /** Restarts after unexpected exits since supervision began. */
  readonly restarts: number;
  /** Exit code of the most recent exit; null if it has not exited yet (or died by a signal). */
  readonly lastExitCode: number | null;
  /** While `restarting`: the backoff before the next start, ms; otherwise null. */
  readonly restartDelayMs: number | null;
}

/** A started child process, as much of it as supervision needs. */
export interface SupervisedChild {
  kill(): void;
}

/** What a launcher reports about the child it started. */
export interface ChildLifecycle {
  /** The OS process exists. */
  spawned(): void;
  /** It ended (code null when killed by a signal). */
  exited(code: number | null): void;
}

export interface ProcessSupervisorOptions<N extends string, C extends SupervisedChild> {
  readonly name: N;
  /** Starts the child and wires its events to `lifecycle`. May throw: that counts as a crash. */
  readonly launch: (lifecycle: ChildLifecycle) => C;
  readonly policy: RestartPolicy;
  /** Every state change, for the UI. */
  readonly onStatus: (status: ProcessStatus<N>) => void;
  /** Right after each (re)start. */
  readonly onStarted?: (child: C) => void;
  readonly log: (line: string) => void;
  readonly timers?: Pick<Timers, 'now' | 'setTimeout' | 'clearTimeout'>;
}

/**
 * Keeps one child process alive: restarts it with the RestartPolicy backoff whenever it exits,
 * unless stop() asked it to. Owns the child and the restart timer. The host supplies `launch`
 * (Electron's utilityProcess in main, child_process.fork in web mode).
 */
export class ProcessSupervisor<N extends string, C extends SupervisedChild> {
  private current: C | undefined;
  private state: SupervisedState = 'stopped';
  private restarts = 0;
  private lastExitCode: number | null = null;
  private restartDelayMs: number | null = null;
  private timer: unknown = undefined;
  private stopping = false;
  private readonly timers: Pick<Timers, 'now' | 'setTimeout' | 'clearTimeout'>;

  constructor(private readonly options: ProcessSupervisorOptions<N, C>) {
    this.timers = options.timers ?? realTimers;
  }

  /** The live child while starting or running; undefined while restarting or stopped. */
  get child(): C | undefined {
    return this.current;
  }

  get status(): ProcessStatus<N> {
    return {
      name: this.options.name,
      state: this.state,
      restarts: this.restarts,
      lastExitCode: this.lastExitCode,
      restartDelayMs: this.restartDelayMs,
    };
  }

  start(): void {
    if (this.current !== undefined || this.timer !== undefined) return;
    this.stopping = false;
    this.launch();
  }

  /** Kills the child for good: no restart follows its exit. */
  stop(): void {
    this.stopping = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const child = this.current;
    this.current = undefined;
    child?.kill();
    this.restartDelayMs = null;
    this.setState('stopped');
  }

  private launch(): void {
    const startedAt = this.timers.now();
    let child: C | undefined;
    const lifecycle: ChildLifecycle = {
      spawned: () => {
        if (child !== undefined && this.current === child) this.setState('running');
      },
      exited: (code) => {
        // Exits of a child we already let go of (stop(), or replaced) are not news.
        if (child === undefined || this.current !== child) return;
        this.current = undefined;
        this.lastExitCode = code;
        this.options.log(`${this.options.name}: exited with code ${String(code)}`);
        this.scheduleRestart(this.timers.now() - startedAt);
      },
    };
    try {
      child = this.options.launch(lifecycle);
    } catch (e) {
      this.options.log(
        `${this.options.name}: could not start: ${e instanceof Error ? e.message : String(e)}`,
      );
      this.scheduleRestart(0);
      return;
    }
    this.current = child;
    this.restartDelayMs = null;
    this.setState('starting');
    this.options.onStarted?.(child);
  }

  private scheduleRestart(uptimeMs: number): void {
    if (this.stopping) return;
    const delay = this.options.policy.nextDelay(uptimeMs);
    this.restartDelayMs = delay;
    this.setState('restarting');
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.restarts += 1;
      this.launch();
    }, delay);
  }

  private setState(state: SupervisedState): void {
    this.state = state;
    this.options.onStatus(this.status);
  }
}
