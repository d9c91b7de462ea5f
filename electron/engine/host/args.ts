import { TradingModeSchema } from '../../../shared/services/system';
import type { TradingMode } from '../../../shared/services/system';

export interface EngineArgs {
  readonly mode: TradingMode;
  /** `--db FILE`: the engine's SQLite database (default: ~/.shrivenq/engine.sqlite). */
  readonly database?: string;
  /** `--record-ticks`: keep every raw ticker frame in the database for replay. */
  readonly recordTicks?: boolean;
  /** `--order-poll-ms N`: the OMS's order book poll while orders work (default 1000). */
  readonly orderPollMs?: number;
  /** `--unknown-grace-ms N`: how long an UNKNOWN order may be absent from the book before it is REJECTED (default 5000). */
  readonly unknownGraceMs?: number;
}

function milliseconds(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isSafeInteger(n) || n < 50 || n > 600_000)
    throw new Error(
      `--${name} must be a whole number of milliseconds from 50 to 600000 (got ${String(value)})`,
    );
  return n;
}

/** Parses the engine's command line (`--mode sim|paper|live`, `--db FILE`). Throws a readable Error on bad input. */
export function parseEngineArgs(argv: readonly string[]): EngineArgs {
  let mode: TradingMode = 'sim';
  let database: string | undefined;
  let recordTicks = false;
  let orderPollMs: number | undefined;
  let unknownGraceMs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mode' || arg?.startsWith('--mode=') === true) {
      const value = arg === '--mode' ? argv[++i] : arg.slice('--mode='.length);
      const parsed = TradingModeSchema.safeParse(value);
      if (!parsed.success) throw new Error(`--mode must be sim, paper or live (got ${String(value)})`);
      mode = parsed.data;
    } else if (arg === '--order-poll-ms') {
      orderPollMs = milliseconds('order-poll-ms', argv[++i]);
    } else if (arg === '--unknown-grace-ms') {
      unknownGraceMs = milliseconds('unknown-grace-ms', argv[++i]);
    } else if (arg === '--record-ticks') {
      recordTicks = true;
    } else if (arg === '--db' || arg?.startsWith('--db=') === true) {
      const value = arg === '--db' ? argv[++i] : arg.slice('--db='.length);
      if (value === undefined || value.trim() === '') throw new Error('--db needs a file');
      database = value;
    }
  }
  return {
    mode,
    ...(database === undefined ? {} : { database }),
    ...(recordTicks ? { recordTicks } : {}),
    ...(orderPollMs === undefined ? {} : { orderPollMs }),
    ...(unknownGraceMs === undefined ? {} : { unknownGraceMs }),
  };
}
