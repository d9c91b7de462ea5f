import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInstruments } from '../instruments/loadInstruments';
import { openExchangeState } from './journaledExchange';
import type { Ack } from './testing/crashChild';
import { DAY, random } from './testing/fixtures';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHILD = path.join(__dirname, 'testing', 'crashChild.ts');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-crash-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the child on `file` until it has acknowledged `acks` commands, SIGKILLs it mid-stream and
 * returns every acknowledgement it printed before it died (including any after the kill was sent).
 */
function runAndKill(file: string, seed: number, acks: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    // `--require tsx/cjs` (not `--import tsx`): the package is CommonJS and this starts twice as fast here.
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD, file, String(seed)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let seen = 0;
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      seen += chunk.split('\n').length - 1;
      if (!killed && seen > acks) {
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
      const lines = out.split('\n');
      // The last element is whatever followed the last newline: never a whole acknowledgement.
      lines.pop();
      resolve(lines.filter((l) => l !== 'ready').map((l) => JSON.parse(l) as Ack));
    });
  });
}

describe('JournaledExchange under SIGKILL (a real child process)', () => {
  it('loses no acknowledged command and replays cleanly, restart after restart', async () => {
    const file = path.join(dir, 'exchange.db');
    const instruments = loadInstruments(DAY);
    const pick = random(99);
    let total = 0;
    let unacknowledged = 0;
    for (let round = 0; round < 3; round++) {
      const acks = await runAndKill(file, 1_000 + round, 50 + Math.floor(pick() * 400));
      expect(acks.length).toBeGreaterThanOrEqual(50);
      total += acks.length;

      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const row = db.prepare<[number], { kind: string; result: string }>(
          'SELECT kind, result FROM journal WHERE seq = ?',
        );
        for (const a of acks) expect(row.get(a.seq)).toEqual({ kind: a.kind, result: a.result });
        const last = acks.at(-1)?.seq ?? 0;
        const after = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM journal WHERE seq > ?');
        // Committed, but killed before its line was printed: at most the one command in flight.
        const extra = after.get(last)?.n ?? 0;
        expect(extra).toBeLessThanOrEqual(1);
        unacknowledged += extra;
      } finally {
        db.close();
      }

      // The parent side restarts from the file: replay must not throw, and every acknowledged
      // order is there.
      const x = openExchangeState(file, { tradingDate: DAY, instruments, now: () => 0 });
      try {
        for (const a of acks) {
          const r = JSON.parse(a.result) as { ok: boolean; order_id: string };
          expect(x.order(r.order_id)?.order_id).toBe(r.order_id);
          if (a.kind === 'cancel') expect(x.order(r.order_id)?.status).toBe('CANCELLED');
        }
      } finally {
        x.close();
      }
    }
    expect(total).toBeGreaterThan(150);
    expect(unacknowledged).toBeLessThanOrEqual(3);
  }, 60_000);
});
