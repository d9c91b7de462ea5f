// Starts web mode (`electron/web/serve.ts`) as a real process for tests, and stops it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface WebMode {
  readonly process: ChildProcess;
  readonly url: string;
  readonly rpc: string;
  readonly origin: string;
  readonly token: string;
  /** Everything the host wrote to stderr so far (logs of the host, engine and exchange). */
  readonly logs: string[];
  stop(): Promise<number | null>;
}

const root = path.resolve(__dirname, '..');

/**
 * Runs `serve.ts --port 0 ...args` and resolves once it prints its ready line. Each run gets its own
 * empty `--data-dir` (removed when it stops), so tests never share settings or a database with each
 * other nor with the user's own profile in ~/.shrivenq.
 */
export function startWebMode(args: readonly string[] = [], timeoutMs = 60_000): Promise<WebMode> {
  const dataDir = args.includes('--data-dir') ? undefined : mkdtempSync(path.join(tmpdir(), 'shrivenq-web-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'electron/web/serve.ts',
      '--port',
      '0',
      ...(dataDir === undefined ? [] : ['--data-dir', dataDir]),
      ...args,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  child.stderr.on('data', (d: Buffer) => logs.push(d.toString()));
  child.once('exit', () => {
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`web mode not ready within ${timeoutMs} ms:\n${logs.join('')}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited (${String(code)}) before ready:\n${logs.join('')}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const ready = JSON.parse(line) as { event: string; url: string; rpc: string };
      const url = new URL(ready.url);
      resolve({
        process: child,
        url: ready.url,
        rpc: ready.rpc,
        origin: url.origin,
        token: url.searchParams.get('token') ?? '',
        logs,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) {
              done(child.exitCode);
              return;
            }
            child.once('exit', (code) => {
              done(code);
            });
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
