/**
 * TEST SUPPORT. Starts the real local exchange (electron/sim) as its own process, exactly as
 * `npm run sim` does, on a free loopback port, and hands back its ready line. The engine never
 * imports the simulator: tests reach it over real sockets, the way the app does.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { formatIstDate } from '../../../shared/time/ist';

/** The simulator's ready line (`npm run sim` prints it on stdout). */
export interface LocalExchangeReady {
  readonly event: 'ready';
  readonly rest: string;
  readonly ws: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly accessToken: string;
  readonly venue: string;
}

/** A running local exchange. */
export interface LocalExchange extends LocalExchangeReady {
  readonly child: ChildProcess;
  /** What the process wrote on stderr so far (its log), for failure messages. */
  log(): string;
  /** Stops it (SIGTERM, then SIGKILL after 3 s) and waits for the exit. */
  close(): Promise<void>;
}

const ENTRY = path.join(__dirname, '..', '..', 'sim', 'host', 'main.ts');

/**
 * `--start` at 10:00 IST of the day the wall clock is on (in IST). An exchange at `--speed 30` that
 * starts at the wall clock runs half an hour ahead of it per minute, so a test started in the last
 * half hour before IST midnight saw the exchange roll into the next trading day (its DAY orders
 * expire) while the engine, on the wall clock, was still on the last. Started at 10:00 of the
 * engine's day, the exchange stays on that day for 28 minutes of wall time at 30x.
 */
export function morningOf(epochMs: number = Date.now()): string[] {
  return ['--start', `${formatIstDate(epochMs)}T10:00:00+05:30`];
}

/**
 * Starts `electron/sim/host/main.ts` with `args` (default: `--seed 1 --always-open`), waits for its
 * ready line (at most `timeoutMs`, default 15 s) and resolves with it.
 */
export function startLocalExchange(
  args: readonly string[] = ['--seed', '1', '--always-open'],
  timeoutMs = 15_000,
): Promise<LocalExchange> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else
      child.once('exit', () => {
        resolve();
      });
  });
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise<LocalExchange>((resolve, reject) => {
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`local exchange not ready within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      try {
        const ready = JSON.parse(line) as LocalExchangeReady;
        resolve({ ...ready, child, log: () => stderr, close });
      } catch (e) {
        void close();
        reject(new Error(`local exchange printed no ready line: ${line} (${String(e)})`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`local exchange exited (${String(code ?? signal)}) before ready\n${stderr}`));
    });
  });
}
