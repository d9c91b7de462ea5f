import { PRELOAD_NAME_ARG, PRELOAD_VERSION_ARG } from '../../shared/electronBridge';
import type { TradingMode } from '../../shared/services/system';

const MODES: readonly TradingMode[] = ['sim', 'paper', 'live'];

/**
 * The trading mode main passes to the engine, from the app's own command line (`--mode paper` or
 * `--mode=live`); sim when absent. A value we do not know falls back to sim (the local exchange, no
 * real orders) and is reported, rather than guessed.
 */
export function tradingModeFromArgv(argv: readonly string[]): { mode: TradingMode; warning?: string } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    let value: string | undefined;
    if (arg === '--mode') value = argv[i + 1];
    else if (arg.startsWith('--mode=')) value = arg.slice('--mode='.length);
    else continue;
    const mode = MODES.find((m) => m === value);
    return mode !== undefined
      ? { mode }
      : { mode: 'sim', warning: `unknown --mode ${String(value)}; using sim` };
  }
  return { mode: 'sim' };
}

export function preloadArguments(name: string, version: string): string[] {
  return [`${PRELOAD_NAME_ARG}${name}`, `${PRELOAD_VERSION_ARG}${version}`];
}
