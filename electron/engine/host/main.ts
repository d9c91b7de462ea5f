// The engine's one entry. Runs as an Electron utility process (main forks it) and as a Node child
// process (web mode forks it). Never imports electron: hosting.ts adapts to whichever parent it has.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../engine';
import { parseEngineArgs } from './args';
import { detectHosting } from './hosting';
import { APP_VERSION } from './version';

function log(line: string): void {
  process.stderr.write(`[engine ${process.pid}] ${line}\n`);
}

function main(): void {
  const hosting = detectHosting();
  if (hosting === undefined) {
    log('no parent: start the engine through `npm start` or `npm run serve`');
    process.exit(2);
  }
  let args;
  try {
    args = parseEngineArgs(process.argv.slice(2));
  } catch (e) {
    log(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  const database = args.database ?? path.join(os.homedir(), '.shrivenq', 'engine.sqlite');
  mkdirSync(path.dirname(database), { recursive: true });
  const engine = new Engine({
    mode: args.mode,
    version: APP_VERSION,
    host: hosting.kind,
    log,
    databaseFile: database,
    ...(args.recordTicks === true ? { recordTicks: true } : {}),
    ...(args.orderPollMs === undefined ? {} : { orderPollMs: args.orderPollMs }),
    ...(args.unknownGraceMs === undefined ? {} : { unknownGraceMs: args.unknownGraceMs }),
  });
  const stop = (why: string): void => {
    log(`stopping: ${why}`);
    engine.dispose();
    process.exit(0);
  };
  hosting.start(
    (port, client) => {
      engine.connect(port, client);
    },
    () => {
      stop('parent went away');
    },
    {
      venue: (endpoint) => {
        log(endpoint === null ? 'venue gone' : `venue at ${endpoint.rest}`);
        engine.setVenue(endpoint);
      },
      credentials: (credentials) => {
        log(credentials === null ? 'no Kite credentials' : 'Kite credentials received');
        engine.setCredentials(credentials);
      },
      requestToken: (token) => {
        engine.loginWithRequestToken(token);
      },
    },
  );
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  log(`ready (${hosting.kind}, mode ${args.mode})`);
}

main();
