// `npm run bench:ui -- [--seconds 60] [--tick-rate 2000] [--instruments 50] [--baseline-seconds S]
// [--warmup-seconds 5] [--seed 1] [--no-idle] [--no-profile]`. Pure; throws a readable Error on bad input.

export interface UiBenchArgs {
  /** How long the page is measured under load. */
  readonly seconds: number;
  /** Ticks a second the local exchange sends (its --tick-rate). */
  readonly tickRate: number;
  /** Instruments the ticks are spread over, all of them in the watchlist (its --tick-instruments). */
  readonly instruments: number;
  /** How long the baselines (the idle page, the bare page) are measured: min(seconds, 20) by default. */
  readonly baselineSeconds: number;
  /** After the page is live and before measuring: history loads, the chart draws, the JIT warms. */
  readonly warmupSeconds: number;
  readonly seed: number;
  /** Skip the idle terminal page baseline (the bare page baseline still runs). */
  readonly idle: boolean;
  /**
   * After the measured window, a CPU profile of the page under the same load for min(seconds, 10) s,
   * kept apart so the profiler's cost is not in the figures.
   */
  readonly profile: boolean;
}

const USAGE =
  'usage: npm run bench:ui -- [--seconds N] [--tick-rate R] [--instruments N] [--baseline-seconds N] [--warmup-seconds N] [--seed S] [--no-idle] [--no-profile]';

export function parseUiBenchArgs(argv: readonly string[]): UiBenchArgs {
  const values = new Map<string, number>();
  let idle = true;
  let profile = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--no-idle' || arg === '--no-profile') {
      if (arg === '--no-idle') idle = false;
      else profile = false;
      continue;
    }
    const m = /^--(seconds|tick-rate|instruments|baseline-seconds|warmup-seconds|seed)(?:=(.*))?$/.exec(arg);
    if (m === null) throw new Error(`unknown argument ${arg}\n${USAGE}`);
    const flag = m[1] ?? '';
    const text = m[2] ?? argv[++i];
    const n = Number(text);
    if (text === undefined || text.trim() === '' || !Number.isFinite(n))
      throw new Error(`--${flag} needs a number`);
    values.set(flag, n);
  }
  const get = (flag: string, fallback: number, ok: (n: number) => boolean, what: string): number => {
    const n = values.get(flag) ?? fallback;
    if (!ok(n)) throw new Error(`--${flag} must be ${what} (got ${n})`);
    return n;
  };
  const seconds = get('seconds', 60, (n) => n >= 1 && n <= 3600, '1-3600');
  return {
    seconds,
    tickRate: get('tick-rate', 2000, (n) => n > 0 && n <= 100_000, 'in (0, 100000]'),
    instruments: get('instruments', 50, (n) => Number.isInteger(n) && n >= 1 && n <= 500, 'an integer 1-500'),
    baselineSeconds: get('baseline-seconds', Math.min(seconds, 20), (n) => n >= 1 && n <= 3600, '1-3600'),
    warmupSeconds: get('warmup-seconds', 5, (n) => n >= 0 && n <= 600, '0-600'),
    seed: get('seed', 1, (n) => Number.isSafeInteger(n), 'an integer'),
    idle,
    profile,
  };
}
