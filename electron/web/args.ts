import { TradingModeSchema } from '../../shared/services/system';
import type { TradingMode } from '../../shared/services/system';

export interface ServeArgs {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  readonly mode: TradingMode;
  /** Rebuild the renderer even if the last build looks current. */
  readonly rebuild: boolean;
  /** `--data-dir DIR`: where the engine keeps its database (default ~/.shrivenq). */
  readonly dataDir?: string;
  /** `--kite-credentials FILE`: the Kite app's `{apiKey, apiSecret}` (paper and live), readable by its owner only. */
  readonly kiteCredentials?: string;
}

export const DEFAULT_SERVE_PORT = 5780;

/**
 * Parses `npm run serve -- [--port N] [--host ADDR] [--mode sim|paper|live] [--rebuild] [--data-dir DIR]
 * [--kite-credentials FILE]`. Throws on bad input.
 */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  let port = DEFAULT_SERVE_PORT;
  let host = '127.0.0.1';
  let mode: TradingMode = 'sim';
  let rebuild = false;
  let dataDir: string | undefined;
  let kiteCredentials: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? '';
    const eq = raw.indexOf('=');
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      const v = eq > 0 ? raw.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new Error(`--port must be 0..65535 (got ${v})`);
        port = n;
        break;
      }
      case '--host':
        host = value();
        break;
      case '--mode': {
        const v = value();
        const parsed = TradingModeSchema.safeParse(v);
        if (!parsed.success) throw new Error(`--mode must be sim, paper or live (got ${v})`);
        mode = parsed.data;
        break;
      }
      case '--rebuild':
        rebuild = true;
        break;
      case '--data-dir':
        dataDir = value();
        break;
      case '--kite-credentials':
        kiteCredentials = value();
        break;
      default:
        throw new Error(
          `unknown argument ${raw} (use --port N, --host ADDR, --mode sim|paper|live, --rebuild, --data-dir DIR, --kite-credentials FILE)`,
        );
    }
  }
  return {
    port,
    host,
    mode,
    rebuild,
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(kiteCredentials === undefined ? {} : { kiteCredentials }),
  };
}
