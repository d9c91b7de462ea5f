// The local exchange's entry: `npm run sim -- [--port N] [--seed S] [--speed X] [--start ISO] [--always-open]
// [--state FILE] [--activity X] [--market full|light] [--lose-acks P] [--lose-acks-mode reset|hang]
// [--tick-rate R [--tick-instruments N]]` (every flag: args.ts; more from SHRIVENQ_SIM_ARGS) standalone,
// or forked as Electron's utility process / web mode's Node child. It
// serves Kite Connect v3 (REST, login, KiteTicker WebSocket, admin API) on one loopback port and
// prints one JSON line on stdout when ready; everything else goes to stderr. It stops on
// SIGINT/SIGTERM and when its parent goes away.
import { KiteServer, randomToken, seededRandom } from '../kite';
import type { LoseAcksOptions } from '../kite';
import { mixSeed, Random } from '../market';
import type { TickPump } from '../market';
import { parseSimArgs, simArgv } from './args';
import type { SimArgs } from './args';
import { createVenue } from './venueFactory';

/** Keys the `--lose-acks` stream off the seed, apart from the market's and the admin faults' streams. */
const LOSE_ACKS_STREAM = 0x1057ac45;
/** How often the tick pump's counts are logged, wall ms. */
const PUMP_LOG_MS = 5_000;
/** Starts each of the tick pump's log lines; the rest of the line is JSON (`npm run bench:ui` reads it). */
const PUMP_LOG_PREFIX = 'tick pump ';

function log(line: string): void {
  process.stderr.write(`[exchange ${process.pid}] ${line}\n`);
}

/** Electron's `process.parentPort` in a utility process (the part used here). */
interface ParentPortLike {
  postMessage(message: unknown): void;
}

const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;
const hosted =
  parentPort !== undefined ? 'electron-utility' : process.send !== undefined ? 'node-child' : 'standalone';

async function main(): Promise<void> {
  let args: SimArgs;
  try {
    args = parseSimArgs(simArgv(process.argv.slice(2), process.env));
  } catch (e) {
    log(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }

  // Registered before listening, so a parent that leaves during start-up still stops us.
  const lifecycle = { stopping: false };
  let closeAll: () => Promise<unknown> = () => Promise.resolve();
  const stop = (why: string): void => {
    if (lifecycle.stopping) return;
    lifecycle.stopping = true;
    log(`stopping: ${why}`);
    void closeAll().finally(() => {
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('disconnect', () => {
    stop('parent went away');
  });

  const hostedVenue = createVenue({
    seed: args.seed,
    speed: args.speed,
    ...(args.start === undefined ? {} : { start: args.start }),
    alwaysOpen: args.alwaysOpen,
    activity: args.activity,
    ...(args.market === undefined ? {} : { market: args.market }),
    ...(args.state === undefined ? {} : { state: args.state }),
    ...(args.ticks === undefined ? {} : { ticks: args.ticks }),
  });
  const apiKey = args.apiKey ?? `sim${randomToken().slice(0, 13).toLowerCase()}`;
  const apiSecret = args.apiSecret ?? randomToken();
  const server = new KiteServer({
    venue: hostedVenue.venue,
    apiKey,
    apiSecret,
    host: args.host,
    port: args.port,
    random: seededRandom(args.seed),
    ...(args.loseAcks > 0 ? { loseAcks: loseAcksOf(args) } : {}),
    log,
    ...(args.redirectUrl === undefined ? {} : { redirectUrl: args.redirectUrl }),
  });
  const pumpLog = hostedVenue.pump === undefined ? undefined : logPump(hostedVenue.pump, server);
  closeAll = () => {
    if (pumpLog !== undefined) clearInterval(pumpLog);
    return Promise.all([server.close(), hostedVenue.close()]);
  };
  await server.listen();
  if (lifecycle.stopping) return;
  const accessToken = server.session.issueAccessToken();
  const ready = {
    event: 'ready',
    rest: server.restUrl,
    ws: server.wsUrl,
    apiKey,
    apiSecret,
    accessToken,
    venue: hostedVenue.kind,
    // The engine's bars follow the same session as the exchange's candles.
    marketHours: !args.alwaysOpen,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  // The parent (main or web mode) gets the same line over its channel, to find the port.
  if (parentPort !== undefined) parentPort.postMessage(ready);
  else if (process.connected) process.send?.(ready);
  log(`started (${hosted}); Kite REST ${server.restUrl}, ticker ${server.wsUrl}; venue: ${hostedVenue.kind}`);
}

/**
 * Logs the tick pump's instruments once, then every PUMP_LOG_MS one line of counts since the start,
 * with the wall time: the pump's ticks and the packets the ticker sent (to every client, for every
 * instrument), so a reader can take the rate between any two lines.
 */
function logPump(pump: TickPump, server: KiteServer): NodeJS.Timeout {
  const line = (fields: Record<string, unknown>): void => {
    log(`${PUMP_LOG_PREFIX}${JSON.stringify(fields)}`);
  };
  line({
    event: 'start',
    at: Date.now(),
    instruments: pump.instruments.map((i) => ({
      token: i.instrument_token,
      key: `${i.exchange}:${i.tradingsymbol}`,
    })),
  });
  const timer = setInterval(() => {
    line({ event: 'counts', at: Date.now(), ...pump.stats, ticker: server.ticker.sent });
  }, PUMP_LOG_MS);
  timer.unref();
  return timer;
}

function loseAcksOf(args: SimArgs): LoseAcksOptions {
  const random = new Random(mixSeed(args.seed, LOSE_ACKS_STREAM));
  log(`losing order acknowledgements: probability ${args.loseAcks}, mode ${args.loseAcksMode}`);
  return { rate: args.loseAcks, mode: args.loseAcksMode, random: () => random.next() };
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
