import { ProcessSupervisor } from '../../shared/supervision';
import type { RestartPolicy } from '../../shared/supervision';
import type { SupervisedProcessName, SupervisedProcessStatus } from '../../shared/electronBridge';
import type { UtilityProcessLike, UtilityProcessModuleLike } from './electronLike';

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

export type UtilityProcessSupervisor = ProcessSupervisor<SupervisedProcessName, UtilityProcessLike>;

/** A utility process (the engine, the local exchange) kept alive by the shared ProcessSupervisor. */
export function superviseUtilityProcess(
  spec: SupervisedProcessSpec,
  deps: SupervisorDeps,
): UtilityProcessSupervisor {
  return new ProcessSupervisor({
    name: spec.name,
    launch: (lifecycle) => {
      const child = deps.fork(spec.modulePath, [...spec.args], {
        serviceName: spec.serviceName,
        stdio: 'inherit',
      });
      child.on('spawn', () => {
        lifecycle.spawned();
      });
      child.on('exit', (code) => {
        lifecycle.exited(code);
      });
      return child;
    },
    policy: deps.policy,
    onStatus: deps.onStatus,
    ...(deps.onStarted === undefined ? {} : { onStarted: deps.onStarted }),
    log: deps.log,
  });
}
