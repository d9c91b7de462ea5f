/**
 * The local exchange's command line: `[--port N] [--host ADDR] [--seed S] [--speed X]
 * [--always-open] [--state FILE] [--activity X] [--market full|light] [--api-key K] [--api-secret S] [--redirect-url URL]
 * [--lose-acks P] [--lose-acks-mode reset|hang] [--tick-rate R [--tick-instruments N]]`.
 *
 * `--lose-acks P` (0 <= P <= 1, default 0): each order-changing request (place, modify, cancel) is
 * carried out as usual, order updates and all, and with probability P its HTTP answer is lost,
 * drawn from a stream seeded by `--seed`. `--lose-acks-mode reset` (the default) destroys the
 * connection without a response (the client sees a reset / socket hang up); `hang` never answers
 * and keeps the connection open until the client gives up. Each lost answer is one stderr line
 * `lost ack: METHOD PATH tag=T order_id=ID (mode; N lost so far)`.
 *
 * `--tick-rate R` (ticks a second, wall time) adds a load generator to the market: R trades a
 * second spread round-robin over `--tick-instruments N` instruments (default 50: the NIFTY 50
 * companies), chosen by `--seed` (market/tickPump.ts). It trades against the makers' books, so it
 * needs the agents (`--activity` above 0). Every 5 s the exchange logs what it has sent (host/main.ts).
 *
 * `simArgv` prepends the words of the environment's `SHRIVENQ_SIM_ARGS` to the command line, so a
 * host that starts the exchange with fixed arguments (web mode, the app) can be given more.
 *
 * Pure; throws a readable Error on bad input.
 */

export interface SimArgs {
  /** 0: any free port. */
  readonly port: number;
  readonly host: string;
  /** Seeds the market and the fault injector. */
  readonly seed: number;
  /** Simulated time runs this many times faster than the wall clock. */
  readonly speed: number;
  /** `--start ISO`: the simulated clock starts here (epoch ms) instead of at the wall clock's now. */
  readonly start?: number;
  /** Ignore market hours and holidays: the session is always open. */
  readonly alwaysOpen: boolean;
  /** Where the exchange keeps its state between runs. */
  readonly state?: string;
  /** The synthetic market's activity: 1 by default, 0 turns its agents off. */
  readonly activity: number;
  /** Which instruments the agents trade (default: full, light with --state). */
  readonly market?: 'full' | 'light';
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** The app's redirect URL for the login flow. */
  readonly redirectUrl?: string;
  /** `--lose-acks P`: the probability that a place / modify / cancel answer is lost (0: never). */
  readonly loseAcks: number;
  /** `--lose-acks-mode`: `reset` destroys the connection, `hang` never answers. */
  readonly loseAcksMode: 'reset' | 'hang';
  /** `--tick-rate R --tick-instruments N`: the load generator, when asked for. */
  readonly ticks?: { readonly rate: number; readonly instruments: number };
}

/** The environment variable whose words `simArgv` puts before the command line's. */
export const SIM_ARGS_ENV = 'SHRIVENQ_SIM_ARGS';

/** The command line to parse: `SHRIVENQ_SIM_ARGS`'s words (split on white space), then `argv`, which wins. */
export function simArgv(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const extra = env[SIM_ARGS_ENV]?.trim() ?? '';
  return [...(extra === '' ? [] : extra.split(/\s+/)), ...argv];
}

const FLAGS = [
  'port',
  'host',
  'seed',
  'speed',
  'start',
  'state',
  'activity',
  'market',
  'api-key',
  'api-secret',
  'redirect-url',
  'lose-acks',
  'lose-acks-mode',
  'tick-rate',
  'tick-instruments',
] as const;
type Flag = (typeof FLAGS)[number];

function number(flag: string, text: string, check: (n: number) => boolean, what: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !check(n))
    throw new Error(`--${flag} must be ${what} (got ${text})`);
  return n;
}

