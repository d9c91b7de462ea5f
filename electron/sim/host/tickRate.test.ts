import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { KiteTicker } from 'kiteconnect';
import type { KiteTickerParams, Ticker } from 'kiteconnect';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIstDate } from '../../../shared/time/ist';
import { loadInstruments } from '../exchange';
import { tickPumpInstruments } from '../market';
import { SIM_ARGS_ENV } from './args';

// `--tick-rate R --tick-instruments N` through the whole process, over a real socket with the
// official client: about R ticks a second reach a subscriber, spread evenly over the N instruments
// the seed picked, and the exchange's log says what it sent. The flags come in through
// SHRIVENQ_SIM_ARGS, as web mode passes them.

const entry = path.join(__dirname, 'main.ts');
const RATE = 1000;
const COUNT = 10;
const SEED = 7;
const WINDOW_MS = 3_000;

interface Ready {
  ws: string;
  apiKey: string;
  accessToken: string;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('the tick pump (--tick-rate)', () => {
  it(`sends about ${RATE} ticks a second over ${COUNT} instruments, evenly`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', '0', '--always-open'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        [SIM_ARGS_ENV]: `--seed ${SEED} --tick-rate ${RATE} --tick-instruments ${COUNT}`,
      },
    });
    children.push(child);
    const logs: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
    const ready = await new Promise<Ready>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', (line) => {
        resolve(JSON.parse(line) as Ready);
      });
      child.once('exit', (code) => {
        reject(new Error(`exited with ${String(code)} before ready:\n${logs.join('\n')}`));
      });
    });

    // The instruments it logs are the seed's choice, the first COUNT of the NIFTY 50 companies.
    const start = logs.find((l) => l.includes('tick pump {"event":"start"'));
    const logged = JSON.parse(start?.slice(start.indexOf('{')) ?? '{}') as {
      instruments?: { token: number; key: string }[];
    };
    const expected = tickPumpInstruments(loadInstruments(formatIstDate(Date.now())), SEED, COUNT);
    expect(logged.instruments?.map((i) => i.token)).toEqual(expected.map((i) => i.instrument_token));
    const tokens = expected.map((i) => i.instrument_token);
    // An instrument the pump leaves alone, for comparison.
    const quiet = loadInstruments(formatIstDate(Date.now())).find(
      (i) => i.exchange === 'NSE' && i.instrument_type === 'EQ' && !tokens.includes(i.instrument_token),
    );
    if (quiet === undefined) throw new Error('no instrument outside the pump');

    // `root` is in the client (its README) but not in its types: widened through a variable.
    const params = {
      api_key: ready.apiKey,
      access_token: ready.accessToken,
      root: ready.ws,
      reconnect: false,
    };
    const typed: KiteTickerParams = params;
    const ticker: Ticker = new KiteTicker(typed);
    const counts = new Map<number, number>();
    let counting = false;
    ticker.on('ticks', (batch: Record<string, unknown>[]) => {
      if (!counting) return;
      for (const t of batch) {
        const token = Number(t['instrument_token']);
        counts.set(token, (counts.get(token) ?? 0) + 1);
      }
    });
    await new Promise<void>((resolve) => {
      ticker.on('connect', () => {
        ticker.subscribe([...tokens, quiet.instrument_token]);
        resolve();
      });
      ticker.connect();
    });
    try {
      // Let the makers quote first, then count.
      await new Promise((r) => setTimeout(r, 1_500));
      counting = true;
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      counting = false;
    } finally {
      ticker.disconnect();
    }

    const perSecond = (token: number): number => ((counts.get(token) ?? 0) * 1000) / WINDOW_MS;
    const total = tokens.reduce((s, t) => s + perSecond(t), 0);
    // The pump's own ticks, plus the agents' few on the same instruments (a tick or two a second each).
    expect(total).toBeGreaterThan(RATE * 0.85);
    expect(total).toBeLessThan(RATE * 1.15);
    for (const t of tokens) {
      expect(perSecond(t)).toBeGreaterThan((RATE / COUNT) * 0.8);
      expect(perSecond(t)).toBeLessThan((RATE / COUNT) * 1.2);
    }
    expect(perSecond(quiet.instrument_token)).toBeLessThan(RATE / COUNT / 5);

    child.kill('SIGTERM');
  }, 60_000);
});
