import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineDatabase } from '../store';
import { PaperBroker } from './paperBroker';
import { ScriptedMarket } from './scriptedMarket';
import type { CrashLine } from './testing/crashChild';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHILD = path.join(__dirname, 'testing', 'crashChild.ts');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-paper-crash-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the child on `file` until it has printed `lines` lines, SIGKILLs it and returns every whole line it printed. */
function runAndKill(file: string, seed: number, lines: number): Promise<CrashLine[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD, file, String(seed)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!killed && out.split('\n').length > lines) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`child ended with ${code}/${signal}: ${err}`));
        return;
      }
      const all = out.split('\n');
      all.pop(); // whatever followed the last newline is not a whole line
      resolve(all.filter((l) => l !== 'ready').map((l) => JSON.parse(l) as CrashLine));
    });
  });
}

const TERMINAL = new Set(['COMPLETE', 'CANCELLED', 'REJECTED']);

describe('the paper book under SIGKILL (a real child process)', () => {
  it('keeps every order and fill it reported, restart after restart', async () => {
    const file = path.join(dir, 'engine.db');
    let reportedTrades = 0;
    for (let round = 1; round <= 3; round++) {
      const lines = await runAndKill(file, round, 300 + round * 150);
      expect(lines.length).toBeGreaterThanOrEqual(300);

      const db = openEngineDatabase({ file, now: () => Date.UTC(2026, 0, 5, 5, 0) });
      const broker = new PaperBroker({
        db,
        market: new ScriptedMarket(),
        now: () => Date.UTC(2026, 0, 5, 5, 0),
      });
      try {
        const orders = new Map((await broker.orders()).map((o) => [o.orderId, o]));
        const trades = new Map((await broker.trades()).map((t) => [t.tradeId, t]));
        for (const line of lines) {
          if (line.kind === 'trade') {
            reportedTrades += 1;
            expect(trades.get(line.tradeId)).toMatchObject({
              orderId: line.orderId,
              quantity: line.quantity,
              price: line.price,
            });
          } else {
            const o = orders.get(line.orderId);
            expect(o, line.orderId).toBeDefined();
            expect(o?.filledQuantity).toBeGreaterThanOrEqual(line.filled);
            if (TERMINAL.has(line.status)) expect(o?.status).toBe(line.status);
          }
        }
        for (const o of orders.values()) {
          const own = await broker.orderTrades(o.orderId);
          expect(own.reduce((n, t) => n + t.quantity, 0)).toBe(o.filledQuantity);
          expect(o.filledQuantity).toBeLessThanOrEqual(o.quantity);
        }
      } finally {
        broker.dispose();
        db.close();
      }
    }
    expect(reportedTrades).toBeGreaterThan(0);
  }, 60_000);
});
