import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Emitter } from '../../shared/emitter';
import { DEFAULT_RESTART_POLICY, ProcessSupervisor, RestartPolicy } from '../../shared/supervision';
import type { ProcessStatus, RestartPolicyOptions } from '../../shared/supervision';

export interface NodeChildOptions {
  /** Shown in logs. */
  readonly name: string;
  /** The entry file to fork (TypeScript, run through tsx). */
  readonly entry: string;
  readonly args: readonly string[];
  readonly policy?: RestartPolicyOptions;
  readonly log: (line: string) => void;
}

/** Runs TypeScript entries with tsx's loader, stdout and stderr piped so our stdout stays clean. */
function forkTypeScript(entry: string, args: readonly string[]): ChildProcess {
  return fork(entry, [...args], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
}

/**
 * A Node child process (the engine, the local exchange) in web mode, kept alive by the shared
 * ProcessSupervisor, as main keeps its utility processes. Adds what web mode needs: the child's
 * messages, its output on our stderr, and a stop that waits for the exit.
 */
export class NodeChild {
  readonly onMessage = new Emitter<unknown>();
  readonly onStatus = new Emitter<ProcessStatus>();
  private readonly supervisor: ProcessSupervisor<string, ChildProcess>;

  constructor(options: NodeChildOptions) {
    this.supervisor = new ProcessSupervisor({
      name: options.name,
      policy: new RestartPolicy(options.policy ?? DEFAULT_RESTART_POLICY),
      log: options.log,
      onStatus: (status) => {
        this.onStatus.fire(status);
      },
      launch: (lifecycle) => {
        const child = forkTypeScript(options.entry, options.args);
        child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
        child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
        child.on('spawn', () => {
          lifecycle.spawned();
        });
        child.on('message', (message: unknown) => {
          this.onMessage.fire(message);
        });
        child.on('error', (error) => {
          options.log(`${options.name}: ${error.message}`);
        });
        child.on('exit', (code) => {
          lifecycle.exited(code);
        });
        return child;
      },
    });
  }

  get status(): ProcessStatus {
    return this.supervisor.status;
  }

  start(): void {
    this.supervisor.start();
  }

  /** Sends a message to the running child; false when there is none. */
  send(message: unknown): boolean {
    const child = this.supervisor.child;
    if (child?.connected !== true) return false;
    child.send(message as object);
    return true;
  }

  /** Stops the child for good (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit. */
  async stop(graceMs = 2000): Promise<void> {
    const child = this.supervisor.child;
    const exited =
      child === undefined || child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
          });
    this.supervisor.stop(); // SIGTERM, and no restart
    await exited;
  }
}
