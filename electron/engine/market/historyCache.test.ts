import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { priceFromUnits } from '../../../shared/domain/money';
import type { Candle } from '../broker/types';
import { openEngineDatabase } from '../store';
import type { EngineDatabase } from '../store';
import { CandleCache } from './historyCache';

let dir: string;
let db: EngineDatabase;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'shrivenq-candles-'));
  db = openEngineDatabase({ file: path.join(dir, 'engine.db') });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const candle = (time: number, close = 100): Candle => ({
  time,
  open: priceFromUnits(close),
  high: priceFromUnits(close + 5),
  low: priceFromUnits(close - 5),
  close: priceFromUnits(close),
  volume: 10,
  oi: null,
});

describe('CandleCache', () => {
  it('merges touching and overlapping spans into one, and keeps disjoint ones apart', () => {
    const cache = CandleCache.open(db);
    cache.store(1, 'minute', { from: 0, to: 10 }, [], 10, 1);
    cache.store(1, 'minute', { from: 20, to: 30 }, [], 30, 1);
    cache.store(1, 'minute', { from: 40, to: 50 }, [], 50, 1);
    expect(cache.covered(1, 'minute', { from: 0, to: 100 })).toHaveLength(3);
    // Touches the first, overlaps the second.
    cache.store(1, 'minute', { from: 10, to: 25 }, [], 25, 1);
    expect(cache.covered(1, 'minute', { from: 0, to: 100 })).toEqual([
      { from: 0, to: 30 },
      { from: 40, to: 50 },
    ]);
    // Another instrument and another interval are other series.
    expect(cache.covered(2, 'minute', { from: 0, to: 100 })).toEqual([]);
    expect(cache.covered(1, 'day', { from: 0, to: 100 })).toEqual([]);
  });

  it('records candles past `coveredTo` for reading, but not their span', () => {
    const cache = CandleCache.open(db);
    cache.store(
      1,
      'minute',
      { from: 0, to: 300_000 },
      [candle(0), candle(60_000), candle(240_000)],
      120_000,
      1,
    );
    expect(cache.covered(1, 'minute', { from: 0, to: 300_000 })).toEqual([{ from: 0, to: 120_000 }]);
    expect(cache.read(1, 'minute', { from: 0, to: 300_000 }).map((c) => c.time)).toEqual([
      0, 60_000, 240_000,
    ]);
    // The next answer for the open part replaces what was there.
    cache.store(1, 'minute', { from: 120_000, to: 300_000 }, [candle(180_000)], 300_000, 2);
    expect(cache.read(1, 'minute', { from: 0, to: 300_000 }).map((c) => c.time)).toEqual([
      0, 60_000, 180_000,
    ]);
  });

  it('writes an answer all or nothing: a row SQLite refuses leaves the previous candles and spans', () => {
    const cache = CandleCache.open(db);
    cache.store(1, 'minute', { from: 0, to: 180_000 }, [candle(0), candle(60_000)], 60_000, 1);
    const bad = { ...candle(120_000), close: 100.5 as Candle['close'] };
    expect(() => {
      cache.store(1, 'minute', { from: 0, to: 180_000 }, [candle(0, 200), bad], 180_000, 2);
    }).toThrow();
    expect(cache.read(1, 'minute', { from: 0, to: 180_000 })).toEqual([candle(0), candle(60_000)]);
    expect(cache.covered(1, 'minute', { from: 0, to: 180_000 })).toEqual([{ from: 0, to: 60_000 }]);
  });
});
