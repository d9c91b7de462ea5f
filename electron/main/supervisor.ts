import type { RestartPolicy, SupervisedState } from '../../shared/supervision';
import type { UtilityProcessLike, UtilityProcessModuleLike } from './electronLike';
import type { SupervisedProcessName, SupervisedProcessStatus } from '../../shared/electronBridge';

export interface SupervisedProcessSpec {
  readonly name: SupervisedProcessName;
  /** The bundled entry (engine.js, sim.js) next to main.js. */
  readonly modulePath: string;
  readonly args: readonly string[];
  /** Shown in the OS task manager. */
  readonly serviceName: string;
}

export interface SupervisorDeps {
  readonly fork: UtilityProcessModuleLike['fork'];
  readonly policy: RestartPolicy;
  /** Every state change, for the UI. */
  readonly onStatus: (status: SupervisedProcessStatus) => void;
  /** Right after each (re)start. Messages posted now are queued until the child is up. */
  readonly onStarted?: (child: UtilityProcessLike) => void;
  readonly log: (line: string) => void;
}

/**
 * Keeps one utility process alive: restarts it with the RestartPolicy backoff whenever it exits
 * unless stop() asked it to. Owns the child and the restart timer.
 */
export class ProcessSupervisor {
  private current: UtilityProcessLike | undefined;
  private state: SupervisedState = 'stopped';
  private restarts = 0;
  private lastExitCode: number | null = null;
  private restartDelayMs: number | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopping = false;

  constructor(
    private readonly spec: SupervisedProcessSpec,
    private readonly deps: SupervisorDeps,
  ) {}

  /** The live child while starting or running; undefined while restarting or stopped. */
  get child(): UtilityProcessLike | undefined {
    return this.current;
  }

  get status(): SupervisedProcessStatus {
    return {
      name: this.spec.name,
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

  /** Kills the child for good (app quit): no restart follows its exit. */
  stop(): void {
    this.stopping = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const child = this.current;
    this.current = undefined;
    child?.kill();
    this.restartDelayMs = null;
    this.setState('stopped');
  }

  private launch(): void {
    const startedAt = Date.now();
    let child: UtilityProcessLike;
    try {
      child = this.deps.fork(this.spec.modulePath, [...this.spec.args], {
        serviceName: this.spec.serviceName,
        stdio: 'inherit',
      });
    } catch (e) {
      this.deps.log(`${this.spec.name}: could not start: ${e instanceof Error ? e.message : String(e)}`);
      this.scheduleRestart(0);
      return;
    }
    this.current = child;
    this.restartDelayMs = null;
    this.setState('starting');
    child.on('spawn', () => {
      if (this.current === child) this.setState('running');
    });
    child.on('exit', (code) => {
      // Exits of a child we already let go of (stop(), or replaced) are not news.
      if (this.current !== child) return;
      this.current = undefined;
      this.lastExitCode = code;
      this.deps.log(`${this.spec.name}: exited with code ${code}`);
      this.scheduleRestart(Date.now() - startedAt);
    });
    this.deps.onStarted?.(child);
  }

  private scheduleRestart(uptimeMs: number): void {
    if (this.stopping) return;
    const delay = this.deps.policy.nextDelay(uptimeMs);
    this.restartDelayMs = delay;
    this.setState('restarting');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.restarts += 1;
      this.launch();
    }, delay);
  }

  private setState(state: SupervisedState): void {
    this.state = state;
    this.deps.onStatus(this.status);
  }
}
