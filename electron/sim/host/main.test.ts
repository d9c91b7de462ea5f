import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { KiteConnect } from 'kiteconnect';
import { afterEach, describe, expect, it } from 'vitest';

// The process entry, run as `npm run sim` runs it (tsx), and as web mode forks it.

const entry = path.join(__dirname, 'main.ts');

interface ReadyLine {
  event: string;
  rest: string;
  ws: string;
  apiKey: string;
  apiSecret: string;
  accessToken: string;
  venue: string;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function readyLine(child: ChildProcess): Promise<ReadyLine> {
  const stdout = child.stdout;
  if (stdout === null) throw new Error('no stdout');
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    lines.once('line', (line) => {
      resolve(JSON.parse(line) as ReadyLine);
    });
    child.once('exit', (code) => {
      reject(new Error(`exited with ${String(code)} before ready`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
}

describe('npm run sim', () => {
  it('prints one ready line within 5 s, serves the official client, and stops on SIGTERM', async () => {
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', entry, '--port', '0', '--seed', '7', '--always-open'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    const ready = await readyLine(child);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ready).toMatchObject({ event: 'ready', venue: 'exchange' });
    expect(ready.rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.ws).toBe(`${ready.rest.replace('http', 'ws')}/`);
    const kc = new KiteConnect({ api_key: ready.apiKey, root: ready.rest });
    kc.setAccessToken(ready.accessToken);
    await expect(kc.getProfile()).resolves.toMatchObject({ user_id: 'SIM001' });
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('as a forked child, reports ready over IPC and exits when the parent goes away', async () => {
    const child = fork(entry, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.push(child);
    const message = await new Promise<unknown>((resolve) => {
      child.once('message', resolve);
    });
    expect(message).toMatchObject({ event: 'ready', venue: 'exchange' });
    child.disconnect();
    expect(await exited(child)).toBe(0);
  });

  it('exits with 2 on a bad argument', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', 'x'], { stdio: 'ignore' });
    children.push(child);
    expect(await exited(child)).toBe(2);
  });
});
