import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Emitter } from '../../shared/emitter';
import { RestartPolicy } from '../../shared/supervision';
import type { RestartPolicyOptions, SupervisedState } from '../../shared/supervision';

export interface SupervisorOptions {
  /** Shown in logs. */
  readonly name: string;
  /** The entry file to fork (TypeScript, run through tsx). */
  readonly entry: string;
  readonly args: readonly string[];
  readonly policy?: RestartPolicyOptions;
  readonly log: (line: string) => void;
  /** Forks the process; tests pass their own. */
  readonly spawn?: (entry: string, args: readonly string[]) => ChildProcess;
}

/** Runs TypeScript entries with tsx's loader, stdout and stderr piped so our stdout stays clean. */
export function forkTypeScript(entry: string, args: readonly string[]): ChildProcess {
  return fork(entry, [...args], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
}

/**
 * Keeps one child process running: restarts it with backoff when it exits unexpectedly, never after
 * `stop()`. The web-mode counterpart of main's utility-process supervision.
 */
export class Supervisor {
  readonly onMessage = new Emitter<unknown>();
  readonly onState = new Emitter<SupervisedState>();
  private child: ChildProcess | undefined;
  private state: SupervisedState = 'stopped';
  private readonly policy: RestartPolicy;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private restarts = 0;

  constructor(private readonly options: SupervisorOptions) {
    this.policy = new RestartPolicy(options.policy);
  }

  get current(): ChildProcess | undefined {
    return this.child;
  }

  get restartCount(): number {
    return this.restarts;
  }

  get currentState(): SupervisedState {
    return this.state;
  }

  start(): void {
    this.stopping = false;
    this.launch();
  }

  /** Sends a message to the running child; false when there is none. */
  send(message: unknown): boolean {
    const child = this.child;
    if (child?.connected !== true) return false;
    child.send(message as object);
    return true;
  }

  /** Marks the child running (call when it reports ready). */
  markRunning(): void {
    this.setState('running');
  }

  /** Stops the child (SIGTERM, then SIGKILL after `graceMs`) and does not restart it. */
  async stop(graceMs = 2000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      this.setState('stopped');
      return;
    }
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
    this.setState('stopped');
  }

  private setState(state: SupervisedState): void {
    if (state === this.state) return;
    this.state = state;
    this.onState.fire(state);
  }

  private launch(): void {
    const { name, entry, args, log } = this.options;
    this.setState(this.restarts === 0 ? 'starting' : 'restarting');
    const child = (this.options.spawn ?? forkTypeScript)(entry, args);
    this.child = child;
    this.startedAt = Date.now();
    child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('message', (message: unknown) => {
      this.onMessage.fire(message);
    });
    child.on('error', (error) => {
      log(`${name}: ${error.message}`);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopping) return;
      const delay = this.policy.nextDelay(Date.now() - this.startedAt);
      log(`${name} exited (${signal ?? `code ${String(code)}`}); restarting in ${delay} ms`);
      this.restarts++;
      this.setState('restarting');
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.stopping) this.launch();
      }, delay);
    });
  }
}