/** Parses argv (without node and the script). */
export function parseSimArgs(argv: readonly string[]): SimArgs {
  const values = new Map<Flag, string>();
  let alwaysOpen = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--always-open') {
      alwaysOpen = true;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const flag = FLAGS.find((f) => f === match?.[1]);
    if (match === null || flag === undefined) throw new Error(`unknown argument ${arg}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${flag} needs a value`);
    values.set(flag, value);
  }
  const get = (flag: Flag): string | undefined => values.get(flag);
  const port = get('port');
  const seed = get('seed');
  const speed = get('speed');
  const startText = get('start');
  const start = startText === undefined ? undefined : Date.parse(startText);
  if (start !== undefined && !Number.isFinite(start))
    throw new Error(
      `--start must be a date and time with its zone, e.g. 2026-12-02T10:00:00+05:30 (got ${startText})`,
    );
  const state = get('state');
  const activity = get('activity');
  const market = get('market');
  if (market !== undefined && market !== 'full' && market !== 'light')
    throw new Error(`--market must be full or light (got ${market})`);
  const apiKey = get('api-key');
  const apiSecret = get('api-secret');
  const redirectUrl = get('redirect-url');
  const loseAcks = get('lose-acks');
  const loseAcksMode = get('lose-acks-mode') ?? 'reset';
  if (loseAcksMode !== 'reset' && loseAcksMode !== 'hang')
    throw new Error(`--lose-acks-mode must be reset or hang (got ${loseAcksMode})`);
  const tickRateText = get('tick-rate');
  const tickInstrumentsText = get('tick-instruments');
  if (tickInstrumentsText !== undefined && tickRateText === undefined)
    throw new Error('--tick-instruments needs --tick-rate');
  const tickRate =
    tickRateText === undefined
      ? undefined
      : number('tick-rate', tickRateText, (n) => n > 0 && n <= 100_000, 'ticks a second in (0, 100000]');
  const tickInstruments =
    tickInstrumentsText === undefined
      ? 50
      : number(
          'tick-instruments',
          tickInstrumentsText,
          (n) => Number.isInteger(n) && n >= 1 && n <= 3000,
          'an integer 1-3000',
        );
  if (redirectUrl !== undefined && !URL.canParse(redirectUrl))
    throw new Error(`--redirect-url must be an absolute URL (got ${redirectUrl})`);
  for (const [flag, value] of [
    ['api-key', apiKey],
    ['api-secret', apiSecret],
  ] as const)
    if (value !== undefined && !/^[A-Za-z0-9]{6,64}$/.test(value))
      throw new Error(`--${flag} must be 6 to 64 letters or digits`);
  const activityValue =
    activity === undefined
      ? 1
      : number('activity', activity, (n) => n >= 0 && n <= 10, 'a number in [0, 10] (0: no market agents)');
  if (tickRate !== undefined && activityValue === 0)
    throw new Error('--tick-rate trades against the market makers: it needs --activity above 0');
  return {
    port:
      port === undefined
        ? 0
        : number('port', port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port 0-65535'),
    host: get('host') ?? '127.0.0.1',
    seed: seed === undefined ? 1 : number('seed', seed, (n) => Number.isSafeInteger(n), 'an integer'),
    speed:
      speed === undefined ? 1 : number('speed', speed, (n) => n > 0 && n <= 10_000, 'a number in (0, 10000]'),
    alwaysOpen,
    ...(start === undefined ? {} : { start }),
    activity: activityValue,
    loseAcks:
      loseAcks === undefined
        ? 0
        : number(
            'lose-acks',
            loseAcks,
            (n) => n >= 0 && n <= 1,
            'a probability in [0, 1] (0: no lost answers)',
          ),
    loseAcksMode,
    ...(market === undefined ? {} : { market }),
    ...(state === undefined ? {} : { state }),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(apiSecret === undefined ? {} : { apiSecret }),
    ...(redirectUrl === undefined ? {} : { redirectUrl }),
    ...(tickRate === undefined ? {} : { ticks: { rate: tickRate, instruments: tickInstruments } }),
  };
}
