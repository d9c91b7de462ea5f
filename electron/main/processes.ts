import path from 'node:path';
import { RestartPolicy } from '../../shared/supervision';
import type { RestartPolicyOptions } from '../../shared/supervision';
import type { TradingMode } from '../../shared/services/system';
import type { UtilityProcessLike, UtilityProcessModuleLike } from './electronLike';
import type { SupervisedProcessStatus } from '../../shared/electronBridge';
import { superviseUtilityProcess } from './supervisor';
import { isVenueReadyLine, venueEndpointOf } from '../../shared/venue';
import type { CredentialsMessage, KiteCredentials, VenueEndpoint, VenueMessage } from '../../shared/venue';
import type { UtilityProcessSupervisor } from './supervisor';

export interface ChildProcessesOptions {
  /** The folder of main.js; engine.js and sim.js are bundled beside it. */
  readonly buildDir: string;
  readonly mode: TradingMode;
  /** The engine's SQLite database (the profile's, in userData). */
  readonly databaseFile: string;
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
  /**
   * The Kite app's credentials for the engine (used in paper and live; kept in sim for a switch):
   * sent now if the engine runs, and again after each of its restarts.
   */
  readonly setCredentials: (credentials: KiteCredentials | null) => void;
}

/** The engine and the local exchange (the sim mode's venue), each under its own supervisor. */
export function createChildProcesses(options: ChildProcessesOptions): ChildProcesses {
  const { buildDir, fork, onStatus, log } = options;
  // In sim mode the engine finds the local exchange through main: the exchange's ready line, sent
  // to the engine after each start of either (and null while the exchange restarts).
  let venue: VenueEndpoint | null = null;
  // The Kite app's credentials go the same way, in every mode (the engine keeps them for a switch
  // to paper or live); undefined until main has read them (the engine starts without any).
  let credentials: KiteCredentials | null | undefined;
  const tellCredentials = (child: UtilityProcessLike | undefined): void => {
    if (child === undefined || credentials === undefined) return;
    const message: CredentialsMessage = { type: 'credentials', credentials };
    child.postMessage(message);
  };
  const setCredentials = (next: KiteCredentials | null): void => {
    credentials = next;
    tellCredentials(engine.child);
  };
  const tellVenue = (): void => {
    const child = engine.child;
    const message: VenueMessage = { type: 'venue', endpoint: venue };
    if (child !== undefined) child.postMessage(message);
  };
  const engine = superviseUtilityProcess(
    {
      name: 'engine',
      modulePath: path.join(buildDir, 'engine.js'),
      args: ['--mode', options.mode, '--db', options.databaseFile],
      serviceName: 'ShrivenQ Engine',
    },
    {
      fork,
      policy: new RestartPolicy(options.restartPolicy),
      onStatus,
      onStarted: (child) => {
        options.onEngineStarted(child);
        tellCredentials(child);
        if (venue !== null) {
          const message: VenueMessage = { type: 'venue', endpoint: venue };
          child.postMessage(message);
        }
      },
      log,
    },
  );
  // The local exchange runs in every mode: the mode is a setting the trader can switch at once, and
  // sim needs its venue there (about 3% of a core and 200 MB while it runs).
  const exchange = superviseUtilityProcess(
    {
      name: 'exchange',
      modulePath: path.join(buildDir, 'sim.js'),
      // Always open: a first start at night still has a market to trade (market hours: a setting later).
      args: ['--always-open'],
      serviceName: 'ShrivenQ Local Exchange',
    },
    {
      fork,
      policy: new RestartPolicy(options.restartPolicy),
      onStatus: (status) => {
        if (status.state === 'restarting' || status.state === 'stopped') {
          venue = null;
          tellVenue();
        }
        onStatus(status);
      },
      onStarted: (child) => {
        child.on('message', (message) => {
          if (!isVenueReadyLine(message)) return;
          venue = venueEndpointOf(message);
          tellVenue();
        });
      },
      log,
    },
  );
  return { engine, all: [exchange, engine], setCredentials };
}
