import path from 'node:path';
import { RestartPolicy } from '../../shared/supervision';
import type { RestartPolicyOptions } from '../../shared/supervision';
import type { TradingMode } from '../../shared/services/system';
import type { UtilityProcessLike, UtilityProcessModuleLike } from './electronLike';
import type { SupervisedProcessStatus } from '../../shared/electronBridge';
import { superviseUtilityProcess } from './supervisor';
import type { UtilityProcessSupervisor } from './supervisor';

export interface ChildProcessesOptions {
  /** The folder of main.js; engine.js and sim.js are bundled beside it. */
  readonly buildDir: string;
  readonly mode: TradingMode;
  readonly fork: UtilityProcessModuleLike['fork'];
  readonly restartPolicy: RestartPolicyOptions;
  readonly onStatus: (status: SupervisedProcessStatus) => void;
  /** After every (re)start of the engine. */
  readonly onEngineStarted: (engine: UtilityProcessLike) => void;
  readonly log: (line: string) => void;
}

export interface ChildProcesses {
  readonly engine: UtilityProcessSupervisor;
  /** Local exchange first, so it is listening by the time the engine looks for it. */
  readonly all: readonly UtilityProcessSupervisor[];
}

/** The engine, and in sim mode the local exchange (its venue), each under its own supervisor. */
export function createChildProcesses(options: ChildProcessesOptions): ChildProcesses {
  const { buildDir, fork, onStatus, log } = options;
  const engine = superviseUtilityProcess(
    {
      name: 'engine',
      modulePath: path.join(buildDir, 'engine.js'),
      args: ['--mode', options.mode],
      serviceName: 'ShrivenQ Engine',
    },
    {
      fork,
      policy: new RestartPolicy(options.restartPolicy),
      onStatus,
      onStarted: options.onEngineStarted,
      log,
    },
  );
  if (options.mode !== 'sim') return { engine, all: [engine] };
  const exchange = superviseUtilityProcess(
    {
      name: 'exchange',
      modulePath: path.join(buildDir, 'sim.js'),
      args: [],
      serviceName: 'ShrivenQ Local Exchange',
    },
    { fork, policy: new RestartPolicy(options.restartPolicy), onStatus, log },
  );
  return { engine, all: [exchange, engine] };
}
