import { TradingModeSchema } from '../../../shared/services/system';
import type { TradingMode } from '../../../shared/services/system';

export interface EngineArgs {
  readonly mode: TradingMode;
  /** `--db FILE`: the engine's SQLite database (default: ~/.shrivenq/engine.sqlite). */
  readonly database?: string;
  /** `--record-ticks`: keep every raw ticker frame in the database for replay. */
  readonly recordTicks?: boolean;
}

/** Parses the engine's command line (`--mode sim|paper|live`, `--db FILE`). Throws a readable Error on bad input. */
export function parseEngineArgs(argv: readonly string[]): EngineArgs {
  let mode: TradingMode = 'sim';
  let database: string | undefined;
  let recordTicks = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mode' || arg?.startsWith('--mode=') === true) {
      const value = arg === '--mode' ? argv[++i] : arg.slice('--mode='.length);
      const parsed = TradingModeSchema.safeParse(value);
      if (!parsed.success) throw new Error(`--mode must be sim, paper or live (got ${String(value)})`);
      mode = parsed.data;
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
  };
}
