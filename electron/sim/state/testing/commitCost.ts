// The journal's cost per command, next to the same commands on a plain in-memory Exchange in the same
// run. Run: node --require tsx/cjs electron/sim/state/testing/commitCost.ts [N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Exchange } from '../../exchange/exchange';
import type { OrderResult, PlaceOrder, PlaceResult } from '../../exchange/types';
import { loadInstruments } from '../../instruments/loadInstruments';
import { openExchangeState } from '../journaledExchange';
import type { Synchronous } from '../schema';
import { DAY, START, infy } from './fixtures';

interface Target {
  placeOrder(p: PlaceOrder): PlaceResult;
  cancelOrder(id: string): OrderResult;
}

/** Places and cancels resting orders in turn (the book stays small): `n` commands, each timed. */
function measure(
  x: Target,
  n: number,
  tick: () => void,
  wrap: (fn: () => void) => void = (fn) => {
    fn();
  },
): number[] {
  const times: number[] = [];
  let id = '';
  for (let k = 0; k < n; k++) {
    tick();
    const t0 = process.hrtime.bigint();
    wrap(() => {
      if (k % 2 === 0) {
        const r = x.placeOrder(infy({ price: 153_000 - (k % 40) * 5 }));
        id = r.ok ? r.order_id : '';
      } else {
        x.cancelOrder(id);
      }
    });
    times.push(Number(process.hrtime.bigint() - t0) / 1_000);
  }
  return times;
}

function summary(name: string, times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return `${name.padEnd(34)} mean ${mean.toFixed(1).padStart(7)} us   p50 ${at(0.5).toFixed(1).padStart(7)}   p99 ${at(0.99).toFixed(1).padStart(7)}`;
}

function main(): void {
  const n = Number(process.argv[2] ?? '2000');
  const instruments = loadInstruments(DAY);
  const dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-commit-'));
  let now = START;
  const tick = (): void => {
    now += 1;
  };
  try {
    const plain = new Exchange({ instruments, now: () => now, onEvent: () => undefined });
    measure(plain, 2_000, tick); // warm-up
    let replay = '';
    const lines = [summary('in-memory Exchange (baseline)', measure(plain, n, tick))];
    for (const sync of ['FULL', 'NORMAL'] as Synchronous[]) {
      const x = openExchangeState(path.join(dir, `${sync}.db`), {
        tradingDate: DAY,
        instruments,
        now: () => now,
        synchronous: sync,
      });
      measure(x, 200, tick);
      lines.push(summary(`journaled, WAL + ${sync}`, measure(x, n, tick)));
      const commands = x.lastSeq;
      x.close();
      if (sync === 'FULL') {
        const t0 = process.hrtime.bigint();
        openExchangeState(path.join(dir, `${sync}.db`), {
          tradingDate: DAY,
          instruments,
          now: () => now,
        }).close();
        const us = Number(process.hrtime.bigint() - t0) / 1_000;
        replay = `replay on open: ${commands} commands in ${(us / 1_000).toFixed(1)} ms (${(us / commands).toFixed(1)} us each, open and close included)`;
      }
    }
    const b = openExchangeState(path.join(dir, 'batch.db'), {
      tradingDate: DAY,
      instruments,
      now: () => now,
    });
    const batched: number[] = [];
    for (let k = 0; k < n / 100; k++) {
      const t0 = process.hrtime.bigint();
      b.batch(() => measure(b, 100, tick));
      batched.push(Number(process.hrtime.bigint() - t0) / 1_000 / 100);
    }
    lines.push(summary('journaled FULL, batches of 100', batched));
    b.close();
    lines.push(replay);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
