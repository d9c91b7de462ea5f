// Web mode: `npm run serve -- [--port N] [--host ADDR] [--mode sim|paper|live] [--rebuild]
// [--data-dir DIR] [--kite-credentials FILE]` (or KITE_API_KEY and KITE_API_SECRET in the environment).
// A plain Node host in place of Electron main: builds (or reuses) the renderer, forks the engine and
// the local exchange from their entry files, serves the renderer and /rpc behind a token, and prints
// one JSON line on stdout when ready. Everything else it says goes to stderr.
import path from 'node:path';
import { isChildReadyMessage, isMuxMessage } from '../../shared/rpc/transports/mux';
import { isVenueReadyLine, venueEndpointOf } from '../../shared/venue';
import type {
  CredentialsMessage,
  RequestTokenMessage,
  VenueEndpoint,
  VenueMessage,
} from '../../shared/venue';
import { parseServeArgs } from './args';
import { newToken } from './auth';
import { loadKiteCredentials } from './kiteCredentials';
import { buildRenderer, rendererBuildIsStale } from './rendererBuild';
import { CLOSE_ENGINE_RESTARTING, WebHost } from './server';
import { NodeChild } from './supervisor';

const root = path.resolve(__dirname, '..', '..');
const staticRoot = path.join(root, '.vite', 'renderer', 'main_window');

function log(line: string): void {
  process.stderr.write(`[serve] ${line}\n`);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseServeArgs(process.argv.slice(2));
  } catch (e) {
    log(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }

  // The Kite app's credentials for paper and live (sim has the local exchange's).
  const kite = await loadKiteCredentials(args.kiteCredentials, process.env);
  if (!kite.ok) {
    log(kite.reason);
    process.exit(2);
  }
  const { credentials } = kite;
  if (args.mode !== 'sim')
    log(
      credentials === null
        ? 'no Kite credentials: set KITE_API_KEY and KITE_API_SECRET, or pass --kite-credentials FILE'
        : `Kite credentials from ${kite.source} (api key ${credentials.apiKey})`,
    );

  if (args.rebuild || rendererBuildIsStale(root, staticRoot)) {
    log('building the renderer');
    await buildRenderer(root);
  }

  const token = newToken();
  let engineReady = false;
  const engine = new NodeChild({
    name: 'engine',
    entry: path.join(root, 'electron', 'engine', 'host', 'main.ts'),
    args: [
      '--mode',
      args.mode,
      ...(args.dataDir === undefined ? [] : ['--db', path.join(args.dataDir, 'engine.sqlite')]),
    ],
    log,
  });
  const exchange = new NodeChild({
    name: 'local exchange',
    entry: path.join(root, 'electron', 'sim', 'host', 'main.ts'),
    // Always open: a first start at night still has a market to trade (market hours: a setting later).
    args: ['--always-open'],
    log,
  });
  const web = new WebHost({
    host: args.host,
    port: args.port,
    token,
    staticRoot,
    toEngine: (message) => engineReady && engine.send(message),
    engineReady: () => engineReady,
    sendRequestToken: (requestToken) => {
      const message: RequestTokenMessage = { type: 'request-token', requestToken };
      return engineReady && engine.send(message);
    },
    log,
  });

  let announced = false;
  const announce = (): void => {
    if (announced) return;
    announced = true;
    const shownHost = args.host === '0.0.0.0' || args.host === '::' ? '127.0.0.1' : args.host;
    const base = `${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${web.port}`;
    process.stdout.write(
      `${JSON.stringify({ event: 'ready', url: `http://${base}/?token=${token}`, rpc: `ws://${base}/rpc?token=${token}` })}\n`,
    );
  };

  // The engine finds the local exchange through us: its ready line, again after either restarts.
  let venue: VenueEndpoint | null = null;
  const tellVenue = (): void => {
    if (engineReady) {
      const message: VenueMessage = { type: 'venue', endpoint: venue };
      engine.send(message);
    }
  };
  exchange.onMessage.on((message) => {
    if (!isVenueReadyLine(message)) return;
    venue = venueEndpointOf(message);
    tellVenue();
  });
  exchange.onStatus.on(({ state }) => {
    if (state === 'restarting' || state === 'stopped') {
      venue = null;
      tellVenue();
    }
  });

  engine.onMessage.on((message) => {
    if (isMuxMessage(message)) web.fromEngine(message);
    else if (isChildReadyMessage(message)) {
      engineReady = true;
      log(`engine ready (pid ${message.pid})`);
      // After every start; the engine uses them in paper and live and ignores them in sim.
      const credentialsMessage: CredentialsMessage = { type: 'credentials', credentials };
      engine.send(credentialsMessage);
      // In every mode: the engine keeps it for a switch to sim (the mode is a setting).
      tellVenue();
      announce();
    }
  });
  engine.onStatus.on(({ state }) => {
    if (state === 'restarting' || state === 'stopped') {
      engineReady = false;
      web.closeAllConnections(CLOSE_ENGINE_RESTARTING, 'engine restarting');
    }
  });

  await web.listen();
  exchange.start();
  engine.start();

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    void Promise.all([engine.stop(), exchange.stop(), web.close()]).then(() => {
      process.exit(0);
    });
  };
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
