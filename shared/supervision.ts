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
